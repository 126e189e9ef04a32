/**
 * Who may do what (docs/architecture.md §4), as tables: which roles may assign and remove directory roles, which
 * may read everyone's schedules, and what Owner / User Access Administrator may do at resource scopes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BASE,
  expectGraphError,
  filter,
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

type Holder =
  | 'globalAdministrator'
  | 'privilegedRoleAdministrator'
  | 'userAdministrator'
  | 'securityAdministrator'
  | 'globalReader'
  | 'securityReader'
  | 'helpdeskAdministrator'
  | 'nobody';

const HOLDERS: Holder[] = [
  'globalAdministrator',
  'privilegedRoleAdministrator',
  'userAdministrator',
  'securityAdministrator',
  'globalReader',
  'securityReader',
  'helpdeskAdministrator',
  'nobody',
];
const MANAGERS = new Set<Holder>(['globalAdministrator', 'privilegedRoleAdministrator']);
const READERS = new Set<Holder>(['globalAdministrator', 'privilegedRoleAdministrator', 'securityAdministrator', 'globalReader', 'securityReader']);

const COLLECTIONS = [
  'roleEligibilitySchedules',
  'roleEligibilityScheduleInstances',
  'roleAssignmentSchedules',
  'roleAssignmentScheduleInstances',
  'roleEligibilityScheduleRequests',
  'roleAssignmentScheduleRequests',
  'roleAssignments',
];

describe('authorization matrix for PIM for roles', () => {
  let ctx: Ctx;
  const holders = {} as Record<Holder, TestUser>;
  let bystander: TestUser;
  let bystanderEligibility: any;

  beforeAll(async () => {
    ctx = await startRolesStack();
    const users = await Promise.all(HOLDERS.map((h) => newUser(ctx, h)));
    HOLDERS.forEach((h, i) => (holders[h] = users[i]!));
    await Promise.all(HOLDERS.filter((h) => h !== 'nobody').map((h) => makeActive(ctx, holders[h].id, ROLES[h as Exclude<Holder, 'nobody'>])));
    bystander = await newUser(ctx, 'bystander');
    bystanderEligibility = await makeEligible(ctx, bystander.id, ROLES.exchangeAdministrator);
  });
  afterAll(() => ctx.stop());

  describe.each(HOLDERS.map((h) => [h, MANAGERS.has(h)] as const))('a %s (may manage: %s)', (holder, mayManage) => {
    it.each(['eligibility', 'assignment'] as const)('adminAssign of a directory role (%s)', async (kind) => {
      const target = await newUser(ctx, 'target');
      const result = await post(ctx, kind, requestBody(target.id, ROLES.helpdeskAdministrator, { duration: 'P1D' }), await tokenOf(ctx, holders[holder]));
      if (mayManage) {
        expect(result.status, JSON.stringify(result.body)).toBe(201);
        expect(result.body.createdBy.user.id).toBe(holders[holder].id);
        expect(await schedulesOf(ctx, kind, target.id)).toHaveLength(1);
      } else {
        expectGraphError(result, 403, 'Authorization_RequestDenied');
        expect(await schedulesOf(ctx, kind, target.id)).toEqual([]);
      }
    });

    it('adminRemove, adminUpdate and adminExtend of a directory role', async () => {
      const target = await newUser(ctx, 'target');
      await makeEligible(ctx, target.id, ROLES.helpdeskAdministrator, { duration: 'P10D' });
      const token = await tokenOf(ctx, holders[holder]);
      const update = await post(ctx, 'eligibility', requestBody(target.id, ROLES.helpdeskAdministrator, { action: 'adminUpdate', duration: 'P5D' }), token);
      const extend = await post(ctx, 'eligibility', requestBody(target.id, ROLES.helpdeskAdministrator, { action: 'adminExtend', duration: 'P20D' }), token);
      const remove = await post(ctx, 'eligibility', removeBody(target.id, ROLES.helpdeskAdministrator), token);
      for (const result of [update, extend, remove]) {
        if (mayManage) expect(result.status, JSON.stringify(result.body)).toBe(201);
        else expectGraphError(result, 403, 'Authorization_RequestDenied');
      }
      expect(await schedulesOf(ctx, 'eligibility', target.id)).toHaveLength(mayManage ? 0 : 1);
    });

    it(`${READERS.has(holder) ? 'lists' : 'may not list'} everyone's schedules, instances, requests and role assignments`, async () => {
      const token = await tokenOf(ctx, holders[holder]);
      const get = (path: string) => ctx.api.call('GET', path, { token });
      await Promise.all(
        COLLECTIONS.map(async (collection) => {
          const [all, other] = await Promise.all([get(`${BASE}/${collection}`), get(`${BASE}/${collection}?${filter(`principalId eq '${bystander.id}'`)}`)]);
          for (const result of [all, other]) {
            if (READERS.has(holder)) expect(result.status, `${collection} ${JSON.stringify(result.body)}`).toBe(200);
            else expectGraphError(result, 403, 'Authorization_RequestDenied');
          }
          if (READERS.has(holder) && collection.startsWith('roleEligibilitySchedule')) {
            expect(
              other.body.value.map((i: { id: string }) => i.id),
              collection,
            ).toContain(collection.endsWith('Requests') ? bystanderEligibility.id : bystanderEligibility.targetScheduleId);
          }
        }),
      );
      // Filtering by role is reading everyone's too.
      const byRole = await get(`${BASE}/roleEligibilityScheduleInstances?${filter(`roleDefinitionId eq '${ROLES.exchangeAdministrator}'`)}`);
      if (READERS.has(holder)) expect(byRole.body.value.map((i: { id: string }) => i.id)).toEqual([bystanderEligibility.id]);
      else expectGraphError(byRole, 403, 'Authorization_RequestDenied');
    });

    // Readers see everything anyway; the others see their own, and only that.
    if (!READERS.has(holder)) {
      it('lists its own, filtered to itself or with filterByCurrentUser', async () => {
        const me = holders[holder];
        const token = await tokenOf(ctx, me);
        await Promise.all(
          COLLECTIONS.map(async (collection) => {
            const own = await ctx.api.call('GET', `${BASE}/${collection}?${filter(`principalId eq '${me.id}'`)}`, { token });
            expect(own.status, `${collection} ${JSON.stringify(own.body)}`).toBe(200);
            if (collection === 'roleAssignments' || collection === 'roleAssignmentScheduleInstances') {
              expect(own.body.value.map((i: { roleDefinitionId: string }) => i.roleDefinitionId)).toEqual(
                holder === 'nobody' ? [] : [ROLES[holder as Exclude<Holder, 'nobody'>]],
              );
            }
            if (collection === 'roleAssignments') return;
            const mine = await ctx.api.call('GET', `${BASE}/${collection}/filterByCurrentUser(on='principal')`, { token });
            expect(mine.status, `${collection} ${JSON.stringify(mine.body)}`).toBe(200);
            expect(mine.body.value.every((i: { principalId: string }) => i.principalId === me.id)).toBe(true);
          }),
        );
        // Only a filter that pins the principal to the caller counts; an 'or' does not.
        for (const expression of [
          `principalId eq '${me.id}' or principalId eq '${bystander.id}'`,
          `principalId ne '${me.id}'`,
          `not (principalId ne '${me.id}')`,
        ]) {
          const sneaky = await ctx.api.call('GET', `${BASE}/roleEligibilitySchedules?${filter(expression)}`, { token });
          expectGraphError(sneaky, 403, 'Authorization_RequestDenied');
        }
      });
    }

    it(`${READERS.has(holder) ? 'reads' : 'cannot see'} someone else's schedule and request by id`, async () => {
      const token = await tokenOf(ctx, holders[holder]);
      const schedule = await ctx.api.call('GET', `${BASE}/roleEligibilitySchedules/${bystanderEligibility.id}`, { token });
      const request = await ctx.api.call('GET', `${BASE}/roleEligibilityScheduleRequests/${bystanderEligibility.id}`, { token });
      for (const result of [schedule, request]) {
        if (READERS.has(holder)) expect(result.body.id).toBe(bystanderEligibility.id);
        else expectGraphError(result, 404, 'Request_ResourceNotFound');
      }
    });
  });

  describe('resource scopes', () => {
    const RG = '/subscriptions/s1/resourceGroups/rg';

    it.each([
      ['Owner', ROLES.owner],
      ['User Access Administrator', ROLES.userAccessAdministrator],
    ])('an %s at /subscriptions/s1 manages Reader at and below it, nowhere else, and no directory role', async (_name, roleId) => {
      const manager = await newUser(ctx, 'manager');
      await makeActive(ctx, manager.id, roleId, { scope: '/subscriptions/s1' });
      const token = await tokenOf(ctx, manager);
      const target = await newUser(ctx, 'target');
      const attempt = (kind: 'eligibility' | 'assignment', scope: string, role: string = ROLES.reader) =>
        post(ctx, kind, requestBody(target.id, role, { scope, duration: 'P1D' }), token);

      for (const kind of ['eligibility', 'assignment'] as const) {
        expect((await attempt(kind, RG)).status).toBe(201);
        expect((await attempt(kind, '/subscriptions/S1/resourceGroups/other')).status).toBe(201);
        expect((await attempt(kind, '/subscriptions/s1')).status).toBe(201);
        for (const scope of ['/subscriptions/s2', '/subscriptions/s10', '/subscriptions/s2/resourceGroups/rg', '/']) {
          expectGraphError(await attempt(kind, scope), 403, 'Authorization_RequestDenied');
        }
        expectGraphError(await attempt(kind, '/', ROLES.helpdeskAdministrator), 403, 'Authorization_RequestDenied');
      }
      const eligible = await schedulesOf(ctx, 'eligibility', target.id);
      expect(eligible.map((s) => s.directoryScopeId).sort()).toEqual(['/subscriptions/S1/resourceGroups/other', '/subscriptions/s1', RG].sort());
      expect((await post(ctx, 'eligibility', removeBody(target.id, ROLES.reader, RG), token)).status).toBe(201);
    });

    it('a Reader at a subscription, or an Owner of one resource group, may not manage above it', async () => {
      const reader = await newUser(ctx, 'reader');
      await makeActive(ctx, reader.id, ROLES.reader, { scope: '/subscriptions/s1' });
      const owner = await newUser(ctx, 'rg-owner');
      await makeActive(ctx, owner.id, ROLES.owner, { scope: RG });
      const target = await newUser(ctx, 'target');
      expectGraphError(
        await post(ctx, 'assignment', requestBody(target.id, ROLES.reader, { scope: RG, duration: 'P1D' }), await tokenOf(ctx, reader)),
        403,
        'Authorization_RequestDenied',
      );
      const ownerToken = await tokenOf(ctx, owner);
      expectGraphError(
        await post(ctx, 'assignment', requestBody(target.id, ROLES.reader, { scope: '/subscriptions/s1', duration: 'P1D' }), ownerToken),
        403,
        'Authorization_RequestDenied',
      );
      expect(
        (
          await post(
            ctx,
            'assignment',
            requestBody(target.id, ROLES.contributor, { scope: `${RG}/providers/Microsoft.Web/sites/app`, duration: 'P1D' }),
            ownerToken,
          )
        ).status,
      ).toBe(201);
      expect(await schedulesOf(ctx, 'assignment', target.id)).toHaveLength(1);
    });
  });
});
