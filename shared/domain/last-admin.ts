/**
 * The last-administrator rule (docs/architecture.md §5): Global Administrator and Privileged Role Administrator
 * always keep at least one permanent active holder who can sign in, so the tenant is never locked out.
 * Pure counting: the services turn these answers into guarded writes (shared/store/guards.ts).
 */
import { BUILTIN_ROLE_IDS } from './builtin-roles.ts';
import { TENANT_SCOPE } from './scope.ts';
import type { Schedule } from './schedule.ts';

/** Roles whose last permanent active holder can never go. */
export const PROTECTED_ROLES: readonly string[] = [BUILTIN_ROLE_IDS.globalAdministrator, BUILTIN_ROLE_IDS.privilegedRoleAdministrator];

export function isProtectedRole(roleDefinitionId: string): boolean {
  return PROTECTED_ROLES.includes(roleDefinitionId);
}

/**
 * Whether a schedule counts towards the "never remove the last one" guard of a protected role: a
 * permanent, admin-made, tenant-wide active assignment of a user or a group that is already in force.
 * A user's counts once; a group's once per standing user member (none while it is empty, see
 * groupHolderCount). Service principals and assignments that start later do not keep anyone able to sign
 * in and administer, so they do not count.
 */
export function countsAsProtectedHolder(s: Schedule, now: Date): boolean {
  return (
    s.kind === 'assignment' &&
    s.assignmentType === 'Assigned' &&
    (s.principalType === 'user' || s.principalType === 'group') &&
    s.endDateTime === null &&
    Date.parse(s.startDateTime) <= now.getTime() &&
    s.directoryScopeId === TENANT_SCOPE &&
    isProtectedRole(s.roleDefinitionId)
  );
}

/** Whether the guard counted this schedule when it was written (older items carry no flag). */
export function wasCountedAsProtectedHolder(s: Schedule): boolean {
  return (
    s.protectedHolder ??
    (s.kind === 'assignment' &&
      s.assignmentType === 'Assigned' &&
      s.endDateTime === null &&
      s.directoryScopeId === TENANT_SCOPE &&
      isProtectedRole(s.roleDefinitionId))
  );
}

/**
 * How a change of `roleId`'s schedule moves its holder count: +1 when it starts counting, -1 when it
 * stops, 0 otherwise (and always 0 for a role that is not protected).
 */
export function protectedHolderChange(
  roleId: string,
  before: Schedule | undefined,
  after: Schedule | undefined,
  now: Date,
): { counts: boolean; delta: -1 | 0 | 1 } {
  const was = before ? wasCountedAsProtectedHolder(before) : false;
  const counts = after ? countsAsProtectedHolder(after, now) : false;
  const delta = was === counts || !isProtectedRole(roleId) ? 0 : counts ? 1 : -1;
  return { counts, delta };
}

/** How many holders a group's counted assignment stands for: its standing user members (PIM members' membership ends, so they do not count). */
export function groupHolderCount(standingMembers: ReadonlyArray<{ type: string }>): number {
  return standingMembers.filter((m) => m.type === 'user').length;
}

/**
 * A user joining (+1) or leaving (-1) groups: how each protected role's count moves, summed over the
 * roles each group counts for (one write per role item in a transaction).
 */
export function membershipHolderDeltas(groups: ReadonlyArray<{ roles: readonly string[] }>, delta: 1 | -1): Map<string, number> {
  const perRole = new Map<string, number>();
  for (const g of groups) for (const r of g.roles) perRole.set(r, (perRole.get(r) ?? 0) + delta);
  return perRole;
}
