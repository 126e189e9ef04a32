import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { BUILTIN_ROLES } from '../../../shared/domain/builtin-roles.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';
import { auditTrail, expectGraphError, filter, GLOBAL_ADMINISTRATOR, listAll, ROLE_DEFINITIONS, roleBody } from './support.ts';

describe('/v1.0/roleManagement/directory/roleDefinitions', () => {
  let stack: LocalStack;
  let api: ApiClient;
  let token: string;
  let adminId: string;

  beforeAll(async () => {
    stack = await startTestStack();
    api = apiClient(stack);
    token = await api.token('admin@contoso.test');
    adminId = (await api.call('GET', '/v1.0/users/admin@contoso.test', { token })).body.id;
  });
  afterAll(() => stack.stop());

  const create = (body: unknown) => api.call('POST', ROLE_DEFINITIONS, { token, body });
  const get = (id: string) => api.call('GET', `${ROLE_DEFINITIONS}/${id}`, { token });
  const patch = (id: string, body: unknown) => api.call('PATCH', `${ROLE_DEFINITIONS}/${id}`, { token, body });
  const remove = (id: string) => api.call('DELETE', `${ROLE_DEFINITIONS}/${id}`, { token });
  const named = async (name: string) =>
    (await api.call('GET', `${ROLE_DEFINITIONS}?${filter(`displayName eq '${name.replace(/'/g, "''")}'`)}`, { token })).body.value as any[];
  const customRoles = async () => listAll(stack, api, token, `${ROLE_DEFINITIONS}?${filter('isBuiltIn eq false')}`);
  const fragment = 'roleManagement/directory/roleDefinitions';

  describe('built-in roles', () => {
    it("lists every built-in role under Entra's template id", async () => {
      const roles = await listAll(stack, api, token, ROLE_DEFINITIONS);
      const builtIns = roles.filter((r) => r.isBuiltIn);
      expect(builtIns.map((r) => r.id).sort()).toEqual(BUILTIN_ROLES.map((r) => r.id).sort());
      for (const role of builtIns) expect(role.templateId).toBe(role.id);
      expect(builtIns.find((r) => r.id === GLOBAL_ADMINISTRATOR)).toMatchObject({
        displayName: 'Global Administrator',
        isBuiltIn: true,
        isEnabled: true,
      });
      expect(builtIns.find((r) => r.displayName === 'Privileged Role Administrator')?.id).toBe('e8611ab8-c189-46e8-94e1-60213ab1f814');
      expect(builtIns.find((r) => r.displayName === 'Global Reader')?.id).toBe('f2ef992c-3afb-46b9-b7cf-a126ee74c451');
    });

    it('serves isPrivileged under /beta only, as Graph does', async () => {
      const beta = await api.call('GET', `/beta/${fragment}/${GLOBAL_ADMINISTRATOR}`, { token });
      expect(beta.body).toMatchObject({ '@odata.context': `${stack.url}/beta/$metadata#${fragment}/$entity`, id: GLOBAL_ADMINISTRATOR, isPrivileged: true });
      expect(beta.body).not.toHaveProperty('kind');
      expect((await get(GLOBAL_ADMINISTRATOR)).body).not.toHaveProperty('isPrivileged');
      const privileged = await listAll(stack, api, token, `/beta/${fragment}?${filter('isPrivileged eq true')}`);
      expect(privileged.map((r) => r.id)).toContain(GLOBAL_ADMINISTRATOR);
      expect(privileged.every((r) => r.isPrivileged === true)).toBe(true);
    });

    it('gets Global Administrator by its template id, in any case, with $select', async () => {
      for (const id of [GLOBAL_ADMINISTRATOR, GLOBAL_ADMINISTRATOR.toUpperCase()]) {
        const result = await get(id);
        expect(result.status).toBe(200);
        expect(result.body).toMatchObject({
          '@odata.context': `${stack.url}/v1.0/$metadata#${fragment}/$entity`,
          id: GLOBAL_ADMINISTRATOR,
          displayName: 'Global Administrator',
        });
      }
      const selected = await api.call('GET', `${ROLE_DEFINITIONS}/${GLOBAL_ADMINISTRATOR}?$select=displayName,isBuiltIn`, { token });
      expect(selected.body).toEqual({
        '@odata.context': `${stack.url}/v1.0/$metadata#${fragment}/$entity`,
        id: GLOBAL_ADMINISTRATOR,
        displayName: 'Global Administrator',
        isBuiltIn: true,
      });
    });

    it("finds a role by $filter=displayName eq '…', without regard to case", async () => {
      for (const name of ['Global Administrator', 'global administrator', 'GLOBAL ADMINISTRATOR']) {
        const result = await api.call('GET', `${ROLE_DEFINITIONS}?${filter(`displayName eq '${name}'`)}&$select=id,displayName`, { token });
        expect(result.status, name).toBe(200);
        expect(result.body).toEqual({
          '@odata.context': `${stack.url}/v1.0/$metadata#${fragment}`,
          value: [{ id: GLOBAL_ADMINISTRATOR, displayName: 'Global Administrator' }],
        });
      }
      expect(await named('Nonexistent Role')).toEqual([]);
      expect(await named('Global Administrator')).toHaveLength(1);
    });

    it('supports other filters over role properties', async () => {
      const privileged = await listAll(stack, api, token, `${ROLE_DEFINITIONS}?${filter('isBuiltIn eq true and isPrivileged eq true')}`);
      expect(privileged.map((r) => r.id).sort()).toEqual(
        BUILTIN_ROLES.filter((r) => r.isPrivileged)
          .map((r) => r.id)
          .sort(),
      );
      const readers = await listAll(stack, api, token, `${ROLE_DEFINITIONS}?${filter("endswith(displayName, 'Reader')")}`);
      expect(readers.map((r) => r.displayName).sort()).toEqual(
        BUILTIN_ROLES.filter((r) => r.displayName.endsWith('Reader'))
          .map((r) => r.displayName)
          .sort(),
      );
      const error = expectGraphError(await api.call('GET', `${ROLE_DEFINITIONS}?${filter('displayName eq')}`, { token }), 400, 'BadRequest');
      expect(error.message).toContain('position 14');
    });

    it('refuses to change or delete a built-in role (400 Request_BuiltInRoleReadOnly), and it stays as it was', async () => {
      const before = (await get(GLOBAL_ADMINISTRATOR)).body;
      expectGraphError(await patch(GLOBAL_ADMINISTRATOR, { displayName: 'Tenant God' }), 400, 'Request_BuiltInRoleReadOnly');
      expectGraphError(await patch(GLOBAL_ADMINISTRATOR, { isEnabled: false }), 400, 'Request_BuiltInRoleReadOnly');
      expectGraphError(await remove(GLOBAL_ADMINISTRATOR), 400, 'Request_BuiltInRoleReadOnly');
      expectGraphError(await remove(GLOBAL_ADMINISTRATOR.toUpperCase()), 400, 'Request_BuiltInRoleReadOnly');
      expect((await get(GLOBAL_ADMINISTRATOR)).body).toEqual(before);
      expect(await named('Tenant God')).toEqual([]);
      expect(await auditTrail(stack, GLOBAL_ADMINISTRATOR)).toEqual([]);
    });
  });

  describe('custom roles', () => {
    it('creates a custom role (201, location) and reads it back', async () => {
      const result = await create(
        roleBody('Password Resetter', ['microsoft.directory/users/password/update', 'microsoft.directory/users/basic/read'], {
          description: 'Resets passwords',
        }),
      );
      expect(result.status).toBe(201);
      const role = result.body;
      expect(result.headers.get('location')).toBe(`${stack.url}/v1.0/${fragment}/${role.id}`);
      expect(role).toEqual({
        '@odata.context': `${stack.url}/v1.0/$metadata#${fragment}/$entity`,
        id: expect.stringMatching(/^rol_[0-9A-HJKMNP-TV-Z]{26}$/),
        templateId: role.id,
        displayName: 'Password Resetter',
        description: 'Resets passwords',
        isBuiltIn: false,
        isEnabled: true,
        version: null,
        resourceScopes: ['/'],
        rolePermissions: [{ allowedResourceActions: ['microsoft.directory/users/password/update', 'microsoft.directory/users/basic/read'], condition: null }],
      });
      expect((await get(role.id)).body).toEqual(role);
      expect((await customRoles()).map((r) => r.id)).toContain(role.id);
      expect((await named('password resetter')).map((r) => r.id)).toEqual([role.id]);
    });

    it('updates a custom role, and audits Add, Update and Delete role definition', async () => {
      const created = await create(roleBody('Life Cycle Role'));
      const id = created.body.id;
      const updated = await patch(id, {
        description: 'Now described',
        isPrivileged: true,
        rolePermissions: [{ allowedResourceActions: ['microsoft.directory/groups/members/update'], condition: null }],
      });
      expect(updated.status).toBe(204);
      expect(updated.body).toBeUndefined();
      expect((await get(id)).body).toMatchObject({
        displayName: 'Life Cycle Role',
        description: 'Now described',
        rolePermissions: [{ allowedResourceActions: ['microsoft.directory/groups/members/update'], condition: null }],
      });
      expect((await api.call('GET', `/beta/${fragment}/${id}`, { token })).body.isPrivileged).toBe(true);
      const deleted = await remove(id);
      expect(deleted.status).toBe(204);
      expectGraphError(await get(id), 404, 'RoleNotFound');
      expectGraphError(await remove(id), 404, 'RoleNotFound');
      expectGraphError(await patch(id, { description: 'x' }), 404, 'RoleNotFound');
      expect((await customRoles()).map((r) => r.id)).not.toContain(id);

      const trail = await auditTrail(stack, id);
      expect(trail.map((r) => r.activityDisplayName)).toEqual(['Add role definition', 'Update role definition', 'Delete role definition']);
      expect(trail.map((r) => r.correlationId)).toEqual([created, updated, deleted].map((r) => r.headers.get('request-id')));
      for (const record of trail) {
        expect(record).toMatchObject({ category: 'RoleManagement', initiatedBy: { user: { id: adminId } } });
        expect(record.targetResources[0]).toMatchObject({ id, type: 'Role', displayName: 'Life Cycle Role' });
      }
      expect(trail[1]!.targetResources[0]!.modifiedProperties.map((p) => p.displayName)).toEqual(['description', 'isPrivileged', 'rolePermissions']);
    });

    it('refuses a second custom role with the same name in any case: 409, and no second role', async () => {
      expect((await create(roleBody('Unique Name Role'))).status).toBe(201);
      const before = await customRoles();
      for (const name of ['Unique Name Role', 'unique name role', 'UNIQUE NAME ROLE']) {
        expectGraphError(await create(roleBody(name)), 409, 'Request_MultipleObjectsWithSameKeyValue');
      }
      expect(await customRoles()).toEqual(before);
      expect(await named('Unique Name Role')).toHaveLength(1);
    });

    it('refuses a custom role named like a built-in role in any case: 409, and creates nothing', async () => {
      const before = await customRoles();
      for (const name of ['Global Administrator', 'global reader', 'PRIVILEGED ROLE ADMINISTRATOR']) {
        const error = expectGraphError(await create(roleBody(name)), 409, 'Request_MultipleObjectsWithSameKeyValue');
        expect(error.message).toContain('built-in');
      }
      expect(await customRoles()).toEqual(before);
      expect((await named('Global Administrator')).map((r) => r.id)).toEqual([GLOBAL_ADMINISTRATOR]);
    });

    it('lets exactly one of several concurrent creates with the same name win', async () => {
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => create(roleBody(i % 2 ? 'Race Role' : 'race role'))));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      expect(await named('Race Role')).toHaveLength(1);
    });

    it('frees the old name on rename and reserves the new one', async () => {
      const { body: role } = await create(roleBody('Old Role Name'));
      expect((await patch(role.id, { displayName: 'New Role Name' })).status).toBe(204);
      expect(await named('Old Role Name')).toEqual([]);
      expect((await named('new role name')).map((r) => r.id)).toEqual([role.id]);
      const reuse = await create(roleBody('old role name'));
      expect(reuse.status).toBe(201);
      expectGraphError(await create(roleBody('NEW ROLE NAME')), 409, 'Request_MultipleObjectsWithSameKeyValue');
    });

    it("refuses a rename onto a built-in's or another custom role's name: 409, and nothing of the PATCH is applied", async () => {
      const { body: role } = await create(roleBody('Rename Victim', undefined, { description: 'Before' }));
      expect((await create(roleBody('Rename Blocker'))).status).toBe(201);
      expectGraphError(await patch(role.id, { displayName: 'Global Reader', description: 'After' }), 409, 'Request_MultipleObjectsWithSameKeyValue');
      expectGraphError(await patch(role.id, { displayName: 'rename blocker', description: 'After' }), 409, 'Request_MultipleObjectsWithSameKeyValue');
      const { body: after } = await get(role.id);
      expect(after).toMatchObject({ displayName: 'Rename Victim', description: 'Before' });
      expectGraphError(await create(roleBody('Rename Victim')), 409, 'Request_MultipleObjectsWithSameKeyValue');
      expect((await auditTrail(stack, role.id)).map((r) => r.activityDisplayName)).toEqual(['Add role definition']);
    });

    it('allows a rename that changes only the case', async () => {
      const { body: role } = await create(roleBody('case only role'));
      expect((await patch(role.id, { displayName: 'Case Only Role' })).status).toBe(204);
      expect((await get(role.id)).body.displayName).toBe('Case Only Role');
      expectGraphError(await create(roleBody('CASE ONLY ROLE')), 409, 'Request_MultipleObjectsWithSameKeyValue');
    });

    it('frees the name of a deleted role', async () => {
      const { body: role } = await create(roleBody('Recycled Name'));
      expect((await remove(role.id)).status).toBe(204);
      const again = await create(roleBody('recycled name'));
      expect(again.status).toBe(201);
      expect(again.body.id).not.toBe(role.id);
    });

    it.each([
      ['a bare wildcard', ['*']],
      ['a wildcard inside a segment', ['microsoft.directory/users*/read']],
      ['text that is not an action', ['delete everything']],
      ['no actions at all', []],
    ])('refuses permissions with %s (400) and creates nothing', async (_label, actions) => {
      const before = await customRoles();
      const error = expectGraphError(await create(roleBody('Bad Permissions Role', actions)), 400, 'Request_BadRequest');
      expect(error.details?.[0]?.target).toMatch(/^rolePermissions\.0\.allowedResourceActions/);
      expect(await customRoles()).toEqual(before);
    });

    it('refuses more than one permission set, and role definitions that do not exist', async () => {
      const body = {
        displayName: 'Two Sets',
        rolePermissions: [
          { allowedResourceActions: ['microsoft.directory/users/basic/read'] },
          { allowedResourceActions: ['microsoft.directory/groups/basic/read'] },
        ],
      };
      expectGraphError(await create(body), 400, 'Request_BadRequest');
      expectGraphError(await get('rol_01J00000000000000000000000'), 404, 'RoleNotFound');
      expectGraphError(await get('00000000-0000-0000-0000-000000000000'), 404, 'RoleNotFound');
    });
  });
});
