/**
 * PIM for groups on the same request lifecycle as roles: the real state machine run times a group
 * membership activation and expires it at its end (the group's role then no longer decides "allow"),
 * and the sweeper expires one whose run was killed; each expiry is audited once (under group management).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Background } from '../../../infra/local/background.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { schedulesOfPrincipal } from '../../../shared/store/role-schedules.ts';
import { auditTrail } from '../api/support.ts';
import { activateGroup, decide, makeGroupEligible } from '../groups/helpers.ts';
import { HOUR, iso, makeActive, newGroup, newUser, ROLES, startRolesStack, type Ctx } from '../roles/helpers.ts';
import { eventually } from './support.ts';

const CA_CREATE = 'microsoft.directory/conditionalAccessPolicies/create';
const EXPIRED = 'Remove member from role (PIM activation expired)';

describe('PIM for groups on the request lifecycle', () => {
  const clock = new ManualClock('2031-09-01T08:00:00.000Z');
  let ctx: Ctx;
  let bg: Background;
  beforeAll(async () => {
    ctx = await startRolesStack({ clock, background: true });
    bg = ctx.stack.background!;
  });
  afterAll(() => ctx.stop());

  const waitingFor = (id: string, phase: string) => eventually(() => bg.workflows.waitingFor(id)?.phase === phase, `run ${id} waiting for ${phase}`);
  const statusOf = async (userId: string, id: string) =>
    (await schedulesOfPrincipal(ctx.stack.runtime.services.table, userId)).find((s) => s.data.id === id)?.data.status;

  async function activeMember() {
    const user = await newUser(ctx, 'glife');
    const group = await newGroup(ctx, 'glife', { roleAssignable: true });
    await makeActive(ctx, group.id, ROLES.securityAdministrator);
    await makeGroupEligible(ctx, user.id, group.id);
    const started = clock.now().getTime();
    const activation = await activateGroup(ctx, user, group.id, { duration: 'PT1H' });
    expect(activation.status, JSON.stringify(activation.body)).toBe(201);
    return { user, group, activation: activation.body, started };
  }

  it('a membership activation runs until its end and expires on the state machine; the group path then denies', async () => {
    const { user, activation, started } = await activeMember();
    await waitingFor(activation.id, 'waitForEnd');
    expect(bg.workflows.waitingFor(activation.id)?.until).toBe(iso(started + HOUR));
    expect((await decide(ctx, user.id, CA_CREATE)).decision).toBe(true);

    clock.advance(HOUR);
    await eventually(() => bg.workflows.statusOf(activation.id) === 'succeeded', `run ${activation.id} succeeded`);
    expect(await statusOf(user.id, activation.id)).toBe('Expired');
    expect((await decide(ctx, user.id, CA_CREATE)).decision).toBe(false);
    const trail = await auditTrail(ctx.stack, user.id);
    expect(trail.filter((a) => a.activityDisplayName === EXPIRED)).toEqual([expect.objectContaining({ category: 'GroupManagement' })]);
  });

  it('the sweeper expires a membership activation whose run was killed, once', async () => {
    const { user, activation } = await activeMember();
    await waitingFor(activation.id, 'waitForEnd');
    bg.workflows.kill(activation.id);
    clock.advance(HOUR);
    expect(await statusOf(user.id, activation.id)).toBe('Provisioned');
    expect((await decide(ctx, user.id, CA_CREATE)).decision).toBe(false);
    expect((await bg.sweep()).expired).toBeGreaterThanOrEqual(1);
    expect(await statusOf(user.id, activation.id)).toBe('Expired');
    expect((await bg.sweep()).expired).toBe(0);
    expect((await auditTrail(ctx.stack, user.id)).filter((a) => a.activityDisplayName === EXPIRED)).toHaveLength(1);
  });
});
