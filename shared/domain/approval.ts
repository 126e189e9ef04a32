/**
 * Approval of a schedule request (DESIGN.md §4, §6), as pure functions: stages snapshotted from the
 * policy when the request is made, each with its approvers resolved to user ids and a required count;
 * the requester is never an approver of their own request; a stage left without approvers falls back to
 * the Privileged Role Administrators / Global Administrators. One Deny denies the request; a stage
 * completes when enough distinct approvers have approved; the last stage completing approves it.
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
}

export interface ApprovalState {
  stages: ApprovalStageState[];
}

export type Approver = { kind: 'user'; userId: string } | { kind: 'group'; groupId: string };

export interface PolicyStage {
  approvers: Approver[];
  requiredApproverCount?: number;
  isApproverJustificationRequired: boolean;
}

export interface ResolveInput {
  stages: PolicyStage[];
  requesterId: string;
  /** Members of each approver group, read at request time. */
  groupMembers: ReadonlyMap<string, readonly string[]>;
  /** Users holding Privileged Role Administrator or Global Administrator now. */
  fallbackApprovers: readonly string[];
  stageId: (index: number) => string;
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
  const stages = state.stages.map((s, i) => (i === index ? { ...s, decisions: [...s.decisions, decision] } : s));
  const next = { stages };
  return { state: next, outcome: outcomeOf(next) };
}

/** Everyone who may still be asked to decide (for the approver index). */
export function allApproverIds(state: ApprovalState): string[] {
  return unique(state.stages.flatMap((s) => s.approverIds));
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

/** The current stage's deadline. */
export function approvalDeadline(_state: ApprovalState): string | undefined {
  return undefined;
}
