/**
 * Approval of a schedule request (docs/architecture.md §4), as pure functions: stages snapshotted from the
 * policy when the request is made, each with its approvers resolved to user ids and a required count;
 * the requester is never an approver of their own request. One Deny denies the request; a stage
 * completes when enough distinct approvers have approved; the last stage completing approves it.
 * Each stage times out `timeoutInDays` (Graph's approvalStageTimeOutInDays, Entra's default 1) after it
 * opens: the first when the request is made, a later one when the stage before it completes.
 *
 * Separation of duties: the required count is never lowered. A stage whose approvers, less the
 * requester, are fewer than it requires falls back to the Privileged Role Administrators / Global
 * Administrators (less the requester), still requiring as many. One person decides at most one stage:
 * whoever decided a stage is no approver of the others, so a stage whose approvers could be used up by
 * the stages before it keeps the administrators as its fallback, used if that happens. A request whose
 * stages could not all be decided by distinct people, even with the fallback, is refused when it is
 * made (ApprovalShortfall) rather than left pending until it times out.
 */
import { BadRequestError, ConflictError, ForbiddenError } from './errors.ts';

export type ReviewResult = 'Approve' | 'Deny';

export interface ApprovalDecision {
  approverId: string;
  approverName: string | null;
  result: ReviewResult;
  justification: string | null;
  at: string;
}

export interface ApprovalStageState {
  id: string;
  approverIds: string[];
  /** True when the policy's approvers, less the requester, were fewer than the stage requires. */
  fallback: boolean;
  /**
   * The administrators (less the requester) at request time, kept on a stage whose own approvers the
   * stages before it could use up: if too few of them are left when it opens, it falls back to these.
   */
  fallbackApproverIds?: string[];
  requiredCount: number;
  isApproverJustificationRequired: boolean;
  decisions: ApprovalDecision[];
  /** Days the stage may wait once open (absent on requests stored before timeouts existed). */
  timeoutInDays?: number;
  /** When the stage opened; absent until it does (and on requests stored before timeouts existed). */
  openedDateTime?: string;
  /** When the stage timed out unanswered (the request then went TimedOut). */
  expiredDateTime?: string;
}

export interface ApprovalState {
  stages: ApprovalStageState[];
}

export type Approver = { kind: 'user'; userId: string } | { kind: 'group'; groupId: string };

export interface PolicyStage {
  approvers: Approver[];
  requiredApproverCount?: number;
  isApproverJustificationRequired: boolean;
  /** approvalStageTimeOutInDays; Entra's default of one day when absent. */
  timeoutInDays?: number;
}

/** Entra's approval window: a day, unless the policy's stage says otherwise. */
export const DEFAULT_APPROVAL_TIMEOUT_DAYS = 1;
const DAY_MS = 86_400_000;

export interface ResolveInput {
  stages: PolicyStage[];
  requesterId: string;
  /** Members of each approver group, read at request time. */
  groupMembers: ReadonlyMap<string, readonly string[]>;
  /** Users holding Privileged Role Administrator or Global Administrator now. */
  fallbackApprovers: readonly string[];
  stageId: (index: number) => string;
  /** When the request is made: the first stage opens then. */
  at: string;
}

/** Why a request cannot be approved: stage `stage` (1-based) needs more distinct approvers than there may be. */
export interface ApprovalShortfall {
  stage: number;
  required: number;
  available: number;
  /** True when the shortfall comes from the stages before it (one person decides at most one stage). */
  afterEarlierStages: boolean;
}

