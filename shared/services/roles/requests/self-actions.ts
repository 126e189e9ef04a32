/**
 * A principal's own actions: activate an eligibility just in time, deactivate early, and ask to extend
 * or renew. Only ever on the caller's own assignments; always under the policy's end-user rules.
 */
import type { ApprovalRule, EnablementRule, ExpirationRule } from '../../../contracts/policy-rules.ts';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../../domain/errors.ts';
import { extendsBeyond, extensionWindowRefusal, extensionWindowToCheck, type SelfExtension } from '../../../domain/extension-window.ts';
import { checkEnablement, checkExpiration, findRule, maxAuthAgeMs, type RuleFailure } from '../../../domain/policy/evaluate.ts';
import { hasEnded, isInForce, resolveWindow, scheduleInfoOf, type Schedule, type Window } from '../../../domain/schedule.ts';
import { scopeContains, scopeKey } from '../../../domain/scope.ts';
import { startedStatus } from '../../../domain/aws-access.ts';
import { claimSlot, deleteSchedule, putNewSchedule, recordActivation, releaseSlot, replaceSchedule, updateSlot } from '../../../store/role-schedules.ts';
import { putApproverEntries } from '../../../store/role-requests.ts';
import type { ConditionalWrite } from '../../../store/transact.ts';
import { snapshotApproval } from '../approvals/snapshot.ts';
import type { Outcome } from './outcome.ts';
import { withCarriedReasons } from '../policies/group-carried-policy.ts';
import { policyFailure } from '../policies/policy-errors.ts';
import { heldUntil, holdingsOf, liveHoldings, type Holding } from '../holdings/principal-access.ts';
import { newRequest, type Prepared } from './request-context.ts';

/** Entra's rule: an activation cannot be ended within five minutes of starting. */
export const MINIMUM_ACTIVE_MS = 5 * 60_000;

export function authorizeSelf(p: Prepared): void {
  if (p.principal.id !== p.actor.caller.id) {
    throw new ForbiddenError(`'${p.input.action.sent}' acts only on your own assignments: principalId must be your own id (${p.actor.caller.id}).`);
  }
  if (p.principal.type !== 'user') throw new ForbiddenError('Only users activate and deactivate roles; service principals hold active assignments only.');
}

function activationRules(p: Prepared) {
  return {
    expiration: findRule<ExpirationRule>(p.policy.rules, 'Expiration_EndUser_Assignment'),
    enablement: findRule<EnablementRule>(p.policy.rules, 'Enablement_EndUser_Assignment'),
    approval: findRule<ApprovalRule>(p.policy.rules, 'Approval_EndUser_Assignment'),
  };
}

/** The eligibility that lets the caller activate here: direct first, then through a group; the longest-lasting wins. */
function coveringEligibility(p: Prepared, eligibilities: Holding[]): Holding | undefined {
  const above = new Set((p.scopeParents ?? []).map(scopeKey));
  const covering = eligibilities.filter(
    (h) =>
      h.schedule.roleDefinitionId === p.role.id && (scopeContains(h.schedule.directoryScopeId, p.scope) || above.has(scopeKey(h.schedule.directoryScopeId))),
  );
  const end = (h: Holding) => Date.parse(heldUntil(h) ?? '') || Number.MAX_SAFE_INTEGER;
  return covering.sort((a, b) => Number(!!a.viaGroupId) - Number(!!b.viaGroupId) || end(b) - end(a))[0];
}

