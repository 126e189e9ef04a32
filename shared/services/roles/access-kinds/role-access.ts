/** PIM for roles: role definitions at the tenant, an administrative unit or a resource; never a group scope. */
import { requestView } from '../../../contracts/role-requests.ts';
import { BadRequestError } from '../../../domain/errors.ts';
import { isAwsAccess, isAwsScope } from '../../../domain/aws-access.ts';
import { isGroupAccess, isGroupScope } from '../../../domain/group-access.ts';
import type { Schedule } from '../../../domain/schedule.ts';
import { linkActivatedUsing } from '../read-models/activated-using.ts';
import { expandItems, parseExpand } from '../read-models/expand.ts';
import { COLLECTIONS, instanceView, scheduleView, type ViewKind } from '../read-models/role-views.ts';
import type { AccessKind, AccessView } from './access-kind.ts';

type RoleView = AccessView & { roleDefinitionId: string };

export const ROLE_ACCESS: AccessKind = {
  name: 'role',
  owns: (target) => !isGroupAccess(target) && !isAwsAccess(target),
  checkScope(scope) {
    if (isGroupScope(scope)) {
      throw new BadRequestError(
        `directoryScopeId '${scope}' is a group: manage group membership and ownership through /identityGovernance/privilegedAccess/group.`,
        'InvalidScope',
      );
    }
    if (isAwsScope(scope)) {
      throw new BadRequestError(`directoryScopeId '${scope}' is an AWS account or OU: manage AWS roles through /roleManagement/aws.`, 'InvalidScope');
    }
  },
  targetNotFound: (roleDefinitionId) => new BadRequestError(`roleDefinitionId '${roleDefinitionId}' is not a role definition.`, 'RoleNotFound'),
  checkPrincipal(principal) {
    if (principal.type === 'group' && principal.isAssignableToRole !== true) {
      // As in Entra: only a role-assignable group, whose membership only role administrators control, may hold a role.
      throw new BadRequestError(
        `Group '${principal.displayName}' is not role-assignable (isAssignableToRole is false), so it cannot hold roles.`,
        'InvalidPrincipal',
      );
    }
  },
  scheduleView: (s, view, memberType, principalId) => linkActivatedUsing(present(s, view, memberType, principalId), s.activatedUsing, view),
  requestView: (r) => linkActivatedUsing(requestView(r) as AccessView, r.activatedUsing, 'schedules'),
  collection: (kind, view) => (view === 'requests' ? `role${kind === 'eligibility' ? 'Eligibility' : 'Assignment'}ScheduleRequests` : COLLECTIONS[kind][view]),
  expander(expand) {
    const wanted = parseExpand(expand);
    return (svc, items) => expandItems(svc, items as RoleView[], wanted, present);
  },
};

function present(s: Schedule, view: ViewKind, memberType?: 'Direct' | 'Group', principalId?: string): AccessView {
  return (view === 'schedules' ? scheduleView(s, memberType, principalId) : instanceView(s, memberType, principalId)) as AccessView;
}
