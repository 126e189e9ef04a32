import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';
import { auditTrail, expectGraphError, filter, listAll, userBody } from './support.ts';

describe('/v1.0/users', () => {
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

  const create = (body: unknown) => api.call('POST', '/v1.0/users', { token, body });
  const get = (idOrUpn: string) => api.call('GET', `/v1.0/users/${encodeURIComponent(idOrUpn)}`, { token });
  const patch = (idOrUpn: string, body: unknown) => api.call('PATCH', `/v1.0/users/${encodeURIComponent(idOrUpn)}`, { token, body });
  const remove = (idOrUpn: string) => api.call('DELETE', `/v1.0/users/${encodeURIComponent(idOrUpn)}`, { token });
  const byUpn = async (upn: string) => (await api.call('GET', `/v1.0/users?${filter(`userPrincipalName eq '${upn}'`)}`, { token })).body.value as any[];
  const allUsers = () => listAll(stack, api, token, '/v1.0/users?$top=999');

  describe('/v1.0/me', () => {
    it('is the signed-in user, with $select, for a plain user without any role', async () => {
      // Prepare
      const plain = await api.token('sam.rivera@contoso.test');

      // Act
      const me = await api.call('GET', '/v1.0/me?$select=id,displayName,userPrincipalName', { token: plain });

      // Assess
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ displayName: 'Sam Rivera', userPrincipalName: 'sam.rivera@contoso.test' });
      expect(me.body.id).toMatch(/^usr_/);
      expect(me.body.mail).toBeUndefined();
    });

    it('is a 400 for an app token, as in Graph: an app has no "me"', async () => {
      // Prepare
      const app = await api.call('POST', '/v1.0/servicePrincipals', { token, body: { appId: 'me-app-1', displayName: 'Me App' } });
      expect(app.status).toBe(201);
      const appToken = await api.servicePrincipalToken('me-app-1');

      // Act
      const me = await api.call('GET', '/v1.0/me', { token: appToken });

      // Assess
      expectGraphError(me, 400, 'BadRequest');
      expect(me.body.error.message).toMatch(/delegated/);
    });
  });

  describe('create, read, update, delete', () => {
    it('creates a user with Graph defaults and answers 201 with its location', async () => {
      const result = await create(
        userBody('carla.diaz', { passwordProfile: { password: 'Ignored-1234', forceChangePasswordNextSignIn: true }, jobTitle: 'Analyst' }),
      );
      expect(result.status).toBe(201);
      const user = result.body;
      expect(user.id).toMatch(/^usr_[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(result.headers.get('location')).toBe(`${stack.url}/v1.0/users/${user.id}`);
      expect(user).toEqual({
        '@odata.context': `${stack.url}/v1.0/$metadata#users/$entity`,
        id: user.id,
        displayName: 'Test carla.diaz',
        userPrincipalName: 'carla.diaz@contoso.test',
        mail: null,
        mailNickname: 'carla.diaz',
        givenName: null,
        surname: null,
        jobTitle: 'Analyst',
        department: null,
        officeLocation: null,
        mobilePhone: null,
        businessPhones: [],
        accountEnabled: true,
        usageLocation: null,
        preferredLanguage: null,
        employeeId: null,
        companyName: null,
        createdDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      // Credentials are accepted for compatibility and never stored.
      expect(JSON.stringify(user)).not.toContain('Ignored-1234');
      const { '@odata.context': _context, ...stored } = user;
      const read = await get(user.id);
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ ...stored, '@odata.context': `${stack.url}/v1.0/$metadata#users/$entity` });
      expect(JSON.stringify(read.body)).not.toContain('Ignored-1234');
    });

    it('gets a user by id and by userPrincipalName in any case', async () => {
      const { body: user } = await create(userBody('Dana.Fox'));
      for (const key of [user.id, 'Dana.Fox@contoso.test', 'dana.fox@CONTOSO.TEST']) {
        const result = await get(key);
        expect(result.status, key).toBe(200);
        expect(result.body.id).toBe(user.id);
        expect(result.body.userPrincipalName).toBe('Dana.Fox@contoso.test');
      }
    });

    it('applies $select to a single user, always keeping id', async () => {
      const result = await api.call('GET', '/v1.0/users/admin@contoso.test?$select=displayName,mail', { token });
      expect(result.status).toBe(200);
      expect(result.body).toEqual({
        '@odata.context': `${stack.url}/v1.0/$metadata#users/$entity`,
        id: adminId,
        displayName: 'Ada Admin',
        mail: 'admin@contoso.test',
      });
    });

    it('updates a user with PATCH (204, no body) and changes only what was sent', async () => {
      const { body: before } = await create(userBody('eli.gray', { department: 'Sales', jobTitle: 'Rep' }));
      const result = await patch(before.id, { jobTitle: 'Lead', officeLocation: 'Berlin', mobilePhone: null });
      expect(result.status).toBe(204);
      expect(result.body).toBeUndefined();
      const { body: after } = await get(before.id);
      const { '@odata.context': _a, ...beforeData } = before;
      const { '@odata.context': _b, ...afterData } = after;
      expect(afterData).toEqual({ ...beforeData, jobTitle: 'Lead', officeLocation: 'Berlin' });
    });

    it('deletes a user: 204, then 404 on read, update and delete, and gone from the list', async () => {
      const { body: user } = await create(userBody('finn.hale'));
      const result = await remove(user.id);
      expect(result.status).toBe(204);
      expect(result.body).toBeUndefined();
      expectGraphError(await get(user.id), 404, 'Request_ResourceNotFound');
      expectGraphError(await get('finn.hale@contoso.test'), 404, 'Request_ResourceNotFound');
      expectGraphError(await patch(user.id, { jobTitle: 'x' }), 404, 'Request_ResourceNotFound');
      expectGraphError(await remove(user.id), 404, 'Request_ResourceNotFound');
      expect((await allUsers()).map((u) => u.id)).not.toContain(user.id);
      expect(await byUpn('finn.hale@contoso.test')).toEqual([]);
    });

    it('deletes a user addressed by userPrincipalName', async () => {
      const { body: user } = await create(userBody('gia.ito'));
      expect((await remove('GIA.ITO@contoso.test')).status).toBe(204);
      expectGraphError(await get(user.id), 404, 'Request_ResourceNotFound');
    });

    it('answers 404 in Graph shape for users that never existed, by id and by UPN', async () => {
      for (const key of ['usr_01J00000000000000000000000', 'nobody@contoso.test']) {
        expectGraphError(await get(key), 404, 'Request_ResourceNotFound');
        expectGraphError(await patch(key, { jobTitle: 'x' }), 404, 'Request_ResourceNotFound');
        expectGraphError(await remove(key), 404, 'Request_ResourceNotFound');
      }
    });

    it('does not serve a group or a service principal as a user', async () => {
      const groups = await listAll(stack, api, token, '/v1.0/groups');
      const sps = await listAll(stack, api, token, '/v1.0/servicePrincipals');
      for (const id of [groups[0].id, sps[0].id]) {
        expectGraphError(await get(id), 404, 'Request_ResourceNotFound');
        expectGraphError(await patch(id, { displayName: 'x' }), 404, 'Request_ResourceNotFound');
        expectGraphError(await remove(id), 404, 'Request_ResourceNotFound');
      }
      // …and nothing happened to them.
      expect((await api.call('GET', `/v1.0/groups/${groups[0].id}`, { token })).body.displayName).toBe(groups[0].displayName);
      expect((await api.call('GET', `/v1.0/servicePrincipals/${sps[0].id}`, { token })).status).toBe(200);
    });
  });

  describe('audit', () => {
    it('writes Add user, Update user and Delete user, each tied to its request and caller', async () => {
      const created = await create(userBody('hana.kim', { jobTitle: 'Engineer' }));
      const id = created.body.id;
      const updated = await patch(id, { jobTitle: 'Senior Engineer', department: 'R&D' });
      const deleted = await remove(id);
      const trail = await auditTrail(stack, id);
      expect(trail.map((r) => r.activityDisplayName)).toEqual(['Add user', 'Update user', 'Delete user']);
      expect(trail.map((r) => r.operationType)).toEqual(['Add', 'Update', 'Delete']);
      expect(trail.map((r) => r.correlationId)).toEqual([created, updated, deleted].map((r) => r.headers.get('request-id')));
      for (const record of trail) {
        expect(record).toMatchObject({
          category: 'UserManagement',
          loggedByService: 'Stint',
          result: 'success',
          initiatedBy: { user: { id: adminId, userPrincipalName: 'admin@contoso.test', displayName: 'Ada Admin' }, app: null },
        });
        expect(record.targetResources).toHaveLength(1);
        expect(record.targetResources[0]).toMatchObject({ id, type: 'User', userPrincipalName: 'hana.kim@contoso.test' });
      }
      expect(trail[1]!.targetResources[0]!.modifiedProperties).toEqual([
        { displayName: 'department', oldValue: 'null', newValue: '"R&D"' },
        { displayName: 'jobTitle', oldValue: '"Engineer"', newValue: '"Senior Engineer"' },
      ]);
      // Times are in order.
      const times = trail.map((r) => r.activityDateTime);
      expect([...times].sort()).toEqual(times);
    });

    it('writes no audit record for a change that is refused', async () => {
      const { body: user } = await create(userBody('ivan.lee'));
      expectGraphError(await patch(user.id, { userPrincipalName: 'admin@contoso.test' }), 409, 'Request_MultipleObjectsWithSameKeyValue');
      expectGraphError(await patch(user.id, { usageLocation: 'DEU' }), 400, 'Request_BadRequest');
      expect((await auditTrail(stack, user.id)).map((r) => r.activityDisplayName)).toEqual(['Add user']);
    });
  });

  describe('userPrincipalName is unique, without regard to case', () => {
    it('refuses a second user with the same UPN in another case: 409, and no second user', async () => {
      expect((await create(userBody('jay.moss'))).status).toBe(201);
      const countBefore = (await allUsers()).length;
      const error = expectGraphError(await create(userBody('JAY.Moss', { displayName: 'Impostor' })), 409, 'Request_MultipleObjectsWithSameKeyValue');
      expect(error.message).toContain('userPrincipalName');
      const users = await allUsers();
      expect(users).toHaveLength(countBefore);
      expect(users.filter((u) => u.userPrincipalName.toLowerCase() === 'jay.moss@contoso.test').map((u) => u.displayName)).toEqual(['Test jay.moss']);
      expect(await api.call('GET', `/v1.0/users?${filter("displayName eq 'Impostor'")}`, { token }).then((r) => r.body.value)).toEqual([]);
    });

    it('lets exactly one of several concurrent creates with the same UPN win', async () => {
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => create(userBody(i % 2 ? 'kim.race' : 'KIM.RACE', { displayName: `Racer ${i}` }))));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
      for (const loser of results.filter((r) => r.status === 409)) {
        expect(['Request_MultipleObjectsWithSameKeyValue', 'Request_ConcurrentModification']).toContain(loser.body.error.code);
      }
      const winner = results.find((r) => r.status === 201)!.body;
      expect((await byUpn('kim.race@contoso.test')).map((u) => u.id)).toEqual([winner.id]);
      expect((await allUsers()).filter((u) => u.displayName.startsWith('Racer '))).toHaveLength(1);
    });

    it('frees the old UPN when a user is renamed, and reserves the new one', async () => {
      const { body: user } = await create(userBody('lia.old'));
      expect((await patch(user.id, { userPrincipalName: 'lia.new@contoso.test' })).status).toBe(204);
      expectGraphError(await get('lia.old@contoso.test'), 404, 'Request_ResourceNotFound');
      expect((await get('LIA.NEW@contoso.test')).body.id).toBe(user.id);
      expect(await byUpn('lia.old@contoso.test')).toEqual([]);
      expect((await byUpn('lia.new@contoso.test')).map((u) => u.id)).toEqual([user.id]);
      // The old name can be taken by someone else now; the new one cannot.
      const other = await create(userBody('lia.old', { displayName: 'Another Lia' }));
      expect(other.status).toBe(201);
      expect(other.body.id).not.toBe(user.id);
      expectGraphError(await create(userBody('Lia.New')), 409, 'Request_MultipleObjectsWithSameKeyValue');
    });

    it('refuses a rename onto a taken UPN as a whole: 409, and nothing of the PATCH is applied', async () => {
      const { body: user } = await create(userBody('max.first', { jobTitle: 'Before' }));
      const error = expectGraphError(
        await patch(user.id, { userPrincipalName: 'Sam.Rivera@contoso.test', jobTitle: 'After' }),
        409,
        'Request_MultipleObjectsWithSameKeyValue',
      );
      expect(error.message).toContain('userPrincipalName');
      const { body: after } = await get(user.id);
      expect(after.userPrincipalName).toBe('max.first@contoso.test');
      expect(after.jobTitle).toBe('Before');
      // Sam keeps his UPN, and max.first is still reserved for this user.
      expect((await get('sam.rivera@contoso.test')).body.displayName).toBe('Sam Rivera');
      expectGraphError(await create(userBody('max.first')), 409, 'Request_MultipleObjectsWithSameKeyValue');
      expect((await byUpn('max.first@contoso.test')).map((u) => u.id)).toEqual([user.id]);
    });

    it('allows changing only the case of a UPN, and keeps it reserved', async () => {
      const { body: user } = await create(userBody('nia.case'));
      expect((await patch(user.id, { userPrincipalName: 'Nia.Case@contoso.test' })).status).toBe(204);
      expect((await get(user.id)).body.userPrincipalName).toBe('Nia.Case@contoso.test');
      expect((await get('nia.case@contoso.test')).body.id).toBe(user.id);
      expectGraphError(await create(userBody('NIA.CASE')), 409, 'Request_MultipleObjectsWithSameKeyValue');
    });

    it('frees the UPN of a deleted user', async () => {
      const { body: first } = await create(userBody('ola.gone'));
      expect((await remove(first.id)).status).toBe(204);
      const second = await create(userBody('ola.gone'));
      expect(second.status).toBe(201);
      expect(second.body.id).not.toBe(first.id);
      expect((await byUpn('ola.gone@contoso.test')).map((u) => u.id)).toEqual([second.body.id]);
    });
  });

  describe('$filter', () => {
    it('finds a user by userPrincipalName, mail and displayName without regard to case', async () => {
      const { body: user } = await create(userBody('pia.query', { displayName: 'Pia Query', mail: 'Pia.Query@Mail.contoso.test' }));
      for (const expression of [
        "userPrincipalName eq 'pia.query@contoso.test'",
        "userPrincipalName eq 'PIA.QUERY@CONTOSO.TEST'",
        "mail eq 'pia.query@mail.contoso.test'",
        "mail eq 'PIA.QUERY@MAIL.CONTOSO.TEST'",
        "displayName eq 'Pia Query'",
        "displayName eq 'pia query'",
        "displayName eq 'PIA QUERY'",
      ]) {
        const result = await api.call('GET', `/v1.0/users?${filter(expression)}`, { token });
        expect(result.status, expression).toBe(200);
        expect(result.body['@odata.context']).toBe(`${stack.url}/v1.0/$metadata#users`);
        expect(
          result.body.value.map((u: { id: string }) => u.id),
          expression,
        ).toEqual([user.id]);
        expect(result.body['@odata.nextLink']).toBeUndefined();
      }
    });

    it('returns every user with a display name, in id order, and narrows with further conditions', async () => {
      const a = (await create(userBody('quinn.one', { displayName: 'Quinn Twin', accountEnabled: true }))).body;
      const b = (await create(userBody('quinn.two', { displayName: 'quinn twin', accountEnabled: false }))).body;
      const both = await api.call('GET', `/v1.0/users?${filter("displayName eq 'QUINN TWIN'")}`, { token });
      expect(both.body.value.map((u: { id: string }) => u.id)).toEqual([a.id, b.id].sort());
      const enabled = await api.call('GET', `/v1.0/users?${filter("displayName eq 'Quinn Twin' and accountEnabled eq false")}`, { token });
      expect(enabled.body.value.map((u: { id: string }) => u.id)).toEqual([b.id]);
      const byUpnAndName = await api.call('GET', `/v1.0/users?${filter("userPrincipalName eq 'quinn.one@contoso.test' and accountEnabled eq true")}`, {
        token,
      });
      expect(byUpnAndName.body.value.map((u: { id: string }) => u.id)).toEqual([a.id]);
      const none = await api.call('GET', `/v1.0/users?${filter("userPrincipalName eq 'quinn.one@contoso.test' and accountEnabled eq false")}`, { token });
      expect(none.body.value).toEqual([]);
    });

    it('follows changes: a renamed or re-addressed user is found under the new values only', async () => {
      const { body: user } = await create(userBody('rui.moves', { displayName: 'Rui Before', mail: 'rui.before@contoso.test' }));
      expect((await patch(user.id, { displayName: 'Rui After', mail: 'rui.after@contoso.test' })).status).toBe(204);
      const ids = async (expression: string) =>
        (await api.call('GET', `/v1.0/users?${filter(expression)}`, { token })).body.value.map((u: { id: string }) => u.id);
      expect(await ids("displayName eq 'Rui Before'")).toEqual([]);
      expect(await ids("mail eq 'rui.before@contoso.test'")).toEqual([]);
      expect(await ids("displayName eq 'Rui After'")).toEqual([user.id]);
      expect(await ids("mail eq 'rui.after@contoso.test'")).toEqual([user.id]);
      expect((await patch(user.id, { mail: null })).status).toBe(204);
      expect(await ids("mail eq 'rui.after@contoso.test'")).toEqual([]);
      expect((await remove(user.id)).status).toBe(204);
      expect(await ids("displayName eq 'Rui After'")).toEqual([]);
    });

    it('answers an empty collection, not 404, when nothing matches', async () => {
      const result = await api.call('GET', `/v1.0/users?${filter("userPrincipalName eq 'ghost@contoso.test'")}`, { token });
      expect(result.status).toBe(200);
      expect(result.body).toEqual({ '@odata.context': `${stack.url}/v1.0/$metadata#users`, value: [] });
    });

    it.each([
      ["startswith(jobTitle, 'A')"],
      ["jobTitle eq 'Auditor'"],
      ["userPrincipalName ne 'admin@contoso.test'"],
      ["userPrincipalName eq 'a@contoso.test' or mail eq 'b@contoso.test'"],
      ["not (displayName eq 'Ada Admin')"],
      ['mail eq null'],
      ["userPrincipalName in ('admin@contoso.test')"],
    ])('refuses %s with 400 Request_UnsupportedQuery naming what is supported', async (expression) => {
      const error = expectGraphError(await api.call('GET', `/v1.0/users?${filter(expression)}`, { token }), 400, 'Request_UnsupportedQuery');
      expect(error.message).toContain("userPrincipalName eq '…'");
      expect(error.message).toContain("mail eq '…'");
      expect(error.message).toContain("displayName eq '…'");
    });
  });

  describe('memberOf', () => {
    it("lists a user's groups, addressed by id or UPN, as directoryObjects", async () => {
      const priya = (await get('priya.nair@contoso.test')).body;
      for (const key of [priya.id, 'Priya.Nair@contoso.test']) {
        const result = await api.call('GET', `/v1.0/users/${key}/memberOf`, { token });
        expect(result.status).toBe(200);
        expect(result.body['@odata.context']).toBe(`${stack.url}/v1.0/$metadata#directoryObjects`);
        expect(result.body.value.map((g: { displayName: string }) => g.displayName)).toEqual(['Security Operations']);
        expect(result.body.value[0]['@odata.type']).toBe('#microsoft.graph.group');
      }
      const kai = await api.call('GET', '/v1.0/users/kai.tanaka@contoso.test/memberOf', { token });
      expect(kai.body.value).toEqual([]);
    });

    it('answers 404 for the memberOf of a user that does not exist, or of an object that is not a user', async () => {
      expectGraphError(await api.call('GET', '/v1.0/users/nobody@contoso.test/memberOf', { token }), 404, 'Request_ResourceNotFound');
      expectGraphError(await api.call('GET', '/v1.0/users/usr_01J00000000000000000000000/memberOf', { token }), 404, 'Request_ResourceNotFound');
      const group = (await listAll(stack, api, token, '/v1.0/groups'))[0];
      expectGraphError(await api.call('GET', `/v1.0/users/${group.id}/memberOf`, { token }), 404, 'Request_ResourceNotFound');
    });
  });
});
