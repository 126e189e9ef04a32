/**
 * Who holds which directory role, tenant-wide: every eligible and active role schedule whose role is a
 * directory role (built-in or custom; not Azure-like resource roles, AWS roles or PIM for groups), with
 * the roles' names and whether each is privileged. Read whole from the schedule listings: the insights
 * and the digest are aggregates that an administrator opens or a weekly job sends.
 */
import type { RoleRequest } from '../../contracts/role-requests.ts';
import type { Schedule } from '../../domain/schedule.ts';
import { getObjectItems } from '../../store/directory-objects.ts';
import { everyRoleSchedule } from '../../store/insight-reads.ts';
import type { Services } from '../context.ts';
import { getRoleDefinitions } from '../role-definitions.ts';

export interface DirectoryRole {
  id: string;
  displayName: string;
  templateId: string;
  isPrivileged: boolean;
}

/** Directory roles among `ids`, by id (one read for the custom ones). */
export async function directoryRolesAmong(svc: Services, ids: Iterable<string>): Promise<Map<string, DirectoryRole>> {
  const roles = await getRoleDefinitions(svc, [...new Set(ids)]);
  return new Map(
    roles
      .filter((r) => r.kind === 'directory')
      .map((r) => [r.id, { id: r.id, displayName: r.displayName, templateId: r.templateId, isPrivileged: r.isPrivileged }] as const),
  );
}

export interface DirectoryHoldings {
  /** Every directory-role schedule stored (ended ones included: callers decide what counts). */
  schedules: Schedule[];
  roles: Map<string, DirectoryRole>;
}

export async function directoryHoldings(svc: Services, requests: readonly RoleRequest[] = []): Promise<DirectoryHoldings> {
  const [eligible, active] = await Promise.all([everyRoleSchedule(svc.table, 'eligibility'), everyRoleSchedule(svc.table, 'assignment')]);
  const all = [...eligible, ...active];
  const roles = await directoryRolesAmong(svc, [...all.map((s) => s.roleDefinitionId), ...requests.map((r) => r.roleDefinitionId)]);
  return { schedules: all.filter((s) => roles.has(s.roleDefinitionId)), roles };
}

export interface PrincipalFacts {
  displayName: string | null;
  userPrincipalName: string | null;
  appId: string | null;
  /** When the user last signed in, where Stint recorded it (`signInActivity`, as Graph's user shows it). */
  lastSignInDateTime: string | null;
}

/** Names and sign-in facts of principals, one batch read; a deleted principal is absent. */
export async function principalFacts(svc: Services, ids: Iterable<string>): Promise<Map<string, PrincipalFacts>> {
  const items = await getObjectItems(svc.table, [...new Set(ids)]);
  return new Map(
    items.map((item) => {
      const data = item.data as {
        id: string;
        displayName?: string | null;
        userPrincipalName?: string | null;
        appId?: string | null;
        signInActivity?: { lastSignInDateTime?: string | null } | null;
      };
      return [
        data.id,
        {
          displayName: data.displayName ?? null,
          userPrincipalName: data.userPrincipalName ?? null,
          appId: data.appId ?? null,
          lastSignInDateTime: data.signInActivity?.lastSignInDateTime ?? null,
        },
      ] as const;
    }),
  );
}
