/** The run's "what now?": re-reads the request and the schedule it times, then lets the domain decide. */
import { requestApprovalDeadline } from '../../domain/approval.ts';
import { DEFAULT_APPROVAL_WINDOW_MS, nextStep, type NextStep } from '../../domain/lifecycle.ts';
import { getRequest } from '../../store/role-requests.ts';
import { getSchedule } from '../../store/role-schedules.ts';
import type { Services } from '../context.ts';

export async function inspectRequest(svc: Services, requestId: string, runStartedAt: Date): Promise<NextStep> {
  const found = await getRequest(svc.table, requestId);
  const r = found?.data;
  const pending = r?.status === 'PendingApproval';
  const schedule = r?.targetScheduleId && !pending ? (await getSchedule(svc.table, r.targetScheduleId))?.data : undefined;
  // Requests stored before approvals carried a deadline get Entra's fixed window from their creation.
  const deadline = pending ? ((r.approval && requestApprovalDeadline(r.approval, r.createdDateTime)) ?? new Date(Date.parse(r.createdDateTime) + DEFAULT_APPROVAL_WINDOW_MS).toISOString()) : undefined;
  return nextStep({
    request: r && { id: r.id, status: r.status, targetScheduleId: r.targetScheduleId ?? null, approvalDeadline: deadline },
    schedule,
    now: svc.clock.now(),
    runStartedAt,
  });
}
