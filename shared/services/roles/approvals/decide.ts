/**
 * Deciding approvals of schedule requests, synchronous slice: the approval was snapshotted onto the
 * request when it became PendingApproval (snapshot.ts), and each decision is one transaction conditioned
 * on the request's version and status, so two approvers deciding at once produce exactly one decision.
 * The last Approve of a selfActivate provisions the activation in that same transaction.
 */
import { startedStatus } from '../../../domain/aws-access.ts';
import { approvalHasTimedOut, pendingApprovalDeadline } from '../../../domain/approval-window.ts';
import type { RoleRequest } from '../../../contracts/role-requests.ts';
import { allApproverIds, assertMayDecide, currentStage, decide, type ReviewResult } from '../../../domain/approval.ts';
import { parseDuration } from '../../../domain/duration.ts';
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '../../../domain/errors.ts';
import { isInForce, scheduleInfoOf, timedByAfterChange, type Schedule, type Window } from '../../../domain/schedule.ts';
import { deleteApproverEntries, getRequest, transitionRequest } from '../../../store/role-requests.ts';
import { claimSlot, getSchedule, replaceSchedule, updateSlot } from '../../../store/role-schedules.ts';
import { commitChange, type ConditionalWrite } from '../../../store/transact.ts';
import { auditOf } from '../../audit-writer.ts';
import type { Actor, Services } from '../../context.ts';
import { accessTargetOrId } from '../access-kinds/access-target.ts';
import { auditCategoryOf } from '../requests/outcome.ts';
import { heldUntil, liveHoldings, loadPrincipal, type Holding, type Principal } from '../holdings/principal-access.ts';
import { withStandIn } from './stand-in-approver.ts';
import { requestStatusTargets } from '../requests/request-audit.ts';
import { provisionActivation } from '../requests/self-actions.ts';

function approvedWindow(r: RoleRequest, now: Date, eligibleUntil: string | null): Window | undefined {
  const info = r.scheduleInfo!;
  const requestedStart = info.startDateTime ? Date.parse(info.startDateTime) : now.getTime();
  const start = new Date(Math.max(requestedStart, now.getTime()));
  const type = info.expiration.type as Window['expirationType'];
  let window: Window;
  if (type === 'afterDuration' && info.expiration.duration) {
    window = {
      start,
      end: new Date(start.getTime() + parseDuration(info.expiration.duration)),
      expirationType: 'afterDuration',
      duration: info.expiration.duration,
    };
  } else if (type === 'afterDateTime' && info.expiration.endDateTime) {
    window = { start, end: new Date(info.expiration.endDateTime), expirationType: 'afterDateTime', duration: null };
  } else {
    window = { start, end: null, expirationType: 'noExpiration', duration: null };
  }
  if (eligibleUntil && (window.end === null || window.end.getTime() > Date.parse(eligibleUntil))) {
    window = { ...window, end: new Date(eligibleUntil), expirationType: 'afterDateTime', duration: null };
  }
  return window.end && window.end.getTime() <= start.getTime() ? undefined : window;
}

export interface StepDecision {
  reviewResult: ReviewResult;
  justification?: string | null;
}

/** Decides one step of an approval (PATCH …/steps/{stepId}). */
export async function decideApprovalStep(svc: Services, actor: Actor, approvalId: string, stepId: string, input: StepDecision): Promise<void> {
  await decideStep(svc, actor, approvalId, (r) => r.approval!.stages.find((s) => s.id === stepId)?.id ?? stepId, input);
}

export const MAX_BATCH_DECISIONS = 100;

export interface BatchDecisionResult {
  approvalId: string;
  status: 'Approved' | 'Denied' | 'Failed';
  error?: { code: string; message: string };
}

/**
 * Bulk approval (beyond Graph, docs/architecture.md §8): the same decision on many approvals. Each approval's
 * open stage is the one decided, each in its own transaction, so one failing leaves the others alone;
 * the answer says, per approval, what happened and why one failed.
 */
export async function batchRecordDecisions(svc: Services, actor: Actor, approvalIds: readonly string[], input: StepDecision): Promise<BatchDecisionResult[]> {
  const results: BatchDecisionResult[] = [];
  const concurrency = 8;
  for (let i = 0; i < approvalIds.length; i += concurrency) {
    results.push(
      ...(await Promise.all(
        approvalIds.slice(i, i + concurrency).map(async (approvalId): Promise<BatchDecisionResult> => {
          try {
            await decideStep(svc, actor, approvalId, (r) => currentStage(r.approval!)?.id, input);
            return { approvalId, status: input.reviewResult === 'Approve' ? 'Approved' : 'Denied' };
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            return { approvalId, status: 'Failed', error: { code: error.code, message: error.message } };
          }
        }),
      )),
    );
  }
  return results;
}

