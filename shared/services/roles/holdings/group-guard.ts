/**
 * The last-administrator guard through groups. The rule: a group's permanent, in-force, tenant-wide
 * active assignment of a protected role counts one holder per standing user member of the group (an
 * empty group counts none). PIM for groups members do not count: their membership ends, as an
 * activation's does. Every count moves in the transaction of the change that moves it: the group's
 * assignment (adminAssign, adminUpdate, adminRemove…) or a standing membership (add, remove, user
 * deletion), see shared/store/guards.ts. The counting itself is pure: shared/domain/last-admin.ts.
 */
import { ConflictError } from '../../../domain/errors.ts';
import { groupHolderCount, membershipHolderDeltas } from '../../../domain/last-admin.ts';
import { adjustProtectedHolders, groupCounts, readGroupGuard, userMembershipChange } from '../../../store/guards.ts';
import { allMembersOf } from '../../../store/memberships.ts';
import type { ConditionalWrite } from '../../../store/transact.ts';
import type { Services } from '../../context.ts';

const changedMeanwhile = (groupId: string) => () =>
  new ConflictError(`The members or role assignments of group '${groupId}' changed while this request was made; try again.`, 'Request_ConcurrentModification');

/** A group starts (or stops) counting for a protected role: its standing user members join (or leave) the role's count. */
export async function groupStakeWrites(
  svc: Services,
  groupId: string,
  roleId: string,
  counts: boolean,
  onLast: () => ConflictError,
): Promise<ConditionalWrite[]> {
  // The version is read before the members, so a membership change in between fails this write.
  const g = await readGroupGuard(svc.table, groupId);
  const users = counts ? groupHolderCount(await allMembersOf(svc.table, groupId)) : g.users;
  const roles = counts ? [...new Set([...g.roles, roleId])] : g.roles.filter((r) => r !== roleId);
  const writes = [groupCounts(g, roles, roles.length > 0 ? users : 0, changedMeanwhile(groupId))];
  if (users > 0) writes.push(adjustProtectedHolders(roleId, counts ? users : -users, onLast));
  return writes;
}

/**
 * A standing member joins (+1) or leaves (-1) groups: for a user, each group's guard item, and the count
 * of every protected role those groups count for (summed per role: one write per item in a transaction).
 */
export async function membershipGuardWrites(
  svc: Services,
  memberType: string,
  groupIds: string[],
  delta: 1 | -1,
  onLast: () => ConflictError,
): Promise<ConditionalWrite[]> {
  if (memberType !== 'user') return [];
  const guards = await Promise.all(groupIds.map((id) => readGroupGuard(svc.table, id)));
  const perRole = membershipHolderDeltas(guards, delta);
  return [
    ...guards.map((g) => userMembershipChange(g, delta, changedMeanwhile(g.groupId))),
    ...[...perRole].map(([role, d]) => adjustProtectedHolders(role, d, onLast)),
  ];
}

/** The refusal of a membership change (or user deletion) that would leave a protected role with no holder. */
export function lastMemberHolder(memberName: string): () => ConflictError {
  return () =>
    new ConflictError(
      `${memberName} is the last user holding Global Administrator or Privileged Role Administrator permanently, through a group's assignment. Assign another permanent active holder first, so the tenant is never locked out.`,
      'LastAdministratorProtected',
    );
}
