/**
 * The request lifecycle on the real state machine definition (generated from the CDK construct), run by
 * aws-local-stepfunctions, fed by the real stream poller over DynamoDB Local, with time from a manual
 * clock: approve, deny, timeout, cancel, scheduled start, expire, extend while active, early deactivate,
 * and the sweeper's repair of a run that was killed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Background } from '../../../infra/local/background.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import {
  activate,
  ASSIGNMENT_REQUESTS,
  customRole,
  HOUR,
  instancesOf,
  iso,
  makeActive,
  makeEligible,
  MINUTE,
  newUser,
  newUsers,
  patchRule,
  post,
  requestBody,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from '../roles/helpers.ts';
import { auditTrail } from '../api/support.ts';
import { approvalRuleFor, eventually } from './support.ts';

const BETA = '/beta/roleManagement/directory/roleAssignmentApprovals';

describe('request lifecycle on the state machine', () => {
  const clock = new ManualClock('2031-05-04T08:00:00.000Z');
  let ctx: Ctx;
  let bg: Background;
  beforeAll(async () => {
    ctx = await startRolesStack({ clock, background: true });
    bg = ctx.stack.background!;
  });
  afterAll(() => ctx.stop());

  const requestOf = async (id: string) => (await ctx.api.call('GET', `${ASSIGNMENT_REQUESTS}/${id}`, { token: await ctx.admin() })).body;
  const scheduleOf = async (id: string) =>
    (
      await ctx.stack.runtime.services.table.db.send(
        new (await import('@aws-sdk/lib-dynamodb')).GetCommand({ TableName: ctx.stack.tableName, Key: { pk: `SCHED#${id}`, sk: 'PTR' } }),
      )
    ).Item;
  const waitingFor = (id: string, phase: string) =>
    eventually(
      () => bg.workflows.waitingFor(id)?.phase === phase,
      `run ${id} waiting for ${phase} (now ${JSON.stringify(bg.workflows.waitingFor(id))}, ${bg.workflows.stateOf(id)})`,
    );
  const settled = async (id: string, status: string) => {
    await eventually(() => bg.workflows.statusOf(id) === status, `run ${id} ${status} (is ${bg.workflows.statusOf(id)})`);
  };
  const activationStatus = async (userId: string, scheduleId: string) => {
    const { schedulesOfPrincipal } = await import('../../../shared/store/role-schedules.ts');
    return (await schedulesOfPrincipal(ctx.stack.runtime.services.table, userId)).find((s) => s.data.id === scheduleId)?.data.status;
  };

  async function approvalSetup(): Promise<{ requester: TestUser; approver: TestUser; role: string }> {
    const [requester, approver] = await newUsers(ctx, 2, 'life');
    const role = await customRole(ctx, 'Lifecycle');
    await patchRule(ctx, role, 'Approval_EndUser_Assignment', approvalRuleFor([{ userId: approver!.id }]));
    await makeEligible(ctx, requester!.id, role);
    return { requester: requester!, approver: approver!, role };
  }

  async function decide(user: TestUser, id: string, reviewResult: 'Approve' | 'Deny') {
    return ctx.api.call('PATCH', `${BETA}/${id}/steps/${id}`, { token: await tokenOf(ctx, user), body: { reviewResult, justification: 'ok' } });
  }

  it('an activation without approval runs until its end, then expires: status Expired, audited, the run ends', async () => {
    const user = await newUser(ctx, 'life');
    const role = await customRole(ctx, 'Lifecycle');
    await makeEligible(ctx, user.id, role);
    const started = clock.now().getTime();
    const activation = (await activate(ctx, user, role, { duration: 'PT1H' })).body;
    expect(activation.status).toBe('Provisioned');
    await waitingFor(activation.id, 'waitForEnd');
    expect(bg.workflows.waitingFor(activation.id)?.until).toBe(iso(started + HOUR));

    clock.advance(HOUR - 1);
    expect(await instancesOf(ctx, 'assignment', user.id)).toHaveLength(1);
    clock.advance(1);
    await settled(activation.id, 'succeeded');
    expect(await activationStatus(user.id, activation.id)).toBe('Expired');
    expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
    const trail = await auditTrail(ctx.stack, user.id);
    expect(trail.map((a: { activityDisplayName: string }) => a.activityDisplayName)).toContain('Remove member from role (PIM activation expired)');
  });

  it('approve: the run waits on its task token, the decision wakes it, access starts at approval and expires at its end', async () => {
    const s = await approvalSetup();
    const pending = (await activate(ctx, s.requester, s.role, { duration: 'PT2H' })).body;
    expect(pending.status, JSON.stringify(pending)).toBe('PendingApproval');
    await waitingFor(pending.id, 'awaitApproval');
    clock.advance(30 * MINUTE);
    const approvedAt = clock.now().getTime();
    expect((await decide(s.approver, pending.id, 'Approve')).status).toBe(204);
    await waitingFor(pending.id, 'waitForEnd');
    // The window is computed at approval, not at request (peers.md §6, lesson 6).
    expect(bg.workflows.waitingFor(pending.id)?.until).toBe(iso(approvedAt + 2 * HOUR));
    expect(await instancesOf(ctx, 'assignment', s.requester.id)).toHaveLength(1);
    clock.advance(2 * HOUR);
    await settled(pending.id, 'succeeded');
    expect(await instancesOf(ctx, 'assignment', s.requester.id)).toEqual([]);
  });

  it('deny: the woken run ends at once and nothing is granted', async () => {
    const s = await approvalSetup();
    const pending = (await activate(ctx, s.requester, s.role)).body;
    await waitingFor(pending.id, 'awaitApproval');
    expect((await decide(s.approver, pending.id, 'Deny')).status).toBe(204);
    await settled(pending.id, 'succeeded');
    expect((await requestOf(pending.id)).status).toBe('Denied');
    expect(await instancesOf(ctx, 'assignment', s.requester.id)).toEqual([]);
  });

  it("timeout: past the policy's deadline the task times out (States.Timeout → TimeOutApproval) and the request is TimedOut", async () => {
    const s = await approvalSetup();
    const pending = (await activate(ctx, s.requester, s.role)).body;
    await waitingFor(pending.id, 'awaitApproval');
    expect(bg.workflows.waitingFor(pending.id)?.until).toBe(iso(clock.now().getTime() + 24 * HOUR));
    clock.advance(24 * HOUR);
    await settled(pending.id, 'succeeded');
    expect((await requestOf(pending.id)).status).toBe('TimedOut');
    expect((await decide(s.approver, pending.id, 'Approve')).status).toBe(409);
    expect(await instancesOf(ctx, 'assignment', s.requester.id)).toEqual([]);
  });

  it('cancel: the requester cancels a pending request and its run is stopped at once', async () => {
    const s = await approvalSetup();
    const pending = (await activate(ctx, s.requester, s.role)).body;
    await waitingFor(pending.id, 'awaitApproval');
    const cancel = await ctx.api.call('POST', `${ASSIGNMENT_REQUESTS}/${pending.id}/cancel`, { token: await tokenOf(ctx, s.requester) });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(204);
    await settled(pending.id, 'stopped');
    expect((await requestOf(pending.id)).status).toBe('Canceled');
    // The approver, asked by email, is told by email that there is nothing left to decide.
    const toApprover = async () =>
      (await ctx.stack.inbox!.messages()).filter((m) => m.destination.to.includes(s.approver.upn) && m.body.text?.includes(pending.id));
    await eventually(async () => (await toApprover()).some((m) => m.subject.startsWith('Cancelled:')), 'cancellation email to the approver');
    expect((await toApprover()).find((m) => m.subject.startsWith('Cancelled:'))!.body.text).toContain('Nothing is needed from you.');
  });

  it('scheduled start: Granted until the start, then Provisioned (request and schedule), then expires', async () => {
    const user = await newUser(ctx, 'life');
    const role = await customRole(ctx, 'Lifecycle');
    await makeEligible(ctx, user.id, role);
    const start = clock.now().getTime() + 3 * HOUR;
    const planned = (await activate(ctx, user, role, { start: iso(start), duration: 'PT1H' })).body;
    expect(planned.status).toBe('Granted');
    await waitingFor(planned.id, 'waitForStart');
    expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
    clock.set(iso(start));
    await waitingFor(planned.id, 'waitForEnd');
    expect((await requestOf(planned.id)).status).toBe('Provisioned');
    expect(await activationStatus(user.id, planned.id)).toBe('Provisioned');
    expect(await instancesOf(ctx, 'assignment', user.id)).toHaveLength(1);
    clock.set(iso(start + HOUR));
    await settled(planned.id, 'succeeded');
    expect(await activationStatus(user.id, planned.id)).toBe('Expired');
  });

  it('extend while active: the same run moves to the new end; no second run; the old end expires nothing', async () => {
    const user = await newUser(ctx, 'life');
    const role = await customRole(ctx, 'Lifecycle');
    const t0 = clock.now().getTime();
    const assigned = await makeActive(ctx, user.id, role, { end: iso(t0 + 10 * HOUR) });
    await waitingFor(assigned.id, 'waitForEnd');
    const extension = await post(ctx, 'assignment', requestBody(user.id, role, { action: 'adminExtend', end: iso(t0 + 20 * HOUR) }));
    expect(extension.status, JSON.stringify(extension.body)).toBe(201);
    await bg.settle();
    clock.set(iso(t0 + 10 * HOUR));
    await eventually(() => bg.workflows.waitingFor(assigned.id)?.until === iso(t0 + 20 * HOUR), 'run re-waits for the new end');
    expect(bg.workflows.statusOf(extension.body.id)).toBeUndefined();
    expect(await instancesOf(ctx, 'assignment', user.id)).toHaveLength(1);
    clock.set(iso(t0 + 20 * HOUR));
    await settled(assigned.id, 'succeeded');
    expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
  });

  it('early selfDeactivate stops the run at once; the schedule is gone', async () => {
    const user = await newUser(ctx, 'life');
    const role = await customRole(ctx, 'Lifecycle');
    await makeEligible(ctx, user.id, role);
    const activation = (await activate(ctx, user, role, { duration: 'PT4H' })).body;
    await waitingFor(activation.id, 'waitForEnd');
    clock.advance(MINUTE * 10);
    const off = await post(
      ctx,
      'assignment',
      { action: 'selfDeactivate', principalId: user.id, roleDefinitionId: role, directoryScopeId: '/' },
      await tokenOf(ctx, user),
    );
    expect(off.status, JSON.stringify(off.body)).toBe(201);
    await settled(activation.id, 'stopped');
    expect(await scheduleOf(activation.id)).toBeUndefined();
  });

  it('the sweeper repairs a run that was killed: the activation is expired on time, once', async () => {
    const user = await newUser(ctx, 'life');
    const role = await customRole(ctx, 'Lifecycle');
    await makeEligible(ctx, user.id, role);
    const activation = (await activate(ctx, user, role, { duration: 'PT1H' })).body;
    await waitingFor(activation.id, 'waitForEnd');
    bg.workflows.kill(activation.id);
    clock.advance(HOUR);
    expect(await activationStatus(user.id, activation.id)).toBe('Provisioned');
    const report = await bg.sweep();
    expect(report.expired).toBeGreaterThanOrEqual(1);
    expect(await activationStatus(user.id, activation.id)).toBe('Expired');
    const again = await bg.sweep();
    expect(again.expired).toBe(0);
    const trail = await auditTrail(ctx.stack, user.id);
    expect(trail.filter((a: { activityDisplayName: string }) => a.activityDisplayName === 'Remove member from role (PIM activation expired)')).toHaveLength(1);
  });

  it('the sweeper puts each reminder once (14 days and 1 day before an end) and it arrives by email', async () => {
    const user = await newUser(ctx, 'life');
    const role = await customRole(ctx, 'Reminded');
    const DAY = 24 * HOUR;
    const end = clock.now().getTime() + 14 * DAY + 30 * MINUTE;
    await makeActive(ctx, user.id, role, { end: iso(end) });
    await bg.sweep();
    const mine = async () => (await ctx.stack.inbox!.messages()).filter((m) => m.destination.to.includes(user.upn) && / expires /.test(m.subject));

    clock.advance(31 * MINUTE);
    expect((await bg.sweep()).reminders).toBeGreaterThanOrEqual(1);
    expect((await bg.sweep()).reminders).toBe(0);
    await eventually(async () => (await mine()).length === 1, '14-day reminder email');
    expect((await mine())[0]!.subject).toMatch(/expires in 14 days|expires on/);

    clock.set(iso(end - DAY + MINUTE));
    expect((await bg.sweep()).reminders).toBeGreaterThanOrEqual(1);
    await eventually(async () => (await mine()).length === 2, '1-day reminder email');
  });

  it("an administrator's update of an eligibility is emailed to its holder with the new end", async () => {
    const user = await newUser(ctx, 'updated');
    const role = await customRole(ctx, 'Updated');
    await makeEligible(ctx, user.id, role);
    const end = iso(clock.now().getTime() + 20 * 24 * HOUR);
    const updated = await post(ctx, 'eligibility', requestBody(user.id, role, { action: 'adminUpdate', end }));
    expect(updated.status, JSON.stringify(updated.body)).toBe(201);
    const mine = async () => (await ctx.stack.inbox!.messages()).filter((m) => m.destination.to.includes(user.upn) && / was updated$/.test(m.subject));
    await eventually(async () => (await mine()).length === 1, 'update email to the holder');
    expect((await mine())[0]!.body.text).toContain('It now ends on');
  });

  it('the sweeper reminds the approvers of an approval still pending 6 hours before it times out', async () => {
    const s = await approvalSetup();
    const pending = (await activate(ctx, s.requester, s.role)).body;
    await waitingFor(pending.id, 'awaitApproval');
    await bg.sweep();
    const toApprover = async () =>
      (await ctx.stack.inbox!.messages()).filter((m) => m.destination.to.includes(s.approver.upn) && m.body.text?.includes(pending.id));
    await eventually(async () => (await toApprover()).length === 1, 'approval request email');
    clock.advance(18 * HOUR + MINUTE);
    expect((await bg.sweep()).reminders).toBeGreaterThanOrEqual(1);
    await eventually(async () => (await toApprover()).length === 2, 'approval reminder email');
    expect((await requestOf(pending.id)).status).toBe('PendingApproval');
  });
});
