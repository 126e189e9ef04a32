/**
 * PIM for groups: a user eligible for a group's membership activates it, and so holds the group's roles
 * for exactly the membership's window — in access decisions (which name the path), in "my roles" — and
 * not a moment longer; ownership manages the group's members but hands on no roles; group policies
 * start from Entra's group defaults and are enforced; approvals; races; the list `$filter` Graph requires.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import {
  approvalRule,
  BASE,
  enablementRule,
  expectGraphError,
  filter,
  HOUR,
  list,
  makeActive,
  newGroup,
  newUser,
  newUsers,
  ROLES,
  startRolesStack,
  type Ctx,
} from '../roles/helpers.ts';
import { activateGroup, byGroup, decide, GROUP_BASE, GROUP_REQUESTS, groupRequestBody, makeGroupEligible, patchGroupRule, postGroup } from './helpers.ts';

const CA_CREATE = 'microsoft.directory/conditionalAccessPolicies/create';

describe('PIM for groups', () => {
  const clock = new ManualClock('2032-03-01T09:00:00.000Z');
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
  });
  afterAll(() => ctx.stop());

  it('eligibility → activation → Security Administrator allowed via the group, named with the membership → expiry → denied', async () => {
    // Prepare: a role-assignable group that holds Security Administrator, a user eligible for its membership
    const user = await newUser(ctx, 'sec');
    const group = await newGroup(ctx, 'sec-admins', { roleAssignable: true });
    await makeActive(ctx, group.id, ROLES.securityAdministrator);
    await makeGroupEligible(ctx, user.id, group.id);
    expect((await decide(ctx, user.id, CA_CREATE)).decision).toBe(false);
    // Act
    const activation = await activateGroup(ctx, user, group.id, { duration: 'PT2H' });
    // Assess: in force from the instant it is granted
    expect(activation.status, JSON.stringify(activation.body)).toBe(201);
    expect(activation.body).toMatchObject({ status: 'Provisioned', accessId: 'member', groupId: group.id, principalId: user.id, action: 'selfActivate' });
    expect(activation.body).not.toHaveProperty('roleDefinitionId');
    const end = new Date(clock.now().getTime() + 2 * HOUR).toISOString();
    const allowed = await decide(ctx, user.id, CA_CREATE);
    expect(allowed.decision).toBe(true);
    expect(allowed.context.grant).toMatchObject({
      roleDefinitionId: ROLES.securityAdministrator,
      memberType: 'Group',
      viaGroup: { id: group.id, displayName: group.displayName, membership: { scheduleId: activation.body.id, endDateTime: end } },
      endDateTime: end,
    });
    expect(allowed.context.reason).toContain(`held through group '${group.displayName}' (via an active PIM membership until ${end})`);
    // "My roles" shows the role through the group, ending with the membership
    const mine = await list(ctx, `${BASE}/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')`, await ctx.api.token(user.upn));
    expect(mine).toEqual([
      expect.objectContaining({ roleDefinitionId: ROLES.securityAdministrator, memberType: 'Group', principalId: user.id, endDateTime: end }),
    ]);
    const myGroups = await list(ctx, `${GROUP_BASE}/assignmentScheduleInstances/filterByCurrentUser(on='principal')`, await ctx.api.token(user.upn));
    expect(myGroups).toEqual([expect.objectContaining({ groupId: group.id, accessId: 'member', assignmentType: 'activated', endDateTime: end })]);
    // The group's lists (the $filter Graph requires)
    expect(await list(ctx, `${GROUP_BASE}/assignmentScheduleInstances?${byGroup(group.id)}`)).toHaveLength(1);
    // Act: time passes the membership's end (no workflow needed: time is the truth)
    clock.advance(2 * HOUR);
    // Assess
    const denied = await decide(ctx, user.id, CA_CREATE);
    expect(denied.decision).toBe(false);
    expect(await list(ctx, `${BASE}/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')`, await ctx.api.token(user.upn))).toEqual([]);
  });

  it("ownership lets the owner manage the group's members, but hands on none of its roles; membership does neither", async () => {
    // Prepare
    const [owner, member, newcomer] = await newUsers(ctx, 3, 'own');
    const group = await newGroup(ctx, 'owned', { roleAssignable: true });
    await makeActive(ctx, group.id, ROLES.securityAdministrator);
    await makeGroupEligible(ctx, owner!.id, group.id, { accessId: 'owner' });
    await makeGroupEligible(ctx, member!.id, group.id);
    const addNewcomer = async (token: string) =>
      ctx.api.call('POST', `/v1.0/groups/${group.id}/members/$ref`, {
        token,
        body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${newcomer!.id}` },
      });
    // Act
    expect((await activateGroup(ctx, owner!, group.id, { accessId: 'owner' })).status).toBe(201);
    expect((await activateGroup(ctx, member!, group.id)).status).toBe(201);
    // Assess
    expect((await decide(ctx, owner!.id, CA_CREATE)).decision).toBe(false);
    expect((await decide(ctx, member!.id, CA_CREATE)).decision).toBe(true);
    expectGraphError(await addNewcomer(await ctx.api.token(member!.upn)), 403, 'Authorization_RequestDenied');
    expect((await addNewcomer(await ctx.api.token(owner!.upn))).status).toBe(204);
    // The owner also manages the group's PIM assignments, and no other group's
    const other = await newGroup(ctx, 'not-owned', { roleAssignable: false });
    expect((await postGroup(ctx, 'eligibility', groupRequestBody(newcomer!.id, group.id, { duration: 'P7D' }), await ctx.api.token(owner!.upn))).status).toBe(
      201,
    );
    expectGraphError(
      await postGroup(ctx, 'eligibility', groupRequestBody(newcomer!.id, other.id, { duration: 'P7D' }), await ctx.api.token(owner!.upn)),
      403,
      'Authorization_RequestDenied',
    );
  });

  it("starts from Entra's group policy defaults (member and owner), and enforces them", async () => {
    // Prepare
    const user = await newUser(ctx, 'pol');
    const group = await newGroup(ctx, 'policy', { roleAssignable: false });
    // Act
    const assignments = await list(
      ctx,
      `/v1.0/policies/roleManagementPolicyAssignments?${filter(`scopeId eq '${group.id}' and scopeType eq 'Group'`)}&$expand=policy($expand=rules)`,
    );
    // Assess
    expect(assignments.map((a) => [a.roleDefinitionId, a.scopeId, a.scopeType])).toEqual([
      ['member', group.id, 'Group'],
      ['owner', group.id, 'Group'],
    ]);
    for (const a of assignments) {
      expect(a.policyId).toMatch(new RegExp(`^Group_${group.id}_[0-9a-f-]{36}$`));
      expect(a.id).toBe(`${a.policyId}_${a.roleDefinitionId}`);
      const rule = (id: string) => a.policy.rules.find((r: { id: string }) => r.id === id);
      expect(a.policy.rules).toHaveLength(17);
      expect(rule('Enablement_EndUser_Assignment').enabledRules).toEqual(['Justification']);
      expect(rule('Expiration_Admin_Eligibility')).toMatchObject({ isExpirationRequired: true, maximumDuration: 'P365D' });
      expect(rule('Expiration_Admin_Assignment')).toMatchObject({ isExpirationRequired: true, maximumDuration: 'P180D' });
      expect(rule('Expiration_EndUser_Assignment')).toMatchObject({ isExpirationRequired: true, maximumDuration: 'PT8H' });
    }
    const one = await ctx.api.call('GET', `/v1.0/policies/roleManagementPolicyAssignments/${assignments[1].id}`, { token: await ctx.admin() });
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body).toMatchObject({ roleDefinitionId: 'owner', scopeId: group.id, scopeType: 'Group' });
    // Enforced: permanent eligibility is not allowed for groups by default; activation needs a justification, at most PT8H
    expect(
      expectGraphError(await postGroup(ctx, 'eligibility', groupRequestBody(user.id, group.id)), 400, 'RoleAssignmentRequestPolicyValidationFailed').message,
    ).toContain('ExpirationRule');
    await makeGroupEligible(ctx, user.id, group.id);
    expect(
      expectGraphError(await activateGroup(ctx, user, group.id, { justification: null }), 400, 'RoleAssignmentRequestPolicyValidationFailed').message,
    ).toContain('JustificationRule');
    expectGraphError(await activateGroup(ctx, user, group.id, { duration: 'PT9H' }), 400, 'RoleAssignmentRequestPolicyValidationFailed');
    // A changed rule applies to that group's access only: the owner policy asks for MFA, the member policy still does not
    await patchGroupRule(
      ctx,
      group.id,
      'member',
      'Enablement_EndUser_Assignment',
      enablementRule('Enablement_EndUser_Assignment', ['Justification', 'Ticketing']),
    );
    expect(expectGraphError(await activateGroup(ctx, user, group.id), 400, 'RoleAssignmentRequestPolicyValidationFailed').message).toContain('TicketingRule');
  });

  it('waits for approval where the group policy says so; the approver approves through assignmentApprovals', async () => {
    // Prepare
    const [requester, approver] = await newUsers(ctx, 2, 'appr');
    const group = await newGroup(ctx, 'approved', { roleAssignable: true });
    await makeActive(ctx, group.id, ROLES.securityAdministrator);
    await makeGroupEligible(ctx, requester!.id, group.id);
    await patchGroupRule(ctx, group.id, 'member', 'Approval_EndUser_Assignment', approvalRule(true, [approver!.id]));
    // Act
    const pending = await activateGroup(ctx, requester!, group.id);
    // Assess
    expect(pending.status, JSON.stringify(pending.body)).toBe(201);
    expect(pending.body).toMatchObject({ status: 'PendingApproval', approvalId: pending.body.id });
    expect((await decide(ctx, requester!.id, CA_CREATE)).decision).toBe(false);
    const approverToken = await ctx.api.token(approver!.upn);
    const queue = await list(ctx, `${GROUP_BASE}/assignmentApprovals/filterByCurrentUser(on='approver')?$expand=stages`, approverToken);
    expect(queue).toEqual([expect.objectContaining({ id: pending.body.id, stages: [expect.objectContaining({ assignedToMe: true, status: 'InProgress' })] })]);
    expect(await list(ctx, `${GROUP_REQUESTS.assignment}/filterByCurrentUser(on='approver')?${filter("status eq 'PendingApproval'")}`, approverToken)).toEqual([
      expect.objectContaining({ id: pending.body.id, groupId: group.id }),
    ]);
    // Not on the roles' approval queue
    expect(await list(ctx, `${BASE}/roleAssignmentScheduleRequests/filterByCurrentUser(on='approver')`, approverToken)).toEqual([]);
    const decision = await ctx.api.call('PATCH', `${GROUP_BASE}/assignmentApprovals/${pending.body.id}/stages/${pending.body.id}`, {
      token: approverToken,
      body: { reviewResult: 'Approve', justification: 'Known incident' },
    });
    expect(decision.status, JSON.stringify(decision.body)).toBe(204);
    const after = await ctx.api.call('GET', `${GROUP_REQUESTS.assignment}/${pending.body.id}`, { token: await ctx.admin() });
    expect(after.body).toMatchObject({ status: 'Provisioned', groupId: group.id, accessId: 'member' });
    expect((await decide(ctx, requester!.id, CA_CREATE)).decision).toBe(true);
  });

  it('twenty simultaneous activations of one membership make exactly one', async () => {
    // Prepare
    const user = await newUser(ctx, 'race');
    const group = await newGroup(ctx, 'race', { roleAssignable: false });
    await makeGroupEligible(ctx, user.id, group.id);
    // Act
    const results = await Promise.all(Array.from({ length: 20 }, () => activateGroup(ctx, user, group.id, { justification: `race ${Math.random()}` })));
    // Assess
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expectGraphError(r, 409, 'RoleAssignmentExists');
    expect(await list(ctx, `${GROUP_BASE}/assignmentScheduleInstances?${byGroup(group.id)}`)).toHaveLength(1);
  });

  it('cancels a pending request, deactivates early, and removes an eligibility with its activations', async () => {
    // Prepare
    const [user, approver] = await newUsers(ctx, 2, 'life');
    const group = await newGroup(ctx, 'life', { roleAssignable: false });
    await makeGroupEligible(ctx, user!.id, group.id);
    await patchGroupRule(ctx, group.id, 'member', 'Approval_EndUser_Assignment', approvalRule(true, [approver!.id]));
    const token = await ctx.api.token(user!.upn);
    // Act + Assess: cancel
    const pending = await activateGroup(ctx, user!, group.id);
    expect((await ctx.api.call('POST', `${GROUP_REQUESTS.assignment}/${pending.body.id}/cancel`, { token })).status).toBe(204);
    expect((await ctx.api.call('GET', `${GROUP_REQUESTS.assignment}/${pending.body.id}`, { token })).body.status).toBe('Canceled');
    // a group request is not a role request
    expect((await ctx.api.call('GET', `${BASE}/roleAssignmentScheduleRequests/${pending.body.id}`, { token })).status).toBe(404);
    // deactivate early, after five minutes
    await patchGroupRule(ctx, group.id, 'member', 'Approval_EndUser_Assignment', approvalRule(false));
    expect((await activateGroup(ctx, user!, group.id)).status).toBe(201);
    clock.advance(6 * 60_000);
    const off = await postGroup(ctx, 'assignment', { ...groupRequestBody(user!.id, group.id), action: 'selfDeactivate' }, await ctx.api.token(user!.upn));
    expect(off.status, JSON.stringify(off.body)).toBe(201);
    expect(off.body.status).toBe('Revoked');
    // removing the eligibility ends an activation made from it
    expect((await activateGroup(ctx, user!, group.id)).status).toBe(201);
    const removed = await postGroup(ctx, 'eligibility', { ...groupRequestBody(user!.id, group.id), action: 'adminRemove' });
    expect(removed.status, JSON.stringify(removed.body)).toBe(201);
    expect(await list(ctx, `${GROUP_BASE}/assignmentScheduleInstances?${byGroup(group.id)}`)).toEqual([]);
  });

  it('requires $filter on groupId or principalId on lists, as Graph does, with a message that says so', async () => {
    for (const path of ['eligibilityScheduleRequests', 'assignmentSchedules', 'eligibilityScheduleInstances']) {
      const refused = expectGraphError(await ctx.api.call('GET', `${GROUP_BASE}/${path}`, { token: await ctx.admin() }), 400, 'Request_BadRequest');
      expect(refused.message).toContain("$filter=groupId eq '{groupId}'");
    }
    const user = await newUser(ctx, 'self');
    expect(
      (await ctx.api.call('GET', `${GROUP_BASE}/assignmentSchedules?${filter(`principalId eq '${user.id}'`)}`, { token: await ctx.api.token(user.upn) }))
        .status,
    ).toBe(200);
    const someGroup = await newGroup(ctx, 'closed', { roleAssignable: false });
    expectGraphError(
      await ctx.api.call('GET', `${GROUP_BASE}/assignmentSchedules?${byGroup(someGroup.id)}`, { token: await ctx.api.token(user.upn) }),
      403,
      'Authorization_RequestDenied',
    );
  });

  it('refuses group scopes on the roles API, and groups that are not role-assignable still cannot hold roles', async () => {
    const user = await newUser(ctx, 'scope');
    const group = await newGroup(ctx, 'plain', { roleAssignable: false });
    const body = {
      action: 'adminAssign',
      principalId: user.id,
      roleDefinitionId: ROLES.securityAdministrator,
      directoryScopeId: `/groups/${group.id}`,
      justification: 'x',
      scheduleInfo: { expiration: { type: 'noExpiration' } },
    };
    expectGraphError(await ctx.api.call('POST', `${BASE}/roleAssignmentScheduleRequests`, { token: await ctx.admin(), body }), 400, 'InvalidScope');
    const toGroup = { ...body, principalId: group.id, directoryScopeId: '/' };
    expectGraphError(
      await ctx.api.call('POST', `${BASE}/roleAssignmentScheduleRequests`, { token: await ctx.admin(), body: toGroup }),
      400,
      'InvalidPrincipal',
    );
  });
});
