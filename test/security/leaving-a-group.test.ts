/**
 * Outliving the basis of access (reference/security.md): an activation made through a group's
 * eligibility ends the instant its member leaves the group — removed, deleted, or a PIM for groups
 * membership that expires or is deactivated — and cannot outlast a PIM membership it came through. A
 * pending request made through the group is refused when approved after its requester left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Background } from '../../infra/local/background.ts';
import { SYSTEM_CALLER } from '../../shared/domain/caller.ts';
import { ManualClock } from '../../shared/domain/clock.ts';
import { auditOf } from '../../shared/services/audit-writer.ts';
import { removeMembership } from '../../shared/store/memberships.ts';
import { schedulesOfPrincipal } from '../../shared/store/role-schedules.ts';
import { commitChange } from '../../shared/store/transact.ts';
import { auditTrail } from '../integration/api/support.ts';
import { activateGroup, decide, groupRequestBody, makeGroupEligible, postGroup } from '../integration/groups/helpers.ts';
import {
  activate,
  addMember,
  BASE,
  customRole,
  expectGraphError,
  HOUR,
  instancesOf,
  iso,
  makeEligible,
  MINUTE,
  newGroup,
  newUser,
  patchRule,
  ROLES,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from '../integration/roles/helpers.ts';
import { approvalRuleFor, eventually } from '../integration/workflow/support.ts';

/** An action Security Administrator grants (the role the groups below are eligible for). */
const CA_CREATE = 'microsoft.directory/conditionalAccessPolicies/create';
const ENDED_WITH_GROUP = 'Remove member from role completed (PIM activation ended: left the group)';
const CUT_TO_MEMBERSHIP = "Update member in PIM completed (PIM activation cut to the group membership's end)";
const EXPIRED = 'Remove member from role (PIM activation expired)';

