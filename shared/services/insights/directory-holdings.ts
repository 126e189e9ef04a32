/**
 * Who holds which directory role, tenant-wide: every eligible and active role schedule whose role is a
 * directory role (built-in or custom; not Azure-like resource roles, AWS roles or PIM for groups), with
 * the roles' names and whether each is privileged. Read whole from the schedule listings: the insights
 * and the digest are aggregates that an administrator opens or a weekly job sends.
 */
import type { RoleRequest } from '../../contracts/role-requests.ts';
import { getObjectItems } from '../../store/directory-objects.ts';
import { allScheduleSummaries, type ScheduleSummary } from '../../store/schedule-summaries.ts';
import { lastSignIns } from '../../store/sign-ins.ts';
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
  schedules: ScheduleSummary[];
  roles: Map<string, DirectoryRole>;
}

export async function directoryHoldings(svc: Services, requests: readonly RoleRequest[] = []): Promise<DirectoryHoldings> {
  const [eligible, active] = await Promise.all([allScheduleSummaries(svc.table, 'eligibility'), allScheduleSummaries(svc.table, 'assignment')]);
  const all = [...eligible, ...active];
  const roles = await directoryRolesAmong(svc, [...all.map((s) => s.roleDefinitionId), ...requests.map((r) => r.roleDefinitionId)]);
  return { schedules: all.filter((s) => roles.has(s.roleDefinitionId)), roles };
}

export interface PrincipalFacts {
  displayName: string | null;
  userPrincipalName: string | null;
  appId: string | null;
  /** When the user last signed in to Stint (recorded at most hourly; Graph's `signInActivity.lastSignInDateTime`). */
  lastSignInDateTime: string | null;
}

/** Names and sign-in facts of principals, two batch reads side by side; a deleted principal is absent. */
export async function principalFacts(svc: Services, ids: Iterable<string>): Promise<Map<string, PrincipalFacts>> {
  const unique = [...new Set(ids)];
  const [items, signIns] = await Promise.all([getObjectItems(svc.table, unique), lastSignIns(svc.table, unique)]);
  return new Map(
    items.map((item) => {
      const data = item.data as { id: string; displayName?: string | null; userPrincipalName?: string | null; appId?: string | null };
      return [
        data.id,
        {
          displayName: data.displayName ?? null,
          userPrincipalName: data.userPrincipalName ?? null,
          appId: data.appId ?? null,
          lastSignInDateTime: signIns.get(data.id) ?? null,
        },
      ] as const;
    }),
  );
}
