/**
 * Reading role settings (issue 14): a caller without a reader role reads the policies of their own roles
 * and group accesses only. The classes of reference/security.md this guards: outliving the basis of access
 * (leaving the group, or losing the eligibility, takes the settings away at once) and a side door to
 * others' settings (a $filter that tries to widen the set, an id of a policy that is not the caller's,
 * or of one that does not exist, which must answer exactly alike so that nothing can be enumerated).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyIdFor } from '../../shared/services/roles/policies/policy-ids.ts';
import {
  addMember,
  customRole,
  ELIGIBILITY_REQUESTS,
  expectGraphError,
  filter,
  makeEligible,
  newGroup,
  newUser,
  removeBody,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from '../integration/roles/helpers.ts';

const ASSIGNMENTS = '/v1.0/policies/roleManagementPolicyAssignments';
const POLICIES = '/v1.0/policies/roleManagementPolicies';
const TENANT = "scopeId eq '/' and scopeType eq 'DirectoryRole'";

describe("a non-reader reads its own roles' settings and nothing else", () => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await startRolesStack();
  });
  afterAll(() => ctx.stop());

  const myRoles = async (who: TestUser, extra = '') => {
    const result = await ctx.api.call('GET', `${ASSIGNMENTS}?${filter(`${TENANT}${extra}`)}`, { token: await tokenOf(ctx, who) });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    return (result.body.value as { roleDefinitionId: string }[]).map((a) => a.roleDefinitionId);
  };
  const readById = async (who: TestUser, roleId: string) =>
    ctx.api.call('GET', `${POLICIES}/${policyIdFor(roleId, '/')}/rules`, { token: await tokenOf(ctx, who) });

  it('cannot widen its set with a $filter', async () => {
    const user = await newUser(ctx, 'widen');
    const mine = await customRole(ctx, 'Mine');
    const other = await customRole(ctx, 'Other');
    await makeEligible(ctx, user.id, mine);
    for (const extra of [
      '',
      ` and (roleDefinitionId eq '${other}' or roleDefinitionId ne '${other}')`,
      ` and roleDefinitionId in ('${mine}', '${other}')`,
      ` and not (roleDefinitionId eq '${mine}')`,
    ]) {
      expect(
        (await myRoles(user, extra)).filter((id) => id !== mine),
        extra,
      ).toEqual([]);
    }
  });

  it("answers another's policy and a policy that does not exist with the same status and body", async () => {
    const user = await newUser(ctx, 'enumerate');
    const other = await customRole(ctx, 'Exists');
    const exists = expectGraphError(await readById(user, other), 403, 'Authorization_RequestDenied');
    const missing = expectGraphError(await readById(user, 'rol_00000000000000000000000000'), 403, 'Authorization_RequestDenied');
    expect(exists.message).toBe(missing.message);
    expect(Object.keys(exists).sort()).toEqual(Object.keys(missing).sort());
  });

  it("loses a group role's settings the moment it leaves the group", async () => {
    const user = await newUser(ctx, 'leaver');
    const role = await customRole(ctx, 'Through group');
    const group = await newGroup(ctx, 'leave-me', { roleAssignable: true });
    await addMember(ctx, group.id, user.id);
    await makeEligible(ctx, group.id, role);
    expect(await myRoles(user)).toEqual([role]);
    expect((await readById(user, role)).status).toBe(200);

    const removed = await ctx.api.call('DELETE', `/v1.0/groups/${group.id}/members/${user.id}/$ref`, { token: await ctx.admin() });
    expect(removed.status).toBe(204);
    expect(await myRoles(user)).toEqual([]);
    expectGraphError(await readById(user, role), 403, 'Authorization_RequestDenied');
  });

  it('loses the settings the moment its eligibility is removed', async () => {
    const user = await newUser(ctx, 'removed');
    const role = await customRole(ctx, 'Removed');
    await makeEligible(ctx, user.id, role);
    expect(await myRoles(user)).toEqual([role]);
    const removal = await ctx.api.call('POST', ELIGIBILITY_REQUESTS, { token: await ctx.admin(), body: removeBody(user.id, role) });
    expect(removal.status, JSON.stringify(removal.body)).toBe(201);
    expect(await myRoles(user)).toEqual([]);
    expectGraphError(await readById(user, role), 403, 'Authorization_RequestDenied');
  });
});
