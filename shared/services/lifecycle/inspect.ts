/** The run's "what now?": re-reads the request and the schedule it times, then lets the domain decide. */
import { pendingApprovalDeadline } from '../../domain/approval-window.ts';
import { DEFAULT_APPROVAL_TIMEOUT_DAYS } from '../../domain/approval.ts';
import { AWS_RUN_MARK, nextStep, type NextStep } from '../../domain/lifecycle.ts';
import { getRequest } from '../../store/role-requests.ts';
import { getSchedule } from '../../store/role-schedules.ts';
import type { Services } from '../context.ts';
import { awsWork } from '../aws/request-access.ts';

export async function inspectRequest(svc: Services, requestId: string, runStartedAt: Date, runName = requestId): Promise<NextStep> {
  const found = await getRequest(svc.table, requestId);
  const r = found?.data;
  const pending = r?.status === 'PendingApproval';
  const stored = r?.targetScheduleId && !pending ? ((await getSchedule(svc.table, r.targetScheduleId)) ?? null) : undefined;
  const schedule = stored?.data;
  // The deadline the request is indexed under; one stored before approvals were snapshotted gets Entra's window.
  const deadline = pending
    ? (pendingApprovalDeadline(r) ?? new Date(Date.parse(r.createdDateTime) + DEFAULT_APPROVAL_TIMEOUT_DAYS * 86_400_000).toISOString())
    : undefined;
  return nextStep({
    request: r && { id: r.id, status: r.status, targetScheduleId: r.targetScheduleId ?? null, approvalDeadline: deadline },
    schedule,
    now: svc.clock.now(),
    runStartedAt,
    awsUnsettled: (await awsWork(svc, r, stored)) !== undefined,
    syncOnly: runName.includes(AWS_RUN_MARK),
  });
}