export async function selfActivate(p: Prepared): Promise<Outcome> {
  authorizeSelf(p);
  const rules = activationRules(p);
  const eligibility = coveringEligibility(p, await liveHoldings(p.svc, p.principal.id, 'eligibility', p.now));
  const maxMs = rules.expiration.maximumDuration;
  const expiration = p.input.scheduleInfo?.expiration;
  const window = resolveWindow(
    (expiration?.type && expiration.type !== 'notSpecified') || expiration?.duration || expiration?.endDateTime
      ? p.input.scheduleInfo
      : { ...p.input.scheduleInfo, expiration: { type: 'afterDuration', duration: maxMs } },
    p.now,
    'afterDuration',
  );
  const failures: RuleFailure[] = [];
  if (!eligibility) {
    failures.push({
      code: 'EligibilityRule',
      target: 'roleDefinitionId',
      message: `You are not eligible for '${p.role.displayName}' at '${p.scope}' right now.`,
    });
  }
  // Held through a PIM for groups membership, the eligibility lasts only as long as the membership does.
  const eligibleUntil = eligibility ? heldUntil(eligibility) : null;
  if (eligibleUntil && window.start.getTime() >= Date.parse(eligibleUntil)) {
    failures.push({
      code: 'EligibilityRule',
      target: 'scheduleInfo.startDateTime',
      message: `Your eligibility for '${p.role.displayName}' ends at ${eligibleUntil}, before the requested start.`,
    });
  }
  failures.push(...checkExpiration(rules.expiration, window, 'role activation'));
  failures.push(
    ...checkEnablement(rules.enablement, {
      justification: p.input.justification,
      ticketNumber: p.input.ticketInfo?.ticketNumber,
      caller: p.actor.caller,
      now: p.now,
    }),
  );
  if (failures.length > 0) throw policyFailure(withCarriedReasons(p, failures), maxAuthAgeMs(rules.enablement) / 1000);
  // An activation never outlives the eligibility it came from; the answer says so (afterDateTime at the eligibility's end).
  if (eligibleUntil && (window.end === null || window.end.getTime() > Date.parse(eligibleUntil))) {
    window.end = new Date(eligibleUntil);
    window.expirationType = 'afterDateTime';
    window.duration = null;
  }

  if (rules.approval.setting.isApprovalRequired) {
    const { approval, approverIds } = await snapshotApproval(p.svc, p.principal.id, rules.approval, p.requestId, p.now);
    const request = newRequest(p, {
      status: 'PendingApproval',
      approvalId: p.requestId,
      targetScheduleId: null,
      scheduleInfo: scheduleInfoOf({
        startDateTime: window.start.toISOString(),
        endDateTime: window.end?.toISOString() ?? null,
        expirationType: window.expirationType,
        duration: window.duration,
      }),
      activatedUsing: eligibility!.schedule.id,
      approval,
    });
    return {
      request,
      writes: putApproverEntries(request.id, approverIds),
      audit: { activity: 'Add member to role approval requested (PIM activation)', operationType: 'Assign' },
    };
  }
  const provision = provisionActivation({
    id: p.requestId,
    principalId: p.principal.id,
    principalType: p.principal.type,
    roleDefinitionId: p.role.id,
    roleName: p.role.displayName,
    scope: p.scope,
    window,
    eligibility: eligibility!,
    now: p.now,
  });
  const request = newRequest(p, {
    status: provision.schedule.status === 'Provisioned' ? startedStatus(provision.schedule) : 'Granted',
    targetScheduleId: provision.schedule.id,
    scheduleInfo: scheduleInfoOf(provision.schedule),
    completedDateTime: provision.completedDateTime,
    activatedUsing: eligibility!.schedule.id,
  });
  return {
    request,
    schedule: provision.schedule,
    writes: provision.writes,
    audit: {
      activity: provision.started ? 'Add member to role completed (PIM activation)' : 'Add member to role requested (PIM activation)',
      operationType: 'Assign',
    },
  };
}

export interface ActivationSpec {
  /** The request id; also the new schedule's id. */
  id: string;
  principalId: string;
  principalType: Schedule['principalType'];
  roleDefinitionId: string;
  roleName: string;
  scope: string;
  window: Window;
  eligibility: Pick<Holding, 'schedule' | 'version'>;
  now: Date;
}

/**
 * The activation schedule and its writes: the schedule, the one-at-a-time 'C' slot, and the count on
 * the eligibility it comes from. Used by selfActivate, and by an approval's last Approve.
 */
export function provisionActivation(a: ActivationSpec): { schedule: Schedule; writes: ConditionalWrite[]; started: boolean; completedDateTime: string } {
  const started = a.window.start.getTime() <= a.now.getTime();
  const schedule: Schedule = {
    id: a.id,
    kind: 'assignment',
    principalId: a.principalId,
    principalType: a.principalType,
    roleDefinitionId: a.roleDefinitionId,
    directoryScopeId: a.scope,
    appScopeId: null,
    memberType: 'Direct',
    assignmentType: 'Activated',
    status: started ? 'Provisioned' : 'Granted',
    createdUsing: a.id,
    createdDateTime: a.now.toISOString(),
    modifiedDateTime: null,
    startDateTime: a.window.start.toISOString(),
    endDateTime: a.window.end?.toISOString() ?? null,
    expirationType: a.window.expirationType,
    duration: a.window.duration,
    activatedUsing: a.eligibility.schedule.id,
  };
  const taken = () =>
    new ConflictError(`'${a.roleName}' is already active for you at '${a.scope}'. Extend it, or deactivate it first.`, 'RoleAssignmentExists');
  return {
    schedule,
    started,
    completedDateTime: started ? a.now.toISOString() : a.window.start.toISOString(),
    writes: [...putNewSchedule(schedule), claimSlot(schedule, 'C', a.now, taken), recordActivation(a.eligibility.schedule, a.eligibility.version, a.now)],
  };
}

