/**
 * Issue 14 (portal, item 6): people read the settings of their own roles. A caller without a reader role
 * reads the policies of the roles and group accesses they are eligible for, hold or have requested, and of
 * the requests they are asked to approve; nothing else, and another's policy is refused exactly as one that
 * does not exist. Readers keep reading all; changing a rule stays with Global and Privileged Role Administrators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupPolicyId } from '../../../shared/services/roles/policies/policy-ids.ts';
import { policyIdFor } from '../../../shared/services/roles/policies/policy-ids.ts';
import { makeGroupEligible } from '../groups/helpers.ts';
import {
  activate,
  addMember,
  approvalRule,
  ASSIGNMENT_REQUESTS,
  BASE,
  customRole,
  expectGraphError,
  expirationRule,
  filter,
  makeActive,
  makeEligible,
  newGroup,
  newUser,
  patchRule,
  ROLES,
  startRolesStack,
  tokenOf,
  type CallResult,
  type Ctx,
  type TestUser,
} from '../roles/helpers.ts';

const ASSIGNMENTS = '/v1.0/policies/roleManagementPolicyAssignments';
const POLICIES = '/v1.0/policies/roleManagementPolicies';
const TENANT = filter("scopeId eq '/' and scopeType eq 'DirectoryRole'");
const groupFilter = (groupId: string) => filter(`scopeId eq '${groupId}' and scopeType eq 'Group'`);
/** What the portal's My roles page sends: every directory role's assignment with its policy and rules. */
const MY_ROLES = `${ASSIGNMENTS}?${TENANT}&$expand=policy($expand=rules)`;