async function decideStep(svc: Services, actor: Actor, approvalId: string, stepOf: (r: RoleRequest) => string | undefined, input: StepDecision): Promise<void> {
  const caller = actor.caller;
  const found = await getRequest(svc.table, approvalId);
  if (!found?.data.approval) throw new NotFoundError(`No approval '${approvalId}'.`);
  const r = await withStandIn(svc, caller, found.data, stepOf(found.data));
  if (!r.approval) throw new NotFoundError(`No approval '${approvalId}'.`);
  const involved = r.principalId === caller.id || r.createdBy.user?.id === caller.id || allApproverIds(r.approval).includes(caller.id);
  if (!involved) throw new ForbiddenError('You are not an approver of this approval.', 'Approval_NotAnApprover');
  if (r.status !== 'PendingApproval') throw new ConflictError(`The request is ${r.status}; it can no longer be approved or denied.`, 'Approval_AlreadyDecided');
  const stepId = stepOf(r);
  if (!stepId) throw new ConflictError('No approval step of this request awaits a decision.', 'Approval_AlreadyDecided');
  const stage = r.approval.stages.find((s) => s.id === stepId);
  const requesters = [r.principalId, r.createdBy.user?.id].filter((id): id is string => typeof id === 'string');
  if (!stage) throw new NotFoundError(`Approval '${approvalId}' has no step '${stepId}'.`);
  if (caller.kind !== 'user') throw new ForbiddenError('Approvals are decided by users (delegated only), as in Entra.');
  assertMayDecide(r.approval, stage, caller.id, requesters);
  const now = svc.clock.now();
  if (approvalHasTimedOut(r, now)) {
    throw new ConflictError(
      `The approval timed out at ${pendingApprovalDeadline(r)}; it can no longer be approved or denied. The requester may submit the request again.`,
      'Approval_Expired',
    );
  }
  const decided = decide(r.approval, {
    stageId: stepId,
    approverId: caller.id,
    approverName: caller.displayName ?? null,
    requesterId: r.principalId,
    result: input.reviewResult,
    justification: input.justification,
    at: now.toISOString(),
  });

  const [role, principal] = await Promise.all([accessTargetOrId(svc, r.roleDefinitionId, r.directoryScopeId), loadPrincipal(svc, r.principalId)]);
  const justification = decided.state.stages.find((s) => s.id === stepId)?.decisions.at(-1)?.justification ?? null;
  let next: RoleRequest = { ...r, approval: decided.state };
  const writes: ConditionalWrite[] = [];
  const activation = r.canonicalAction === 'selfActivate';
  const verdict = input.reviewResult === 'Approve' ? 'approved' : 'denied';
  const eligible = r.kind === 'eligibility' ? 'eligible ' : '';
  let activity = activation
    ? `Add member to role request ${verdict} (PIM activation)`
    : `Update ${eligible}member in PIM request ${verdict} (${r.canonicalAction === 'selfRenew' ? 'renew' : 'extend'})`;
  if (decided.outcome === 'Denied') {
    next = { ...next, status: 'Denied', completedDateTime: now.toISOString() };
  } else if (decided.outcome === 'Approved') {
    if (activation) {
      const eligibility = r.activatedUsing ? await getSchedule(svc.table, r.activatedUsing) : undefined;
      const window =
        eligibility && isInForce(eligibility.data, now)
          ? approvedWindow(r, now, heldUntil(await eligibilityHeldNow(svc, r, principal, eligibility.data, now)))
          : undefined;
      if (!eligibility || !window) {
        // Approved, but the eligibility it would come from has ended or gone meanwhile.
        next = { ...next, status: 'Failed', completedDateTime: now.toISOString() };
        activity = 'Add member to role request approved (PIM activation), but failed: the eligibility has ended';
      } else {
        const provision = provisionActivation({
          id: r.id,
          principalId: r.principalId,
          principalType: 'user',
          roleDefinitionId: r.roleDefinitionId,
          roleName: role.displayName,
          scope: r.directoryScopeId,
          window,
          eligibility: { schedule: eligibility.data, version: eligibility.version },
          now,
        });
        writes.push(...provision.writes);
        next = {
          ...next,
          status: provision.started ? startedStatus(provision.schedule) : 'Granted',
          targetScheduleId: provision.schedule.id,
          scheduleInfo: scheduleInfoOf(provision.schedule),
          completedDateTime: provision.completedDateTime,
        };
      }
    }
    if (r.canonicalAction === 'selfExtend' || r.canonicalAction === 'selfRenew') {
      const applied = await applyExtension(svc, r, now);
      if (applied.failure) {
        next = { ...next, status: 'Failed', completedDateTime: now.toISOString() };
        activity = `${activity}, but failed: ${applied.failure}`;
      } else {
        writes.push(...applied.writes);
        next = { ...next, status: 'Provisioned', scheduleInfo: scheduleInfoOf(applied.after!), completedDateTime: now.toISOString() };
      }
    }
  }
  if (next.status !== 'PendingApproval') writes.push(...deleteApproverEntries(r.id, allApproverIds(r.approval)));
  const audit = auditOf(
    svc,
    actor,
    {
      category: auditCategoryOf(role),
      activity,
      operationType: 'Update',
      targets: requestStatusTargets(r.principalId, principal, role, r.status, next.status),
      details: {
        requestId: r.id,
        approvalStepId: stepId,
        reviewResult: input.reviewResult,
        ...(justification ? { approverJustification: justification } : {}),
      },
    },
    now,
  );
  // Conditioned on the version and status read: a racing decision (or cancel) makes this one a 409 and writes nothing.
  await commitChange(svc.table, [approvalTransition(next, found.version), ...writes], audit);
}

