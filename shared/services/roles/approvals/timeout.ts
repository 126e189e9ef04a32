/**
 * An approval left unanswered past its stage's deadline (approvalStageTimeOutInDays after the stage
 * opened) times out: the request goes PendingApproval → TimedOut in one transaction conditioned on the
 * version and status read, its approver entries go, and the audit record says so. Safe to call again
 * and from several sweepers at once: only one call times a request out, the others answer 'notPending'.
 */
import { pendingApprovalDeadline } from '../../../domain/approval-window.ts';
import type { RoleRequest } from '../../../contracts/role-requests.ts';
import { allApproverIds, expire } from '../../../domain/approval.ts';
import { ConflictError } from '../../../domain/errors.ts';
import { deleteApproverEntries, getRequest, transitionRequest } from '../../../store/role-requests.ts';
import { commitChange } from '../../../store/transact.ts';
import { auditOf } from '../../audit-writer.ts';
import type { Actor, Services } from '../../context.ts';
import { accessTargetOrId } from '../access-kinds/access-target.ts';
import { auditCategoryOf } from '../requests/outcome.ts';
import { loadPrincipal } from '../holdings/principal-access.ts';
import { requestStatusTargets } from '../requests/request-audit.ts';

export type TimeOutResult = 'timedOut' | 'notDue' | 'notPending';

export async function timeOutApproval(svc: Services, actor: Actor, requestId: string): Promise<TimeOutResult> {
  for (let attempt = 1; ; attempt++) {
    const found = await getRequest(svc.table, requestId);
    const r = found?.data;
    if (!found || !r || r.status !== 'PendingApproval' || !r.approval) return 'notPending';
    const now = svc.clock.now();
    const deadline = pendingApprovalDeadline(r);
    if (!deadline || Date.parse(deadline) > now.getTime()) return 'notDue';
    const timedOut: RoleRequest = { ...r, status: 'TimedOut', completedDateTime: now.toISOString(), approval: expire(r.approval, now.toISOString()) };
    const [role, principal] = await Promise.all([accessTargetOrId(svc, r.roleDefinitionId, r.directoryScopeId), loadPrincipal(svc, r.principalId)]);
    const eligible = r.kind === 'eligibility' ? 'eligible ' : '';
    const activity =
      r.canonicalAction === 'selfActivate'
        ? 'Add member to role request timed out (PIM activation)'
        : `Update ${eligible}member in PIM request timed out (${r.canonicalAction === 'selfRenew' ? 'renew' : 'extend'})`;
    const audit = auditOf(
      svc,
      actor,
      {
        category: auditCategoryOf(role),
        activity,
        operationType: 'Update',
        targets: requestStatusTargets(r.principalId, principal, role, 'PendingApproval', 'TimedOut'),
        details: { requestId: r.id, approvalDeadline: deadline },
      },
      now,
    );
    try {
      await commitChange(
        svc.table,
        [transitionRequest(timedOut, found.version, 'PendingApproval'), ...deleteApproverEntries(r.id, allApproverIds(r.approval))],
        audit,
      );
      return 'timedOut';
    } catch (error) {
      // Someone else moved it meanwhile (a decision, a cancel, another sweeper): look again.
      if (!(error instanceof ConflictError) || attempt >= 3) throw error;
    }
  }
}
