/**
 * The contract: Graph's documented PIM for groups examples (30–32, 34, 36), sent with our ids and
 * their dates moved to today, are accepted, and the answers carry Graph's group fields.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { iso, list, newGroup, newUser, startRolesStack, type Ctx, type TestUser } from '../roles/helpers.ts';
import { GROUP_BASE, makeGroupEligible } from './helpers.ts';

interface Example {
  request: { method: string; url: string; body: any };
  response: { status: number; body: any };
}

const load = (name: string): Example => JSON.parse(readFileSync(`/work/shared/reference/graph-examples/${name}`, 'utf8')) as Example;
const EX = {
  adminAssignActive: load('30-groups-assignment-adminAssign-afterDuration.json'),
  selfActivate: load('31-groups-assignment-selfActivate.json'),
  eligibilityAssign: load('32-groups-eligibility-adminAssign.json'),
  policyAssignments: load('34-groups-policy-assignments-list.json'),
  mySchedules: load('36-groups-eligibilitySchedules-filterByCurrentUser.json'),
};

const THEIR_PRINCIPAL = '3cce9d87-3986-4f19-8335-7ed075408ca2';
const THEIR_GROUPS = [
  '68e55cce-cf7e-4a2d-9046-3e4e75c4bfa7',
  '2b5ed229-4072-478d-9504-a047ebd4b07d',
  '60bba733-f09d-49b7-8445-32369aa066b3',
  'd5f0ad2e-6b34-401b-b6da-0c8fc2c5a3fc',
];
/** The examples were written on 2023-02-06; we replay them as if it were the time example 32's eligibility starts. */
const THEIR_TODAY = Date.parse('2023-02-06T19:25:00Z');

describe('Graph PIM for groups examples 30–32, 34, 36', () => {
  const clock = new ManualClock('2034-01-10T09:00:00.000Z');
  let ctx: Ctx;
  let user: TestUser;
  let groupId: string;
  const ours = (text: string, principal = user) =>
    THEIR_GROUPS.reduce((t, g) => t.replaceAll(g, groupId), text.replaceAll(THEIR_PRINCIPAL, principal.id)).replace(
      /"(\d{4}-\d\d-\d\dT[\d:.]+Z)"/g,
      (_m, date: string) => JSON.stringify(iso(Date.parse(date) + clock.now().getTime() - THEIR_TODAY)),
    );
  const send = async (example: Example, token?: string, principal = user) => {
    const url = new URL(ours(example.request.url, principal));
    expect(url.pathname.startsWith(GROUP_BASE) || url.pathname.startsWith('/v1.0/policies')).toBe(true);
    const body = example.request.body === null ? undefined : JSON.parse(ours(JSON.stringify(example.request.body), principal));
    return ctx.api.call(example.request.method, `${url.pathname}${url.search}`, { token: token ?? (await ctx.admin()), body });
  };
  const graphKeys = (example: Example) => Object.keys(example.response.body).filter((k) => !k.startsWith('@odata'));

  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
    user = await newUser(ctx, 'graph-groups');
    groupId = (await newGroup(ctx, 'graph-groups', { roleAssignable: false })).id;
  });
  afterAll(() => ctx.stop());

  it('32: adminAssign of an eligible membership (PascalCase action and expiration type)', async () => {
    const result = await send(EX.eligibilityAssign);
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(Object.keys(result.body)).toEqual(expect.arrayContaining(graphKeys(EX.eligibilityAssign)));
    expect(result.body).toMatchObject({
      status: 'Provisioned',
      action: 'AdminAssign',
      accessId: 'member',
      groupId,
      principalId: user.id,
      scheduleInfo: { expiration: { type: 'afterDateTime' } },
    });
    expect(result.body['@odata.context']).toContain('identityGovernance/privilegedAccess/group/eligibilityScheduleRequests/$entity');
  });

  it('31: an eligible member activates (selfActivate, PT2H, starting later)', async () => {
    // Example 32's eligibility ends before example 31's activation starts, so 31 gets an eligibility of its own.
    const activator = await newUser(ctx, 'graph-groups-activator');
    await makeGroupEligible(ctx, activator.id, groupId, { duration: 'P7D' });
    const result = await send(EX.selfActivate, await ctx.api.token(activator.upn), activator);
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(Object.keys(result.body)).toEqual(expect.arrayContaining(graphKeys(EX.selfActivate)));
    expect(result.body).toMatchObject({
      status: 'Granted',
      action: 'selfActivate',
      accessId: 'member',
      groupId,
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT2H' } },
    });
  });

  it('30: adminAssign of an active membership for two hours', async () => {
    const other = await newUser(ctx, 'graph-groups-active');
    const example = {
      ...EX.adminAssignActive,
      request: { ...EX.adminAssignActive.request, body: { ...EX.adminAssignActive.request.body, principalId: other.id } },
    };
    const result = await send(example);
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(Object.keys(result.body)).toEqual(expect.arrayContaining(graphKeys(EX.adminAssignActive)));
    expect(result.body).toMatchObject({ accessId: 'member', groupId, principalId: other.id, targetScheduleId: result.body.id });
  });

  it('36: my eligible memberships, filtered by group and accessId', async () => {
    const result = await send(EX.mySchedules, await ctx.api.token(user.upn));
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body.value, JSON.stringify(result.body)).toHaveLength(1);
    expect(Object.keys(result.body.value[0])).toEqual(expect.arrayContaining(Object.keys(EX.mySchedules.response.body.value[0])));
    expect(result.body.value[0]).toMatchObject({
      '@odata.type': '#microsoft.graph.privilegedAccessGroupEligibilitySchedule',
      principalId: user.id,
      accessId: 'member',
      groupId,
      memberType: 'direct',
      status: 'Provisioned',
    });
    expect(await list(ctx, `${GROUP_BASE}/eligibilityScheduleInstances/filterByCurrentUser(on='principal')`, await ctx.api.token(user.upn))).toHaveLength(1);
  });

  it('34: the policy assignments of a group (member and owner)', async () => {
    const result = await send(EX.policyAssignments);
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body.value.map((a: { roleDefinitionId: string }) => a.roleDefinitionId)).toEqual(['member', 'owner']);
    for (const [i, a] of result.body.value.entries()) expect(Object.keys(a).sort()).toEqual(Object.keys(EX.policyAssignments.response.body.value[i]).sort());
  });
});