describe('leaving a group ends the access that came through it', () => {
  const clock = new ManualClock('2033-05-02T08:00:00.000Z');
  let ctx: Ctx;
  let bg: Background;
  beforeAll(async () => {
    ctx = await startRolesStack({ clock, background: true });
    bg = ctx.stack.background!;
  });
  afterAll(() => ctx.stop());

  const waitingFor = (id: string, phase: string) => eventually(() => bg.workflows.waitingFor(id)?.phase === phase, `run ${id} waiting for ${phase}`);
  const runEnded = (id: string) => eventually(() => ['stopped', 'succeeded'].includes(bg.workflows.statusOf(id) ?? ''), `run ${id} ended`);

  /** A standing member of a role-assignable group eligible for Security Administrator, with that role activated through it. */
  async function activatedThroughGroup(label: string) {
    const user = await newUser(ctx, label);
    const group = await newGroup(ctx, label, { roleAssignable: true, members: [user] });
    await makeEligible(ctx, group.id, ROLES.securityAdministrator);
    const activation = await activate(ctx, user, ROLES.securityAdministrator, { duration: 'PT4H' });
    expect(activation.status, JSON.stringify(activation.body)).toBe(201);
    await waitingFor(activation.body.id, 'waitForEnd');
    expect((await decide(ctx, user.id, CA_CREATE)).decision).toBe(true);
    return { user, group, activation: activation.body };
  }

  /** A user eligible for membership of a role-assignable group that is eligible for Security Administrator; the membership is activated. */
  async function pimMember(label: string, membership = 'PT2H') {
    const user = await newUser(ctx, label);
    const group = await newGroup(ctx, label, { roleAssignable: true });
    await makeEligible(ctx, group.id, ROLES.securityAdministrator);
    await makeGroupEligible(ctx, user.id, group.id);
    const member = await activateGroup(ctx, user, group.id, { duration: membership });
    expect(member.status, JSON.stringify(member.body)).toBe(201);
    return { user, group, membership: member.body };
  }

  async function expectEnded(user: TestUser, activationId: string, activity: string) {
    expect((await decide(ctx, user.id, CA_CREATE)).decision).toBe(false);
    expect((await instancesOf(ctx, 'assignment', user.id)).map((i) => i.id)).not.toContain(activationId);
    const trail = await auditTrail(ctx.stack, user.id);
    expect(
      trail.filter((a) => a.activityDisplayName === activity && a.additionalDetails.some((d) => d.key === 'scheduleId' && d.value === activationId)),
    ).toHaveLength(1);
    await runEnded(activationId);
  }

  it('removing the member (DELETE /groups/{id}/members/{mid}/$ref) ends its activation through the group at once', async () => {
    const { user, group, activation } = await activatedThroughGroup('leave-removed');
    const removed = await ctx.api.call('DELETE', `/v1.0/groups/${group.id}/members/${user.id}/$ref`, { token: await ctx.admin() });
    expect(removed.status, JSON.stringify(removed.body)).toBe(204);
    await expectEnded(user, activation.id, ENDED_WITH_GROUP);
    expect(bg.workflows.statusOf(activation.id)).toBe('stopped');
  });

  it('deleting the member: refused while it holds the role through the group; once it has left, nothing of the activation remains', async () => {
    const { user, group, activation } = await activatedThroughGroup('leave-deleted');
    const deleteUser = async () => ctx.api.call('DELETE', `/v1.0/users/${user.id}`, { token: await ctx.admin() });
    const refused = await deleteUser();
    expectGraphError(refused, 409, 'Request_PrincipalHoldsRoles');
    expect(refused.body.error.message).toContain(group.displayName);
    const removed = await ctx.api.call('DELETE', `/v1.0/groups/${group.id}/members/${user.id}/$ref`, { token: await ctx.admin() });
    expect(removed.status).toBe(204);
    const deleted = await deleteUser();
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(204);
    await expectEnded(user, activation.id, ENDED_WITH_GROUP);
    expect(bg.workflows.statusOf(activation.id)).toBe('stopped');
  });

  it('an activation through a PIM membership is capped at the membership end, and ends when it expires on the real run', async () => {
    const membershipEnd = iso(clock.now().getTime() + 2 * HOUR);
    const { user, membership } = await pimMember('leave-expired', 'PT2H');
    const activation = await activate(ctx, user, ROLES.securityAdministrator, { duration: 'PT4H' });
    expect(activation.status, JSON.stringify(activation.body)).toBe(201);
    expect(activation.body.scheduleInfo.expiration).toMatchObject({ type: 'afterDateTime', endDateTime: membershipEnd });
    await waitingFor(activation.body.id, 'waitForEnd');
    expect(bg.workflows.waitingFor(activation.body.id)?.until).toBe(membershipEnd);
    expect((await decide(ctx, user.id, CA_CREATE)).decision).toBe(true);

    clock.advance(2 * HOUR);
    // Time is the truth: from the membership's end no read honours the activation, before any run has acted.
    expect((await decide(ctx, user.id, CA_CREATE)).decision).toBe(false);
    await eventually(() => bg.workflows.statusOf(membership.id) === 'succeeded', `membership run ${membership.id} succeeded`);
    await expectEnded(user, activation.body.id, EXPIRED);
  });

  it('deactivating the PIM membership ends the activation made through it', async () => {
    const { user, group, membership } = await pimMember('leave-deactivated', 'PT8H');
    const activation = await activate(ctx, user, ROLES.securityAdministrator, { duration: 'PT4H' });
    expect(activation.status, JSON.stringify(activation.body)).toBe(201);
    await waitingFor(activation.body.id, 'waitForEnd');
    clock.advance(6 * MINUTE);
    const off = await postGroup(ctx, 'assignment', { ...groupRequestBody(user.id, group.id), action: 'selfDeactivate' }, await tokenOf(ctx, user));
    expect(off.status, JSON.stringify(off.body)).toBe(201);
    expect(off.body.status).toBe('Revoked');
    await runEnded(membership.id);
    await expectEnded(user, activation.body.id, ENDED_WITH_GROUP);
    expect(bg.workflows.statusOf(activation.body.id)).toBe('stopped');
  });

  it('an activation outlasting the PIM membership it still stands on is cut to its end, and refused from then', async () => {
    const membershipEnd = iso(clock.now().getTime() + 2 * HOUR);
    const { user, group, membership } = await pimMember('leave-outlast', 'PT2H');
    await addMember(ctx, group.id, user.id);
    // Made while a standing member too: nothing caps it to the PIM membership.
    const activation = await activate(ctx, user, ROLES.securityAdministrator, { duration: 'PT4H' });
    expect(activation.status, JSON.stringify(activation.body)).toBe(201);
    expect(activation.body.scheduleInfo.expiration.type).toBe('afterDuration');
    const removed = await ctx.api.call('DELETE', `/v1.0/groups/${group.id}/members/${user.id}/$ref`, { token: await ctx.admin() });
    expect(removed.status).toBe(204);
    expect((await decide(ctx, user.id, CA_CREATE)).decision).toBe(true);
    const [instance] = (await instancesOf(ctx, 'assignment', user.id)).filter((i) => i.id === activation.body.id);
    expect(Date.parse(instance.endDateTime)).toBe(Date.parse(membershipEnd));
    expect((await auditTrail(ctx.stack, user.id)).filter((a) => a.activityDisplayName === CUT_TO_MEMBERSHIP)).toHaveLength(1);
    await waitingFor(membership.id, 'waitForEnd');
    bg.workflows.kill(membership.id);

    clock.advance(2 * HOUR);
    expect((await decide(ctx, user.id, CA_CREATE)).decision).toBe(false);
    await bg.sweep();
    clock.advance(2 * HOUR);
    await expectEnded(user, activation.body.id, EXPIRED);
  });

  it('a membership removed without its cleanup (a crash right after the commit) has its activations ended from the table stream', async () => {
    const { user, group, activation } = await activatedThroughGroup('leave-crash');
    await removeMembershipOnly(ctx, group, user.id);
    expect((await decide(ctx, user.id, CA_CREATE)).decision).toBe(false);
    await eventually(
      async () => !(await instancesOf(ctx, 'assignment', user.id)).some((i) => i.id === activation.id),
      `activation ${activation.id} ended from the stream`,
    );
    await expectEnded(user, activation.id, ENDED_WITH_GROUP);
  });

  it('a pending activation through the group is refused when approved after the requester left', async () => {
    const [user, approver] = [await newUser(ctx, 'leave-pending'), await newUser(ctx, 'leave-approver')];
    const group = await newGroup(ctx, 'leave-pending', { roleAssignable: true, members: [user] });
    const role = await customRole(ctx, 'Approved through group');
    await patchRule(ctx, role, 'Approval_EndUser_Assignment', approvalRuleFor([{ userId: approver.id }]));
    await makeEligible(ctx, group.id, role);
    const pending = await activate(ctx, user, role, { duration: 'PT2H' });
    expect(pending.status, JSON.stringify(pending.body)).toBe(201);
    expect(pending.body.status).toBe('PendingApproval');
    const removed = await ctx.api.call('DELETE', `/v1.0/groups/${group.id}/members/${user.id}/$ref`, { token: await ctx.admin() });
    expect(removed.status).toBe(204);

    const approved = await ctx.api.call('PATCH', `/beta/roleManagement/directory/roleAssignmentApprovals/${pending.body.id}/steps/${pending.body.id}`, {
      token: await tokenOf(ctx, approver),
      body: { reviewResult: 'Approve', justification: 'Looks right' },
    });
    expectGraphError(approved, 409, 'Approval_EligibilityLost');
    expect(approved.body.error.message).toContain(group.displayName);
    expect(approved.body.error.message).toMatch(/no longer/);
    const request = await ctx.api.call('GET', `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${pending.body.id}`, { token: await ctx.admin() });
    expect(request.body.status).toBe('PendingApproval');
    expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
    const decision = await ctx.api.call('POST', '/access/v1/evaluation', {
      token: await ctx.admin(),
      body: { subject: { type: 'user', id: user.id }, action: { name: 'microsoft.directory/users/password/update' }, resource: { type: 'scope', id: '/' } },
    });
    expect(decision.body.decision).toBe(false);
  });
});