describe("policies: a caller reads their own roles' settings", () => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await startRolesStack();
  });
  afterAll(() => ctx.stop());

  const get = async (path: string, who: TestUser): Promise<CallResult> => ctx.api.call('GET', path, { token: await tokenOf(ctx, who) });
  const ok = async (path: string, who: TestUser) => {
    const result = await get(path, who);
    expect(result.status, `${path}: ${JSON.stringify(result.body)}`).toBe(200);
    return result.body;
  };
  /** Every read route of one policy (by its id, with the role id its assignment names). */
  const readsOf = (policyId: string, roleId: string) => [
    `${POLICIES}/${policyId}`,
    `${POLICIES}/${policyId}?$expand=rules`,
    `${POLICIES}/${policyId}/rules`,
    `${POLICIES}/${policyId}/rules/Expiration_EndUser_Assignment`,
    `${ASSIGNMENTS}/${policyId}_${roleId}?$expand=policy($expand=rules)`,
  ];

  it('shows a plain user eligible for two roles exactly those two policies, with their rules, in both collections', async () => {
    const user = await newUser(ctx, 'eligible-two');
    const roleA = await customRole(ctx, 'Own A');
    const roleB = await customRole(ctx, 'Own B');
    await makeEligible(ctx, user.id, roleA);
    await makeEligible(ctx, user.id, roleB, { duration: 'P30D' });
    await patchRule(ctx, roleB, 'Expiration_EndUser_Assignment', expirationRule('Expiration_EndUser_Assignment', true, 'PT2H'));

    const mine = await ok(`${MY_ROLES}&$count=true`, user);
    expect(mine.value.map((a: any) => a.roleDefinitionId).sort()).toEqual([roleA, roleB].sort());
    expect(mine['@odata.count']).toBe(2);
    for (const assignment of mine.value) {
      expect(assignment.policyId).toBe(policyIdFor(assignment.roleDefinitionId, '/'));
      expect(assignment.policy.rules).toHaveLength(17);
    }
    const maxOf = (a: any) => a.policy.rules.find((r: any) => r.id === 'Expiration_EndUser_Assignment').maximumDuration;
    expect(Object.fromEntries(mine.value.map((a: any) => [a.roleDefinitionId, maxOf(a)]))).toEqual({ [roleA]: 'PT8H', [roleB]: 'PT2H' });

    const policies = await ok(`${POLICIES}?${TENANT}&$expand=rules`, user);
    expect(policies.value.map((p: any) => p.id).sort()).toEqual([policyIdFor(roleA, '/'), policyIdFor(roleB, '/')].sort());
    // A condition added to the filter narrows the caller's own set, never widens it.
    const narrowed = await ok(`${ASSIGNMENTS}?${filter(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${roleA}'`)}`, user);
    expect(narrowed.value.map((a: any) => a.roleDefinitionId)).toEqual([roleA]);
    const other = await ok(
      `${ASSIGNMENTS}?${filter(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${ROLES.globalAdministrator}'`)}`,
      user,
    );
    expect(other.value).toEqual([]);
    for (const path of readsOf(policyIdFor(roleB, '/'), roleB)) await ok(path, user);
  });

  it('gives a user with no eligibility an empty list, not a 403 (at any scope, and for any group)', async () => {
    const user = await newUser(ctx, 'nobody');
    const group = await newGroup(ctx, 'not-mine', { roleAssignable: false });
    for (const path of [
      MY_ROLES,
      `${POLICIES}?${TENANT}`,
      `${ASSIGNMENTS}?${filter("scopeId eq '/administrativeUnits/au-north' and scopeType eq 'DirectoryRole'")}`,
      `${ASSIGNMENTS}?${groupFilter(group.id)}`,
      // A group that does not exist reads the same as one that is not theirs (a reader gets 404).
      `${ASSIGNMENTS}?${groupFilter('grp_no_such_group')}`,
    ]) {
      expect((await ok(path, user)).value, path).toEqual([]);
    }
    expect((await ctx.api.call('GET', `${ASSIGNMENTS}?${groupFilter('grp_no_such_group')}`, { token: await ctx.admin() })).status).toBe(404);
  });

  it("refuses another role's policy by id with the same 403 as a policy that does not exist", async () => {
    const user = await newUser(ctx, 'prober');
    const mineRole = await customRole(ctx, 'Mine');
    await makeEligible(ctx, user.id, mineRole);
    const theirs = await customRole(ctx, 'Theirs');
    const denied = (result: CallResult) => expectGraphError(result, 403, 'Authorization_RequestDenied').message;
    const messages = new Set<string>();
    for (const path of [
      ...readsOf(policyIdFor(theirs, '/'), theirs),
      ...readsOf(policyIdFor(ROLES.globalAdministrator, '/'), ROLES.globalAdministrator),
      // Its own role at another scope is another policy.
      ...readsOf(policyIdFor(mineRole, '/administrativeUnits/au-north'), mineRole),
      // Ids that name nothing: an unknown role, nonsense.
      ...readsOf(policyIdFor('rol_00000000000000000000000000', '/'), 'rol_00000000000000000000000000'),
      `${POLICIES}/nonsense`,
      `${ASSIGNMENTS}/nonsense`,
    ]) {
      messages.add(denied(await get(path, user)));
    }
    expect(messages.size).toBe(1);
    // Its own policy stays readable, under its id with the role id written in another case too (as for readers).
    await ok(`${POLICIES}/${policyIdFor(mineRole, '/')}/rules`, user);
    await makeEligible(ctx, user.id, ROLES.helpdeskAdministrator);
    await ok(`${POLICIES}/${policyIdFor(ROLES.helpdeskAdministrator.toUpperCase(), '/')}/rules`, user);
  });

  it('keeps PATCH of a rule for Global and Privileged Role Administrators, even on the caller’s own role', async () => {
    const user = await newUser(ctx, 'patcher');
    const role = await customRole(ctx, 'Patch');
    await makeActive(ctx, user.id, role);
    const path = `${POLICIES}/${policyIdFor(role, '/')}/rules/Expiration_EndUser_Assignment`;
    const result = await ctx.api.call('PATCH', path, {
      token: await tokenOf(ctx, user),
      body: expirationRule('Expiration_EndUser_Assignment', true, 'P1D'),
    });
    expectGraphError(result, 403, 'Authorization_RequestDenied');
    expect((await ok(path, user)).maximumDuration).toBe('PT8H');
  });

  it("shows a group's eligible member the group's member policy (not its owner policy), and a standing member theirs", async () => {
    const eligible = await newUser(ctx, 'grp-eligible');
    const standing = await newUser(ctx, 'grp-standing');
    const group = await newGroup(ctx, 'pim-group', { roleAssignable: false, members: [standing] });
    await makeGroupEligible(ctx, eligible.id, group.id);
    for (const who of [eligible, standing]) {
      const listed = await ok(`${ASSIGNMENTS}?${groupFilter(group.id)}&$expand=policy($expand=rules)`, who);
      expect(listed.value.map((a: any) => a.roleDefinitionId)).toEqual(['member']);
      expect(listed.value[0].policyId).toBe(groupPolicyId(group.id, 'member'));
      expect(listed.value[0].policy.rules.length).toBeGreaterThan(0);
      await ok(`${POLICIES}/${groupPolicyId(group.id, 'member')}/rules`, who);
      expectGraphError(await get(`${POLICIES}/${groupPolicyId(group.id, 'owner')}`, who), 403, 'Authorization_RequestDenied');
      // Directory roles: none.
      expect((await ok(MY_ROLES, who)).value).toEqual([]);
    }
  });

  it("shows a member of a group that is eligible for a role that role's policy", async () => {
    const user = await newUser(ctx, 'via-group');
    const role = await customRole(ctx, 'Via group');
    const group = await newGroup(ctx, 'carrier', { roleAssignable: true });
    await addMember(ctx, group.id, user.id);
    await makeEligible(ctx, group.id, role);
    expect((await ok(MY_ROLES, user)).value.map((a: any) => a.roleDefinitionId)).toEqual([role]);
  });

  it('lets an approver read the policy of a request they must decide, while it waits, and not after', async () => {
    const requester = await newUser(ctx, 'requester');
    const approver = await newUser(ctx, 'approver');
    const role = await customRole(ctx, 'Approved');
    await patchRule(ctx, role, 'Approval_EndUser_Assignment', approvalRule(true, [approver.id]));
    await makeEligible(ctx, requester.id, role);
    const policyPath = `${POLICIES}/${policyIdFor(role, '/')}?$expand=rules`;
    expectGraphError(await get(policyPath, approver), 403, 'Authorization_RequestDenied');

    const pending = await activate(ctx, requester, role);
    expect(pending.status, JSON.stringify(pending.body)).toBe(201);
    expect(pending.body.status).toBe('PendingApproval');
    const policy = await ok(policyPath, approver);
    const stages = policy.rules.find((r: any) => r.id === 'Approval_EndUser_Assignment').setting.approvalStages;
    expect(stages[0].approvalStageTimeOutInDays).toBe(1);

    const cancelled = await ctx.api.call('POST', `${ASSIGNMENT_REQUESTS}/${pending.body.id}/cancel`, { token: await tokenOf(ctx, requester) });
    expect(cancelled.status).toBe(204);
    expectGraphError(await get(policyPath, approver), 403, 'Authorization_RequestDenied');
    await ok(policyPath, requester);
  });

  it('shows an eligibility below the tenant at its own scope only', async () => {
    const user = await newUser(ctx, 'scoped');
    const role = await customRole(ctx, 'Scoped');
    const scope = '/administrativeUnits/au-policies';
    await makeEligible(ctx, user.id, role, { scope });
    expect((await ok(MY_ROLES, user)).value).toEqual([]);
    const atScope = await ok(`${ASSIGNMENTS}?${filter(`scopeId eq '${scope}' and scopeType eq 'DirectoryRole'`)}&$expand=policy($expand=rules)`, user);
    expect(atScope.value.map((a: any) => [a.roleDefinitionId, a.policyId])).toEqual([[role, policyIdFor(role, scope)]]);
  });

  it('lets a Security Reader read every policy', async () => {
    const reader = await newUser(ctx, 'sec-reader');
    await makeActive(ctx, reader.id, ROLES.securityReader);
    const all = await ctx.api.call('GET', `${BASE}/roleDefinitions?$top=999`, { token: await ctx.admin() });
    const listed = await ok(`${ASSIGNMENTS}?${TENANT}&$top=999`, reader);
    expect(listed.value.length).toBe(all.body.value.length);
    await ok(`${POLICIES}/${policyIdFor(ROLES.globalAdministrator, '/')}/rules`, reader);
    // A Security Reader who is only eligible (not active) reads only their own.
    const eligibleReader = await newUser(ctx, 'sec-reader-eligible');
    await makeEligible(ctx, eligibleReader.id, ROLES.securityReader);
    expect((await ok(MY_ROLES, eligibleReader)).value.map((a: any) => a.roleDefinitionId)).toEqual([ROLES.securityReader]);
  });
});
