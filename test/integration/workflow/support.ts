/** Shared bits of the workflow tests. */
import { approvalRuleWith, type ApproverRef } from '../roles/helpers.ts';

/** Polls until `probe` holds (the stream and the runs are asynchronous); fails with `what` after `ms`. */
export async function eventually(probe: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** An Approval_EndUser_Assignment rule requiring one stage of these approvers (no approver justification). */
export function approvalRuleFor(approvers: ApproverRef[], o: { timeoutDays?: number; requiredApproverCount?: number } = {}): Record<string, unknown> {
  return approvalRuleWith([{ approvers, timeoutDays: o.timeoutDays, requiredApproverCount: o.requiredApproverCount, justificationRequired: false }]);
}
