/**
 * Graph's projections of PIM for groups: the same stored requests and schedules as PIM for roles
 * (shared/domain/group-access.ts), shown with `groupId` and `accessId` in place of the role and scope.
 */
import { requestView, type RoleRequest } from '../../../contracts/role-requests.ts';
import { groupAccessOf } from '../../../domain/group-access.ts';
import type { Schedule, ScheduleKind } from '../../../domain/schedule.ts';
import type { ViewKind } from './role-views.ts';

const TYPES: Record<ScheduleKind, Record<ViewKind, string>> = {
  eligibility: { schedules: 'privilegedAccessGroupEligibilitySchedule', instances: 'privilegedAccessGroupEligibilityScheduleInstance' },
  assignment: { schedules: 'privilegedAccessGroupAssignmentSchedule', instances: 'privilegedAccessGroupAssignmentScheduleInstance' },
};

export const GROUP_COLLECTIONS: Record<ScheduleKind, Record<ViewKind, string>> = {
  eligibility: { schedules: 'eligibilitySchedules', instances: 'eligibilityScheduleInstances' },
  assignment: { schedules: 'assignmentSchedules', instances: 'assignmentScheduleInstances' },
};

export const GROUP_REQUEST_COLLECTIONS: Record<ScheduleKind, string> = { eligibility: 'eligibilityScheduleRequests', assignment: 'assignmentScheduleRequests' };

/** Graph's entity type name of a group schedule or instance. */
export function groupViewType(kind: ScheduleKind, view: ViewKind): string {
  return TYPES[kind][view];
}

type GroupView = Record<string, unknown> & { id: string; principalId: string };

export function groupScheduleView(s: Schedule, view: ViewKind, memberType: 'Direct' | 'Group' = 'Direct', principalId = s.principalId): GroupView {
  const { groupId, accessId } = groupAccessOf(s)!;
  const common = {
    '@odata.type': `#microsoft.graph.${TYPES[s.kind][view]}`,
    id: s.id,
    principalId,
    accessId,
    groupId,
    memberType: memberType.toLowerCase(),
    startDateTime: s.startDateTime,
    endDateTime: s.endDateTime,
  };
  if (view === 'instances') {
    const own =
      s.kind === 'eligibility' ? { eligibilityScheduleId: s.id } : { assignmentScheduleId: s.id, assignmentType: s.assignmentType?.toLowerCase() ?? null };
    return { ...common, ...own };
  }
  const { startDateTime: _start, endDateTime: _end, ...schedule } = common;
  return {
    ...schedule,
    createdDateTime: s.createdDateTime,
    modifiedDateTime: s.modifiedDateTime,
    createdUsing: s.createdUsing,
    status: s.status,
    scheduleInfo: {
      startDateTime: s.startDateTime,
      recurrence: null,
      expiration: { type: s.expirationType, endDateTime: s.endDateTime, duration: s.expirationType === 'afterDuration' ? s.duration : null },
    },
    ...(s.kind === 'assignment' ? { assignmentType: s.assignmentType?.toLowerCase() ?? null } : {}),
  };
}

/** A group schedule request as Graph shows it (`groupId`, `accessId`; no role or scope). */
export function groupRequestView(r: RoleRequest): GroupView {
  const { roleDefinitionId: _role, directoryScopeId: _scope, appScopeId: _app, ...graph } = requestView(r);
  const { groupId, accessId } = groupAccessOf(r)!;
  return { ...graph, accessId, groupId, id: r.id, principalId: r.principalId };
}
