/**
 * Real parallel HTTP requests against DynamoDB Local, asserting the invariants of docs/architecture.md §5: one
 * activation per principal, role and scope; no activation outliving its eligibility; never zero
 * permanent Global Administrators; and nothing half-written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activatedUsingOf,
  activationBody,
  expectGraphError,
  instancesOf,
  makeActive,
  makeEligible,
  newGroup,
  newUser,
  newUsers,
  post,
  removeBody,
  requestBody,
  requestsOf,
  ROLES,
  schedulesOf,
  startRolesStack,
  tokenOf,
  type CallResult,
  type Ctx,
} from './helpers.ts';

const ROLE = ROLES.securityAdministrator;

function tally(results: CallResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === 201 ? '201' : `${r.status} ${r.body?.error?.code}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('concurrency', () => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await startRolesStack();
  });
  afterAll(() => ctx.stop());

  it('20 simultaneous identical activations make one activation; the others get the same request back', async () => {
    const user = await newUser(ctx);
    await makeEligible(ctx, user.id, ROLE);
    const token = await tokenOf(ctx, user);
    const body = activationBody(user.id, ROLE, { duration: 'PT2H' });
    const results = await Promise.all(Array.from({ length: 20 }, () => post(ctx, 'assignment', body, token)));

    const statuses = tally(results);
    expect(
      Object.keys(statuses).every((k) => k === '201' || k === '409 RoleAssignmentExists'),
      JSON.stringify(statuses),
    ).toBe(true);
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const [instance, ...more] = await instancesOf(ctx, 'assignment', user.id);
    expect(more).toEqual([]);
    expect(instance.id).toBe([...ids][0]);
    expect(await requestsOf(ctx, 'assignment', user.id)).toEqual([expect.objectContaining({ id: instance.id, status: 'Provisioned' })]);
  });

  it('20 simultaneous different activations: exactly one 201, the others 409 RoleAssignmentExists', async () => {
    const user = await newUser(ctx);
    await makeEligible(ctx, user.id, ROLE);
    const token = await tokenOf(ctx, user);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(ctx, 'assignment', activationBody(user.id, ROLE, { duration: 'PT1H', justification: `Incident ${i}` }), token)),
    );
    expect(tally(results)).toEqual({ '201': 1, '409 RoleAssignmentExists': 19 });
    for (const refused of results.filter((r) => r.status !== 201)) expectGraphError(refused, 409, 'RoleAssignmentExists');
    const winner = results.find((r) => r.status === 201)!.body;
    expect((await instancesOf(ctx, 'assignment', user.id)).map((i) => i.id)).toEqual([winner.id]);
    expect((await requestsOf(ctx, 'assignment', user.id)).map((r) => r.id)).toEqual([winner.id]);
  });

  it('10 simultaneous identical adminAssign requests make one assignment', async () => {
    const user = await newUser(ctx);
    const token = await ctx.admin();
    const body = requestBody(user.id, ROLES.globalReader, { duration: 'P10D' });
    const results = await Promise.all(Array.from({ length: 10 }, () => post(ctx, 'assignment', body, token)));
    const statuses = tally(results);
    expect(
      Object.keys(statuses).every((k) => k === '201' || k === '409 RoleAssignmentExists'),
      JSON.stringify(statuses),
    ).toBe(true);
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect((await schedulesOf(ctx, 'assignment', user.id)).map((s) => s.id)).toEqual([...ids]);
    expect(await requestsOf(ctx, 'assignment', user.id)).toHaveLength(1);
  });

  it("lets 10 members activate their group's eligibility at the same moment", async () => {
    const members = await newUsers(ctx, 10, 'member');
    const group = await newGroup(ctx, 'surge', { roleAssignable: true, members });
    const eligibility = await makeEligible(ctx, group.id, ROLE);
    const tokens = await Promise.all(members.map((u) => tokenOf(ctx, u)));
    const results = await Promise.all(members.map((u, i) => post(ctx, 'assignment', activationBody(u.id, ROLE), tokens[i])));
    expect(tally(results), JSON.stringify(results.filter((r) => r.status !== 201).map((r) => r.body))).toEqual({ '201': 10 });
    for (const r of results) expect(await activatedUsingOf(ctx, r.body.id)).toBe(eligibility.id);
  });

  it('never leaves an activation behind when its eligibility is removed at the same moment', async () => {
    const users = await newUsers(ctx, 12, 'race');
    await Promise.all(users.map((u) => makeEligible(ctx, u.id, ROLE)));
    const tokens = await Promise.all(users.map((u) => tokenOf(ctx, u)));
    const admin = await ctx.admin();
    const results = await Promise.all(
      users.flatMap((u, i) => [post(ctx, 'assignment', activationBody(u.id, ROLE), tokens[i]), post(ctx, 'eligibility', removeBody(u.id, ROLE), admin)]),
    );
    for (const r of results) expect([201, 400, 409], JSON.stringify(r.body)).toContain(r.status);
    for (const u of users) {
      const eligible = await instancesOf(ctx, 'eligibility', u.id);
      const active = await instancesOf(ctx, 'assignment', u.id);
      // An activation may exist only while the eligibility it came from does.
      if (eligible.length === 0) expect(active, u.id).toEqual([]);
    }
  });

  it('two administrators removing the last two permanent Global Administrators at once: exactly one succeeds', async () => {
    // Last in this file: it may take the seeded admin's role away. The two acting administrators hold
    // Global Administrator time-bound, so neither removal touches the other's authority, and the only
    // thing between them is the last-administrator guard.
    const GA = ROLES.globalAdministrator;
    const [second, actorA, actorB] = await newUsers(ctx, 3, 'ga');
    await makeActive(ctx, second!.id, GA);
    await Promise.all([actorA!, actorB!].map((u) => makeActive(ctx, u.id, GA, { duration: 'P1D' })));
    const [tokenA, tokenB] = await Promise.all([tokenOf(ctx, actorA!), tokenOf(ctx, actorB!)]);
    const results = await Promise.all([
      post(ctx, 'assignment', removeBody(second!.id, GA), tokenA),
      post(ctx, 'assignment', removeBody(ctx.adminId, GA), tokenB),
    ]);
    expect(tally(results), JSON.stringify(results.map((r) => r.body))).toEqual({ '201': 1, '409 LastAdministratorProtected': 1 });
    expectGraphError(
      results.find((r) => r.status === 409)!,
      409,
      'LastAdministratorProtected',
    );
    const permanent = await Promise.all(
      [ctx.adminId, second!.id].map(async (id) =>
        (await instancesOf(ctx, 'assignment', id, tokenA)).filter(
          (i) => i.roleDefinitionId === GA && i.assignmentType === 'Assigned' && i.endDateTime === null,
        ),
      ),
    );
    expect(permanent.flat()).toHaveLength(1);
    // The survivor is protected from here on.
    const survivor = permanent[0]!.length === 1 ? ctx.adminId : second!.id;
    expectGraphError(await post(ctx, 'assignment', removeBody(survivor, GA), tokenA), 409, 'LastAdministratorProtected');
  });
});
