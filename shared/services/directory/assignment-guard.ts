import { ConflictError } from '../../domain/errors.ts';
import { hasEnded, type Schedule } from '../../domain/schedule.ts';
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
