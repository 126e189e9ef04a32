/**
 * Discovery and insights' actions on a selection: "Eliminate standing access" (convert each active
 * assignment of a privileged directory role to eligible) and "Reduce Global Administrators" (remove each
 * selected Global Administrator assignment, or convert it to eligible). The whole selection is checked
 * first, so bad input is a 400 with nothing changed; then each item goes through the audited role request
 * paths as the caller, one after the other, and its own refusal (the last Global Administrator, a policy
 * rule) is reported beside it without stopping the rest.
 */
import type { RoleRequestInput } from '../../contracts/role-requests.ts';
import { BUILTIN_ROLE_IDS } from '../../domain/builtin-roles.ts';
import { BadRequestError, DomainError } from '../../domain/errors.ts';
import { isLive } from '../../domain/insights/figures.ts';
import type { Schedule } from '../../domain/schedule.ts';
import { getSchedule } from '../../store/role-schedules.ts';
import { requirePermission } from '../authorize.ts';
import type { Actor, Services } from '../context.ts';
import { submitRoleRequest } from '../roles/requests/submit-request.ts';
import { convertibleSchedule, convertToEligible, CONVERT_JUSTIFICATION } from './convert-to-eligible.ts';
import { directoryRolesAmong } from './directory-holdings.ts';

export type InsightAction = 'convertToEligible' | 'remove';

export interface ActionOutcome {
  scheduleId: string;
  action: InsightAction;
  status: 'succeeded' | 'failed';
  /** After a conversion: the eligible assignment the principal now holds. */
  eligibilityScheduleId: string | null;
  /** Why the item failed, as the role request API said it (Graph's code and message). */
  error: { code: string; message: string } | null;
}

function distinct(ids: readonly string[]): void {
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length > 0) throw new BadRequestError(`Schedule '${twice[0]}' is selected more than once.`);
}

async function run(scheduleId: string, action: InsightAction, step: () => Promise<string | null>): Promise<ActionOutcome> {
  try {
    return { scheduleId, action, status: 'succeeded', eligibilityScheduleId: await step(), error: null };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { scheduleId, action, status: 'failed', eligibilityScheduleId: null, error: { code: error.code, message: error.message } };
  }
}

/** Converts each selected active assignment of a privileged directory role to eligible. */
export async function eliminateStandingAccess(svc: Services, actor: Actor, scheduleIds: readonly string[], justification?: string): Promise<ActionOutcome[]> {
  await requirePermission(svc, actor, 'roleAssignments.manage');
  distinct(scheduleIds);
  const schedules = await Promise.all(scheduleIds.map((id) => convertibleSchedule(svc, id)));
  const roles = await directoryRolesAmong(
    svc,
    schedules.map((s) => s.roleDefinitionId),
  );
  for (const s of schedules) {
    if (!roles.get(s.roleDefinitionId)?.isPrivileged) throw new BadRequestError(`Schedule '${s.id}' is not an assignment of a privileged directory role.`);
  }
  const outcomes: ActionOutcome[] = [];
  for (const s of schedules) {
    outcomes.push(await run(s.id, 'convertToEligible', async () => (await convertToEligible(svc, actor, s.id, justification)).eligibilityScheduleId));
  }
  return outcomes;
}

/** A live eligible or admin-made active Global Administrator assignment, or a 400. */
async function globalAdministratorSchedule(svc: Services, scheduleId: string, action: InsightAction): Promise<Schedule> {
  if (action === 'convertToEligible') {
    const s = await convertibleSchedule(svc, scheduleId);
    if (s.roleDefinitionId !== BUILTIN_ROLE_IDS.globalAdministrator)
      throw new BadRequestError(`Schedule '${scheduleId}' is not a Global Administrator assignment.`);
    return s;
  }
  const s = (await getSchedule(svc.table, scheduleId))?.data;
  if (!s) throw new BadRequestError(`Schedule '${scheduleId}' does not exist.`);
  if (s.roleDefinitionId !== BUILTIN_ROLE_IDS.globalAdministrator || s.assignmentType === 'Activated' || !isLive(s, svc.clock.now()))
    throw new BadRequestError(`Schedule '${scheduleId}' is not a current eligible or active Global Administrator assignment.`);
  return s;
}

function removal(s: Schedule, justification: string): RoleRequestInput {
  return {
    action: { sent: 'adminRemove', canonical: 'adminRemove' },
    principalId: s.principalId,
    roleDefinitionId: s.roleDefinitionId,
    directoryScopeId: s.directoryScopeId,
    justification,
  };
}

export const REDUCE_JUSTIFICATION = 'Removed to reduce Global Administrators (Discovery and insights)';

/** Removes or converts each selected Global Administrator assignment. */
export async function reduceGlobalAdministrators(
  svc: Services,
  actor: Actor,
  items: readonly { scheduleId: string; action: InsightAction }[],
  justification?: string,
): Promise<ActionOutcome[]> {
  await requirePermission(svc, actor, 'roleAssignments.manage');
  distinct(items.map((i) => i.scheduleId));
  const schedules = await Promise.all(items.map((i) => globalAdministratorSchedule(svc, i.scheduleId, i.action)));
  const outcomes: ActionOutcome[] = [];
  for (const [i, item] of items.entries()) {
    const s = schedules[i]!;
    outcomes.push(
      await run(s.id, item.action, async () => {
        if (item.action === 'convertToEligible')
          return (await convertToEligible(svc, actor, s.id, justification ?? CONVERT_JUSTIFICATION)).eligibilityScheduleId;
        await submitRoleRequest(svc, actor, s.kind, removal(s, justification ?? REDUCE_JUSTIFICATION));
        return null;
      }),
    );
  }
  return outcomes;
}
