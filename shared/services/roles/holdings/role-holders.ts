/**
 * Who holds a role through a group. Graph lists, beside a group's own instance of a role, one instance
 * per member who holds it through the group (memberType Group, principalId the member); a PIM for groups
 * member holds it only until the membership ends. Cost: two parallel queries per distinct group holding
 * the role (its standing members; its PIM memberships), whatever the size of the tenant.
 */
import { isGroupAccess, isGroupMembership } from '../../../domain/group-access.ts';
import { isInForce } from '../../../domain/schedule.ts';
import { allMembersOf } from '../../../store/memberships.ts';
import { schedulesOfGroup, type StoredSchedule } from '../../../store/role-schedules.ts';
import type { Services } from '../../context.ts';
import { holdingInForce, membershipsAt, type Holding, type Membership } from './principal-access.ts';

/** A group's members at `now`: standing ones, and those through a PIM membership in force (with it). */
export async function membersAt(svc: Services, groupId: string, now: Date): Promise<Map<string, Membership | undefined>> {
  const [standing, pim] = await Promise.all([allMembersOf(svc.table, groupId), schedulesOfGroup(svc.table, groupId, 'assignment')]);
  const memberships = pim.filter((s) => isGroupMembership(s.data)).map(({ data: s }) => ({ key: s.principalId, schedule: s }));
  return membershipsAt(
    standing.map((m) => m.id),
    memberships,
    now,
  );
}

/** The holdings that the members of groups among `schedules`' principals have through them, in force at `now`. */
export async function memberHoldings(svc: Services, schedules: StoredSchedule[], now: Date): Promise<Array<{ memberId: string; holding: Holding }>> {
  const groupHeld = schedules.filter((s) => s.data.principalType === 'group' && !isGroupAccess(s.data) && isInForce(s.data, now));
  const groupIds = [...new Set(groupHeld.map((s) => s.data.principalId))];
  const members = new Map(await Promise.all(groupIds.map(async (id) => [id, await membersAt(svc, id, now)] as const)));
  return groupHeld.flatMap((s) =>
    [...members.get(s.data.principalId)!].flatMap(([memberId, viaMembership]) => {
      const holding: Holding = { schedule: s.data, version: s.version, activations: s.activations, viaGroupId: s.data.principalId, viaMembership };
      return holdingInForce(holding, now) ? [{ memberId, holding }] : [];
    }),
  );
}
