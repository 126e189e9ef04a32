/**
 * Approvals of schedule requests, synchronous slice: the approval is snapshotted onto the request when
 * it becomes PendingApproval (approvers resolved then), and each decision is one transaction conditioned
 * on the request's version and status, so two approvers deciding at once produce exactly one decision.
 * The last Approve of a selfActivate provisions the activation in that same transaction.
 */
import { approvalHasTimedOut, pendingApprovalDeadline } from '../../../domain/approval-window.ts';
import type { ApprovalRule } from '../../../contracts/policy-rules.ts';
import type { RoleRequest } from '../../../contracts/role-requests.ts';
import {
  allApproverIds,
  approversOf,
  assertMayDecide,
  currentStage,
  decide,
  resolveApproval,
  stageResult,
  type ApprovalShortfall,
  type ApprovalState,
  type Approver,
  type ReviewResult,
} from '../../../domain/approval.ts';
import { isAllowed } from '../../../domain/authorization.ts';
import type { Caller } from '../../../domain/caller.ts';
import { parseDuration } from '../../../domain/duration.ts';
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '../../../domain/errors.ts';
import { evaluateFilter } from '../../../domain/odata/filter.ts';
import { isInForce, scheduleInfoOf, timedByAfterChange, type Schedule, type ScheduleKind, type Window } from '../../../domain/schedule.ts';
import { deleteApproverEntries, getRequest, requestsOfApprover, transitionRequest } from '../../../store/role-requests.ts';
import { claimSlot, getSchedule, replaceSchedule, updateSlot } from '../../../store/role-schedules.ts';
import { commitChange, type ConditionalWrite } from '../../../store/transact.ts';
import { auditOf } from '../../audit-writer.ts';
import type { Actor, Page, Services } from '../../context.ts';
import { parseODataFilter } from '../../directory/filter-query.ts';
import { pageInMemory } from '../../paging.ts';
import { accessTargetOrId } from '../access-kinds/access-target.ts';
import { auditCategoryOf } from '../requests/outcome.ts';
import { policyFailure } from '../policies/policy-errors.ts';
import { heldRoles, heldUntil, liveHoldings, loadPrincipal, type Holding, type Principal } from '../holdings/principal-access.ts';
import { withStandIn } from './stand-in-approver.ts';
import { approverGroupMembers, fallbackApproverIds } from './approvers.ts';
import type { AccessKind } from '../access-kinds/access-kind.ts';
import { ROLE_ACCESS } from '../access-kinds/role-access.ts';
import { requestStatusTargets } from '../requests/request-audit.ts';
import { provisionActivation } from '../requests/self-actions.ts';

export function stageIdOf(requestId: string, index: number): string {
  return index === 0 ? requestId : `${requestId}-${index + 1}`;
}

/**
 * The approval to store on a request that needs one; a 400 ApprovalRule failure when its stages could not
 * be decided by enough distinct people other than the requester (shared/domain/approval.ts). With no rule
 * (selfExtend, selfRenew), the approvers are the administrators: Entra sends extension and renewal
 * requests to the Privileged Role Administrators and Global Administrators.
 */
export async function snapshotApproval(
  svc: Services,
  requesterId: string,
  rule: ApprovalRule | null,
  requestId: string,
  at: Date,
): Promise<{ approval: ApprovalState; approverIds: string[] }> {
  const stages = (rule?.setting.approvalStages ?? []).map((s) => ({
    approvers: s.primaryApprovers.map((a): Approver => ('userId' in a ? { kind: 'user', userId: a.userId } : { kind: 'group', groupId: a.groupId })),
    requiredApproverCount: s.requiredApproverCount,
    isApproverJustificationRequired: s.isApproverJustificationRequired,
    timeoutInDays: s.approvalStageTimeOutInDays,
  }));
  const groupIds = [...new Set(stages.flatMap((s) => s.approvers.flatMap((a) => (a.kind === 'group' ? [a.groupId] : []))))];
  const groupMembers = new Map(await Promise.all(groupIds.map(async (id) => [id, await approverGroupMembers(svc, id)] as const)));
  const resolve = (fallbackApprovers: readonly string[]) =>
    resolveApproval({ stages, requesterId, groupMembers, fallbackApprovers, stageId: (i) => stageIdOf(requestId, i), at: at.toISOString() });
  // The administrators matter only to a stage that falls back or may have to: without them such a stage is short.
  let approval = resolve([]);
  if ('shortfall' in approval) approval = resolve(await fallbackApproverIds(svc, at));
  if ('shortfall' in approval) throw policyFailure([{ code: 'ApprovalRule', target: 'approvalStages', message: shortfallMessage(approval.shortfall) }], 0);
  return { approval, approverIds: allApproverIds(approval) };
}

function shortfallMessage({ stage, required, available, afterEarlierStages }: ApprovalShortfall): string {
  const who = afterEarlierStages
    ? `approvers other than you and than those who decide the stages before it (one person decides at most one stage)`
    : 'approvers other than you';
  return (
    `Approval is required, but stage ${stage} of the policy needs ${required} ${who}, and there ${available === 1 ? 'is' : 'are'} only ${available}, ` +
    `counting the Privileged Role Administrators and Global Administrators it falls back to. ` +
    `A Privileged Role Administrator can name more approvers for that stage or lower its requiredApproverCount.`
  );
}

