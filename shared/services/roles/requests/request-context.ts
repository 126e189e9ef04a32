/**
 * Everything a schedule request is judged on, gathered once: the target (a role, or membership or
 * ownership of a group), the principal, the scope, the policy, and the clock's "now" that every check
 * of this request uses.
 */
import { createHash } from 'node:crypto';
import type { Policy } from '../../../contracts/policies.ts';
import type { Action, RoleRequest, RoleRequestInput } from '../../../contracts/role-requests.ts';
import { BadRequestError, NotFoundError } from '../../../domain/errors.ts';
import { groupScope, isGroupScope } from '../../../domain/group-access.ts';
import { newId } from '../../../domain/ids.ts';
import { isResourceScope, normalizeScope, scopeKey, TENANT_SCOPE } from '../../../domain/scope.ts';
import type { ScheduleKind } from '../../../domain/schedule.ts';
import type { Actor, Services } from '../../context.ts';
import type { GroupRoleRule } from '../../../domain/policy/carried.ts';
import { accessTargetOf, type AccessTarget } from '../access-kinds/access-target.ts';
import { carriedPolicyOf } from '../policies/group-carried-policy.ts';
import { requirePrincipal, type Principal } from '../holdings/principal-access.ts';
import { effectivePolicy } from '../policies/policies.ts';

export interface Prepared {
  svc: Services;
  actor: Actor;
  kind: ScheduleKind;
  input: RoleRequestInput;
  action: Action;
  scope: string;
  /** The role, or the group access (PIM for groups), that the request is about. */
  role: AccessTarget;
  principal: Principal;
  policy: Policy;
  /** Group access only: the settings of `policy` that roles the group carries made stricter than its own. */
  carried: GroupRoleRule[];
  now: Date;
  requestId: string;
  fingerprint: string;
}

const ELIGIBILITY_ACTIONS: Action[] = ['adminAssign', 'adminUpdate', 'adminRemove', 'adminExtend', 'adminRenew', 'selfExtend', 'selfRenew'];

/** Which API a request came through: PIM for roles, or PIM for groups (whose input names a group). */
export type RequestResource = 'role' | 'group';

