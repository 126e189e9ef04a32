/**
 * Graph's read-only projections of schedules: `*Schedules` (what is planned) and `*ScheduleInstances`
 * (what is in force now, by the clock), plus the plain `roleAssignments` view.
 */
import type { Schedule, ScheduleKind } from '../../../domain/schedule.ts';
import type { Holding } from '../holdings/principal-access.ts';

export function scheduleView(s: Schedule, memberType: 'Direct' | 'Group' = 'Direct', principalId = s.principalId) {
  const base = {
    '@odata.type': s.kind === 'eligibility' ? '#microsoft.graph.unifiedRoleEligibilitySchedule' : '#microsoft.graph.unifiedRoleAssignmentSchedule',
    id: s.id,
    principalId,
    roleDefinitionId: s.roleDefinitionId,
    directoryScopeId: s.directoryScopeId,
    appScopeId: s.appScopeId,
    createdUsing: s.createdUsing,
    createdDateTime: s.createdDateTime,
    modifiedDateTime: s.modifiedDateTime,
    status: s.status,
    memberType,
    scheduleInfo: {
      startDateTime: s.startDateTime,
      recurrence: null,
      expiration: {
        type: s.expirationType,
        endDateTime: s.endDateTime,
        duration: s.expirationType === 'afterDuration' ? s.duration : null,
      },
    },
  };
  return s.kind === 'assignment' ? { ...base, assignmentType: s.assignmentType } : base;
}

export function instanceView(s: Schedule, memberType: 'Direct' | 'Group' = 'Direct', principalId = s.principalId) {
  const base = {
    '@odata.type':
      s.kind === 'eligibility' ? '#microsoft.graph.unifiedRoleEligibilityScheduleInstance' : '#microsoft.graph.unifiedRoleAssignmentScheduleInstance',
    id: s.id,
    principalId,
    roleDefinitionId: s.roleDefinitionId,
    directoryScopeId: s.directoryScopeId,
    appScopeId: s.appScopeId,
    startDateTime: s.startDateTime,
    endDateTime: s.endDateTime,
    memberType,
  };
  return s.kind === 'eligibility'
    ? { ...base, roleEligibilityScheduleId: s.id }
    : { ...base, assignmentType: s.assignmentType, roleAssignmentOriginId: s.id, roleAssignmentScheduleId: s.id };
}

export function roleAssignmentView(s: Schedule) {
  return {
    '@odata.type': '#microsoft.graph.unifiedRoleAssignment',
    id: s.id,
    principalId: s.principalId,
    roleDefinitionId: s.roleDefinitionId,
    directoryScopeId: s.directoryScopeId,
    appScopeId: s.appScopeId,
  };
}

export type ViewKind = 'schedules' | 'instances';

/** A holding as seen by the member it reaches: through a group, it is theirs with memberType Group. */
export function holdingView<V>(
  h: Holding,
  view: ViewKind,
  forPrincipal: string,
  present: (s: Schedule, view: ViewKind, memberType: 'Direct' | 'Group', principalId: string) => V,
): V {
  const memberType = h.viaGroupId ? 'Group' : 'Direct';
  const principalId = h.viaGroupId ? forPrincipal : h.schedule.principalId;
  // Through a PIM for groups membership, the instance lasts only while the membership does.
  const end = h.viaMembership?.endDateTime;
  const bounded =
    end && (h.schedule.endDateTime === null || Date.parse(end) < Date.parse(h.schedule.endDateTime)) && view === 'instances'
      ? { ...h.schedule, endDateTime: end }
      : h.schedule;
  return present(bounded, view, memberType, principalId);
}

export const COLLECTIONS: Record<ScheduleKind, Record<ViewKind, string>> = {
  eligibility: { schedules: 'roleEligibilitySchedules', instances: 'roleEligibilityScheduleInstances' },
  assignment: { schedules: 'roleAssignmentSchedules', instances: 'roleAssignmentScheduleInstances' },
};
