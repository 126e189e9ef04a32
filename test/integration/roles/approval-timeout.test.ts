/**
 * Approval timeouts: each stage's approvalStageTimeOutInDays, snapshotted on the request, runs from when
 * the stage opens; a pending request sits in the sparse deadline index (pendingApprovalsDueBy) until it
 * leaves PendingApproval; timeOutApproval moves it to TimedOut once, whatever races it.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_CALLER } from '../../../shared/domain/caller.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import type { Actor } from '../../../shared/services/context.ts';
import { timeOutApproval } from '../../../shared/services/roles/approvals/timeout.ts';
import { keys } from '../../../shared/store/keys.ts';
import { pendingApprovalsDueBy } from '../../../shared/store/role-requests.ts';
import { auditTrail } from '../api/support.ts';
import {
  activate,
  ASSIGNMENT_REQUESTS,
  customRole,
  DAY,
  expectGraphError,
  filter,
  HOUR,
  iso,
  list,
  makeEligible,
  newUsers,
  patchRule,
  startRolesStack,
  tokenOf,
  approvalRuleWith,
  type Ctx,
  type TestUser,
} from './helpers.ts';

const BETA = '/beta/roleManagement/directory/roleAssignmentApprovals';

function rule(stages: { approverId: string; timeoutDays: number }[]): Record<string, unknown> {
  return approvalRuleWith(stages.map((s) => ({ approvers: [{ userId: s.approverId }], timeoutDays: s.timeoutDays, justificationRequired: false })));
}

describe('approval timeouts', () => {
  const clock = new ManualClock('2033-05-10T09:30:00.000Z');
  const now = () => clock.now().getTime();
  let ctx: Ctx;
  const sweeper: Actor = { caller: SYSTEM_CALLER, correlationId: 'sweeper-test', system: true };
  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
  });
  afterAll(() => ctx.stop());

  const svc = () => ctx.stack.runtime.services;
  const timeOut = (id: string) => timeOutApproval(svc(), sweeper, id);
  const dueBy = (until: number, lookbackDays = 7) => pendingApprovalsDueBy(svc().table, new Date(until), lookbackDays);
  const requestOf = async (id: string) => (await ctx.api.call('GET', `${ASSIGNMENT_REQUESTS}/${id}`, { token: await ctx.admin() })).body;
  const approvalOf = async (id: string, token?: string) => (await ctx.api.call('GET', `${BETA}/${id}`, { token: token ?? (await ctx.admin()) })).body;
  const decide = async (user: TestUser, id: string, reviewResult: 'Approve' | 'Deny', stepId = id) =>
    ctx.api.call('PATCH', `${BETA}/${id}/steps/${stepId}`, { token: await tokenOf(ctx, user), body: { reviewResult, justification: 'ok' } });
  const queue = async (user: TestUser) =>
    (await list(ctx, `${ASSIGNMENT_REQUESTS}/filterByCurrentUser(on='approver')?${filter("status eq 'PendingApproval'")}`, await tokenOf(ctx, user))).map(
      (r) => r.id,
    );

  async function pending(stages: number[] = [1]) {
    const [requester, ...approvers] = await newUsers(ctx, 1 + stages.length, 'tmo');
    const role = await customRole(ctx, 'Timeout');
    await patchRule(ctx, role, 'Approval_EndUser_Assignment', rule(stages.map((timeoutDays, i) => ({ approverId: approvers[i]!.id, timeoutDays }))));
    await makeEligible(ctx, requester!.id, role);
    const result = await activate(ctx, requester!, role, { duration: 'PT1H' });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(result.body.status).toBe('PendingApproval');
    return { requester: requester!, approvers: approvers as TestUser[], role, id: result.body.id as string, at: now() };
  }

  it("indexes a pending request under its stage's deadline (approvalStageTimeOutInDays from the request), and no longer once decided", async () => {
    const p = await pending([2]);
    expect(await dueBy(p.at + 2 * DAY - 1)).not.toContain(p.id);
    expect(await dueBy(p.at + 2 * DAY)).toContain(p.id);
    // Looked up from a later day, within the look-back.
    expect(await dueBy(p.at + 4 * DAY, 3)).toContain(p.id);
    expect(await dueBy(p.at + 4 * DAY, 1)).not.toContain(p.id);
    expect((await decide(p.approvers[0]!, p.id, 'Approve')).status).toBe(204);
    expect(await dueBy(p.at + 2 * DAY)).not.toContain(p.id);
  });

  it('times out only once the deadline has passed on the clock: TimedOut, the step Expired, the queue emptied, audited; again is notPending', async () => {
    const p = await pending([1]);
    clock.advance(DAY - 1);
    expect(await timeOut(p.id)).toBe('notDue');
    expect((await requestOf(p.id)).status).toBe('PendingApproval');
    expect(await queue(p.approvers[0]!)).toEqual([p.id]);
    clock.advance(1);
    expect(await timeOut(p.id)).toBe('timedOut');
    const request = await requestOf(p.id);
    expect(request).toMatchObject({ status: 'TimedOut', completedDateTime: iso(now()), targetScheduleId: null });
    expect(await queue(p.approvers[0]!)).toEqual([]);
    expect(await dueBy(now())).not.toContain(p.id);
    const approval = await approvalOf(p.id, await tokenOf(ctx, p.requester));
    expect(approval.steps).toEqual([
      expect.objectContaining({ id: p.id, status: 'Expired', reviewResult: 'NotReviewed', reviewedBy: null, assignedToMe: false }),
    ]);
    const trail = await auditTrail(ctx.stack, p.requester.id);
    expect(trail.filter((a) => a.activityDisplayName === 'Add member to role request timed out (PIM activation)')).toHaveLength(1);
    expect(await timeOut(p.id)).toBe('notPending');
    // Deciding or cancelling a timed-out request changes nothing.
    expectGraphError(await decide(p.approvers[0]!, p.id, 'Approve'), 409, 'Approval_AlreadyDecided');
    expectGraphError(
      await ctx.api.call('POST', `${ASSIGNMENT_REQUESTS}/${p.id}/cancel`, { token: await tokenOf(ctx, p.requester) }),
      400,
      'RequestNotCancelable',
    );
    expect(await requestOf(p.id)).toEqual(request);
    // The requester may ask again.
    const again = await activate(ctx, p.requester, p.role, { duration: 'PT1H' });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.status).toBe('PendingApproval');
  });

  it('a decision after the deadline is a 409 even before the sweeper ran, and the step already shows Expired', async () => {
    const p = await pending([1]);
    clock.advance(DAY + HOUR);
    expectGraphError(await decide(p.approvers[0]!, p.id, 'Approve'), 409, 'Approval_Expired');
    expect((await requestOf(p.id)).status).toBe('PendingApproval');
    expect((await approvalOf(p.id)).steps[0].status).toBe('Expired');
    expect(await queue(p.approvers[0]!)).toEqual([]);
    expect(await timeOut(p.id)).toBe('timedOut');
  });

  it('many sweepers at once: exactly one times the request out, with one audit record', async () => {
    const p = await pending([1]);
    clock.advance(DAY);
    const results = await Promise.all(Array.from({ length: 6 }, () => timeOut(p.id)));
    expect(results.filter((r) => r === 'timedOut')).toHaveLength(1);
    expect(results.filter((r) => r === 'notPending')).toHaveLength(5);
    const trail = await auditTrail(ctx.stack, p.requester.id);
    expect(trail.filter((a) => a.activityDisplayName.includes('timed out'))).toHaveLength(1);
  });

  it('a cancel racing the timeout: exactly one of them moves the request, with its one audit record', async () => {
    const p = await pending([1]);
    clock.advance(DAY);
    const [cancel, sweep] = await Promise.all([
      ctx.api.call('POST', `${ASSIGNMENT_REQUESTS}/${p.id}/cancel`, { token: await tokenOf(ctx, p.requester) }),
      timeOut(p.id),
    ]);
    const status = (await requestOf(p.id)).status;
    if (status === 'Canceled') {
      expect(cancel.status).toBe(204);
      expect(sweep).toBe('notPending');
    } else {
      expect(status).toBe('TimedOut');
      expect(sweep).toBe('timedOut');
      expect([400, 409]).toContain(cancel.status);
    }
    const trail = await auditTrail(ctx.stack, p.requester.id);
    expect(trail.filter((a) => /timed out|canceled/.test(a.activityDisplayName))).toHaveLength(1);
  });

  it("a later stage's timeout runs from when the stage before it completed", async () => {
    const p = await pending([1, 2]);
    clock.advance(20 * HOUR);
    expect((await decide(p.approvers[0]!, p.id, 'Approve')).status).toBe(204);
    const stage2Opened = now();
    clock.advance(5 * HOUR); // past the first stage's own deadline
    expect(await timeOut(p.id)).toBe('notDue');
    expect(await dueBy(stage2Opened + 2 * DAY - 1)).not.toContain(p.id);
    expect(await dueBy(stage2Opened + 2 * DAY)).toContain(p.id);
    clock.set(new Date(stage2Opened + 2 * DAY));
    expect(await timeOut(p.id)).toBe('timedOut');
    const steps = (await approvalOf(p.id)).steps;
    expect(steps.map((s: { status: string; reviewResult: string }) => [s.status, s.reviewResult])).toEqual([
      ['Completed', 'Approved'],
      ['Expired', 'NotReviewed'],
    ]);
  });

  it('a request stored before timeouts existed times out a day after it was made', async () => {
    const p = await pending([3]);
    // As stored by the earlier version: no timeout or opening time on its stage, no deadline keys.
    const { db, tableName } = svc().table;
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.request(p.id),
        UpdateExpression: 'REMOVE #data.#approval.#stages[0].#timeout, #data.#approval.#stages[0].#opened, gsi5pk, gsi5sk',
        ExpressionAttributeNames: { '#data': 'data', '#approval': 'approval', '#stages': 'stages', '#timeout': 'timeoutInDays', '#opened': 'openedDateTime' },
      }),
    );
    clock.advance(DAY - 1);
    expect(await timeOut(p.id)).toBe('notDue');
    clock.advance(1);
    expect(await timeOut(p.id)).toBe('timedOut');
    expect((await requestOf(p.id)).status).toBe('TimedOut');
  });
});
