/** Shared bits of the workflow tests. */
import { setTimeout as sleep } from 'node:timers/promises';
import { nextLocalActivity } from '../../../infra/local/activity.ts';
import { approvalRuleWith, type ApproverRef } from '../roles/helpers.ts';

/**
 * Waits until `probe` holds. The stream and the runs are asynchronous: the probe is re-checked on each
 * beat of the local stack (a stream batch delivered, a state entered, a run ended) and, for progress
 * that beats nowhere (a library timer), every quarter second. There is no deadline tighter than the
 * work: `hangAfterMs` only turns a hang into a message naming what never happened.
 */
export async function eventually(probe: () => boolean | Promise<boolean>, what: string, hangAfterMs = 100_000): Promise<void> {
  const hang = Date.now() + hangAfterMs;
  while (!(await probe())) {
    if (Date.now() > hang) throw new Error(`Never happened (waited ${hangAfterMs / 1000} s): ${what}`);
    await Promise.race([nextLocalActivity(), sleep(250)]);
  }
}

/** An Approval_EndUser_Assignment rule requiring one stage of these approvers (no approver justification). */
export function approvalRuleFor(approvers: ApproverRef[], o: { timeoutDays?: number; requiredApproverCount?: number } = {}): Record<string, unknown> {
  return approvalRuleWith([{ approvers, timeoutDays: o.timeoutDays, requiredApproverCount: o.requiredApproverCount, justificationRequired: false }]);
}
