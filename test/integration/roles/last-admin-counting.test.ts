/**
 * What keeps the tenant administrable: only a permanent, tenant-wide, already-started active Global
 * Administrator assignment counts as a holder the guard may rely on: a user's once, a group's once per
 * standing user member (last-admin-groups.test.ts). A planned one, an empty group's or a service
 * principal's does not, so none of them lets the last real Global Administrator go.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, expectGraphError, makeActive, newGroup, newUser, post, removeBody, ROLES, startRolesStack, type Ctx } from './helpers.ts';

describe('last Global Administrator: who counts', () => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await startRolesStack();
  });
  afterAll(() => ctx.stop());

  it('does not count a permanent Global Administrator that starts tomorrow, an empty group, or a service principal', async () => {
    // Prepare
    const planned = await newUser(ctx, 'planned-ga');
    await makeActive(ctx, planned.id, ROLES.globalAdministrator, { start: new Date(Date.now() + DAY).toISOString() });
    const group = await newGroup(ctx, 'ga-group', { roleAssignable: true });
    await makeActive(ctx, group.id, ROLES.globalAdministrator);
    const sp = await ctx.api.call('POST', '/v1.0/servicePrincipals', { token: await ctx.admin(), body: { appId: `ga-app-${Date.now()}` } });
    await makeActive(ctx, sp.body.id, ROLES.globalAdministrator);
    // Act
    const removal = await post(ctx, 'assignment', removeBody(ctx.adminId, ROLES.globalAdministrator));
    // Assess
    expectGraphError(removal, 409, 'LastAdministratorProtected');
    const stillThere = await ctx.api.call('GET', `/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${ctx.adminId}'`, {
      token: await ctx.admin(),
    });
    expect(stillThere.body.value.map((a: { roleDefinitionId: string }) => a.roleDefinitionId)).toContain(ROLES.globalAdministrator);
  });

  it('lets the admin go once another user holds a permanent Global Administrator assignment that is in force', async () => {
    // Prepare
    const successor = await newUser(ctx, 'successor-ga');
    await makeActive(ctx, successor.id, ROLES.globalAdministrator);
    const token = await ctx.api.token(successor.upn);
    // Act
    const removal = await post(ctx, 'assignment', removeBody(ctx.adminId, ROLES.globalAdministrator), token);
    // Assess
    expect(removal.status, JSON.stringify(removal.body)).toBe(201);
    expect(removal.body.status).toBe('Revoked');
    expectGraphError(await post(ctx, 'assignment', removeBody(successor.id, ROLES.globalAdministrator), token), 409, 'LastAdministratorProtected');
  });
});