/** The approval to snapshot onto a request, or the shortfall that makes it impossible to approve. */
export function resolveApproval(input: ResolveInput): ApprovalState | { shortfall: ApprovalShortfall } {
  const stages: ApprovalStageState[] = [];
  const policyStages = input.stages.length > 0 ? input.stages : [{ approvers: [], isApproverJustificationRequired: false }];
  const admins = unique([...input.fallbackApprovers]).filter((id) => id !== input.requesterId);
  // Who may decide the stages so far, and how many of them those stages use up.
  const earlier = new Set<string>();
  let usedUp = 0;
  for (const [index, stage] of policyStages.entries()) {
    const required = Math.max(1, stage.requiredApproverCount ?? 1);
    const named = unique(stage.approvers.flatMap((a) => (a.kind === 'user' ? [a.userId] : [...(input.groupMembers.get(a.groupId) ?? [])]))).filter(
      (id) => id !== input.requesterId,
    );
    const fallback = named.length < required;
    const approverIds = fallback ? admins : named;
    if (approverIds.length < required) return { shortfall: { stage: index + 1, required, available: approverIds.length, afterEarlierStages: false } };
    // The worst case: everyone who decided an earlier stage was one of this stage's approvers.
    const leftAtWorst = (ids: string[]) => ids.length - Math.min(usedUp, ids.filter((id) => earlier.has(id)).length);
    const mayRunShort = leftAtWorst(approverIds) < required;
    if (mayRunShort && (fallback || leftAtWorst(admins) < required)) {
      return {
        shortfall: { stage: index + 1, required, available: Math.max(leftAtWorst(approverIds), fallback ? 0 : leftAtWorst(admins)), afterEarlierStages: true },
      };
    }
    stages.push({
      id: input.stageId(index),
      approverIds,
      fallback,
      ...(mayRunShort ? { fallbackApproverIds: admins } : {}),
      requiredCount: required,
      isApproverJustificationRequired: stage.isApproverJustificationRequired,
      decisions: [],
      timeoutInDays: stage.timeoutInDays ?? DEFAULT_APPROVAL_TIMEOUT_DAYS,
      ...(index === 0 ? { openedDateTime: input.at } : {}),
    });
    for (const id of [...approverIds, ...(mayRunShort ? admins : [])]) earlier.add(id);
    usedUp += required;
  }
  return { stages };
}

/**
 * Who may decide a stage: its approvers less anyone who decided another stage of the request, or, when
 * that leaves fewer than the stage requires and it keeps a fallback, the administrators less those.
 */
export function approversOf(state: ApprovalState, stage: ApprovalStageState): string[] {
  const elsewhere = decidersOfOtherStages(state, stage.id);
  const own = stage.approverIds.filter((id) => !elsewhere.has(id));
  if (own.length >= stage.requiredCount || !stage.fallbackApproverIds) return own;
  return stage.fallbackApproverIds.filter((id) => !elsewhere.has(id));
}

function decidersOfOtherStages(state: ApprovalState, stageId: string): Map<string, number> {
  return new Map(state.stages.flatMap((s, i) => (s.id === stageId ? [] : s.decisions.map((d) => [d.approverId, i + 1] as const))));
}

/** Throws unless this person may decide this stage (its being open is checked by decide). */
export function assertMayDecide(state: ApprovalState, stage: ApprovalStageState, approverId: string, requesterIds: readonly string[]): void {
  if (requesterIds.includes(approverId)) throw new ForbiddenError('Approvers cannot approve or deny their own request.', 'Approval_SelfApprovalNotAllowed');
  const decidedStage = decidersOfOtherStages(state, stage.id).get(approverId);
  if (decidedStage !== undefined) {
    throw new ForbiddenError(
      `You already decided stage ${decidedStage} of this request, and one person decides at most one stage: another approver of this stage must decide it.`,
      'Approval_SeparationOfDuties',
    );
  }
  if (!approversOf(state, stage).includes(approverId)) throw new ForbiddenError('You are not an approver of this approval step.', 'Approval_NotAnApprover');
}

export type StageResult = 'NotReviewed' | 'Approved' | 'Denied';
export type ApprovalOutcome = 'Pending' | 'Approved' | 'Denied';

export function stageResult(stage: ApprovalStageState): StageResult {
  if (stage.decisions.some((d) => d.result === 'Deny')) return 'Denied';
  return stage.decisions.filter((d) => d.result === 'Approve').length >= stage.requiredCount ? 'Approved' : 'NotReviewed';
}

