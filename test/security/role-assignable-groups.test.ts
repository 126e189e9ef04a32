/**
 * Attacks on role-assignable groups, through HTTP: membership of such a group is its roles, so every write
 * path to it must be held to the rules of assigning those roles (Entra: only Privileged Role
 * Administrators, Global Administrators and the group's owners). Each attack must be refused and leave
 * no access behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, groupRequestBody, postGroup } from '../integration/groups/helpers.ts';
import {
  addMember,
  expectGraphError,
  list,
  makeActive,
  newGroup,
  newUser,
  ROLES,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from '../integration/roles/helpers.ts';

/** An action only Global Administrators (of the roles used here) may take. */
const GA_ONLY = 'microsoft.directory/directoryRoles/allProperties/allTasks';
const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

describe('role-assignable groups are privileged objects', () => {
  let ctx: Ctx;
  let groupsAdmin: TestUser;
  let userAdmin: TestUser;
  let privilegedRoleAdmin: TestUser;
  let bystander: TestUser;
  let gaGroup: { id: string; displayName: string };

  beforeAll(async () => {
    ctx = await startRolesStack();
    [groupsAdmin, userAdmin, privilegedRoleAdmin, bystander] = (await Promise.all(
      ['groups-admin', 'user-admin', 'pra', 'bystander'].map((l) => newUser(ctx, l)),
    )) as [TestUser, TestUser, TestUser, TestUser];
    await makeActive(ctx, groupsAdmin.id, ROLES.groupsAdministrator);
    await makeActive(ctx, userAdmin.id, ROLES.userAdministrator);
    await makeActive(ctx, privilegedRoleAdmin.id, ROLES.privilegedRoleAdministrator);
    gaGroup = await newGroup(ctx, 'ga-holders', { roleAssignable: true, members: [bystander] });
    await makeActive(ctx, gaGroup.id, ROLES.globalAdministrator);
  });
  afterAll(() => ctx.stop());

  const members = async (groupId: string) => (await list(ctx, `/v1.0/groups/${groupId}/members`)).map((m) => m.id).sort();

  it.each([
    ['a Groups Administrator', () => groupsAdmin],
    ['a User Administrator', () => userAdmin],
  ])('%s cannot make itself a Global Administrator by joining a group that holds the role', async (_label, attacker) => {
    // Act
    const result = await ctx.api.call('POST', `/v1.0/groups/${gaGroup.id}/members/$ref`, { token: await tokenOf(ctx, attacker()), body: ref(attacker().id) });
    // Assess: refused, saying who may; nothing changed and no Global Administrator power
    const error = expectGraphError(result, 403, 'Authorization_RequestDenied');
    expect(error.message).toContain('can be assigned to roles');
    expect(error.message).toContain('Privileged Role Administrator');
    expect(await members(gaGroup.id)).toEqual([bystander.id]);
    expect((await decide(ctx, attacker().id, GA_ONLY)).decision).toBe(false);
  });

  it('a Groups Administrator cannot remove a Global Administrator from the group that gives the role', async () => {
    const result = await ctx.api.call('DELETE', `/v1.0/groups/${gaGroup.id}/members/${bystander.id}/$ref`, { token: await tokenOf(ctx, groupsAdmin) });
    expectGraphError(result, 403, 'Authorization_RequestDenied');
    expect(await members(gaGroup.id)).toEqual([bystander.id]);
  });

  it('a Groups Administrator cannot create a role-assignable group, with or without members', async () => {
    const token = await tokenOf(ctx, groupsAdmin);
    for (const extra of [{}, { 'members@odata.bind': [`https://graph.microsoft.com/v1.0/users/${groupsAdmin.id}`] }]) {
      const name = `sneaky-${Object.keys(extra).length}-${Date.now()}`;
      const result = await ctx.api.call('POST', '/v1.0/groups', {
        token,
        body: { displayName: name, mailNickname: name, mailEnabled: false, securityEnabled: true, isAssignableToRole: true, ...extra },
      });
      expectGraphError(result, 403, 'Authorization_RequestDenied');
      expect(await list(ctx, `/v1.0/groups?$filter=displayName eq '${name}'`)).toEqual([]);
    }
  });

  it('a Groups Administrator cannot rename or delete a role-assignable group', async () => {
    const token = await tokenOf(ctx, groupsAdmin);
    expectGraphError(
      await ctx.api.call('PATCH', `/v1.0/groups/${gaGroup.id}`, { token, body: { displayName: 'Harmless group' } }),
      403,
      'Authorization_RequestDenied',
    );
    expectGraphError(await ctx.api.call('DELETE', `/v1.0/groups/${gaGroup.id}`, { token }), 403, 'Authorization_RequestDenied');
    const group = await ctx.api.call('GET', `/v1.0/groups/${gaGroup.id}`, { token: await ctx.admin() });
    expect(group.body.displayName).toBe(gaGroup.displayName);
  });

  it('nobody can turn an ordinary group into a role-assignable one after creation', async () => {
    const ordinary = await ctx.api.call('POST', '/v1.0/groups', {
      token: await tokenOf(ctx, groupsAdmin),
      body: { displayName: `ordinary-${Date.now()}`, mailNickname: `ordinary${Date.now()}`, mailEnabled: false, securityEnabled: true },
    });
    expect(ordinary.status).toBe(201);
    for (const token of [await tokenOf(ctx, groupsAdmin), await ctx.admin()]) {
      expectGraphError(
        await ctx.api.call('PATCH', `/v1.0/groups/${ordinary.body.id}`, { token, body: { isAssignableToRole: true } }),
        400,
        'Request_BadRequest',
      );
    }
    expect((await ctx.api.call('GET', `/v1.0/groups/${ordinary.body.id}`, { token: await ctx.admin() })).body.isAssignableToRole).toBe(false);
  });

  it('a Groups Administrator cannot give itself the membership through PIM for groups', async () => {
    const result = await postGroup(ctx, 'assignment', groupRequestBody(groupsAdmin.id, gaGroup.id), await tokenOf(ctx, groupsAdmin));
    expectGraphError(result, 403, 'Authorization_RequestDenied');
    expect((await decide(ctx, groupsAdmin.id, GA_ONLY)).decision).toBe(false);
  });

  it('a Privileged Role Administrator and the group owner may change its members; Groups Administrators keep ordinary groups', async () => {
    // Prepare: an owner through PIM for groups
    const owner = await newUser(ctx, 'owner');
    const newcomer = await newUser(ctx, 'newcomer');
    const other = await newUser(ctx, 'other');
    const ownership = await postGroup(ctx, 'assignment', groupRequestBody(owner.id, gaGroup.id, { accessId: 'owner', duration: 'P30D' }));
    expect(ownership.status, JSON.stringify(ownership.body)).toBe(201);
    // Act / Assess
    const byPra = await ctx.api.call('POST', `/v1.0/groups/${gaGroup.id}/members/$ref`, {
      token: await tokenOf(ctx, privilegedRoleAdmin),
      body: ref(newcomer.id),
    });
    expect(byPra.status, JSON.stringify(byPra.body)).toBe(204);
    const byOwner = await ctx.api.call('POST', `/v1.0/groups/${gaGroup.id}/members/$ref`, { token: await tokenOf(ctx, owner), body: ref(other.id) });
    expect(byOwner.status, JSON.stringify(byOwner.body)).toBe(204);
    expect(await members(gaGroup.id)).toEqual([bystander.id, newcomer.id, other.id].sort());
    const ordinary = await newGroup(ctx, 'ordinary', { roleAssignable: false });
    const byGroupsAdmin = await ctx.api.call('POST', `/v1.0/groups/${ordinary.id}/members/$ref`, {
      token: await tokenOf(ctx, groupsAdmin),
      body: ref(newcomer.id),
    });
    expect(byGroupsAdmin.status).toBe(204);
    await addMember(ctx, ordinary.id, other.id);
  });
});
