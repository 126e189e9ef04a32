/**
 * The last-administrator guard counts Global Administrators who hold the role through a group: a
 * group's permanent active assignment counts once per standing user member. Removing the last such
 * member, deleting them, or removing the group's assignment when no other holder remains is a 409 that
 * changes nothing; of two such removals at once, exactly one succeeds. A group that no longer counts
 * can be deleted. Its own stack: the tests run in order and take the seeded admin's role away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectGraphError,
  list,
  makeActive,
  newGroup,
  newUser,
  post,
  removeBody,
  requestBody,
  ROLES,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from './helpers.ts';

describe('last Global Administrator, through a group', () => {
  const GA = ROLES.globalAdministrator;
  let ctx: Ctx;
  let dana: TestUser, erin: TestUser, alice: TestUser, bob: TestUser, successor: TestUser;
  let raceGroup: { id: string }, gaGroup: { id: string };
  let danaRemains: boolean;
  beforeAll(async () => {
    ctx = await startRolesStack();
    [dana, erin, alice, bob, successor] = [
      await newUser(ctx, 'dana'),
      await newUser(ctx, 'erin'),
      await newUser(ctx, 'alice'),
      await newUser(ctx, 'bob'),
      await newUser(ctx, 'successor'),
    ];
    raceGroup = await newGroup(ctx, 'ga-race', { roleAssignable: true, members: [erin] });
    gaGroup = await newGroup(ctx, 'ga-members', { roleAssignable: true, members: [alice] });
  });
  afterAll(() => ctx.stop());

  const assign = (principalId: string, token: string) => post(ctx, 'assignment', requestBody(principalId, GA), token);
  const member = (groupId: string, memberId: string, token: string, method: 'POST' | 'DELETE') =>
    method === 'POST'
      ? ctx.api.call('POST', `/v1.0/groups/${groupId}/members/$ref`, {
          token,
          body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${memberId}` },
        })
      : ctx.api.call('DELETE', `/v1.0/groups/${groupId}/members/${memberId}/$ref`, { token });
  const memberIds = async (groupId: string, token: string) => (await list(ctx, `/v1.0/groups/${groupId}/members`, token)).map((m) => m.id).sort();
  const gaHolders = async (principalId: string, token: string) =>
    (await list(ctx, `/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${principalId}'`, token)).filter((a) => a.roleDefinitionId === GA);

  it("of a group's assignment and the last other holder removed at once, exactly one goes", async () => {
    // Prepare: Dana holds it directly, Erin through a group; the seeded admin goes
    await makeActive(ctx, dana.id, GA);
    await makeActive(ctx, raceGroup.id, GA);
    const danaToken = await tokenOf(ctx, dana);
    expect((await post(ctx, 'assignment', removeBody(ctx.adminId, GA), danaToken)).status).toBe(201);
    // Act
    const race = await Promise.all([
      post(ctx, 'assignment', removeBody(raceGroup.id, GA), danaToken),
      post(ctx, 'assignment', removeBody(dana.id, GA), danaToken),
    ]);
    // Assess
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    expectGraphError(
      race.find((r) => r.status === 409)!,
      409,
      'LastAdministratorProtected',
    );
    danaRemains = race[1]!.status === 409;
    const token = await tokenOf(ctx, danaRemains ? dana : erin);
    expect(await gaHolders(dana.id, token)).toHaveLength(danaRemains ? 1 : 0);
    expect(await gaHolders(raceGroup.id, token)).toHaveLength(danaRemains ? 0 : 1);
  });

  it('counts the standing user members of a group holding it permanently, and refuses to remove the last', async () => {
    // Prepare: Alice's group gets it; the holder left by the race goes
    const aliceToken = await tokenOf(ctx, alice);
    expect((await assign(gaGroup.id, await tokenOf(ctx, danaRemains ? dana : erin))).status).toBe(201);
    const lastOther = danaRemains
      ? await post(ctx, 'assignment', removeBody(dana.id, GA), aliceToken)
      : await member(raceGroup.id, erin.id, aliceToken, 'DELETE');
    expect(lastOther.status, JSON.stringify(lastOther.body)).toBeLessThan(300);
    // Act / Assess: Alice, through the group, is the only holder left
    expectGraphError(await member(gaGroup.id, alice.id, aliceToken, 'DELETE'), 409, 'LastAdministratorProtected');
    // Deleting a member who holds roles through a group is refused as for a direct holder, last or not.
    expectGraphError(await ctx.api.call('DELETE', `/v1.0/users/${alice.id}`, { token: aliceToken }), 409, 'Request_PrincipalHoldsRoles');
    expectGraphError(await post(ctx, 'assignment', removeBody(gaGroup.id, GA), aliceToken), 409, 'LastAdministratorProtected');
    expect(await memberIds(gaGroup.id, aliceToken)).toEqual([alice.id]);
    expect(await gaHolders(gaGroup.id, aliceToken)).toHaveLength(1);
  });

  it('of the last two members removed at once, exactly one goes; another holder lets the group go', async () => {
    // Prepare
    const aliceToken = await tokenOf(ctx, alice);
    expect((await member(gaGroup.id, bob.id, aliceToken, 'POST')).status).toBe(204);
    // Act
    const race = await Promise.all([member(gaGroup.id, alice.id, aliceToken, 'DELETE'), member(gaGroup.id, bob.id, aliceToken, 'DELETE')]);
    // Assess
    expect(race.map((r) => r.status).sort()).toEqual([204, 409]);
    expectGraphError(
      race.find((r) => r.status === 409)!,
      409,
      'LastAdministratorProtected',
    );
    const remaining = await memberIds(gaGroup.id, aliceToken);
    expect(remaining).toHaveLength(1);
    // Act: a permanent direct holder first, then the group's assignment can go
    const token = await tokenOf(ctx, remaining[0] === alice.id ? alice : bob);
    expect((await assign(successor.id, token)).status).toBe(201);
    const groupRemoval = await post(ctx, 'assignment', removeBody(gaGroup.id, GA), token);
    // Assess
    expect(groupRemoval.status, JSON.stringify(groupRemoval.body)).toBe(201);
    // Counting for no role any more, the group (and its guard item) can be deleted with its member
    const successorToken = await tokenOf(ctx, successor);
    expect((await ctx.api.call('DELETE', `/v1.0/groups/${gaGroup.id}`, { token: successorToken })).status).toBe(204);
    expectGraphError(await post(ctx, 'assignment', removeBody(successor.id, GA), successorToken), 409, 'LastAdministratorProtected');
  });
});
