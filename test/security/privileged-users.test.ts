/**
 * Lesser admins against greater ones, through HTTP (Entra's "who can perform sensitive actions"): a user
 * who holds, is eligible for, or could hold through a group a privileged role is changed or deleted only
 * by Privileged Role Administrators and Global Administrators. Otherwise a User Administrator redirects an
 * admin's mail (and approval emails) or renames an admin's sign-in name to an address it controls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGroupEligible } from '../integration/groups/helpers.ts';
import {
  expectGraphError,
  makeActive,
  makeEligible,
  newGroup,
  newUser,
  ROLES,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from '../integration/roles/helpers.ts';

describe('privileged users are protected from lesser admins', () => {
  let ctx: Ctx;
  let userAdmin: TestUser;
  let helpdesk: TestUser;
  let privilegedRoleAdmin: TestUser;
  const targets: Record<string, TestUser> = {};

  beforeAll(async () => {
    ctx = await startRolesStack();
    [userAdmin, helpdesk, privilegedRoleAdmin] = (await Promise.all(['user-admin', 'helpdesk', 'pra'].map((l) => newUser(ctx, l)))) as [
      TestUser,
      TestUser,
      TestUser,
    ];
    await makeActive(ctx, userAdmin.id, ROLES.userAdministrator);
    await makeActive(ctx, helpdesk.id, ROLES.helpdeskAdministrator);
    await makeActive(ctx, privilegedRoleAdmin.id, ROLES.privilegedRoleAdministrator);
    const [active, eligible, member, pimEligible, ordinary] = await Promise.all(
      ['active-ga', 'eligible-ga', 'group-member', 'pim-eligible', 'ordinary'].map((l) => newUser(ctx, l)),
    );
    await makeActive(ctx, active!.id, ROLES.globalAdministrator, { duration: 'P30D' });
    await makeEligible(ctx, eligible!.id, ROLES.globalAdministrator, { duration: 'P30D' });
    // A role-assignable group that holds nothing yet: a role can be given to it at any moment.
    const carrier = await newGroup(ctx, 'carrier', { roleAssignable: true, members: [member!] });
    await makeGroupEligible(ctx, pimEligible!.id, carrier.id);
    Object.assign(targets, { active, eligible, member, pimEligible, ordinary });
  });
  afterAll(() => ctx.stop());

  const user = async (id: string) => (await ctx.api.call('GET', `/v1.0/users/${id}`, { token: await ctx.admin() })).body;

  it.each([
    ['an active Global Administrator', 'active'],
    ['a user eligible for Global Administrator', 'eligible'],
    ['a member of a role-assignable group', 'member'],
    ['a user eligible for membership of a role-assignable group', 'pimEligible'],
  ])('a User Administrator cannot redirect the mail or sign-in name of %s, disable or delete them', async (_label, key) => {
    const target = targets[key]!;
    const token = await tokenOf(ctx, userAdmin);
    const before = await user(target.id);
    for (const body of [
      { mail: 'attacker@evil.test' },
      { userPrincipalName: `taken-${Date.now()}@contoso.test` },
      { accountEnabled: false },
      { displayName: 'Renamed' },
    ]) {
      const error = expectGraphError(await ctx.api.call('PATCH', `/v1.0/users/${target.id}`, { token, body }), 403, 'Authorization_RequestDenied');
      expect(error.message).toContain('sensitive action');
      expect(error.message).toContain('Privileged Role Administrator');
    }
    expectGraphError(await ctx.api.call('DELETE', `/v1.0/users/${target.id}`, { token }), 403, 'Authorization_RequestDenied');
    expect(await user(target.id)).toEqual(before);
  });

  it('a Helpdesk Administrator resets credentials of ordinary users only, and changes nothing else', async () => {
    const token = await tokenOf(ctx, helpdesk);
    const reset = { passwordProfile: { forceChangePasswordNextSignIn: true, password: 'Temp-Pa55word!' } };
    expect((await ctx.api.call('PATCH', `/v1.0/users/${targets.ordinary!.id}`, { token, body: reset })).status).toBe(204);
    expectGraphError(await ctx.api.call('PATCH', `/v1.0/users/${targets.active!.id}`, { token, body: reset }), 403, 'Authorization_RequestDenied');
    expectGraphError(
      await ctx.api.call('PATCH', `/v1.0/users/${targets.ordinary!.id}`, { token, body: { mail: 'attacker@evil.test' } }),
      403,
      'Authorization_RequestDenied',
    );
  });

  it('a User Administrator keeps its power over everyone else', async () => {
    const result = await ctx.api.call('PATCH', `/v1.0/users/${targets.ordinary!.id}`, { token: await tokenOf(ctx, userAdmin), body: { jobTitle: 'Analyst' } });
    expect(result.status, JSON.stringify(result.body)).toBe(204);
    expect((await user(targets.ordinary!.id)).jobTitle).toBe('Analyst');
  });

  it('a User Administrator cannot change another User Administrator (a privileged role), nor itself', async () => {
    const token = await tokenOf(ctx, userAdmin);
    expectGraphError(await ctx.api.call('PATCH', `/v1.0/users/${userAdmin.id}`, { token, body: { mail: 'me@evil.test' } }), 403, 'Authorization_RequestDenied');
  });

  it('a Privileged Role Administrator may change a privileged user', async () => {
    const result = await ctx.api.call('PATCH', `/v1.0/users/${targets.eligible!.id}`, {
      token: await tokenOf(ctx, privilegedRoleAdmin),
      body: { officeLocation: 'HQ' },
    });
    expect(result.status, JSON.stringify(result.body)).toBe(204);
  });

  it('a custom role marked privileged protects its holders too', async () => {
    const role = await ctx.api.call('POST', '/v1.0/roleManagement/directory/roleDefinitions', {
      token: await ctx.admin(),
      body: {
        displayName: `Key keeper ${Date.now()}`,
        isPrivileged: true,
        rolePermissions: [{ allowedResourceActions: ['microsoft.directory/users/password/update'] }],
      },
    });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    const holder = await newUser(ctx, 'key-keeper');
    await makeEligible(ctx, holder.id, role.body.id, { duration: 'P30D' });
    expectGraphError(
      await ctx.api.call('PATCH', `/v1.0/users/${holder.id}`, { token: await tokenOf(ctx, userAdmin), body: { mail: 'attacker@evil.test' } }),
      403,
      'Authorization_RequestDenied',
    );
  });

  it('deleting a user who holds roles through a group is refused like a direct holder, even for a Global Administrator', async () => {
    const member = await newUser(ctx, 'holder-via-group');
    const group = await newGroup(ctx, 'holds-security-admin', { roleAssignable: true, members: [member] });
    await makeActive(ctx, group.id, ROLES.securityAdministrator, { duration: 'P30D' });
    const error = expectGraphError(await ctx.api.call('DELETE', `/v1.0/users/${member.id}`, { token: await ctx.admin() }), 409, 'Request_PrincipalHoldsRoles');
    expect(error.message).toContain(group.displayName);
    expect((await ctx.api.call('GET', `/v1.0/users/${member.id}`, { token: await ctx.admin() })).status).toBe(200);
  });
});
