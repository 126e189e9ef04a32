/**
 * The last permanent active Global Administrator and Privileged Role Administrator can never go:
 * removing them, or making them time-bound, is a 409 LastAdministratorProtected that changes nothing.
 * Its own stack: the last test takes the seeded admin's role away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activate,
  BASE,
  expectGraphError,
  instancesOf,
  makeActive,
  makeEligible,
  newUser,
  post,
  removeBody,
  requestBody,
  requestsOf,
  ROLES,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from './helpers.ts';

describe('last administrator protection', () => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await startRolesStack();
  });
  afterAll(() => ctx.stop());

  const permanentHolders = async (user: TestUser | string, roleId: string, token?: string) =>
    (await instancesOf(ctx, 'assignment', typeof user === 'string' ? user : user.id, token)).filter(
      (i) => i.roleDefinitionId === roleId && i.assignmentType === 'Assigned' && i.endDateTime === null,
    );

  const update = (principalId: string, roleId: string, o: { duration?: string }, token?: string) =>
    post(ctx, 'assignment', requestBody(principalId, roleId, { action: 'adminUpdate', ...o }), token);

  it('protects the last permanent Privileged Role Administrator, and only the last', async () => {
    const PRA = ROLES.privilegedRoleAdministrator;
    const [first, second] = [await newUser(ctx, 'pra'), await newUser(ctx, 'pra')];
    await makeActive(ctx, first.id, PRA);

    const removal = await post(ctx, 'assignment', removeBody(first.id, PRA));
    expectGraphError(removal, 409, 'LastAdministratorProtected');
    expectGraphError(await update(first.id, PRA, { duration: 'P30D' }), 409, 'LastAdministratorProtected');
    expect(await permanentHolders(first, PRA)).toHaveLength(1);
    expect((await requestsOf(ctx, 'assignment', first.id)).map((r) => r.status)).toEqual(['Provisioned']);

    // A time-bound holder does not count; making it permanent does.
    await makeActive(ctx, second.id, PRA, { duration: 'P30D' });
    expectGraphError(await post(ctx, 'assignment', removeBody(first.id, PRA)), 409, 'LastAdministratorProtected');
    expect((await post(ctx, 'assignment', requestBody(second.id, PRA, { action: 'adminUpdate' }))).status).toBe(201);
    expect(await permanentHolders(second, PRA)).toHaveLength(1);

    expect((await post(ctx, 'assignment', removeBody(first.id, PRA))).status).toBe(201);
    expect(await instancesOf(ctx, 'assignment', first.id)).toEqual([]);
    expectGraphError(await post(ctx, 'assignment', removeBody(second.id, PRA)), 409, 'LastAdministratorProtected');
    expectGraphError(await update(second.id, PRA, { duration: 'P1D' }), 409, 'LastAdministratorProtected');
    expect(await permanentHolders(second, PRA)).toHaveLength(1);
  });

  it("protects the seeded admin's permanent Global Administrator until a second permanent one exists", async () => {
    const GA = ROLES.globalAdministrator;
    const before = await requestsOf(ctx, 'assignment', ctx.adminId);

    expectGraphError(await post(ctx, 'assignment', removeBody(ctx.adminId, GA)), 409, 'LastAdministratorProtected');
    expectGraphError(await update(ctx.adminId, GA, { duration: 'P30D' }), 409, 'LastAdministratorProtected');
    expect(await permanentHolders(ctx.adminId, GA)).toHaveLength(1);
    expect(await requestsOf(ctx, 'assignment', ctx.adminId)).toEqual(before);

    // Neither a time-bound assignment nor an activation counts as a second administrator.
    const timebound = await newUser(ctx, 'ga-timebound');
    await makeActive(ctx, timebound.id, GA, { duration: 'P7D' });
    const activated = await newUser(ctx, 'ga-activated');
    await makeEligible(ctx, activated.id, GA);
    expect((await activate(ctx, activated, GA)).status).toBe(201);
    expectGraphError(await post(ctx, 'assignment', removeBody(ctx.adminId, GA)), 409, 'LastAdministratorProtected');

    const successor = await newUser(ctx, 'ga-successor');
    await makeActive(ctx, successor.id, GA);
    const successorToken = await tokenOf(ctx, successor);
    const removal = await post(ctx, 'assignment', removeBody(ctx.adminId, GA), successorToken);
    expect(removal.status, JSON.stringify(removal.body)).toBe(201);
    expect(removal.body.status).toBe('Revoked');
    expect(await permanentHolders(ctx.adminId, GA, successorToken)).toEqual([]);
    // The former admin has lost its powers at once.
    expectGraphError(await ctx.api.call('GET', `${BASE}/roleAssignmentSchedules`, { token: await ctx.admin() }), 403, 'Authorization_RequestDenied');

    expectGraphError(await post(ctx, 'assignment', removeBody(successor.id, GA), successorToken), 409, 'LastAdministratorProtected');
    expectGraphError(await update(successor.id, GA, { duration: 'P1D' }, successorToken), 409, 'LastAdministratorProtected');
    expect(await permanentHolders(successor, GA, successorToken)).toHaveLength(1);
  });
});
