/**
 * Issue #4's check, end to end on one local stack with the background running: a policy requiring
 * approval by a user and a group; a member activates; the approvers see it in their views and in the
 * local inbox (with a link to the request's page); one approves while another denies at the same
 * moment (exactly one decision); the role works, is extended, expires on time; and the sweeper repairs
 * a run that was killed. Also: a restarted stack resumes the runs that were waiting.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import {
  activate,
  ASSIGNMENT_REQUESTS,
  customRole,
  filter,
  HOUR,
  instancesOf,
  iso,
  list,
  makeEligible,
  MINUTE,
  newGroup,
  newUsers,
  patchRule,
  post,
  startRolesStack,
  tokenOf,
  type Ctx,
} from '../roles/helpers.ts';
import { approvalRuleFor, eventually } from './support.ts';

const BETA = '/beta/roleManagement/directory/roleAssignmentApprovals';
const PASSWORD = 'microsoft.directory/users/password/update';

describe('approval, notification, lifecycle: the walk-through', () => {
  const clock = new ManualClock('2031-09-01T09:00:00.000Z');
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await startRolesStack({ clock, background: true });
  });
  afterAll(() => ctx.stop());

  it('runs from request to expiry with email, one decision under a race, an extension and a repaired run', async () => {
    const bg = ctx.stack.background!;
    const inbox = ctx.stack.inbox!;
    const [requester, lead, member1, member2] = await newUsers(ctx, 4, 'walk');
    const group = await newGroup(ctx, 'oncall', { roleAssignable: false, members: [member1!, member2!] });
    const role = await customRole(ctx, 'Password resetter');
    await patchRule(ctx, role, 'Approval_EndUser_Assignment', approvalRuleFor([{ userId: lead!.id }, { groupId: group.id }]));
    await makeEligible(ctx, requester!.id, role);

    const pending = (await activate(ctx, requester!, role, { duration: 'PT2H', justification: 'Reset a locked account (INC-42)' })).body;
    expect(pending.status).toBe('PendingApproval');

    // Every approver sees it in their view…
    for (const approver of [lead!, member1!, member2!]) {
      const mine = await list(
        ctx,
        `${ASSIGNMENT_REQUESTS}/filterByCurrentUser(on='approver')?${filter("status eq 'PendingApproval'")}`,
        await tokenOf(ctx, approver),
      );
      expect(mine.map((r) => r.id)).toEqual([pending.id]);
    }
    // …and in the local inbox, with a link to the request's page that carries no action.
    await eventually(async () => (await inbox.messages()).filter((m) => m.body.html?.includes(pending.id)).length >= 3, 'approval emails');
    const approvalMails = (await inbox.messages()).filter((m) => m.body.html?.includes(pending.id));
    expect(approvalMails.flatMap((m) => m.destination.to).sort()).toEqual([lead!.upn, member1!.upn, member2!.upn].sort());
    const link = `${ctx.stack.url}/portal/approvals/${pending.id}`;
    for (const mail of approvalMails) {
      expect(mail.body.html).toContain(link);
      expect(mail.body.text).toContain(link);
      expect(mail.body.html).toContain('INC-42');
    }

    // One approves while another denies, at the same moment: exactly one decision stands.
    const decide = async (who: typeof lead, reviewResult: 'Approve' | 'Deny', id = pending.id) =>
      ctx.api.call('PATCH', `${BETA}/${id}/steps/${id}`, {
        token: await tokenOf(ctx, who!),
        body: { reviewResult, justification: `${reviewResult} by ${who!.displayName}` },
      });
    const [a, b] = await Promise.all([decide(lead, 'Approve'), decide(member1, 'Deny')]);
    expect([a.status, b.status].sort()).toEqual([204, 409]);
    const request = (await ctx.api.call('GET', `${ASSIGNMENT_REQUESTS}/${pending.id}`, { token: await ctx.admin() })).body;
    const approved = a.status === 204;
    expect(request.status).toBe(approved ? 'Provisioned' : 'Denied');
    const steps = (await ctx.api.call('GET', `${BETA}/${pending.id}`, { token: await ctx.admin() })).body.steps;
    expect(steps[0].reviewedBy).toHaveLength(1);

    // The requester is told the outcome.
    await eventually(
      async () => (await inbox.messages()).some((m) => m.destination.to.includes(requester!.upn) && m.body.html?.includes(pending.id)),
      'outcome email',
    );
    let active = pending.id;
    if (!approved) {
      // The deny won the race: nothing was granted, and the run ended. Ask again, and have it approved.
      await eventually(() => bg.workflows.statusOf(pending.id) === 'succeeded', 'denied run ends');
      expect(await instancesOf(ctx, 'assignment', requester!.id)).toEqual([]);
      active = (await activate(ctx, requester!, role, { duration: 'PT2H', justification: 'Second try' })).body.id;
      expect(
        (
          await ctx.api.call('PATCH', `${BETA}/${active}/steps/${active}`, {
            token: await tokenOf(ctx, lead!),
            body: { reviewResult: 'Approve', justification: 'ok' },
          })
        ).status,
      ).toBe(204);
    }

    // The role works at once.
    const decision = await ctx.api.call('POST', '/access/v1/evaluation', {
      token: await tokenOf(ctx, requester!),
      body: { subject: { type: 'user', id: requester!.id }, action: { name: PASSWORD }, resource: { type: 'scope', id: '/' } },
    });
    expect(decision.body.decision).toBe(true);
    await eventually(() => bg.workflows.waitingFor(active)?.phase === 'waitForEnd', 'run waits for the end');
    const approvedEnd = Date.parse(bg.workflows.waitingFor(active)!.until!);

    // The requester extends it by an hour (the policy does not ask approval for extensions): the same run now waits for the new end.
    const extended = await post(
      ctx,
      'assignment',
      {
        action: 'selfExtend',
        principalId: requester!.id,
        roleDefinitionId: role,
        directoryScopeId: '/',
        justification: 'Still on it',
        scheduleInfo: { expiration: { type: 'afterDateTime', endDateTime: iso(approvedEnd + HOUR) } },
      },
      await tokenOf(ctx, requester!),
    );
    expect(extended.status, JSON.stringify(extended.body)).toBe(201);
    expect(extended.body.status).toBe('Provisioned');
    expect(bg.workflows.statusOf(extended.body.id)).toBeUndefined();
    clock.set(iso(approvedEnd));
    await eventually(() => bg.workflows.waitingFor(active)?.until === iso(approvedEnd + HOUR), 'run moves to the new end');
    expect(await instancesOf(ctx, 'assignment', requester!.id)).toHaveLength(1);

    // It expires on time.
    clock.set(iso(approvedEnd + HOUR));
    await eventually(() => bg.workflows.statusOf(active) === 'succeeded', 'run ends at expiry');
    expect(await instancesOf(ctx, 'assignment', requester!.id)).toEqual([]);

    // A second activation whose run is killed is repaired by the sweeper.
    const second = (await activate(ctx, requester!, role, { duration: 'PT1H' })).body;
    expect(second.status).toBe('PendingApproval');
    expect((await decide(member2, 'Approve', second.id)).status).toBe(204);
    await eventually(() => bg.workflows.waitingFor(second.id)?.phase === 'waitForEnd', 'second run waits for its end');
    bg.workflows.kill(second.id);
    clock.advance(HOUR + MINUTE);
    const report = await bg.sweep();
    expect(report.expired).toBe(1);
    expect(await instancesOf(ctx, 'assignment', requester!.id)).toEqual([]);
  });
});

describe('a restarted stack resumes every waiting run from the table', () => {
  const clock = new ManualClock('2031-10-01T09:00:00.000Z');
  const dataDir = mkdtempSync(join(tmpdir(), 'stint-resume-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('expires after the restart what was activated before it', async () => {
    const first = await startRolesStack({ clock, background: true, dataDir });
    const [user] = await newUsers(first, 1, 'resume');
    const role = await customRole(first, 'Resumed');
    await makeEligible(first, user!.id, role);
    const activation = (await activate(first, user!, role, { duration: 'PT1H' })).body;
    await eventually(() => first.stack.background!.workflows.waitingFor(activation.id)?.phase === 'waitForEnd', 'run waits');
    const tableName = first.stack.tableName;
    await first.stop();

    const second = await startRolesStack({ clock, background: true, dataDir, tableName });
    try {
      const bg = second.stack.background!;
      expect(bg.resumed).toBeGreaterThanOrEqual(1);
      await eventually(() => bg.workflows.waitingFor(activation.id)?.phase === 'waitForEnd', 'resumed run waits again');
      clock.advance(HOUR);
      await eventually(() => bg.workflows.statusOf(activation.id) === 'succeeded', 'resumed run expires the activation');
      expect(await instancesOf(second, 'assignment', user!.id)).toEqual([]);
    } finally {
      await second.stop();
    }
  });
});
