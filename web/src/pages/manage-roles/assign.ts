/**
 * Assign: one request per member, first all checked with `isValidationOnly` (so a policy refusal for
 * one member stops nothing half-done), then sent. Each member's outcome is reported on its own.
 */
import type { Api } from '../../api/client.ts';
import { adminRequest, type Level, type ScheduleInfo } from './data.ts';
import type { Candidate } from './member-search.ts';

export interface AssignInput {
  roleId: string;
  scope: string;
  level: Level;
  members: Candidate[];
  scheduleInfo: ScheduleInfo;
  justification?: string;
}

export interface MemberOutcome {
  member: Candidate;
  ok: boolean;
  status?: string;
  message?: string;
}

async function each(api: Api, input: AssignInput, validateOnly: boolean): Promise<MemberOutcome[]> {
  return Promise.all(
    input.members.map(async (member) => {
      const { path, body } = adminRequest(
        input.level,
        'adminAssign',
        { principalId: member.id, roleDefinitionId: input.roleId, directoryScopeId: input.scope },
        { justification: input.justification, scheduleInfo: input.scheduleInfo, isValidationOnly: validateOnly },
      );
      try {
        const created = await api.post<{ status?: string } | undefined>(path, body);
        return { member, ok: true, status: created?.status };
      } catch (e) {
        return { member, ok: false, message: (e as Error).message };
      }
    }),
  );
}

export function validateAssignments(api: Api, input: AssignInput): Promise<MemberOutcome[]> {
  return each(api, input, true);
}

export function sendAssignments(api: Api, input: AssignInput): Promise<MemberOutcome[]> {
  return each(api, input, false);
}
