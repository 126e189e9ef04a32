/**
 * Approvers are snapshotted onto a request when it is made; one who is deleted or disabled since can no
 * longer decide (their tokens are refused). A stage that the approvers still able to decide can no
 * longer complete would then only time out, so the fallback approvers — Privileged Role Administrators
 * and Global Administrators, who are asked when a policy names no one — may decide it in their place.
 * The stand-in is added to the stage's approvers, so the stored approval says who decided and why they could.
 */
import type { RoleRequest } from '../../../contracts/role-requests.ts';
import type { ApprovalStageState } from '../../../domain/approval.ts';
import { isAllowed } from '../../../domain/authorization.ts';
import type { Caller } from '../../../domain/caller.ts';
import type { Services } from '../../context.ts';
import { heldRoles } from '../holdings/principal-access.ts';
import { ableToApprove } from './approvers.ts';

/** The request as the caller may decide it: with the caller standing in on the open step if that is their right. */
export async function withStandIn(svc: Services, caller: Caller, request: RoleRequest, stepId: string | undefined): Promise<RoleRequest> {
  const stage = request.approval?.stages.find((s) => s.id === stepId);
  if (!request.approval || !stage || request.status !== 'PendingApproval' || stage.approverIds.includes(caller.id)) return request;
  if (!(await mayStandIn(svc, caller, stage, request))) return request;
  const stages = request.approval.stages.map((s) => (s.id === stage.id ? { ...s, approverIds: [...s.approverIds, caller.id] } : s));
  return { ...request, approval: { ...request.approval, stages } };
}

async function mayStandIn(svc: Services, caller: Caller, stage: ApprovalStageState, request: RoleRequest): Promise<boolean> {
  const requesters = [request.principalId, request.createdBy.user?.id];
  if (caller.kind !== 'user' || requesters.includes(caller.id)) return false;
  const approved = stage.decisions.filter((d) => d.result === 'Approve').length;
  const waiting = stage.approverIds.filter((id) => !requesters.includes(id) && !stage.decisions.some((d) => d.approverId === id));
  const able = await ableToApprove(svc.table, waiting);
  if (approved + able.length >= stage.requiredCount) return false;
  return isAllowed(await heldRoles(svc, caller), 'roleAssignments.manage');
}
