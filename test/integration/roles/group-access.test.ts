/**
 * Roles held through role-assignable groups: members see them in their "my" views with memberType
 * Group, activate them, and use them; non-members do not; leaving the group or losing the group's
 * eligibility takes them away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activatedUsingOf,
  activate,
  BASE,
  customRole,
  expectGraphError,
  failedRules,
  filter,
  instancesOf,
  list,
  makeActive,
  makeEligible,
  newGroup,
  newUser,
  newUsers,
  post,
  removeBody,
  requestBody,
  ROLES,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from './helpers.ts';

describe('roles through groups', () => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await startRolesStack();
  });
  afterAll(() => ctx.stop());

  const mine = async (user: TestUser | string, collection: string) =>
    list(ctx, `${BASE}/${collection}/filterByCurrentUser(on='principal')`, await tokenOf(ctx, user));

  it("shows a group's eligibility to its members (memberType Group) and lets them activate it; not to others", async () => {
    const [alice, bob, outsider] = await newUsers(ctx, 3, 'member');
    const group = await newGroup(ctx, 'oncall', { roleAssignable: true, members: [alice!, bob!] });
    const eligibility = await makeEligible(ctx, group.id, ROLES.securityAdministrator);

    for (const member of [alice!, bob!]) {
      const instances = await mine(member, 'roleEligibilityScheduleInstances');
      expect(instances).toEqual([
        expect.objectContaining({
          id: eligibility.id,
          principalId: member.id,
          roleDefinitionId: ROLES.securityAdministrator,
          memberType: 'Group',
          roleEligibilityScheduleId: eligibility.id,
        }),
      ]);
      const schedules = await mine(member, 'roleEligibilitySchedules');
      expect(schedules).toEqual([expect.objectContaining({ id: eligibility.id, memberType: 'Group', createdUsing: eligibility.id })]);
    }
    expect(await mine(outsider!, 'roleEligibilityScheduleInstances')).toEqual([]);

    const activation = await activate(ctx, alice!, ROLES.securityAdministrator, { duration: 'PT1H' });
    expect(activation.status, JSON.stringify(activation.body)).toBe(201);
    expect(activation.body).toMatchObject({ principalId: alice!.id, status: 'Provisioned' });
    expect(await activatedUsingOf(ctx, activation.body.id)).toBe(eligibility.id);
    expect(await mine(alice!, 'roleAssignmentScheduleInstances')).toEqual([
      expect.objectContaining({ id: activation.body.id, principalId: alice!.id, assignmentType: 'Activated', memberType: 'Direct' }),
    ]);
    // Bob's eligibility is his own: Alice's activation does not use it up.
    expect((await activate(ctx, bob!, ROLES.securityAdministrator)).status).toBe(201);

    const refused = await activate(ctx, outsider!, ROLES.securityAdministrator);
    expectGraphError(refused, 400, 'RoleAssignmentRequestPolicyValidationFailed');
    expect(failedRules(refused)).toEqual(['EligibilityRule']);
    expect(await instancesOf(ctx, 'assignment', outsider!.id)).toEqual([]);
    // The group itself holds only the eligibility; the members' activations are theirs.
    expect(await instancesOf(ctx, 'assignment', group.id)).toEqual([]);
  });

  it('works with the seeded Security Operations group', async () => {
    const groups = await list(ctx, `/v1.0/groups?${filter("displayName eq 'Security Operations'")}`);
    const role = await customRole(ctx, 'SecOps');
    const eligibility = await makeEligible(ctx, groups[0].id, role);
    for (const upn of ['priya.nair@contoso.test', 'omar.haddad@contoso.test']) {
      expect(await mine(upn, 'roleEligibilityScheduleInstances')).toEqual([
        expect.objectContaining({ id: eligibility.id, memberType: 'Group', roleDefinitionId: role }),
      ]);
    }
    expect((await mine('sam.rivera@contoso.test', 'roleEligibilityScheduleInstances')).filter((i) => i.roleDefinitionId === role)).toEqual([]);
    const priya = await list(ctx, `/v1.0/users?${filter("userPrincipalName eq 'priya.nair@contoso.test'")}`);
    const result = await post(
      ctx,
      'assignment',
      { ...requestBody(priya[0].id, role, { duration: 'PT2H' }), action: 'selfActivate' },
      await tokenOf(ctx, 'priya.nair@contoso.test'),
    );
    expect(result.status, JSON.stringify(result.body)).toBe(201);
  });

  it("gives members the powers of a group's active assignment, shown to them with memberType Group", async () => {
    const [admin2, outsider, target] = await newUsers(ctx, 3, 'pra');
    const group = await newGroup(ctx, 'role-admins', { roleAssignable: true, members: [admin2!] });
    const assignment = await makeActive(ctx, group.id, ROLES.privilegedRoleAdministrator, { duration: 'P1D' });
    expect(await mine(admin2!, 'roleAssignmentScheduleInstances')).toEqual([
      expect.objectContaining({ id: assignment.id, principalId: admin2!.id, memberType: 'Group', assignmentType: 'Assigned' }),
    ]);
    const body = requestBody(target!.id, ROLES.helpdeskAdministrator, { duration: 'P1D' });
    expect((await post(ctx, 'eligibility', body, await tokenOf(ctx, admin2!))).status).toBe(201);
    expectGraphError(await post(ctx, 'assignment', body, await tokenOf(ctx, outsider!)), 403, 'Authorization_RequestDenied');
    // Group members read everyone's schedules as the group's role allows.
    expect((await ctx.api.call('GET', `${BASE}/roleEligibilitySchedules`, { token: await tokenOf(ctx, admin2!) })).status).toBe(200);
  });

  it('prefers a direct eligibility to one through a group when activating', async () => {
    const user = await newUser(ctx);
    const group = await newGroup(ctx, 'both', { roleAssignable: true, members: [user] });
    await makeEligible(ctx, group.id, ROLES.securityAdministrator);
    const direct = await makeEligible(ctx, user.id, ROLES.securityAdministrator);
    const instances = await mine(user, 'roleEligibilityScheduleInstances');
    expect(instances.map((i) => i.memberType).sort()).toEqual(['Direct', 'Group']);
    const activation = await activate(ctx, user, ROLES.securityAdministrator);
    expect(await activatedUsingOf(ctx, activation.body.id)).toBe(direct.id);
    // One activation per role and scope, whichever eligibility it came from.
    expectGraphError(await activate(ctx, user, ROLES.securityAdministrator, { duration: 'PT2H' }), 409, 'RoleAssignmentExists');
  });

  it('takes the eligibility away from someone who leaves the group', async () => {
    const user = await newUser(ctx);
    const group = await newGroup(ctx, 'leavers', { roleAssignable: true, members: [user] });
    await makeEligible(ctx, group.id, ROLES.securityAdministrator);
    expect(await mine(user, 'roleEligibilityScheduleInstances')).toHaveLength(1);
    const removed = await ctx.api.call('DELETE', `/v1.0/groups/${group.id}/members/${user.id}/$ref`, { token: await ctx.admin() });
    expect(removed.status).toBe(204);
    expect(await mine(user, 'roleEligibilityScheduleInstances')).toEqual([]);
    expect(failedRules(await activate(ctx, user, ROLES.securityAdministrator))).toEqual(['EligibilityRule']);
  });

  it("ends the members' activations when the group's eligibility is removed", async () => {
    const [alice, bob] = await newUsers(ctx, 2, 'member');
    const group = await newGroup(ctx, 'revoked', { roleAssignable: true, members: [alice!, bob!] });
    await makeEligible(ctx, group.id, ROLES.securityAdministrator);
    for (const member of [alice!, bob!]) expect((await activate(ctx, member, ROLES.securityAdministrator, { duration: 'PT4H' })).status).toBe(201);

    const result = await post(ctx, 'eligibility', removeBody(group.id, ROLES.securityAdministrator));
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(result.body.status).toBe('Revoked');
    for (const member of [alice!, bob!]) {
      expect(await mine(member, 'roleEligibilityScheduleInstances')).toEqual([]);
      expect(await instancesOf(ctx, 'assignment', member.id)).toEqual([]);
      expect(await mine(member, 'roleAssignmentScheduleInstances')).toEqual([]);
    }
  });
});
