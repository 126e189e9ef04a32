/**
 * Reading PIM for roles: schedules, instances, requests and roleAssignments with the OData subset
 * ($filter, $expand, $select, $top with nextLink), get by id, and filterByCurrentUser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAll } from '../api/support.ts';
import {
  activate,
  BASE,
  customRole,
  expectGraphError,
  filter,
  list,
  makeActive,
  makeEligible,
  newUsers,
  ROLES,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from './helpers.ts';

describe('views of PIM for roles', () => {
  let ctx: Ctx;
  let role: string;
  let users: TestUser[];
  let eligibilities: any[];
  let activation: any;
  let assignment: any;

  beforeAll(async () => {
    ctx = await startRolesStack();
    role = await customRole(ctx, 'Viewed');
    users = await newUsers(ctx, 5, 'viewer');
    eligibilities = await Promise.all(users.map((u) => makeEligible(ctx, u.id, role)));
    await makeEligible(ctx, users[0]!.id, ROLES.securityAdministrator);
    activation = (await activate(ctx, users[0]!, role, { duration: 'PT2H' })).body;
    assignment = await makeActive(ctx, users[1]!.id, ROLES.globalReader, { duration: 'P5D' });
  });
  afterAll(() => ctx.stop());

  const get = async (path: string, token?: string) => ctx.api.call('GET', path, { token: token ?? (await ctx.admin()) });

  describe('$filter', () => {
    it('on principalId gives that principal only, on each collection', async () => {
      const u = users[0]!;
      const byPrincipal = `${filter(`principalId eq '${u.id}'`)}`;
      const eligible = await list(ctx, `${BASE}/roleEligibilitySchedules?${byPrincipal}`);
      expect(eligible.map((s) => s.roleDefinitionId).sort()).toEqual([ROLES.securityAdministrator, role].sort());
      expect(eligible.every((s) => s.principalId === u.id)).toBe(true);
      expect((await list(ctx, `${BASE}/roleAssignmentScheduleInstances?${byPrincipal}`)).map((i) => i.id)).toEqual([activation.id]);
      expect((await list(ctx, `${BASE}/roleAssignmentScheduleRequests?${byPrincipal}`)).map((r) => r.id)).toEqual([activation.id]);
      expect((await list(ctx, `${BASE}/roleEligibilityScheduleRequests?${byPrincipal}`)).length).toBe(2);
    });

    it('on roleDefinitionId gives that role only; combined with and, both', async () => {
      const byRole = await list(ctx, `${BASE}/roleEligibilityScheduleInstances?${filter(`roleDefinitionId eq '${role}'`)}`);
      expect(byRole.map((i) => i.principalId).sort()).toEqual(users.map((u) => u.id).sort());
      const both = await list(ctx, `${BASE}/roleEligibilityScheduleInstances?${filter(`roleDefinitionId eq '${role}' and principalId eq '${users[2]!.id}'`)}`);
      expect(both.map((i) => i.id)).toEqual([eligibilities[2].id]);
      const activated = await list(ctx, `${BASE}/roleAssignmentScheduleInstances?${filter(`roleDefinitionId eq '${role}' and assignmentType eq 'Activated'`)}`);
      expect(activated.map((i) => i.id)).toEqual([activation.id]);
      const none = await list(ctx, `${BASE}/roleAssignmentScheduleInstances?${filter(`roleDefinitionId eq '${role}' and assignmentType eq 'Assigned'`)}`);
      expect(none).toEqual([]);
    });

    it('on requests: status, action and combinations', async () => {
      const u = users[0]!;
      const provisioned = await list(
        ctx,
        `${BASE}/roleEligibilityScheduleRequests?${filter(`principalId eq '${u.id}' and status eq 'Provisioned' and roleDefinitionId eq '${role}'`)}`,
      );
      expect(provisioned.map((r) => r.id)).toEqual([eligibilities[0].id]);
      const activations = await list(ctx, `${BASE}/roleAssignmentScheduleRequests?${filter(`principalId eq '${u.id}' and action eq 'selfActivate'`)}`);
      expect(activations.map((r) => r.id)).toEqual([activation.id]);
    });

    it('refuses a malformed filter with 400', async () => {
      expectGraphError(await get(`${BASE}/roleEligibilitySchedules?${filter("principalId eq 'x' and")}`), 400, 'BadRequest');
    });
  });

  describe('$expand and $select', () => {
    it('expands principal and roleDefinition', async () => {
      const u = users[0]!;
      const items = await list(ctx, `${BASE}/roleEligibilitySchedules?${filter(`principalId eq '${u.id}'`)}&$expand=principal,roleDefinition`);
      expect(items).toHaveLength(2);
      for (const item of items) {
        expect(item.principal).toMatchObject({ id: u.id, displayName: u.displayName, userPrincipalName: u.upn });
        expect(item.roleDefinition).toMatchObject({ id: item.roleDefinitionId, displayName: expect.any(String) });
      }
      const instances = await list(ctx, `${BASE}/roleAssignmentScheduleInstances?${filter(`principalId eq '${u.id}'`)}&$expand=roleDefinition`);
      expect(instances[0].roleDefinition.id).toBe(role);
      expect(instances[0].principal).toBeUndefined();
    });

    it('refuses to expand anything else', async () => {
      expectGraphError(await get(`${BASE}/roleEligibilitySchedules?$expand=directoryScope`), 400, 'Request_UnsupportedQuery');
    });

    it('selects properties, always keeping id and @odata.type; refuses unknown ones', async () => {
      const items = await list(ctx, `${BASE}/roleEligibilitySchedules?${filter(`principalId eq '${users[3]!.id}'`)}&$select=roleDefinitionId,memberType`);
      expect(items).toEqual([
        { '@odata.type': '#microsoft.graph.unifiedRoleEligibilitySchedule', id: eligibilities[3].id, roleDefinitionId: role, memberType: 'Direct' },
      ]);
      const requests = await list(ctx, `${BASE}/roleEligibilityScheduleRequests?${filter(`principalId eq '${users[3]!.id}'`)}&$select=status`);
      expect(requests).toEqual([{ id: eligibilities[3].id, status: 'Provisioned' }]);
      expectGraphError(await get(`${BASE}/roleEligibilitySchedules?$select=secret`), 400, 'Request_UnsupportedQuery');
    });
  });

  describe('$top and nextLink', () => {
    it('pages a filtered collection, following nextLink to the end without repeats', async () => {
      const first = await get(`${BASE}/roleEligibilitySchedules?${filter(`roleDefinitionId eq '${role}'`)}&$top=2`);
      expect(first.status).toBe(200);
      expect(first.body.value).toHaveLength(2);
      expect(first.body['@odata.nextLink']).toMatch(new RegExp(`^${ctx.stack.url}/v1.0/roleManagement/directory/roleEligibilitySchedules\\?.*\\$skiptoken=`));
      const all = await listAll(ctx.stack, ctx.api, await ctx.admin(), `${BASE}/roleEligibilitySchedules?${filter(`roleDefinitionId eq '${role}'`)}&$top=2`);
      expect(all.map((s) => s.id).sort()).toEqual(eligibilities.map((e) => e.id).sort());
    });

    it('pages the whole collection too', async () => {
      const all = await listAll(ctx.stack, ctx.api, await ctx.admin(), `${BASE}/roleEligibilitySchedules?$top=3`);
      const ids = all.map((s) => s.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const e of eligibilities) expect(ids).toContain(e.id);
    });

    it('refuses a tampered skiptoken', async () => {
      const first = await get(`${BASE}/roleEligibilitySchedules?${filter(`roleDefinitionId eq '${role}'`)}&$top=2`);
      const link = new URL(first.body['@odata.nextLink']);
      const token = link.searchParams.get('$skiptoken')!;
      link.searchParams.set('$skiptoken', `${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}x`);
      const result = await get(`${link.pathname}${link.search}`);
      expect(result.status).toBe(400);
    });
  });

  describe('roleAssignments', () => {
    it('lists active assignments in force, with $expand=principal', async () => {
      const result = await get(`${BASE}/roleAssignments?${filter(`principalId eq '${users[1]!.id}'`)}&$expand=principal`);
      expect(result.status).toBe(200);
      expect(result.body['@odata.context']).toBe(`${ctx.stack.url}/v1.0/$metadata#roleManagement/directory/roleAssignments(principal())`);
      expect(result.body.value).toEqual([
        expect.objectContaining({
          '@odata.type': '#microsoft.graph.unifiedRoleAssignment',
          id: assignment.id,
          principalId: users[1]!.id,
          roleDefinitionId: ROLES.globalReader,
          directoryScopeId: '/',
          principal: expect.objectContaining({ id: users[1]!.id, displayName: users[1]!.displayName }),
        }),
      ]);
      // An activation is a role assignment too (Graph: instances ⟷ roleAssignments one-to-one).
      const activated = await list(ctx, `${BASE}/roleAssignments?${filter(`principalId eq '${users[0]!.id}'`)}`);
      expect(activated.map((a) => a.id)).toEqual([activation.id]);
    });
  });

  describe('get by id', () => {
    it('gets a schedule, an instance and a request, with $select and $expand', async () => {
      const e = eligibilities[4];
      const schedule = await get(`${BASE}/roleEligibilitySchedules/${e.id}`);
      expect(schedule.body).toMatchObject({
        '@odata.context': `${ctx.stack.url}/v1.0/$metadata#roleManagement/directory/roleEligibilitySchedules/$entity`,
        id: e.id,
        createdUsing: e.id,
      });
      const instance = await get(`${BASE}/roleEligibilityScheduleInstances/${e.id}?$expand=principal`);
      expect(instance.body).toMatchObject({ id: e.id, roleEligibilityScheduleId: e.id, principal: { id: users[4]!.id } });
      const request = await get(`${BASE}/roleEligibilityScheduleRequests/${e.id}?$select=status,action`);
      expect(request.body).toEqual({
        '@odata.context': `${ctx.stack.url}/v1.0/$metadata#roleManagement/directory/roleEligibilityScheduleRequests/$entity`,
        id: e.id,
        status: 'Provisioned',
        action: 'adminAssign',
      });
      const active = await get(`${BASE}/roleAssignmentScheduleInstances/${activation.id}?$expand=roleDefinition`);
      expect(active.body).toMatchObject({ id: activation.id, assignmentType: 'Activated', roleDefinition: { id: role } });
    });

    it("lets a user get their own, not others', and answers 404 for unknown ids or the wrong collection", async () => {
      const own = await get(`${BASE}/roleEligibilitySchedules/${eligibilities[2].id}`, await tokenOf(ctx, users[2]!));
      expect(own.status).toBe(200);
      expectGraphError(await get(`${BASE}/roleEligibilitySchedules/${eligibilities[3].id}`, await tokenOf(ctx, users[2]!)), 404, 'Request_ResourceNotFound');
      expectGraphError(await get(`${BASE}/roleEligibilitySchedules/req_01ZZZZZZZZZZZZZZZZZZZZZZZZ`), 404, 'Request_ResourceNotFound');
      expectGraphError(await get(`${BASE}/roleAssignmentSchedules/${eligibilities[2].id}`), 404, 'Request_ResourceNotFound');
      expectGraphError(await get(`${BASE}/roleAssignmentScheduleRequests/${eligibilities[2].id}`), 404, 'Request_ResourceNotFound');
    });
  });

  describe("filterByCurrentUser(on='principal')", () => {
    it.each([
      ['roleEligibilitySchedules', 'unifiedRoleEligibilitySchedule', 2],
      ['roleEligibilityScheduleInstances', 'unifiedRoleEligibilityScheduleInstance', 2],
      ['roleAssignmentSchedules', 'unifiedRoleAssignmentSchedule', 1],
      ['roleAssignmentScheduleInstances', 'unifiedRoleAssignmentScheduleInstance', 1],
      ['roleEligibilityScheduleRequests', 'unifiedRoleEligibilityScheduleRequest', 2],
      ['roleAssignmentScheduleRequests', 'unifiedRoleAssignmentScheduleRequest', 1],
    ])("%s: the caller's own, as Collection(%s)", async (collection, type, count) => {
      const result = await get(`${BASE}/${collection}/filterByCurrentUser(on='principal')`, await tokenOf(ctx, users[0]!));
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      expect(result.body['@odata.context']).toBe(`${ctx.stack.url}/v1.0/$metadata#Collection(${type})`);
      expect(result.body.value).toHaveLength(count);
      expect(result.body.value.every((i: { principalId: string }) => i.principalId === users[0]!.id)).toBe(true);
      if (!collection.endsWith('Requests'))
        expect(result.body.value.every((i: { '@odata.type': string }) => i['@odata.type'] === `#microsoft.graph.${type}`)).toBe(true);
    });

    it('supports $filter, $select and $top on it', async () => {
      const token = await tokenOf(ctx, users[0]!);
      const filtered = await list(
        ctx,
        `${BASE}/roleEligibilitySchedules/filterByCurrentUser(on='principal')?${filter(`roleDefinitionId eq '${role}'`)}&$select=roleDefinitionId`,
        token,
      );
      expect(filtered).toEqual([{ '@odata.type': '#microsoft.graph.unifiedRoleEligibilitySchedule', id: eligibilities[0].id, roleDefinitionId: role }]);
      const paged = await listAll(ctx.stack, ctx.api, token, `${BASE}/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')?$top=1`);
      expect(paged).toHaveLength(2);
    });

    it("answers on='approver' on requests (nothing awaits this user) and 400 on schedules", async () => {
      const token = await tokenOf(ctx, users[0]!);
      expect(await list(ctx, `${BASE}/roleAssignmentScheduleRequests/filterByCurrentUser(on='approver')`, token)).toEqual([]);
      expect((await get(`${BASE}/roleEligibilitySchedules/filterByCurrentUser(on='approver')`, token)).status).toBe(400);
    });
  });
});