export function outcomeOf(state: ApprovalState): ApprovalOutcome {
  const results = state.stages.map(stageResult);
  if (results.includes('Denied')) return 'Denied';
  return results.every((r) => r === 'Approved') ? 'Approved' : 'Pending';
}

/** The stage now awaiting decisions (stages are serial), if any. */
export function currentStage(state: ApprovalState): ApprovalStageState | undefined {
  if (outcomeOf(state) !== 'Pending') return undefined;
  return state.stages.find((s) => stageResult(s) === 'NotReviewed');
}

export interface DecisionInput {
  stageId: string;
  approverId: string;
  approverName: string | null;
  requesterId: string;
  result: ReviewResult;
  justification: string | null | undefined;
  at: string;
}

/** Records one approver's decision; throws when it may not be made. Never mutates its input. */
export function decide(state: ApprovalState, input: DecisionInput): { state: ApprovalState; outcome: ApprovalOutcome } {
  const index = state.stages.findIndex((s) => s.id === input.stageId);
  const stage = state.stages[index];
  if (!stage) throw new ForbiddenError(`There is no approval step '${input.stageId}' for you to decide.`);
  assertMayDecide(state, stage, input.approverId, [input.requesterId]);
  if (outcomeOf(state) !== 'Pending') throw new ConflictError('This request has already been decided.', 'Approval_AlreadyDecided');
  if (currentStage(state)?.id !== stage.id) throw new ConflictError('This approval step is not awaiting decisions.', 'Approval_StepNotInProgress');
  if (stage.decisions.some((d) => d.approverId === input.approverId))
    throw new ConflictError('You have already decided this approval step.', 'Approval_AlreadyDecided');
  const justification = input.justification?.trim() ? input.justification.trim() : null;
  if (stage.isApproverJustificationRequired && !justification)
    throw new BadRequestError('A justification is required to approve or deny this request.', 'Approval_JustificationRequired');
  const decision: ApprovalDecision = { approverId: input.approverId, approverName: input.approverName, result: input.result, justification, at: input.at };
  let stages = state.stages.map((s, i) => (i === index ? { ...s, decisions: [...s.decisions, decision] } : s));
  // The stage completing opens the next one: its timeout runs from now.
  const opened = currentStage({ stages });
  if (opened && opened.id !== stage.id && !opened.openedDateTime) stages = stages.map((s) => (s.id === opened.id ? { ...s, openedDateTime: input.at } : s));
  const next = { stages };
  return { state: next, outcome: outcomeOf(next) };
}

/**
 * When the stage now open times out (ISO), or undefined when no stage is open or the state predates
 * timeouts (see requestApprovalDeadline for those).
 */
export function approvalDeadline(state: ApprovalState): string | undefined {
  const stage = currentStage(state);
  if (!stage?.openedDateTime || stage.timeoutInDays === undefined) return undefined;
  return new Date(Date.parse(stage.openedDateTime) + stage.timeoutInDays * DAY_MS).toISOString();
}

/** The deadline of a pending request's approval; requests stored before timeouts existed get a day from their creation. */
export function requestApprovalDeadline(approval: ApprovalState, createdDateTime: string): string | undefined {
  if (!currentStage(approval)) return undefined;
  return approvalDeadline(approval) ?? new Date(Date.parse(createdDateTime) + DEFAULT_APPROVAL_TIMEOUT_DAYS * DAY_MS).toISOString();
}

/** The approval after its open stage timed out unanswered at `at`. Never mutates its input. */
export function expire(state: ApprovalState, at: string): ApprovalState {
  const open = currentStage(state);
  return { stages: state.stages.map((s) => (s.id === open?.id ? { ...s, expiredDateTime: at } : s)) };
}

/** Everyone who may be asked to decide, the fallbacks kept included (for the approver index). */
export function allApproverIds(state: ApprovalState): string[] {
  return unique(state.stages.flatMap((s) => [...s.approverIds, ...(s.fallbackApproverIds ?? [])]));
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
