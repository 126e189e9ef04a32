/**
 * Approvals, synchronous slice: a policy requiring approval by a user and a group; the approver's
 * view (filterByCurrentUser(on='approver')), the approval and its steps, and the decision (PATCH a step),
 * with self-approval, races, cancellation, the default approvers and N-of-M stages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { SYSTEM_CALLER } from '../../../shared/domain/caller.ts';
import { timeOutApproval } from '../../../shared/services/roles/approvals/timeout.ts';
import { auditTrail } from '../api/support.ts';
import {
  activate,
  ASSIGNMENT_REQUESTS,
  customRole,
  DAY,
  ELIGIBILITY_REQUESTS,
  expectGraphError,
  failedRules,
  filter,
  HOUR,
  instancesOf,
  iso,
  list,
  makeActive,
  makeEligible,
  MINUTE,
  newGroup,
  newUser,
  newUsers,
  patchRule,
  ROLES,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
  approvalRuleWith,
  type ApprovalStageSpec,
  type ApproverRef,
} from './helpers.ts';

const BETA = '/beta/roleManagement/directory/roleAssignmentApprovals';
const V1 = '/v1.0/roleManagement/directory/roleAssignmentApprovals';

type Approver = ApproverRef;

function rule(approvers: Approver[], o: { requiredApproverCount?: number; secondStage?: Approver[] } = {}): Record<string, unknown> {
  const stages: ApprovalStageSpec[] = [{ approvers, requiredApproverCount: o.requiredApproverCount }];
  if (o.secondStage) stages.push({ approvers: o.secondStage, requiredApproverCount: o.requiredApproverCount });
  return approvalRuleWith(stages);
}

describe('approvals of role activations', () => {
  const clock = new ManualClock('2032-03-01T08:00:00.000Z');
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
  });
  afterAll(() => ctx.stop());

  /** A role needing approval by one user and the members of a group, and a member eligible for it. */
  async function setup(o: { requesterInGroup?: boolean; requiredApproverCount?: number } = {}) {
    const [requester, approver, member1, member2, outsider] = await newUsers(ctx, 5, 'appr');
    const group = await newGroup(ctx, 'approvers', { roleAssignable: false, members: [member1!, member2!, ...(o.requesterInGroup ? [requester!] : [])] });
    const role = await customRole(ctx, 'Approved');
    await patchRule(
      ctx,
      role,
      'Approval_EndUser_Assignment',
      rule([{ userId: approver!.id }, { groupId: group.id }], { requiredApproverCount: o.requiredApproverCount }),
    );
    const eligibility = await makeEligible(ctx, requester!.id, role);
    return { requester: requester!, approver: approver!, member1: member1!, member2: member2!, outsider: outsider!, group, role, eligibility };
  }

  async function pendingActivation(user: TestUser, role: string, duration = 'PT2H') {
    const result = await activate(ctx, user, role, { duration });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(result.body.status).toBe('PendingApproval');
    return result.body;
  }

  async function decideAs(
    user: TestUser | string,
    approvalId: string,
    reviewResult: 'Approve' | 'Deny',
    justification: string | undefined = 'Looks right',
    stepId = approvalId,
    base = BETA,
  ) {
    const token = typeof user === 'string' ? await ctx.admin() : await tokenOf(ctx, user);
    return ctx.api.call('PATCH', `${base}/${approvalId}/steps/${stepId}`, {
      token,
      body: { reviewResult, ...(justification === undefined ? {} : { justification }) },
    });
  }

  const requestOf = async (id: string) => (await ctx.api.call('GET', `${ASSIGNMENT_REQUESTS}/${id}`, { token: await ctx.admin() })).body;
  const awaiting = async (user: TestUser) =>
    (await list(ctx, `${ASSIGNMENT_REQUESTS}/filterByCurrentUser(on='approver')?${filter("status eq 'PendingApproval'")}`, await tokenOf(ctx, user))).map(
      (r) => r.id,
    );

  it('a pending activation is listed for every approver (user and group members), not for others, and shows its step', async () => {
    const s = await setup();
    const pending = await pendingActivation(s.requester, s.role);
    expect(pending).not.toHaveProperty('approval');
    for (const approver of [s.approver, s.member1, s.member2]) expect(await awaiting(approver)).toEqual([pending.id]);
    expect(await awaiting(s.outsider)).toEqual([]);
    expect(await awaiting(s.requester)).toEqual([]);

    for (const base of [BETA, V1]) {
      const approval = await ctx.api.call('GET', `${base}/${pending.id}`, { token: await tokenOf(ctx, s.approver) });
      expect(approval.status, JSON.stringify(approval.body)).toBe(200);
      expect(approval.body).toMatchObject({
        id: pending.id,
        steps: [
          {
            id: pending.id,
            displayName: null,
            reviewedBy: null,
            reviewedDateTime: null,
            reviewResult: 'NotReviewed',
            status: 'InProgress',
            justification: null,
            assignedToMe: true,
          },
        ],
      });
    }
    const steps = await ctx.api.call('GET', `${BETA}/${pending.id}/steps`, { token: await tokenOf(ctx, s.requester) });
    expect(steps.status).toBe(200);
    expect(steps.body.value).toEqual([expect.objectContaining({ id: pending.id, assignedToMe: false, status: 'InProgress' })]);
    expect((await ctx.api.call('GET', `${BETA}/${pending.id}`, { token: await tokenOf(ctx, s.outsider) })).status).toBe(404);
  });

  it('the requester cannot approve their own request, even as a member of the approver group; nothing changes', async () => {
    const s = await setup({ requesterInGroup: true });
    const pending = await pendingActivation(s.requester, s.role);
    expectGraphError(await decideAs(s.requester, pending.id, 'Approve'), 403, 'Approval_SelfApprovalNotAllowed');
    expectGraphError(await decideAs(s.outsider, pending.id, 'Approve'), 403, 'Approval_NotAnApprover');
    expect((await requestOf(pending.id)).status).toBe('PendingApproval');
    expect(await instancesOf(ctx, 'assignment', s.requester.id)).toEqual([]);
  });

  it('approve: Provisioned from the approval time, an Activated instance, audited; a second decision is a 409', async () => {
    const s = await setup();
    const pending = await pendingActivation(s.requester, s.role, 'PT2H');
    clock.advance(10 * MINUTE);
    const approvedAt = clock.now().getTime();
    expectGraphError(await decideAs(s.member1, pending.id, 'Approve', ''), 400, 'Approval_JustificationRequired');
    const ok = await decideAs(s.member1, pending.id, 'Approve');
    expect(ok.status, JSON.stringify(ok.body)).toBe(204);
    const request = await requestOf(pending.id);
    expect(request).toMatchObject({
      status: 'Provisioned',
      targetScheduleId: pending.id,
      completedDateTime: iso(approvedAt),
      scheduleInfo: { startDateTime: iso(approvedAt) },
    });
    const instances = await instancesOf(ctx, 'assignment', s.requester.id);
    expect(instances).toEqual([
      expect.objectContaining({
        assignmentType: 'Activated',
        roleDefinitionId: s.role,
        startDateTime: iso(approvedAt),
        endDateTime: iso(approvedAt + 2 * HOUR),
      }),
    ]);
    expect(await awaiting(s.approver)).toEqual([]);
    expectGraphError(await decideAs(s.approver, pending.id, 'Approve'), 409, 'Approval_AlreadyDecided');
    const approval = (await ctx.api.call('GET', `${BETA}/${pending.id}`, { token: await tokenOf(ctx, s.approver) })).body;
    expect(approval.steps[0]).toMatchObject({
      reviewResult: 'Approved',
      status: 'Completed',
      reviewedBy: [{ id: s.member1.id }],
      justification: 'Looks right',
      assignedToMe: false,
    });
    const trail = await auditTrail(ctx.stack, s.requester.id);
    expect(trail.map((a) => a.activityDisplayName)).toContain('Add member to role request approved (PIM activation)');
  });

  it('deny: Denied, no instance, audited', async () => {
    const s = await setup();
    const pending = await pendingActivation(s.requester, s.role);
    expect((await decideAs(s.approver, pending.id, 'Deny', 'Not now')).status).toBe(204);
    expect((await requestOf(pending.id)).status).toBe('Denied');
    expect(await instancesOf(ctx, 'assignment', s.requester.id)).toEqual([]);
    expect(await awaiting(s.member1)).toEqual([]);
    const trail = await auditTrail(ctx.stack, s.requester.id);
    expect(trail.map((a) => a.activityDisplayName)).toContain('Add member to role request denied (PIM activation)');
  });

  it('two approvers deciding at the same moment produce exactly one decision', async () => {
    const s = await setup();
    const pending = await pendingActivation(s.requester, s.role);
    const results = await Promise.all([
      decideAs(s.approver, pending.id, 'Approve'),
      decideAs(s.member1, pending.id, 'Deny', 'No'),
      decideAs(s.member2, pending.id, 'Approve'),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses, JSON.stringify(results.map((r) => r.body))).toEqual([204, 409, 409]);
    const request = await requestOf(pending.id);
    const approval = (await ctx.api.call('GET', `${BETA}/${pending.id}`, { token: await ctx.admin() })).body;
    expect(approval.steps[0].reviewedBy).toHaveLength(1);
    const winner = results.findIndex((r) => r.status === 204);
    expect(request.status).toBe(winner === 1 ? 'Denied' : 'Provisioned');
    expect(await instancesOf(ctx, 'assignment', s.requester.id)).toHaveLength(winner === 1 ? 0 : 1);
  });

  it('cancel, then decide: 409 and nothing changes', async () => {
    const s = await setup();
    const pending = await pendingActivation(s.requester, s.role);
    expect((await ctx.api.call('POST', `${ASSIGNMENT_REQUESTS}/${pending.id}/cancel`, { token: await tokenOf(ctx, s.requester) })).status).toBe(204);
    expect(await awaiting(s.approver)).toEqual([]);
    expectGraphError(await decideAs(s.approver, pending.id, 'Approve'), 409, 'Approval_AlreadyDecided');
    expect((await requestOf(pending.id)).status).toBe('Canceled');
    expect(await instancesOf(ctx, 'assignment', s.requester.id)).toEqual([]);
  });

  it('falls back to the Global Administrators when the only approver is the requester', async () => {
    const requester = await newUser(ctx, 'alone');
    const role = await customRole(ctx, 'Fallback');
    await patchRule(ctx, role, 'Approval_EndUser_Assignment', rule([{ userId: requester.id }]));
    await makeEligible(ctx, requester.id, role);
    const pending = await pendingActivation(requester, role);
    const adminView = await list(ctx, `${ASSIGNMENT_REQUESTS}/filterByCurrentUser(on='approver')`, await ctx.admin());
    expect(adminView.map((r) => r.id)).toContain(pending.id);
    expect((await decideAs(ctx.adminId, pending.id, 'Approve')).status).toBe(204);
    expect((await requestOf(pending.id)).status).toBe('Provisioned');
  });

  it('an N-of-M stage needs N approvals', async () => {
    const s = await setup({ requiredApproverCount: 2 });
    const pending = await pendingActivation(s.requester, s.role);
    expect((await decideAs(s.member1, pending.id, 'Approve')).status).toBe(204);
    expect((await requestOf(pending.id)).status).toBe('PendingApproval');
    expect(await instancesOf(ctx, 'assignment', s.requester.id)).toEqual([]);
    expect(await awaiting(s.member1)).toEqual([]);
    expect(await awaiting(s.member2)).toEqual([pending.id]);
    expectGraphError(await decideAs(s.member1, pending.id, 'Approve'), 409, 'Approval_AlreadyDecided');
    expect((await decideAs(s.approver, pending.id, 'Approve')).status).toBe(204);
    expect((await requestOf(pending.id)).status).toBe('Provisioned');
    expect(await instancesOf(ctx, 'assignment', s.requester.id)).toHaveLength(1);
  });

  it('an empty approver group falls back to the default approvers too (no approver at all is refused: unit-tested)', async () => {
    const requester = await newUser(ctx, 'noone');
    const group = await newGroup(ctx, 'empty', { roleAssignable: false });
    const role = await customRole(ctx, 'Noone');
    await patchRule(ctx, role, 'Approval_EndUser_Assignment', rule([{ groupId: group.id }]));
    await makeEligible(ctx, requester.id, role);
    const pending = await pendingActivation(requester, role);
    expect((await list(ctx, `${ASSIGNMENT_REQUESTS}/filterByCurrentUser(on='approver')`, await ctx.admin())).map((r) => r.id)).toContain(pending.id);
  });

  it('selfExtend goes to the administrators; their approval applies the new end to the eligibility', async () => {
    const user = await newUser(ctx, 'extend');
    const role = await customRole(ctx, 'Extend');
    const eligibility = await makeEligible(ctx, user.id, role, { end: iso(clock.now().getTime() + 10 * DAY) });
    const newEnd = iso(clock.now().getTime() + 60 * DAY);
    const body = {
      action: 'selfExtend',
      principalId: user.id,
      roleDefinitionId: role,
      directoryScopeId: '/',
      justification: 'Still needed',
      scheduleInfo: { expiration: { type: 'afterDateTime', endDateTime: newEnd } },
    };
    const result = await ctx.api.call('POST', ELIGIBILITY_REQUESTS, { token: await tokenOf(ctx, user), body });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(result.body.status).toBe('PendingApproval');
    const adminView = await list(ctx, `${ELIGIBILITY_REQUESTS}/filterByCurrentUser(on='approver')`, await ctx.admin());
    expect(adminView.map((r) => r.id)).toContain(result.body.id);
    expectGraphError(await decideAs(user, result.body.id, 'Approve'), 403, 'Approval_SelfApprovalNotAllowed');
    expect((await decideAs(ctx.adminId, result.body.id, 'Approve')).status).toBe(204);
    const request = (await ctx.api.call('GET', `${ELIGIBILITY_REQUESTS}/${result.body.id}`, { token: await ctx.admin() })).body;
    expect(request).toMatchObject({ status: 'Provisioned', targetScheduleId: eligibility.id });
    expect(await instancesOf(ctx, 'eligibility', user.id)).toEqual([expect.objectContaining({ id: eligibility.id, endDateTime: newEnd })]);
  });

  it('refuses at submission when no one but the requester could approve (400 ApprovalRule)', async () => {
    // The seeded admin is this stack's only Global Administrator and no one holds Privileged Role Administrator.
    const role = await customRole(ctx, 'Alone');
    await patchRule(ctx, role, 'Approval_EndUser_Assignment', rule([{ userId: ctx.adminId }]));
    await makeEligible(ctx, ctx.adminId, role);
    const result = await ctx.api.call('POST', ASSIGNMENT_REQUESTS, {
      token: await ctx.admin(),
      body: {
        action: 'selfActivate',
        principalId: ctx.adminId,
        roleDefinitionId: role,
        directoryScopeId: '/',
        justification: 'Needed',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
      },
    });
    expectGraphError(result, 400, 'RoleAssignmentRequestPolicyValidationFailed');
    expect(failedRules(result)).toEqual(['ApprovalRule']);
  });

  describe('a decision is final', () => {
    it('after a Deny, neither another approver nor the same one can decide: 409, and the approval is unchanged', async () => {
      const s = await setup();
      const pending = await pendingActivation(s.requester, s.role);
      expect((await decideAs(s.member1, pending.id, 'Deny', 'No')).status).toBe(204);
      const before = await ctx.api.call('GET', `${BETA}/${pending.id}`, { token: await ctx.admin() });
      for (const [who, result] of [
        [s.approver, 'Approve'],
        [s.member2, 'Deny'],
        [s.member1, 'Approve'],
      ] as const) {
        expectGraphError(await decideAs(who, pending.id, result), 409, 'Approval_AlreadyDecided');
      }
      expect((await ctx.api.call('GET', `${BETA}/${pending.id}`, { token: await ctx.admin() })).body).toEqual(before.body);
      expect((await requestOf(pending.id)).status).toBe('Denied');
    });

    it('after a cancel the approval steps are unchanged too', async () => {
      const s = await setup();
      const pending = await pendingActivation(s.requester, s.role);
      expect((await ctx.api.call('POST', `${ASSIGNMENT_REQUESTS}/${pending.id}/cancel`, { token: await tokenOf(ctx, s.requester) })).status).toBe(204);
      const before = (await ctx.api.call('GET', `${V1}/${pending.id}`, { token: await ctx.admin() })).body;
      expectGraphError(await decideAs(s.member2, pending.id, 'Deny', 'No', pending.id, V1), 409, 'Approval_AlreadyDecided');
      expect((await ctx.api.call('GET', `${V1}/${pending.id}`, { token: await ctx.admin() })).body).toEqual(before);
      expect(before.steps[0]).toMatchObject({ reviewResult: 'NotReviewed', reviewedBy: null });
    });

    it('after a timeout: 409, nothing changes', async () => {
      const s = await setup();
      const pending = await pendingActivation(s.requester, s.role);
      clock.advance(DAY);
      expect(await timeOutApproval(ctx.stack.runtime.services, { caller: SYSTEM_CALLER, correlationId: 'test', system: true }, pending.id)).toBe('timedOut');
      const before = await requestOf(pending.id);
      expectGraphError(await decideAs(s.approver, pending.id, 'Approve'), 409, 'Approval_AlreadyDecided');
      expect(await requestOf(pending.id)).toEqual(before);
      expect(before.status).toBe('TimedOut');
      expect(await instancesOf(ctx, 'assignment', s.requester.id)).toEqual([]);
    });
  });

  describe('batchRecordDecisions (bulk approval, beyond Graph)', () => {
    const batch = async (user: TestUser | string, body: Record<string, unknown>, base = BETA) =>
      ctx.api.call('POST', `${base}/batchRecordDecisions`, { token: typeof user === 'string' ? await ctx.admin() : await tokenOf(ctx, user), body });

    it('decides each approval on its own: a result per approval, in order, one failing leaving the others alone', async () => {
      const s = await setup();
      const [r2, r3] = await newUsers(ctx, 2, 'bulk');
      await makeEligible(ctx, r2!.id, s.role);
      await makeEligible(ctx, r3!.id, s.role);
      const a = await pendingActivation(s.requester, s.role);
      const b = await pendingActivation(r2!, s.role);
      const c = await pendingActivation(r3!, s.role);
      expect((await ctx.api.call('POST', `${ASSIGNMENT_REQUESTS}/${c.id}/cancel`, { token: await tokenOf(ctx, r3!) })).status).toBe(204);
      const other = await setup();
      const foreign = await pendingActivation(other.requester, other.role);
      const missing = 'req_01ZZZZZZZZZZZZZZZZZZZZZZZZ';

      const result = await batch(s.approver, {
        approvalIds: [a.id, c.id, foreign.id, b.id, missing],
        reviewResult: 'Approve',
        justification: 'Bulk: on-call week',
      });
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      expect(result.body.value).toEqual([
        { approvalId: a.id, status: 'Approved' },
        { approvalId: c.id, status: 'Failed', error: { code: 'Approval_AlreadyDecided', message: expect.any(String) } },
        { approvalId: foreign.id, status: 'Failed', error: { code: 'Approval_NotAnApprover', message: expect.any(String) } },
        { approvalId: b.id, status: 'Approved' },
        { approvalId: missing, status: 'Failed', error: { code: 'Request_ResourceNotFound', message: expect.any(String) } },
      ]);
      for (const [id, status] of [
        [a.id, 'Provisioned'],
        [b.id, 'Provisioned'],
        [c.id, 'Canceled'],
        [foreign.id, 'PendingApproval'],
      ])
        expect((await requestOf(id!)).status).toBe(status);
      expect(await instancesOf(ctx, 'assignment', s.requester.id)).toHaveLength(1);
      expect(await instancesOf(ctx, 'assignment', r2!.id)).toHaveLength(1);
      const approval = (await ctx.api.call('GET', `${BETA}/${b.id}`, { token: await tokenOf(ctx, r2!) })).body;
      expect(approval.steps[0]).toMatchObject({ reviewResult: 'Approved', reviewedBy: [{ id: s.approver.id }], justification: 'Bulk: on-call week' });
    });

    it('denies in bulk under /v1.0, and reports a missing approver justification per approval without changing anything', async () => {
      const s = await setup();
      const a = await pendingActivation(s.requester, s.role);
      const refused = await batch(s.member1, { approvalIds: [a.id], reviewResult: 'deny' }, V1);
      expect(refused.status).toBe(200);
      expect(refused.body.value).toEqual([
        { approvalId: a.id, status: 'Failed', error: { code: 'Approval_JustificationRequired', message: expect.any(String) } },
      ]);
      expect((await requestOf(a.id)).status).toBe('PendingApproval');
      const denied = await batch(s.member1, { approvalIds: [a.id], reviewResult: 'Deny', justification: 'Not during the freeze' }, V1);
      expect(denied.body.value).toEqual([{ approvalId: a.id, status: 'Denied' }]);
      expect((await requestOf(a.id)).status).toBe('Denied');
    });

    it('decides the stage now open of a multi-stage approval', async () => {
      const [requester, first, second] = await newUsers(ctx, 3, 'stages');
      const role = await customRole(ctx, 'Two stages');
      await patchRule(ctx, role, 'Approval_EndUser_Assignment', rule([{ userId: first!.id }], { secondStage: [{ userId: second!.id }] }));
      await makeEligible(ctx, requester!.id, role);
      const p = await pendingActivation(requester!, role);
      expect((await batch(second!, { approvalIds: [p.id], reviewResult: 'Approve', justification: 'ok' })).body.value[0]).toMatchObject({
        status: 'Failed',
        error: { code: 'Approval_NotAnApprover' },
      });
      expect((await batch(first!, { approvalIds: [p.id], reviewResult: 'Approve', justification: 'ok' })).body.value).toEqual([
        { approvalId: p.id, status: 'Approved' },
      ]);
      expect((await requestOf(p.id)).status).toBe('PendingApproval');
      expect((await batch(second!, { approvalIds: [p.id], reviewResult: 'Approve', justification: 'ok' })).body.value).toEqual([
        { approvalId: p.id, status: 'Approved' },
      ]);
      expect((await requestOf(p.id)).status).toBe('Provisioned');
      const steps = (await ctx.api.call('GET', `${BETA}/${p.id}`, { token: await tokenOf(ctx, requester!) })).body.steps;
      expect(steps.map((x: { reviewedBy: { id: string }[] }) => x.reviewedBy[0]!.id)).toEqual([first!.id, second!.id]);
    });

    it('two approvers deciding the same approvals in bulk at once: each approval is decided exactly once', async () => {
      const s = await setup();
      const requesters = await newUsers(ctx, 4, 'race');
      for (const r of requesters) await makeEligible(ctx, r.id, s.role);
      const ids = await Promise.all(requesters.map(async (r) => (await pendingActivation(r, s.role)).id));
      const [x, y] = await Promise.all([
        batch(s.approver, { approvalIds: ids, reviewResult: 'Approve', justification: 'yes' }),
        batch(s.member1, { approvalIds: [...ids].reverse(), reviewResult: 'Deny', justification: 'no' }),
      ]);
      expect([x.status, y.status]).toEqual([200, 200]);
      for (const id of ids) {
        const outcomes = [...x.body.value, ...y.body.value]
          .filter((v: { approvalId: string }) => v.approvalId === id)
          .map((v: { status: string }) => v.status)
          .sort();
        expect(['Approved,Failed', 'Denied,Failed']).toContain(outcomes.join());
        const status = (await requestOf(id)).status;
        expect(status).toBe(outcomes.includes('Approved') ? 'Provisioned' : 'Denied');
        expect((await ctx.api.call('GET', `${BETA}/${id}`, { token: await ctx.admin() })).body.steps[0].reviewedBy).toHaveLength(1);
      }
    });

    it('refuses bad input with a 400: no ids, more than 100, repeated ids, an unknown result', async () => {
      const s = await setup();
      for (const body of [
        { approvalIds: [], reviewResult: 'Approve' },
        { approvalIds: Array.from({ length: 101 }, (_, i) => `req_${i}`), reviewResult: 'Approve' },
        { approvalIds: ['a', 'a'], reviewResult: 'Approve' },
        { approvalIds: ['a'], reviewResult: 'Maybe' },
        { approvalIds: ['a'], reviewResult: 'Approve', extra: true },
      ]) {
        expect((await batch(s.approver, body)).status, JSON.stringify(body).slice(0, 80)).toBe(400);
      }
    });
  });

  describe('history', () => {
    it("an approver's filterByCurrentUser(on='approver') lists every request they were an approver of, pending ones while awaiting them", async () => {
      const s = await setup();
      const [r2, r3, r4] = await newUsers(ctx, 3, 'hist');
      for (const r of [r2!, r3!, r4!]) await makeEligible(ctx, r.id, s.role);
      const approved = await pendingActivation(s.requester, s.role);
      const denied = await pendingActivation(r2!, s.role);
      const timedOut = await pendingActivation(r3!, s.role);
      clock.advance(2 * HOUR);
      const stillPending = await pendingActivation(r4!, s.role);
      expect((await decideAs(s.approver, approved.id, 'Approve', 'Fine')).status).toBe(204);
      expect((await decideAs(s.member1, denied.id, 'Deny', 'Too broad')).status).toBe(204);
      clock.advance(DAY - 2 * HOUR);
      expect(await timeOutApproval(ctx.stack.runtime.services, { caller: SYSTEM_CALLER, correlationId: 'test', system: true }, timedOut.id)).toBe('timedOut');

      const mine = async (query = '') =>
        (await list(ctx, `${ASSIGNMENT_REQUESTS}/filterByCurrentUser(on='approver')${query}`, await tokenOf(ctx, s.approver))).map((r) => [r.id, r.status]);
      expect(await mine()).toEqual(
        [
          [approved.id, 'Provisioned'],
          [denied.id, 'Denied'],
          [timedOut.id, 'TimedOut'],
          [stillPending.id, 'PendingApproval'],
        ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
      );
      expect(await mine(`?${filter("status eq 'PendingApproval'")}`)).toEqual([[stillPending.id, 'PendingApproval']]);
      expect(await mine(`?${filter("status eq 'TimedOut'")}`)).toEqual([[timedOut.id, 'TimedOut']]);

      // Who decided, when and why, for the requester, the approvers and readers; nobody else.
      const reader = await newUser(ctx, 'reader');
      await makeActive(ctx, reader.id, ROLES.globalReader);
      for (const token of [await tokenOf(ctx, r2!), await tokenOf(ctx, s.member2), await tokenOf(ctx, reader)]) {
        const view = await ctx.api.call('GET', `${BETA}/${denied.id}?$expand=steps`, { token });
        expect(view.status, JSON.stringify(view.body)).toBe(200);
        expect(view.body.steps).toEqual([
          expect.objectContaining({
            reviewResult: 'Denied',
            status: 'Completed',
            reviewedBy: [{ id: s.member1.id, displayName: s.member1.displayName }],
            reviewedDateTime: expect.any(String),
            justification: 'Too broad',
          }),
        ]);
        const expired = await ctx.api.call('GET', `${V1}/${timedOut.id}/steps`, { token: await tokenOf(ctx, reader) });
        expect(expired.body.value).toEqual([expect.objectContaining({ status: 'Expired', reviewResult: 'NotReviewed' })]);
      }
      expect((await ctx.api.call('GET', `${BETA}/${denied.id}`, { token: await tokenOf(ctx, s.outsider) })).status).toBe(404);
      expectGraphError(
        await ctx.api.call('GET', `${BETA}/${denied.id}?$expand=principal`, { token: await ctx.admin() }),
        400,
        expect.any(String) as unknown as string,
      );
      const timedOutForReaders = await list(
        ctx,
        `${ASSIGNMENT_REQUESTS}?${filter(`status eq 'TimedOut' and principalId eq '${r3!.id}'`)}`,
        await tokenOf(ctx, reader),
      );
      expect(timedOutForReaders.map((r) => r.id)).toEqual([timedOut.id]);
    });
  });
});