describe('time is the truth: reads refuse an activation whose basis is gone, before anything cleans it up', () => {
  let ctx: Ctx;
  // No background: no stream consumer and no run will ever remove the activation here.
  beforeAll(async () => {
    ctx = await startRolesStack({ clock: new ManualClock('2033-06-01T08:00:00.000Z') });
  });
  afterAll(() => ctx.stop());

  it('a membership gone from the table (the service stopped right after its commit) leaves no access, though the activation is still stored', async () => {
    const user = await newUser(ctx, 'leave-truth');
    const group = await newGroup(ctx, 'leave-truth', { roleAssignable: true, members: [user] });
    await makeEligible(ctx, group.id, ROLES.securityAdministrator);
    const activation = await activate(ctx, user, ROLES.securityAdministrator, { duration: 'PT4H' });
    expect(activation.status, JSON.stringify(activation.body)).toBe(201);
    expect((await decide(ctx, user.id, CA_CREATE)).decision).toBe(true);

    await removeMembershipOnly(ctx, group, user.id);
    expect((await decide(ctx, user.id, CA_CREATE)).decision).toBe(false);
    const mine = await ctx.api.call('GET', `${BASE}/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')`, { token: await tokenOf(ctx, user) });
    expect(mine.body.value.map((i: { id: string }) => i.id)).not.toContain(activation.body.id);
    expect((await schedulesOfPrincipal(ctx.stack.runtime.services.table, user.id)).map((s) => s.data.id)).toContain(activation.body.id);
  });
});

/** The membership's own change, committed with its audit record as the service does, and nothing after it. */
async function removeMembershipOnly(ctx: Ctx, group: { id: string; displayName: string }, memberId: string) {
  const svc = ctx.stack.runtime.services;
  const actor = { caller: SYSTEM_CALLER, correlationId: `test-crash-${memberId}` };
  const target = { id: group.id, displayName: group.displayName, type: 'Group' as const, modifiedProperties: [] };
  await commitChange(
    svc.table,
    removeMembership(group.id, memberId),
    auditOf(svc, actor, { category: 'GroupManagement', activity: 'Remove member from group', operationType: 'Unassign', targets: [target] }),
  );
}
