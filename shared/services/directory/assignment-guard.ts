import { ConflictError } from '../../domain/errors.ts';
import { isGroupAccess } from '../../domain/group-access.ts';
import { hasEnded, type Schedule } from '../../domain/schedule.ts';
import { getObjectItems } from '../../store/directory-objects.ts';
import { allGroupIdsOf } from '../../store/memberships.ts';
import { schedulesOfGroup, schedulesOfPrincipal } from '../../store/role-schedules.ts';
import type { Services } from '../context.ts';

/**
 * A principal that still holds role assignments or eligibilities cannot be deleted: removing them goes
 * through role requests, which keep the audit trail and the last-administrator protection intact.
 */
export async function assertHoldsNoRoles(svc: Services, principalId: string, displayName: string): Promise<void> {
  const now = svc.clock.now();
  const schedules = await schedulesOfPrincipal(svc.table, principalId);
  const own = new Set(schedules.map((s) => s.data.id));
  // An activation made through a group's eligibility is not the principal's to remove: it ends with the membership.
  const throughGroup = (s: Schedule) => s.assignmentType === 'Activated' && s.activatedUsing !== null && !own.has(s.activatedUsing);
  const live = schedules.filter((s) => !hasEnded(s.data, now) && !throughGroup(s.data));
  if (live.length > 0) {
    throw new ConflictError(
      `${displayName} still holds ${live.length} role assignment${live.length === 1 ? '' : 's'} or eligibilit${live.length === 1 ? 'y' : 'ies'}; remove them (adminRemove) before deleting.`,
      'Request_PrincipalHoldsRoles',
    );
  }
}

/** Likewise a group that people are eligible for or assigned to through PIM for groups. */
export async function assertNoGroupAccess(svc: Services, groupId: string, displayName: string): Promise<void> {
  const now = svc.clock.now();
  const live = (await schedulesOfGroup(svc.table, groupId)).filter((s) => !hasEnded(s.data, now));
  if (live.length > 0) {
    throw new ConflictError(
      `${live.length} PIM for groups membership or ownership assignment${live.length === 1 ? '' : 's'} of ${displayName} remain; remove them (adminRemove) before deleting the group.`,
      'Request_GroupHasAssignments',
    );
  }
}

/**
 * A standing member of a group that holds roles holds them too: deleting the member is refused as for a
 * direct holder, so that no role disappears without a request and its audit record.
 */
export async function assertHoldsNoRolesThroughGroups(svc: Services, principalId: string, displayName: string): Promise<void> {
  const now = svc.clock.now();
  const groupIds = await allGroupIdsOf(svc.table, principalId);
  const holding = await Promise.all(
    groupIds.map(async (id) => ({ id, live: (await schedulesOfPrincipal(svc.table, id)).filter((s) => !isGroupAccess(s.data) && !hasEnded(s.data, now)) })),
  );
  const carriers = holding.filter((g) => g.live.length > 0);
  if (carriers.length === 0) return;
  const names = (
    await getObjectItems(
      svc.table,
      carriers.map((g) => g.id),
    )
  ).map((g) => `'${(g.data as { displayName: string }).displayName}'`);
  throw new ConflictError(
    `${displayName} holds roles through the group${names.length === 1 ? '' : 's'} ${names.join(', ')}; remove them from ${names.length === 1 ? 'it' : 'those groups'} (or remove the group's roles) before deleting.`,
    'Request_PrincipalHoldsRoles',
  );
}
