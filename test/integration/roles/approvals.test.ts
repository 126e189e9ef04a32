/**
 * Approvals, synchronous slice: a policy requiring approval by a user and a group; the approver's
 * view (filterByCurrentUser(on='approver')), the approval and its steps, and the decision (PATCH a step),
 * with self-approval, races, cancellation, the default approvers and N-of-M stages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
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
  makeEligible,
  MINUTE,
  newGroup,
  newUser,
  newUsers,
  patchRule,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from './helpers.ts';

const BETA = '/beta/roleManagement/directory/roleAssignmentApprovals';
const V1 = '/v1.0/roleManagement/directory/roleAssignmentApprovals';

type Approver = { userId: string } | { groupId: string };

function rule(approvers: Approver[], o: { requiredApproverCount?: number; stages?: number } = {}): Record<string, unknown> {
  const stage = {
    approvalStageTimeOutInDays: 1,
    isApproverJustificationRequired: true,
    escalationTimeInMinutes: 0,
    isEscalationEnabled: false,
    primaryApprovers: approvers.map((a) => ('userId' in a ? { '@odata.type': '#microsoft.graph.singleUser', ...a } : { '@odata.type': '#microsoft.graph.groupMembers', ...a })),
    escalationApprovers: [],
    ...(o.requiredApproverCount ? { requiredApproverCount: o.requiredApproverCount } : {}),
  };
  return {
    '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
    id: 'Approval_EndUser_Assignment',
    setting: { isApprovalRequired: true, isApprovalRequiredForExtension: false, isRequestorJustificationRequired: true, approvalMode: 'SingleStage', approvalStages: [stage] },
    target: { caller: 'EndUser', operations: ['all'], level: 'Assignment', inheritableSettings: [], enforcedSettings: [] },
  };
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
    await patchRule(ctx, role, 'Approval_EndUser_Assignment', rule([{ userId: approver!.id }, { groupId: group.id }], { requiredApproverCount: o.requiredApproverCount }));
    const eligibility = await makeEligible(ctx, requester!.id, role);
    return { requester: requester!, approver: approver!, member1: member1!, member2: member2!, outsider: outsider!, group, role, eligibility };
  }

  async function pendingActivation(user: TestUser, role: string, duration = 'PT2H') {
    const result = await activate(ctx, user, role, { duration });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(result.body.status).toBe('PendingApproval');
    return result.body;
  }

  async function decideAs(user: TestUser | string, approvalId: string, reviewResult: 'Approve' | 'Deny', justification: string | undefined = 'Looks right', stepId = approvalId, base = BETA) {
    const token = typeof user === 'string' ? await ctx.admin() : await tokenOf(ctx, user);
    return ctx.api.call('PATCH', `${base}/${approvalId}/steps/${stepId}`, { token, body: { reviewResult, ...(justification === undefined ? {} : { justification }) } });
  }

  const requestOf = async (id: string) => (await ctx.api.call('GET', `${ASSIGNMENT_REQUESTS}/${id}`, { token: await ctx.admin() })).body;
  const awaiting = async (user: TestUser) =>
    (await list(ctx, `${ASSIGNMENT_REQUESTS}/filterByCurrentUser(on='approver')?${filter("status eq 'PendingApproval'")}`, await tokenOf(ctx, user))).map((r) => r.id);

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
        steps: [{ id: pending.id, displayName: null, reviewedBy: null, reviewedDateTime: null, reviewResult: 'NotReviewed', status: 'InProgress', justification: null, assignedToMe: true }],
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
    expect(request).toMatchObject({ status: 'Provisioned', targetScheduleId: pending.id, completedDateTime: iso(approvedAt), scheduleInfo: { startDateTime: iso(approvedAt) } });
    const instances = await instancesOf(ctx, 'assignment', s.requester.id);
    expect(instances).toEqual([expect.objectContaining({ assignmentType: 'Activated', roleDefinitionId: s.role, startDateTime: iso(approvedAt), endDateTime: iso(approvedAt + 2 * HOUR) })]);
    expect(await awaiting(s.approver)).toEqual([]);
    expectGraphError(await decideAs(s.approver, pending.id, 'Approve'), 409, 'Approval_AlreadyDecided');
    const approval = (await ctx.api.call('GET', `${BETA}/${pending.id}`, { token: await tokenOf(ctx, s.approver) })).body;
    expect(approval.steps[0]).toMatchObject({ reviewResult: 'Approved', status: 'Completed', reviewedBy: [{ id: s.member1.id }], justification: 'Looks right', assignedToMe: false });
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
    const results = await Promise.all([decideAs(s.approver, pending.id, 'Approve'), decideAs(s.member1, pending.id, 'Deny', 'No'), decideAs(s.member2, pending.id, 'Approve')]);
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
    const body = { action: 'selfExtend', principalId: user.id, roleDefinitionId: role, directoryScopeId: '/', justification: 'Still needed', scheduleInfo: { expiration: { type: 'afterDateTime', endDateTime: newEnd } } };
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
      body: { action: 'selfActivate', principalId: ctx.adminId, roleDefinitionId: role, directoryScopeId: '/', justification: 'Needed', scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } } },
    });
    expectGraphError(result, 400, 'RoleAssignmentRequestPolicyValidationFailed');
    expect(failedRules(result)).toEqual(['ApprovalRule']);
  });
});