export async function findActivation(p: Prepared): Promise<Holding | undefined> {
  const own = (await holdingsOf(p.svc, p.principal.id, 'assignment')).filter((h) => !h.viaGroupId);
  return own.find(
    (h) =>
      h.schedule.assignmentType === 'Activated' &&
      h.schedule.roleDefinitionId === p.role.id &&
      scopeKey(h.schedule.directoryScopeId) === scopeKey(p.scope) &&
      !hasEnded(h.schedule, p.now),
  );
}

export async function selfDeactivate(p: Prepared): Promise<Outcome> {
  authorizeSelf(p);
  const active = await findActivation(p);
  if (!active) throw new NotFoundError(`You have no active activation of '${p.role.displayName}' at '${p.scope}'.`, 'RoleAssignmentDoesNotExist');
  const s = active.schedule;
  if (isInForce(s, p.now) && p.now.getTime() - Date.parse(s.startDateTime) < MINIMUM_ACTIVE_MS) {
    throw new BadRequestError('The Active duration is too short. An activation can be deactivated five minutes after it started.', 'ActiveDurationTooShort');
  }
  const request = newRequest(p, { status: 'Revoked', targetScheduleId: s.id, scheduleInfo: null, completedDateTime: p.now.toISOString() });
  return {
    request,
    writes: [...deleteSchedule(s, active.version), releaseSlot(s, 'C')],
    audit: { activity: 'Remove member from role completed (PIM deactivate)', operationType: 'Unassign' },
  };
}

/**
 * selfExtend (from 14 days before the end) and selfRenew (up to 30 days after it) wait for an
 * administrator's approval, as in Entra: the approvers are the Privileged Role Administrators and
 * Global Administrators (see approvals.ts), and the approval applies the new window.
 */
export async function selfExtendOrRenew(p: Prepared): Promise<Outcome> {
  authorizeSelf(p);
  if (p.action === 'selfExtend' && p.kind === 'assignment') {
    const activation = await findActivation(p);
    if (activation && isInForce(activation.schedule, p.now)) return extendActivation(p, activation);
  }
  const timeBound = (await holdingsOf(p.svc, p.principal.id, p.kind)).filter(
    (h) =>
      !h.viaGroupId &&
      h.schedule.roleDefinitionId === p.role.id &&
      scopeKey(h.schedule.directoryScopeId) === scopeKey(p.scope) &&
      h.schedule.assignmentType !== 'Activated' &&
      h.schedule.endDateTime !== null,
  );
  // The current assignment if there is one, else the one that expired last (older expired ones may remain).
  const endOf = (h: Holding) => Date.parse(h.schedule.endDateTime!);
  const target = timeBound.find((h) => !hasEnded(h.schedule, p.now)) ?? timeBound.sort((a, b) => endOf(b) - endOf(a))[0];
  if (!target)
    throw new NotFoundError(
      `You have no time-bound assignment of '${p.role.displayName}' at '${p.scope}' to ${p.input.action.sent}.`,
      'RoleAssignmentDoesNotExist',
    );
  const refusal = extensionWindowRefusal(p.action as SelfExtension, new Date(target.schedule.endDateTime!), p.now);
  if (refusal) throw new BadRequestError(refusal.message, refusal.code);
  const window = resolveWindow(p.input.scheduleInfo, p.now, 'afterDateTime');
  checkSelfExtensionRules(p, target.schedule, window);
  // Entra sends these to the administrators (Privileged Role Administrators, Global Administrators).
  const { approval, approverIds } = await snapshotApproval(p.svc, p.principal.id, null, p.requestId, p.now);
  const request = newRequest(p, {
    status: 'PendingApproval',
    approvalId: p.requestId,
    targetScheduleId: target.schedule.id,
    scheduleInfo: scheduleInfoOf({
      startDateTime: window.start.toISOString(),
      endDateTime: window.end?.toISOString() ?? null,
      expirationType: window.expirationType,
      duration: window.duration,
    }),
    approval,
  });
  const eligible = p.kind === 'eligibility' ? 'eligible ' : '';
  return {
    request,
    writes: putApproverEntries(request.id, approverIds),
    audit: { activity: `Update ${eligible}member in PIM requested (${p.action === 'selfExtend' ? 'extend' : 'renew'})`, operationType: 'Update' },
  };
}

/**
 * The limits a self extension or renewal is held to when asked (so an approver never approves what
 * cannot be applied): the policy's admin expiration rule of its level (Expiration_Admin_Eligibility or
 * Expiration_Admin_Assignment), applied as to adminExtend and adminRenew (an extension is the whole
 * window from the assignment's start to the new end; a renewal is the new window); it must end; and an
 * extension must end later than the assignment does now.
 */
