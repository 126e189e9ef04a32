/**
 * Scopes: an eligibility at a scope holds at every scope below it and nowhere else (no prefix tricks,
 * case-insensitive like Azure), and the policy of the nearest scope with one governs a request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activate,
  expectGraphError,
  expirationRule,
  failedRules,
  instancesOf,
  makeEligible,
  newUser,
  patchRule,
  post,
  requestBody,
  ROLES,
  schedulesOf,
  startRolesStack,
  type Ctx,
  type TestUser,
} from './helpers.ts';

describe('scope inheritance', () => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await startRolesStack();
  });
  afterAll(() => ctx.stop());

  async function eligibleAt(scope: string, role: string = ROLES.reader): Promise<TestUser> {
    const user = await newUser(ctx, 'scoped');
    await makeEligible(ctx, user.id, role, { scope });
    return user;
  }

  it.each([
    ['/subscriptions/s1/resourceGroups/rg', 201],
    ['/subscriptions/s1', 201],
    ['/SUBSCRIPTIONS/S1/resourceGroups/Other', 201],
    ['/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1', 201],
    ['/subscriptions/s2', 400],
    ['/subscriptions/s10', 400],
    ['/subscriptions/s10/resourceGroups/rg', 400],
    ['/subscriptions', 400],
    ['/', 400],
  ])('an eligibility at /subscriptions/s1 allows activation at %s → %i', async (scope, status) => {
    const user = await eligibleAt('/subscriptions/s1');
    const result = await activate(ctx, user, ROLES.reader, { scope });
    expect(result.status, JSON.stringify(result.body)).toBe(status);
    const instances = await instancesOf(ctx, 'assignment', user.id);
    if (status === 201) {
      expect(instances).toEqual([expect.objectContaining({ id: result.body.id, directoryScopeId: scope.replace(/\/$/, ''), assignmentType: 'Activated' })]);
    } else {
      expect(result.body.error.code).toMatch(/^(RoleAssignmentRequestPolicyValidationFailed|InvalidScope)$/);
      if (result.body.error.code === 'RoleAssignmentRequestPolicyValidationFailed') expect(failedRules(result)).toEqual(['EligibilityRule']);
      expect(instances).toEqual([]);
    }
  });

  it('keeps one activation per scope: the subscription and a resource group below it are separate', async () => {
    const user = await eligibleAt('/subscriptions/s1');
    expect((await activate(ctx, user, ROLES.reader, { scope: '/subscriptions/s1' })).status).toBe(201);
    expect((await activate(ctx, user, ROLES.reader, { scope: '/subscriptions/s1/resourceGroups/rg' })).status).toBe(201);
    // The same scope in another casing is the same scope.
    expectGraphError(await activate(ctx, user, ROLES.reader, { scope: '/Subscriptions/S1/ResourceGroups/RG', duration: 'PT2H' }), 409, 'RoleAssignmentExists');
    expect(await instancesOf(ctx, 'assignment', user.id)).toHaveLength(2);
  });

  it('lets a tenant-wide resource eligibility activate at any resource scope', async () => {
    const user = await eligibleAt('/');
    expect((await activate(ctx, user, ROLES.reader, { scope: '/subscriptions/any/resourceGroups/where' })).status).toBe(201);
  });

  it('keeps directory roles to the tenant and administrative units', async () => {
    const user = await eligibleAt('/', ROLES.helpdeskAdministrator);
    expect((await activate(ctx, user, ROLES.helpdeskAdministrator, { scope: '/administrativeUnits/au1' })).status).toBe(201);
    expectGraphError(await activate(ctx, user, ROLES.helpdeskAdministrator, { scope: '/subscriptions/s1' }), 400, 'InvalidScope');

    const unitOnly = await eligibleAt('/administrativeUnits/au1', ROLES.helpdeskAdministrator);
    expect(failedRules(await activate(ctx, unitOnly, ROLES.helpdeskAdministrator))).toEqual(['EligibilityRule']);
    expect(failedRules(await activate(ctx, unitOnly, ROLES.helpdeskAdministrator, { scope: '/administrativeUnits/au2' }))).toEqual(['EligibilityRule']);
    expect((await activate(ctx, unitOnly, ROLES.helpdeskAdministrator, { scope: '/administrativeUnits/au1' })).status).toBe(201);
  });

  it.each([
    ['a resource role at an administrative unit', ROLES.reader, '/administrativeUnits/au1'],
    ['a nested administrative unit', ROLES.helpdeskAdministrator, '/administrativeUnits/au1/x/y'],
    ['an odd-length resource path', ROLES.reader, '/subscriptions/s1/resourceGroups'],
    ['a path with a bad character', ROLES.reader, '/subscriptions/s 1'],
  ])('refuses %s with InvalidScope', async (_name, role, scope) => {
    const user = await newUser(ctx);
    expectGraphError(await post(ctx, 'eligibility', requestBody(user.id, role, { scope })), 400, 'InvalidScope');
    expect(await schedulesOf(ctx, 'eligibility', user.id)).toEqual([]);
  });

  it('stores a scope in its canonical form (no trailing slash)', async () => {
    const user = await newUser(ctx);
    const result = await post(ctx, 'eligibility', requestBody(user.id, ROLES.reader, { scope: '/subscriptions/s7/' }));
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(result.body.directoryScopeId).toBe('/subscriptions/s7');
  });

  it('follows the policy of the nearest scope that has one', async () => {
    await patchRule(ctx, ROLES.reader, 'Expiration_EndUser_Assignment', expirationRule('Expiration_EndUser_Assignment', true, 'PT2H'), '/subscriptions/pol1');
    const user = await eligibleAt('/');
    const below = await activate(ctx, user, ROLES.reader, { scope: '/subscriptions/pol1/resourceGroups/rg', duration: 'PT3H' });
    expect(failedRules(below)).toEqual(['ExpirationRule']);
    expect((await activate(ctx, user, ROLES.reader, { scope: '/subscriptions/pol1/resourceGroups/rg', duration: 'PT2H' })).status).toBe(201);
    // Elsewhere, and at a look-alike scope, the tenant-wide default (PT8H) still applies.
    expect((await activate(ctx, user, ROLES.reader, { scope: '/subscriptions/pol10', duration: 'PT3H' })).status).toBe(201);
    expect((await activate(ctx, user, ROLES.reader, { scope: '/subscriptions/other', duration: 'PT3H' })).status).toBe(201);
  });
});
