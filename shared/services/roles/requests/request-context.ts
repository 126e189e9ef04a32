/**
 * Everything a schedule request is judged on, gathered once: the target (a role, or membership or
 * ownership of a group), the principal, the scope, the policy, and the clock's "now" that every check
 * of this request uses.
 */
import { createHash } from 'node:crypto';
import type { Policy } from '../../../contracts/policies.ts';
import type { Action, RoleRequest, RoleRequestInput } from '../../../contracts/role-requests.ts';
import { BadRequestError, NotFoundError } from '../../../domain/errors.ts';
import { newId } from '../../../domain/ids.ts';
import { isResourceScope, normalizeScope, scopeKey, TENANT_SCOPE } from '../../../domain/scope.ts';
import type { ScheduleKind } from '../../../domain/schedule.ts';
import type { Actor, Services } from '../../context.ts';
import type { GroupRoleRule } from '../../../domain/policy/carried.ts';
import type { AccessKind } from '../access-kinds/access-kind.ts';
import { accessTargetOf, type AccessTarget } from '../access-kinds/access-target.ts';
import { ROLE_ACCESS } from '../access-kinds/role-access.ts';
import { carriedPolicyOf } from '../policies/group-carried-policy.ts';
import { requirePrincipal, type Principal } from '../holdings/principal-access.ts';
import { effectivePolicy } from '../policies/effective-policy.ts';

export interface Prepared {
  svc: Services;
  actor: Actor;
  kind: ScheduleKind;
  input: RoleRequestInput;
  action: Action;
  scope: string;
  /** AWS access: the OUs and root above the account (`/ous/…`), nearest first; an eligibility there covers it. */
  scopeParents?: string[];
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

/** Reads and checks what a request is about, through the API it came by (`access`: roles, or groups). */
export async function prepare(svc: Services, actor: Actor, kind: ScheduleKind, input: RoleRequestInput, access: AccessKind = ROLE_ACCESS): Promise<Prepared> {
  const action = input.action.canonical;
  if (kind === 'eligibility' && !ELIGIBILITY_ACTIONS.includes(action)) {
    throw new BadRequestError(`'${input.action.sent}' is not an eligibility action; activate and deactivate through roleAssignmentScheduleRequests.`);
  }
  if (input.appScopeId && input.appScopeId !== TENANT_SCOPE) {
    throw new BadRequestError('appScopeId is not supported; use directoryScopeId.', 'InvalidScope');
  }
  const scope = normalizeScope(input.directoryScopeId ?? TENANT_SCOPE);
  access.checkScope(scope);
  const [role, principal] = await Promise.all([
    accessTargetOf(svc, input.roleDefinitionId, scope).catch((error) => {
      if (!(error instanceof NotFoundError)) throw error;
      throw access.targetNotFound(input.roleDefinitionId, scope);
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
  access.checkPrincipal(principal, role);
  if (kind === 'eligibility' && principal.type === 'servicePrincipal') {
    throw new BadRequestError('Service principals can hold only active assignments, not eligibility (as in Entra).', 'InvalidPrincipal');
  }
  const now = svc.clock.now();
  const own = await effectivePolicy(svc, role.id, scope);
  const carried = await carriedPolicyOf(svc, own, role.id, scope, now);
  const policy = carried ? { ...own, rules: carried.rules } : own;
  const prepared: Prepared = {
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
  return access.completeRequest ? { ...prepared, ...(await access.completeRequest(prepared)) } : prepared;
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
