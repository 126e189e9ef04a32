/**
 * Submitting a role eligibility or assignment schedule request: prepare, authorize, let the action
 * decide, then commit its writes, the request and the audit record in one transaction. A retry of an
 * identical request whose first attempt succeeded gets that first request back instead of an error.
 */
import type { RoleRequest, RoleRequestInput } from '../../../contracts/role-requests.ts';
import { BUILTIN_ROLE_IDS } from '../../../domain/builtin-roles.ts';
import { ConflictError } from '../../../domain/errors.ts';
import { groupAccessOf } from '../../../domain/group-access.ts';
import type { ScheduleKind } from '../../../domain/schedule.ts';
import { getRequest, putNewRequest } from '../../../store/role-requests.ts';
import { commitChange } from '../../../store/transact.ts';
import { auditOf } from '../../audit-writer.ts';
import type { AccessKind } from '../access-kinds/access-kind.ts';
import type { Actor, Services } from '../../context.ts';
import { endActivationsAfterLeaving } from '../holdings/activations-without-basis.ts';
import { adminAssign, adminRemove, adminReschedule, assignmentExists, authorizeAdmin, findAssigned } from './admin-actions.ts';
import { auditCategoryOf, auditTargets, type Outcome } from './outcome.ts';
import { prepare, type Prepared } from './request-context.ts';
import { findActivation, selfActivate, selfDeactivate, selfExtendOrRenew } from './self-actions.ts';

export interface Submitted {
  request: RoleRequest;
  /** True when an identical earlier request was returned instead of a new one. */
  replayed: boolean;
}

async function decide(p: Prepared, bootstrap: boolean): Promise<Outcome> {
  switch (p.action) {
    case 'adminAssign':
      if (!bootstrap) await authorizeAdmin(p);
      return adminAssign(p);
    case 'adminRemove':
      // The platform removes access on an access review's behalf, whose manager was authorized when it was set up.
      if (!p.actor.system) await authorizeAdmin(p);
      return adminRemove(p);
    case 'adminUpdate':
    case 'adminExtend':
    case 'adminRenew':
      await authorizeAdmin(p);
      return adminReschedule(p);
    case 'selfActivate':
      return selfActivate(p);
    case 'selfDeactivate':
      return selfDeactivate(p);
    case 'selfExtend':
    case 'selfRenew':
      return selfExtendOrRenew(p);
  }
}

/** How often a request is decided afresh when what it read was changed before it could commit. */
const ATTEMPTS = 3;

export interface SubmitOptions {
  bootstrap?: boolean;
  /** The API the request came through: PIM for roles (the default) or PIM for groups (GROUP_ACCESS). */
  access?: AccessKind;
}

export async function submitRoleRequest(
  svc: Services,
  actor: Actor,
  kind: ScheduleKind,
  input: RoleRequestInput,
  options: SubmitOptions = {},
): Promise<Submitted> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await submitOnce(svc, actor, kind, input, options);
    } catch (error) {
      // Another request changed what this one was decided on (an eligibility, a schedule): decide again
      // on what is there now, which gives the right answer (success, or the real conflict).
      const stale = error instanceof ConflictError && error.code === 'Request_ConcurrentModification';
      if (!stale || attempt >= ATTEMPTS) throw error;
    }
  }
}

async function submitOnce(svc: Services, actor: Actor, kind: ScheduleKind, input: RoleRequestInput, options: SubmitOptions): Promise<Submitted> {
  const p = await prepare(svc, actor, kind, input, options.access);
  const outcome = await decide(p, options.bootstrap === true);
  if (p.input.isValidationOnly) return { request: await validationAnswer(p, outcome), replayed: false };
  const audit = auditOf(svc, actor, { category: auditCategoryOf(p.role), targets: auditTargets(p), ...outcome.audit }, p.now);
  try {
    await commitChange(svc.table, [putNewRequest(outcome.request), ...outcome.writes], audit);
  } catch (error) {
    const replay = error instanceof ConflictError && error.code === 'RoleAssignmentExists' ? await identicalEarlierRequest(p) : undefined;
    if (replay) return { request: replay, replayed: true };
    throw error;
  }
  // A PIM for groups membership that ended takes along the activations made through it (reads refuse them already).
  if (outcome.request.status === 'Revoked' && groupAccessOf({ roleDefinitionId: p.role.id, directoryScopeId: p.scope })?.accessId === 'member') {
    await endActivationsAfterLeaving(svc, actor, p.principal.id);
  }
  return { request: outcome.request, replayed: false };
}

/** The request that created the assignment now in the way, if it asked for exactly the same thing. */
async function identicalEarlierRequest(p: Prepared): Promise<RoleRequest | undefined> {
  const existing = p.action === 'selfActivate' ? await findActivation(p) : await findAssigned(p);
  if (!existing) return undefined;
  const earlier = await getRequest(p.svc.table, existing.schedule.createdUsing);
  return earlier?.data.fingerprint === p.fingerprint ? earlier.data : undefined;
}

/**
 * Makes a user a permanent active Global Administrator without asking who may: only for a tenant's
 * very first administrator (the local seed, the deployment's custom resource), never from the API.
 */
export async function bootstrapGlobalAdministrator(svc: Services, actor: Actor, userId: string): Promise<Submitted> {
  return submitRoleRequest(
    svc,
    actor,
    'assignment',
    {
      action: { sent: 'adminAssign', canonical: 'adminAssign' },
      principalId: userId,
      roleDefinitionId: BUILTIN_ROLE_IDS.globalAdministrator,
      directoryScopeId: '/',
      justification: 'First Global Administrator of the tenant',
      scheduleInfo: { expiration: { type: 'noExpiration' } },
    },
    { bootstrap: true },
  );
}

/**
 * `isValidationOnly`: every check a real submission makes, and nothing written. The answer says what
 * would happen (Granted, or PendingApproval) and a clash with an existing assignment is reported now.
 */
async function validationAnswer(p: Prepared, outcome: Outcome): Promise<RoleRequest> {
  const clash = p.action === 'adminAssign' ? await findAssigned(p) : p.action === 'selfActivate' && outcome.schedule ? await findActivation(p) : undefined;
  if (clash && clash.schedule.id !== outcome.schedule?.id) {
    throw p.action === 'adminAssign'
      ? assignmentExists(p)
      : new ConflictError(`'${p.role.displayName}' is already active for you at '${p.scope}'.`, 'RoleAssignmentExists');
  }
  return { ...outcome.request, status: outcome.request.status === 'PendingApproval' ? 'PendingApproval' : 'Granted' };
}
