/**
 * Schedules that have ended: Graph lists only current and planned ones; asked for `status eq 'Expired'`
 * Stint lists the ended ones instead (the portal's Expired assignments, the admin's Renew), and a
 * time filter on their end narrows them to a recent window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { BASE, customRole, filter, list, makeActive, makeEligible, newUsers, startRolesStack, type Ctx, type TestUser } from './helpers.ts';

const DAY = 86_400_000;

describe('ended schedules of a role', () => {
  const clock = new ManualClock('2031-05-05T09:00:00.000Z');
  const iso = (ms: number) => new Date(ms).toISOString();
  let ctx: Ctx;
  let role: string;
  let users: TestUser[];

  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
    role = await customRole(ctx, 'Ending');
    users = await newUsers(ctx, 3, 'ending');
    const t0 = clock.now().getTime();
    await makeEligible(ctx, users[0]!.id, role, { end: iso(t0 + DAY) });
    await makeEligible(ctx, users[1]!.id, role);
    await makeActive(ctx, users[2]!.id, role, { end: iso(t0 + DAY), justification: 'Project work' });
    clock.advance(2 * DAY);
  });
  afterAll(() => ctx.stop());

  const byRole = () => `roleDefinitionId eq '${role}'`;

  it('are left out of the listing, as in Graph', async () => {
    const live = await list(ctx, `${BASE}/roleEligibilitySchedules?${filter(byRole())}`);
    expect(live.map((s) => s.principalId)).toEqual([users[1]!.id]);
    expect(await list(ctx, `${BASE}/roleAssignmentSchedules?${filter(byRole())}`)).toEqual([]);
  });

  it("are listed, with status Expired, when asked for status eq 'Expired'", async () => {
    const eligible = await list(ctx, `${BASE}/roleEligibilitySchedules?${filter(`${byRole()} and status eq 'Expired'`)}`);
    expect(eligible.map((s) => [s.principalId, s.status])).toEqual([[users[0]!.id, 'Expired']]);
    const active = await list(ctx, `${BASE}/roleAssignmentSchedules?${filter(`${byRole()} and status eq 'Expired'`)}&$expand=principal`);
    expect(active.map((s) => [s.principalId, s.assignmentType, s.principal?.id])).toEqual([[users[2]!.id, 'Assigned', users[2]!.id]]);
  });

  it('narrow to those that ended after a time', async () => {
    const since = (t: number) => `${byRole()} and status eq 'Expired' and scheduleInfo/expiration/endDateTime ge ${iso(t)}`;
    const now = clock.now().getTime();
    expect(await list(ctx, `${BASE}/roleEligibilitySchedules?${filter(since(now - 30 * DAY))}`)).toHaveLength(1);
    expect(await list(ctx, `${BASE}/roleEligibilitySchedules?${filter(since(now - DAY / 2))}`)).toEqual([]);
  });

  it('can be renewed from the listing', async () => {
    const [ended] = await list(ctx, `${BASE}/roleEligibilitySchedules?${filter(`${byRole()} and status eq 'Expired'`)}`);
    const renewed = await ctx.api.call('POST', `${BASE}/roleEligibilityScheduleRequests`, {
      token: await ctx.admin(),
      body: {
        action: 'adminRenew',
        principalId: ended.principalId,
        roleDefinitionId: role,
        directoryScopeId: '/',
        scheduleInfo: { expiration: { type: 'afterDateTime', endDateTime: iso(clock.now().getTime() + 10 * DAY) } },
      },
    });
    expect(renewed.status).toBe(201);
    expect(await list(ctx, `${BASE}/roleEligibilitySchedules?${filter(`${byRole()} and status eq 'Expired'`)}`)).toEqual([]);
  });
});
