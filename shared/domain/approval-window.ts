/**
 * The approval window of a pending request: how long its open stage waits before it times out. Time is
 * the truth: a request past its deadline can no longer be decided even before the sweeper marks it
 * TimedOut. Pure; the store indexes the same deadline so the sweeper finds what is due.
 */
import { requestApprovalDeadline, type ApprovalState } from './approval.ts';

/** The fields of a request the window depends on (structural, so domain needs no contract types). */
export interface PendingRequest {
  status: string;
  approval?: ApprovalState | null;
  createdDateTime: string;
}

/** When the open stage of a pending request times out; undefined once it is no longer pending. */
export function pendingApprovalDeadline(r: PendingRequest): string | undefined {
  return r.status === 'PendingApproval' && r.approval ? requestApprovalDeadline(r.approval, r.createdDateTime) : undefined;
}

/** Whether a pending request's open stage has timed out on `now`, whether or not the sweeper has marked it yet. */
export function approvalHasTimedOut(r: PendingRequest, now: Date): boolean {
  const deadline = pendingApprovalDeadline(r);
  return deadline !== undefined && Date.parse(deadline) <= now.getTime();
}