function checkSelfExtensionRules(p: Prepared, target: Schedule, window: Window): void {
  const level = p.kind === 'eligibility' ? 'Eligibility' : 'Assignment';
  const what = p.kind === 'eligibility' ? 'eligible assignment' : 'active assignment';
  const failures: RuleFailure[] = [];
  if (window.end === null) {
    failures.push({
      code: 'ExpirationRule',
      target: 'scheduleInfo.expiration',
      message: `A ${p.input.action.sent} request must end: give an endDateTime or a duration; only an administrator can make an assignment permanent.`,
    });
  } else {
    const checked = extensionWindowToCheck(p.action as SelfExtension, new Date(target.startDateTime), window);
    failures.push(...checkExpiration(findRule<ExpirationRule>(p.policy.rules, `Expiration_Admin_${level}`), checked, what));
  }
  if (failures.length > 0) throw policyFailure(failures, 0);
  if (p.action === 'selfExtend' && !extendsBeyond(target.endDateTime, window.end)) {
    throw new ConflictError(`An extension must end after the current end (${target.endDateTime}).`, 'InvalidExtension');
  }
}

/**
 * Extending an activation that is in force (beyond Entra, which only lets you activate again; users of
 * every peer ask for it): the new end stays within the policy's maximum activation length from the
 * activation's start and within the eligibility. It applies at once, or waits for the policy's approvers
 * when the approval rule says `isApprovalRequiredForExtension`. The run timing the activation simply
 * waits for the new end.
 */
async function extendActivation(p: Prepared, current: Holding): Promise<Outcome> {
  const rules = activationRules(p);
  const before = current.schedule;
  const window = resolveWindow(p.input.scheduleInfo, p.now, 'afterDateTime');
  const failures: RuleFailure[] = [];
  const whole: Window = { ...window, start: new Date(before.startDateTime) };
  if (window.end === null)
    failures.push({
      code: 'ExpirationRule',
      target: 'scheduleInfo.expiration',
      message: 'An extended activation must still end: give an endDateTime or a duration.',
    });
  else failures.push(...checkExpiration(rules.expiration, whole, 'activation'));
  const eligibility = before.activatedUsing
    ? (await holdingsOf(p.svc, p.principal.id, 'eligibility')).find((h) => h.schedule.id === before.activatedUsing)
    : undefined;
  const eligibleUntil = eligibility ? heldUntil(eligibility) : null;
  if (!eligibility) failures.push({ code: 'EligibilityRule', target: 'roleDefinitionId', message: 'The eligibility this activation came from is gone.' });
  else if (eligibleUntil && window.end && window.end.getTime() > Date.parse(eligibleUntil)) {
    failures.push({
      code: 'EligibilityRule',
      target: 'scheduleInfo.expiration',
      message: `Your eligibility ends at ${eligibleUntil}; an activation cannot outlast it.`,
    });
  }
  if (failures.length > 0) throw policyFailure(withCarriedReasons(p, failures), 0);
  const end = window.end!;
  if (!extendsBeyond(before.endDateTime, end)) {
    throw new ConflictError(`An extension must end after the current end (${before.endDateTime}).`, 'InvalidExtension');
  }
  const info = scheduleInfoOf({ startDateTime: before.startDateTime, endDateTime: end.toISOString(), expirationType: 'afterDateTime', duration: null });
  if (rules.approval.setting.isApprovalRequired && rules.approval.setting.isApprovalRequiredForExtension) {
    const { approval, approverIds } = await snapshotApproval(p.svc, p.principal.id, rules.approval, p.requestId, p.now);
    const request = newRequest(p, { status: 'PendingApproval', approvalId: p.requestId, targetScheduleId: before.id, scheduleInfo: info, approval });
    return {
      request,
      writes: putApproverEntries(request.id, approverIds),
      audit: { activity: 'Update member in PIM requested (extend activation)', operationType: 'Update' },
    };
  }
  const after: Schedule = { ...before, endDateTime: end.toISOString(), expirationType: 'afterDateTime', duration: null, modifiedDateTime: p.now.toISOString() };
  const request = newRequest(p, { status: 'Provisioned', targetScheduleId: before.id, scheduleInfo: info, completedDateTime: p.now.toISOString() });
  return {
    request,
    schedule: after,
    writes: [replaceSchedule(after, current.version), updateSlot(after, 'C')],
    audit: { activity: 'Update member in PIM completed (extend activation)', operationType: 'Update' },
  };
}
