/**
 * The two APIs over one core: PIM for roles (/roleManagement/directory) and PIM for groups
 * (/identityGovernance/privilegedAccess/group) store the same requests and schedules
 * (shared/domain/group-access.ts). Each use case takes the AccessKind its route serves and asks it
 * whatever differs — which items are its own, how they are shown, what it refuses — so no use case
 * branches on which API it serves. ROLE_ACCESS (role-access.ts), GROUP_ACCESS (group-access.ts) and
 * AWS_ACCESS (aws-access.ts, IAM Identity Center account assignments) are its implementations.
 */
import type { RoleRequest } from '../../../contracts/role-requests.ts';
import type { BadRequestError } from '../../../domain/errors.ts';
import type { Schedule, ScheduleKind } from '../../../domain/schedule.ts';
import type { Services } from '../../context.ts';
import type { Principal } from '../holdings/principal-access.ts';
import type { ViewKind } from '../read-models/role-views.ts';
import type { AccessTarget } from './access-target.ts';
import type { Prepared } from '../requests/request-context.ts';

export type AccessKindName = 'role' | 'group' | 'aws';

/** A Graph object as a list or entity shows it. */
export type AccessView = Record<string, unknown> & { id: string; principalId: string };

export interface AccessKind {
  readonly name: AccessKindName;
  /** Whether a stored schedule or request belongs to this API (the other API's are invisible here). */
  owns(target: { roleDefinitionId: string; directoryScopeId: string }): boolean;
  /** Refuses, before anything is read, a scope this API does not manage. */
  checkScope(scope: string): void;
  /** The 400 for a request whose role or group does not exist. */
  targetNotFound(roleDefinitionId: string, scope: string): BadRequestError;
  /** Refuses a principal this API may not give the target to. */
  checkPrincipal(principal: Principal, target: AccessTarget): void;
  scheduleView(s: Schedule, view: ViewKind, memberType?: 'Direct' | 'Group', principalId?: string): AccessView;
  requestView(r: RoleRequest): AccessView;
  /** Graph's collection name, for messages. */
  collection(kind: ScheduleKind, view: ViewKind | 'requests'): string;
  /**
   * The `$expand` of a query, checked now (a 400 before anything is read) and applied to the views
   * later (roles: principal, roleDefinition; groups offer none).
   */
  expander(expand: string | undefined): Expander;
  /**
   * Checks what only this API knows, once the request is prepared, and may narrow its scope: AWS access
   * resolves the account's OUs and the user's Identity Center identity here. Absent: nothing to add.
   */
  completeRequest?(p: Prepared): Promise<Pick<Prepared, 'scope' | 'scopeParents'>>;
}

export type Expander = (svc: Services, items: AccessView[]) => Promise<AccessView[]>;
