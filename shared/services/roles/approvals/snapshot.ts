/**
 * The approval snapshotted onto a request when it becomes PendingApproval: its stages and who may decide
 * each, resolved then (approvers.ts), or a 400 when a stage could never be decided.
 */
import type { ApprovalRule } from '../../../contracts/policy-rules.ts';
import { allApproverIds, resolveApproval, type ApprovalShortfall, type ApprovalState, type Approver } from '../../../domain/approval.ts';
import type { Services } from '../../context.ts';
import { policyFailure } from '../policies/policy-errors.ts';
import { approverGroupMembers, fallbackApproverIds } from './approvers.ts';

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
