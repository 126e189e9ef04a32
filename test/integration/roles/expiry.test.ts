/**
 * Time is the truth: with a manual clock, an instance is in force until the millisecond before its
 * end and gone at the end, in every view and in every decision, and its slot frees by time alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import {
  activate,
  BASE,
  DAY,
  expectGraphError,
  failedRules,
  filter,
  HOUR,
  instancesOf,
  iso,
  list,
  makeActive,
  makeEligible,
  newUser,
  post,
  removeBody,
  requestBody,
  ROLES,
  schedulesOf,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from './helpers.ts';

describe('expiry at the exact instant', () => {
  const clock = new ManualClock('2032-01-10T10:00:00.000Z');
  let ctx: Ctx;
  const now = () => clock.now().getTime();
  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
  });
  afterAll(() => ctx.stop());

  const inForce = async (user: TestUser) => ({
    instances: (await instancesOf(ctx, 'assignment', user.id)).map((i) => i.id),
    schedules: (await schedulesOf(ctx, 'assignment', user.id)).map((s) => s.id),
    roleAssignments: (await list(ctx, `${BASE}/roleAssignments?${filter(`principalId eq '${user.id}'`)}`)).map((a) => a.id),
    mine: (await list(ctx, `${BASE}/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')`, await tokenOf(ctx, user))).map((i) => i.id),
  });

  it('lists an activation at end − 1 ms, drops it at the end, and frees the slot at that instant', async () => {
    const user = await newUser(ctx);
    await makeEligible(ctx, user.id, ROLES.securityAdministrator);
    const first = await activate(ctx, user, ROLES.securityAdministrator, { duration: 'PT1H' });
    expect(first.status).toBe(201);
    const end = now() + HOUR;

    clock.set(iso(end - 1));
    const id = first.body.id;
    expect(await inForce(user)).toEqual({ instances: [id], schedules: [id], roleAssignments: [id], mine: [id] });
    expectGraphError(await activate(ctx, user, ROLES.securityAdministrator, { duration: 'PT2H' }), 409, 'RoleAssignmentExists');

    clock.set(iso(end));
    expect(await inForce(user)).toEqual({ instances: [], schedules: [], roleAssignments: [], mine: [] });
    const instance = await ctx.api.call('GET', `${BASE}/roleAssignmentScheduleInstances/${id}`, { token: await ctx.admin() });
    expectGraphError(instance, 404, 'Request_ResourceNotFound');

    const second = await activate(ctx, user, ROLES.securityAdministrator, { duration: 'PT1H' });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body.scheduleInfo.startDateTime).toBe(iso(end));
    expect((await inForce(user)).instances).toEqual([second.body.id]);
    // Deactivating now concerns the new activation, not the ended one.
    clock.advance(10 * 60_000);
    const deactivate = await post(
      ctx,
      'assignment',
      { action: 'selfDeactivate', principalId: user.id, roleDefinitionId: ROLES.securityAdministrator, directoryScopeId: '/' },
      await tokenOf(ctx, user),
    );
    expect(deactivate.body.targetScheduleId).toBe(second.body.id);
  });

  it('takes away the powers of an activated role at its end', async () => {
    const user = await newUser(ctx);
    await makeEligible(ctx, user.id, ROLES.privilegedRoleAdministrator);
    expect((await activate(ctx, user, ROLES.privilegedRoleAdministrator, { duration: 'PT30M' })).status).toBe(201);
    const end = now() + 30 * 60_000;
    const target = await newUser(ctx, 'target');
    const assign = async () => post(ctx, 'eligibility', requestBody(target.id, ROLES.helpdeskAdministrator, { duration: 'P1D' }), await tokenOf(ctx, user));

    clock.set(iso(end - 1));
    expect((await assign()).status).toBe(201);
    expect((await post(ctx, 'eligibility', removeBody(target.id, ROLES.helpdeskAdministrator))).status).toBe(201);
    clock.set(iso(end));
    expectGraphError(await assign(), 403, 'Authorization_RequestDenied');
    expect(await schedulesOf(ctx, 'eligibility', target.id)).toEqual([]);
  });

  it('ends an eligibility at its end: activatable at end − 1 ms (clipped to it), not at the end', async () => {
    const user = await newUser(ctx);
    const end = now() + DAY;
    await makeEligible(ctx, user.id, ROLES.securityAdministrator, { end: iso(end) });
    clock.set(iso(end - 1));
    const last = await activate(ctx, user, ROLES.securityAdministrator, { duration: 'PT1H' });
    expect(last.status, JSON.stringify(last.body)).toBe(201);
    expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([expect.objectContaining({ startDateTime: iso(end - 1), endDateTime: iso(end) })]);

    clock.set(iso(end));
    expect(await instancesOf(ctx, 'eligibility', user.id)).toEqual([]);
    expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
    expect(failedRules(await activate(ctx, user, ROLES.securityAdministrator))).toEqual(['EligibilityRule']);
  });

  it('lets an administrator assign again right when an assignment has expired (no RoleAssignmentExists)', async () => {
    const user = await newUser(ctx);
    const end = now() + 2 * DAY;
    const first = await makeActive(ctx, user.id, ROLES.globalReader, { end: iso(end) });
    clock.set(iso(end - 1));
    expectGraphError(await post(ctx, 'assignment', requestBody(user.id, ROLES.globalReader, { duration: 'P1D' })), 409, 'RoleAssignmentExists');
    clock.set(iso(end));
    // Nothing is left to remove; a new assignment takes the freed slot.
    expectGraphError(await post(ctx, 'assignment', removeBody(user.id, ROLES.globalReader)), 404, 'RoleAssignmentDoesNotExist');
    const second = await makeActive(ctx, user.id, ROLES.globalReader, { duration: 'P1D' });
    expect(second.id).not.toBe(first.id);
    expect((await instancesOf(ctx, 'assignment', user.id)).map((i) => i.id)).toEqual([second.id]);
  });

  it('starts a planned activation at its start, to the millisecond', async () => {
    const user = await newUser(ctx);
    await makeEligible(ctx, user.id, ROLES.securityAdministrator);
    const start = now() + 2 * HOUR;
    const granted = await activate(ctx, user, ROLES.securityAdministrator, { start: iso(start), duration: 'PT1H' });
    expect(granted.body.status).toBe('Granted');
    clock.set(iso(start - 1));
    expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
    clock.set(iso(start));
    expect((await instancesOf(ctx, 'assignment', user.id)).map((i) => i.id)).toEqual([granted.body.id]);
    clock.set(iso(start + HOUR));
    expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
  });
});
