/** Approvals of both APIs: roles (Graph beta, `steps`) and groups (Graph v1.0, `stages`), in one shape. */
import type { Api } from '../api/client.ts';
import { APPROVALS_BETA, GROUPS_PIM } from '../api/paths.ts';
import type { RequestKind } from './requests.ts';

export interface ApprovalStep {
  id: string;
  displayName: string | null;
  reviewedBy: { id: string; displayName: string | null }[] | null;
  reviewedDateTime: string | null;
  reviewResult: 'NotReviewed' | 'Approved' | 'Denied';
  status: 'InProgress' | 'Initializing' | 'Completed' | 'Expired';
  justification: string | null;
  assignedToMe: boolean;
}

function base(kind: RequestKind): string {
  // AWS roles are approved as directory roles are (the approval id is the request id).
  return kind === 'groups' ? `${GROUPS_PIM}/assignmentApprovals` : APPROVALS_BETA;
}

export async function loadApproval(api: Api, kind: RequestKind, id: string): Promise<ApprovalStep[]> {
  // Groups' approvals are Graph v1.0's, whose stages come only when expanded.
  const expand = kind === 'groups' ? '?$expand=stages' : '';
  const approval = await api.get<{ steps?: ApprovalStep[]; stages?: ApprovalStep[] }>(`${base(kind)}/${encodeURIComponent(id)}${expand}`);
  return approval.steps ?? approval.stages ?? [];
}

export function decide(api: Api, kind: RequestKind, id: string, stepId: string, reviewResult: 'Approve' | 'Deny', justification: string): Promise<void> {
  const segment = kind === 'groups' ? 'stages' : 'steps';
  return api.patch(`${base(kind)}/${encodeURIComponent(id)}/${segment}/${encodeURIComponent(stepId)}`, { reviewResult, justification });
}
