/**
 * Idempotent writes (docs/architecture.md §8): a repeated identical request returns the first result instead of
 * failing with "exists"; anything different still conflicts with 409 RoleAssignmentExists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activate,
  expectGraphError,
  makeActive,
  makeEligible,
  newUser,
  post,
  removeBody,
  requestBody,
  requestsOf,
  ROLES,
  schedulesOf,
  startRolesStack,
  tokenOf,
  type Ctx,
} from './helpers.ts';

describe('idempotent schedule requests', () => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await startRolesStack();
  });
  afterAll(() => ctx.stop());

  it.each(['eligibility', 'assignment'] as const)('returns the first request for an identical adminAssign (%s)', async (kind) => {
    const user = await newUser(ctx);
    const body = requestBody(user.id, ROLES.helpdeskAdministrator, { duration: 'P30D' });
    const first = await post(ctx, kind, body);
    expect(first.status).toBe(201);
    const again = await post(ctx, kind, body);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body).toEqual(first.body);
    // The same request in other casings is the same request.
    const cased = await post(ctx, kind, { ...body, action: 'AdminAssign', scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'P30D' } } });
    expect(cased.body.id).toBe(first.body.id);
    expect((await schedulesOf(ctx, kind, user.id)).map((s) => s.id)).toEqual([first.body.id]);
    expect((await requestsOf(ctx, kind, user.id)).map((r) => r.id)).toEqual([first.body.id]);
  });

  it.each([
    ['another justification', { justification: 'Something else' }],
    ['another expiration', { scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P29D' } } }],
    ['a ticket', { ticketInfo: { ticketNumber: 'T-1', ticketSystem: 'Jira' } }],
  ])('conflicts with 409 RoleAssignmentExists for the same assignment with %s', async (_name, change) => {
    const user = await newUser(ctx);
    const body = requestBody(user.id, ROLES.helpdeskAdministrator, { duration: 'P30D' });
    const first = await makeEligible(ctx, user.id, ROLES.helpdeskAdministrator, { duration: 'P30D' });
    const error = expectGraphError(await post(ctx, 'eligibility', { ...body, ...change }), 409, 'RoleAssignmentExists');
    expect(error.message).toContain('already eligible');
    expect((await schedulesOf(ctx, 'eligibility', user.id)).map((s) => s.id)).toEqual([first.id]);
    expect(await requestsOf(ctx, 'eligibility', user.id)).toHaveLength(1);
  });

  it('does not replay an identical request made by another administrator', async () => {
    const [user, other] = [await newUser(ctx), await newUser(ctx, 'pra')];
    await makeActive(ctx, other.id, ROLES.privilegedRoleAdministrator, { duration: 'P1D' });
    const body = requestBody(user.id, ROLES.helpdeskAdministrator);
    expect((await post(ctx, 'assignment', body)).status).toBe(201);
    expectGraphError(await post(ctx, 'assignment', body, await tokenOf(ctx, other)), 409, 'RoleAssignmentExists');
  });

  it('returns the first activation for an identical selfActivate, and conflicts for a different one', async () => {
    const user = await newUser(ctx);
    await makeEligible(ctx, user.id, ROLES.securityAdministrator);
    const first = await activate(ctx, user, ROLES.securityAdministrator, { duration: 'PT2H' });
    const again = await activate(ctx, user, ROLES.securityAdministrator, { duration: 'PT2H' });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expectGraphError(await activate(ctx, user, ROLES.securityAdministrator, { duration: 'PT3H' }), 409, 'RoleAssignmentExists');
    expect(await requestsOf(ctx, 'assignment', user.id)).toHaveLength(1);
  });

  it('makes a new assignment for an identical request after the first was removed', async () => {
    const user = await newUser(ctx);
    const body = requestBody(user.id, ROLES.helpdeskAdministrator);
    const first = await post(ctx, 'eligibility', body);
    expect((await post(ctx, 'eligibility', removeBody(user.id, ROLES.helpdeskAdministrator))).status).toBe(201);
    const second = await post(ctx, 'eligibility', body);
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect((await schedulesOf(ctx, 'eligibility', user.id)).map((s) => s.id)).toEqual([second.body.id]);
  });
});
