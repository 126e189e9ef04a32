/**
 * Everything a schedule request is judged on, gathered once: the role, the principal, the scope, the
 * policy, the caller's own roles, and the clock's "now" that every check of this request uses.
 */
import { createHash } from 'node:crypto';
import type { StoredRoleDefinition } from '../../contracts/role-definitions.ts';
import type { Policy } from '../../contracts/policies.ts';
import type { Action, RoleRequest, RoleRequestInput } from '../../contracts/role-requests.ts';
import { BadRequestError, NotFoundError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import { isResourceScope, normalizeScope, scopeKey, TENANT_SCOPE } from '../../domain/scope.ts';
import type { ScheduleKind } from '../../domain/schedule.ts';
import type { Actor, Services } from '../context.ts';
import { getRoleDefinition } from '../role-definitions.ts';
import { requirePrincipal, type Principal } from './principal-access.ts';
import { effectivePolicy } from './policies.ts';

export interface Prepared {
  svc: Services;
  actor: Actor;
  kind: ScheduleKind;
  input: RoleRequestInput;
  action: Action;
  scope: string;
  role: StoredRoleDefinition;
  principal: Principal;
  policy: Policy;
  now: Date;
  requestId: string;
  fingerprint: string;
}

const ELIGIBILITY_ACTIONS: Action[] = ['adminAssign', 'adminUpdate', 'adminRemove', 'adminExtend', 'adminRenew', 'selfExtend', 'selfRenew'];

export async function prepare(svc: Services, actor: Actor, kind: ScheduleKind, input: RoleRequestInput): Promise<Prepared> {
  const action = input.action.canonical;
  if (kind === 'eligibility' && !ELIGIBILITY_ACTIONS.includes(action)) {
    throw new BadRequestError(`'${input.action.sent}' is not an eligibility action; activate and deactivate through roleAssignmentScheduleRequests.`);
  }
  if (input.appScopeId && input.appScopeId !== TENANT_SCOPE) {
    throw new BadRequestError('appScopeId is not supported; use directoryScopeId.', 'InvalidScope');
  }
  const scope = normalizeScope(input.directoryScopeId ?? TENANT_SCOPE);
  const [role, principal] = await Promise.all([
    getRoleDefinition(svc, input.roleDefinitionId).catch((error) => {
      if (error instanceof NotFoundError) throw new BadRequestError(`roleDefinitionId '${input.roleDefinitionId}' is not a role definition.`, 'RoleNotFound');
      throw error;
    }),
    requirePrincipal(svc, input.principalId),
  ]);
  if (role.kind === 'directory' && isResourceScope(scope)) {
    throw new BadRequestError(`${role.displayName} is a directory role: assign it at '/' or an administrative unit, not at a resource.`, 'InvalidScope');
  }
  if (role.kind === 'resource' && scope.toLowerCase().startsWith('/administrativeunits/')) {
    throw new BadRequestError(`${role.displayName} is a resource role: assign it at '/' or a resource path.`, 'InvalidScope');
  }
  if (!role.isEnabled) throw new BadRequestError(`Role '${role.displayName}' is disabled.`, 'RoleDisabled');
  if (principal.type === 'group' && principal.isAssignableToRole !== true) {
    // As in Entra: only a role-assignable group, whose membership only role administrators control, may hold a role.
    throw new BadRequestError(`Group '${principal.displayName}' is not role-assignable (isAssignableToRole is false), so it cannot hold roles.`, 'InvalidPrincipal');
  }
  if (kind === 'eligibility' && principal.type === 'servicePrincipal') {
    throw new BadRequestError('Service principals can hold only active assignments, not eligibility (as in Entra).', 'InvalidPrincipal');
  }
  const policy = await effectivePolicy(svc, role.id, scope);
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
    now: svc.clock.now(),
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
