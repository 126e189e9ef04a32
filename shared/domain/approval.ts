/**
 * Approval of a schedule request (DESIGN.md §4, §6), as pure functions: stages snapshotted from the
 * policy when the request is made, each with its approvers resolved to user ids and a required count;
 * the requester is never an approver of their own request; a stage left without approvers falls back to
 * the Privileged Role Administrators / Global Administrators. One Deny denies the request; a stage
 * completes when enough distinct approvers have approved; the last stage completing approves it.
 * Each stage times out `timeoutInDays` (Graph's approvalStageTimeOutInDays, Entra's default 1) after it
 * opens: the first when the request is made, a later one when the stage before it completes.
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
  /** True when the policy's approvers were empty once the requester was removed. */
  fallback: boolean;
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

/** The approval to snapshot onto a request, or undefined when some stage has no approver at all. */
export function resolveApproval(input: ResolveInput): ApprovalState | undefined {
  const stages: ApprovalStageState[] = [];
  const policyStages = input.stages.length > 0 ? input.stages : [{ approvers: [], isApproverJustificationRequired: false }];
  for (const [index, stage] of policyStages.entries()) {
    const named = stage.approvers.flatMap((a) => (a.kind === 'user' ? [a.userId] : [...(input.groupMembers.get(a.groupId) ?? [])]));
    let approverIds = unique(named).filter((id) => id !== input.requesterId);
    const fallback = approverIds.length === 0;
    if (fallback) approverIds = unique([...input.fallbackApprovers]).filter((id) => id !== input.requesterId);
    if (approverIds.length === 0) return undefined;
    stages.push({
      id: input.stageId(index),
      approverIds,
      fallback,
      // Never more than there are approvers: a stage must be completable.
      requiredCount: Math.min(stage.requiredApproverCount ?? 1, approverIds.length),
      isApproverJustificationRequired: stage.isApproverJustificationRequired,
      decisions: [],
      timeoutInDays: stage.timeoutInDays ?? DEFAULT_APPROVAL_TIMEOUT_DAYS,
      ...(index === 0 ? { openedDateTime: input.at } : {}),
    });
  }
  return { stages };
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
  if (input.approverId === input.requesterId) throw new ForbiddenError('Approvers cannot approve or deny their own request.', 'Approval_SelfApprovalNotAllowed');
  if (!stage.approverIds.includes(input.approverId)) throw new ForbiddenError('You are not an approver of this approval step.', 'Approval_NotAnApprover');
  if (outcomeOf(state) !== 'Pending') throw new ConflictError('This request has already been decided.', 'Approval_AlreadyDecided');
  if (currentStage(state)?.id !== stage.id) throw new ConflictError('This approval step is not awaiting decisions.', 'Approval_StepNotInProgress');
  if (stage.decisions.some((d) => d.approverId === input.approverId)) throw new ConflictError('You have already decided this approval step.', 'Approval_AlreadyDecided');
  const justification = input.justification?.trim() ? input.justification.trim() : null;
  if (stage.isApproverJustificationRequired && !justification) throw new BadRequestError('A justification is required to approve or deny this request.', 'Approval_JustificationRequired');
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

/** Everyone who may still be asked to decide (for the approver index). */
export function allApproverIds(state: ApprovalState): string[] {
  return unique(state.stages.flatMap((s) => s.approverIds));
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