export async function prepare(svc: Services, actor: Actor, kind: ScheduleKind, input: RoleRequestInput, resource: RequestResource = 'role'): Promise<Prepared> {
  const action = input.action.canonical;
  if (kind === 'eligibility' && !ELIGIBILITY_ACTIONS.includes(action)) {
    throw new BadRequestError(`'${input.action.sent}' is not an eligibility action; activate and deactivate through roleAssignmentScheduleRequests.`);
  }
  if (input.appScopeId && input.appScopeId !== TENANT_SCOPE) {
    throw new BadRequestError('appScopeId is not supported; use directoryScopeId.', 'InvalidScope');
  }
  const scope = normalizeScope(input.directoryScopeId ?? TENANT_SCOPE);
  if (resource === 'role' && isGroupScope(scope)) {
    throw new BadRequestError(
      `directoryScopeId '${scope}' is a group: manage group membership and ownership through /identityGovernance/privilegedAccess/group.`,
      'InvalidScope',
    );
  }
  const [role, principal] = await Promise.all([
    accessTargetOf(svc, input.roleDefinitionId, scope).catch((error) => {
      if (!(error instanceof NotFoundError)) throw error;
      if (resource === 'group') throw new BadRequestError(`groupId '${scope.slice(groupScope('').length)}' is not a group in the directory.`, 'GroupNotFound');
      throw new BadRequestError(`roleDefinitionId '${input.roleDefinitionId}' is not a role definition.`, 'RoleNotFound');
    }),
    requirePrincipal(svc, input.principalId),
  ]);
  if (resource === 'group' && principal.type === 'servicePrincipal') {
    throw new BadRequestError('Only users and groups can be members or owners of a group through PIM for groups.', 'InvalidPrincipal');
  }
  if (resource === 'group' && principal.id === role.group?.id) throw new BadRequestError('A group cannot be a member or owner of itself.', 'InvalidPrincipal');
  if (role.kind === 'directory' && isResourceScope(scope)) {
    throw new BadRequestError(`${role.displayName} is a directory role: assign it at '/' or an administrative unit, not at a resource.`, 'InvalidScope');
  }
  if (role.kind === 'resource' && scope.toLowerCase().startsWith('/administrativeunits/')) {
    throw new BadRequestError(`${role.displayName} is a resource role: assign it at '/' or a resource path.`, 'InvalidScope');
  }
  if (!role.isEnabled) throw new BadRequestError(`Role '${role.displayName}' is disabled.`, 'RoleDisabled');
  if (resource === 'role' && principal.type === 'group' && principal.isAssignableToRole !== true) {
    // As in Entra: only a role-assignable group, whose membership only role administrators control, may hold a role.
    throw new BadRequestError(
      `Group '${principal.displayName}' is not role-assignable (isAssignableToRole is false), so it cannot hold roles.`,
      'InvalidPrincipal',
    );
  }
  if (kind === 'eligibility' && principal.type === 'servicePrincipal') {
    throw new BadRequestError('Service principals can hold only active assignments, not eligibility (as in Entra).', 'InvalidPrincipal');
  }
  const now = svc.clock.now();
  const own = await effectivePolicy(svc, role.id, scope);
  const carried = await carriedPolicyOf(svc, own, role.id, scope, now);
  const policy = carried ? { ...own, rules: carried.rules } : own;
  if (resource === 'group' && principal.type === 'group' && role.group?.isAssignableToRole) {
    // As in Entra: nesting a group inside a role-assignable group would hand its roles on invisibly.
    throw new BadRequestError(`Group '${role.group.displayName}' can be assigned to roles, so groups cannot be its members or owners.`, 'InvalidPrincipal');
  }
  return {
    svc,
    actor,
    kind,
    input,
    action,
    scope,
    role,
    principal,
    policy,
    carried: carried?.imposed ?? [],
    now,
    requestId: newId('request', svc.clock),
    fingerprint: fingerprintOf(actor, kind, input, scope),
  };
}

/** What makes two requests "the same request", for idempotent retries. */
function fingerprintOf(actor: Actor, kind: ScheduleKind, input: RoleRequestInput, scope: string): string {
  const canonical = JSON.stringify([
    actor.caller.id,
    kind,
    input.action.canonical,
    input.principalId,
    input.roleDefinitionId.toLowerCase(),
    scopeKey(scope),
    input.scheduleInfo ?? null,
    input.justification ?? null,
    input.ticketInfo?.ticketNumber ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}

/** A request object in Graph's shape; each action fills in its outcome. */
export function newRequest(p: Prepared, outcome: Pick<RoleRequest, 'status' | 'targetScheduleId' | 'scheduleInfo'> & Partial<RoleRequest>): RoleRequest {
  const caller = p.actor.caller;
  const createdBy =
    caller.kind === 'user'
      ? { application: null, device: null, user: { id: caller.id, displayName: caller.displayName ?? null } }
      : { application: { id: caller.appId ?? caller.id, displayName: caller.displayName ?? null }, device: null, user: null };
  return {
    id: p.requestId,
    kind: p.kind,
    action: p.input.action.sent,
    canonicalAction: p.action,
    createdDateTime: p.now.toISOString(),
    completedDateTime: null,
    approvalId: null,
    customData: p.input.customData ?? null,
    principalId: p.principal.id,
    roleDefinitionId: p.role.id,
    directoryScopeId: p.scope,
    appScopeId: null,
    isValidationOnly: p.input.isValidationOnly ?? false,
    justification: p.input.justification ?? null,
    createdBy,
    ticketInfo: { ticketNumber: p.input.ticketInfo?.ticketNumber ?? null, ticketSystem: p.input.ticketInfo?.ticketSystem ?? null },
    fingerprint: p.fingerprint,
    ...outcome,
  };
}