/**
 * The eligibility an approved activation comes from, as its requester holds it now. Held through a group,
 * it is theirs only while they are a member: approving after they left would grant access with no basis,
 * so the approval is refused and nothing changes (they may be added back; else deny it, or it times out).
 */
async function eligibilityHeldNow(
  svc: Services,
  r: RoleRequest,
  requester: Principal | undefined,
  eligibility: Schedule,
  now: Date,
): Promise<Pick<Holding, 'schedule' | 'viaMembership'>> {
  if (eligibility.principalId === r.principalId) return { schedule: eligibility };
  const held = (await liveHoldings(svc, r.principalId, 'eligibility', now)).find((h) => h.schedule.id === eligibility.id);
  if (held) return held;
  const group = await loadPrincipal(svc, eligibility.principalId);
  throw new ConflictError(
    `${requester?.displayName ?? r.principalId} is no longer a member of group '${group?.displayName ?? eligibility.principalId}', whose eligibility this activation would come from, so it cannot be approved. Deny it, or have a group owner or Privileged Role Administrator add them back to the group first.`,
    'Approval_EligibilityLost',
  );
}

function approvalTransition(next: RoleRequest, version: number): ConditionalWrite {
  const write = transitionRequest(next, version, 'PendingApproval');
  return {
    ...write,
    onConditionFailed: () =>
      new ConflictError(
        `Request '${next.id}' was decided or changed by someone else meanwhile; nothing was changed. Read the approval again.`,
        'Approval_AlreadyDecided',
      ),
  } as ConditionalWrite;
}

/**
 * An approved selfExtend or selfRenew: the target schedule gets the window asked for (an extension
 * keeps its start and must end later; a renewal starts now at the earliest), time-bound only.
 */
async function applyExtension(svc: Services, r: RoleRequest, now: Date): Promise<{ failure?: string; after?: Schedule; writes: ConditionalWrite[] }> {
  const target = r.targetScheduleId ? await getSchedule(svc.table, r.targetScheduleId) : undefined;
  const info = r.scheduleInfo;
  const end =
    info?.expiration.endDateTime ??
    (info?.expiration.duration && info.startDateTime ? new Date(Date.parse(info.startDateTime) + parseDuration(info.expiration.duration)).toISOString() : null);
  if (!target) return { failure: 'the assignment no longer exists', writes: [] };
  if (!end) return { failure: 'an extension or renewal must end', writes: [] };
  const before = target.data;
  const renew = r.canonicalAction === 'selfRenew';
  const start = renew ? new Date(Math.max(Date.parse(info!.startDateTime ?? now.toISOString()), now.getTime())).toISOString() : before.startDateTime;
  if (Date.parse(end) <= Date.parse(start) || (!renew && before.endDateTime !== null && Date.parse(end) <= Date.parse(before.endDateTime))) {
    return { failure: 'the new end is not after the current one', writes: [] };
  }
  const after: Schedule = {
    ...before,
    startDateTime: start,
    endDateTime: end,
    expirationType: 'afterDateTime',
    duration: null,
    modifiedDateTime: now.toISOString(),
    status: Date.parse(start) > now.getTime() ? 'Granted' : 'Provisioned',
    timedBy: timedByAfterChange(before, r.id, now),
  };
  const slot = before.kind === 'eligibility' ? 'E' : before.assignmentType === 'Activated' ? 'C' : 'A';
  const taken = () => new ConflictError('Another assignment of this role at this scope took its place meanwhile.', 'RoleAssignmentExists');
  return { after, writes: [replaceSchedule(after, target.version), renew ? claimSlot(after, slot, now, taken) : updateSlot(after, slot)] };
}