export interface ApprovalStepView {
  id: string;
  displayName: string | null;
  reviewedBy: { id: string; displayName: string | null }[] | null;
  reviewedDateTime: string | null;
  reviewResult: 'NotReviewed' | 'Approved' | 'Denied';
  status: 'InProgress' | 'Initializing' | 'Completed' | 'Expired';
  justification: string | null;
  assignedToMe: boolean;
}

/**
 * Graph's approval steps of a request: one per stage. The open stage is InProgress (Expired once its
 * deadline has passed, even before the sweeper marks the request TimedOut), stages after it are
 * Initializing, the rest Completed; a stage that timed out is Expired.
 */
export function approvalView(request: RoleRequest, callerId: string, now: Date): { id: string; steps: ApprovalStepView[] } {
  const approval = request.approval!;
  const current = request.status === 'PendingApproval' ? currentStage(approval) : undefined;
  const currentIndex = current ? approval.stages.findIndex((s) => s.id === current.id) : -1;
  const lapsed = approvalHasTimedOut(request, now);
  const steps = approval.stages.map((s, i): ApprovalStepView => {
    const last = s.decisions.at(-1);
    const mine = s.decisions.find((d) => d.approverId === callerId);
    const status =
      s.expiredDateTime || (i === currentIndex && lapsed)
        ? 'Expired'
        : i === currentIndex
          ? 'InProgress'
          : currentIndex >= 0 && i > currentIndex
            ? 'Initializing'
            : 'Completed';
    return {
      id: s.id,
      displayName: null,
      reviewedBy: s.decisions.length > 0 ? s.decisions.map((d) => ({ id: d.approverId, displayName: d.approverName })) : null,
      reviewedDateTime: last?.at ?? null,
      reviewResult: stageResult(s),
      status,
      justification: (mine ?? last)?.justification ?? null,
      assignedToMe: status === 'InProgress' && approversOf(approval, s).includes(callerId) && !mine && callerId !== request.principalId,
    };
  });
  return { id: request.id, steps };
}

async function mayReadAll(svc: Services, caller: Caller): Promise<boolean> {
  return isAllowed(await heldRoles(svc, caller), 'roleAssignments.readAll');
}

/** The approval, for its approvers, its requester and readers of everything; 404 for anyone else. */
export async function getApprovalView(
  svc: Services,
  caller: Caller,
  id: string,
  access: AccessKind = ROLE_ACCESS,
): Promise<{ id: string; steps: ApprovalStepView[] }> {
  const found = await getRequest(svc.table, id);
  const r = found && access.owns(found.data) ? found.data : undefined;
  const involved = r?.approval && (r.principalId === caller.id || r.createdBy.user?.id === caller.id || allApproverIds(r.approval).includes(caller.id));
  if (!r?.approval || !(involved || (await mayReadAll(svc, caller)))) throw new NotFoundError(`No approval '${id}' that you can see.`);
  return approvalView(r, caller.id, svc.clock.now());
}

/**
 * filterByCurrentUser(on='approver'), as Graph: the requests the caller is an approver of. A pending
 * request is listed while it awaits the caller (the stage now open names them, they have not decided it,
 * and it has not timed out); every request that has ended is listed too, whatever became of it (the
 * approver's history). `$filter=status eq 'PendingApproval'` gives the queue.
 */
export async function approverRequestViews(
  svc: Services,
  caller: Caller,
  kind: ScheduleKind,
  q: { filter?: string; top?: number; skipToken?: string },
  access: AccessKind = ROLE_ACCESS,
): Promise<Page<Record<string, unknown>>> {
  const node = q.filter ? parseODataFilter(q.filter) : undefined;
  const now = svc.clock.now();
  const requests = (await requestsOfApprover(svc.table, caller.id))
    .map((r) => r.data)
    .filter((r) => {
      if (r.kind !== kind || !access.owns(r) || !r.approval || !allApproverIds(r.approval).includes(caller.id)) return false;
      if (r.status !== 'PendingApproval') return true;
      const stage = currentStage(r.approval);
      return (
        !!stage &&
        approversOf(r.approval, stage).includes(caller.id) &&
        !stage.decisions.some((d) => d.approverId === caller.id) &&
        !approvalHasTimedOut(r, now)
      );
    });
  const views = requests
    .map(access.requestView)
    .filter((v) => !node || evaluateFilter(node, v))
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
  return pageInMemory(svc, `approver-requests:${access.name}:${kind}:${caller.id}:${q.filter ?? ''}`, views, q.top ?? 100, q.skipToken);
}

/** The window of an approved activation: from the approval time, as long as was asked, never past the eligibility. */
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
 * Bulk approval (beyond Graph, DESIGN.md §7): the same decision on many approvals. Each approval's
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
          status: provision.started ? 'Provisioned' : 'Granted',
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
