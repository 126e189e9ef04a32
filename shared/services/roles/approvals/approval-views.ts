/**
 * Graph's views of approvals: the approval of a request with its steps, and the requests an approver is
 * asked to decide (filterByCurrentUser(on='approver')).
 */
import { approvalHasTimedOut } from '../../../domain/approval-window.ts';
import type { RoleRequest } from '../../../contracts/role-requests.ts';
import { allApproverIds, approversOf, currentStage, stageResult } from '../../../domain/approval.ts';
import { isAllowed } from '../../../domain/authorization.ts';
import type { Caller } from '../../../domain/caller.ts';
import { NotFoundError } from '../../../domain/errors.ts';
import { evaluateFilter } from '../../../domain/odata/filter.ts';
import type { ScheduleKind } from '../../../domain/schedule.ts';
import { getRequest, requestsOfApprover } from '../../../store/role-requests.ts';
import type { Page, Services } from '../../context.ts';
import { parseODataFilter } from '../../directory/filter-query.ts';
import { pageInMemory } from '../../paging.ts';
import { heldRoles } from '../holdings/principal-access.ts';
import type { AccessKind } from '../access-kinds/access-kind.ts';
import { ROLE_ACCESS } from '../access-kinds/role-access.ts';

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
