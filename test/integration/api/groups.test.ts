import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';
import { auditTrail, expectGraphError, filter, groupBody, listAll, ref, userBody } from './support.ts';

describe('/v1.0/groups and their members', () => {
  let stack: LocalStack;
  let api: ApiClient;
  let token: string;
  let adminId: string;
  const seeded: Record<string, { id: string; displayName: string; isAssignableToRole: boolean }> = {};
  const people: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startTestStack();
    api = apiClient(stack);
    token = await api.token('admin@contoso.test');
    for (const group of await listAll(stack, api, token, '/v1.0/groups')) seeded[group.displayName] = group;
    for (const user of await listAll(stack, api, token, '/v1.0/users')) people[user.userPrincipalName.split('@')[0]] = user.id;
    adminId = people.admin!;
  });
  afterAll(() => stack.stop());

  const createGroup = (body: unknown) => api.call('POST', '/v1.0/groups', { token, body });
  const getGroup = (id: string) => api.call('GET', `/v1.0/groups/${id}`, { token });
  const createUser = async (alias: string) => {
    const result = await api.call('POST', '/v1.0/users', { token, body: userBody(alias) });
    expect(result.status).toBe(201);
    return result.body.id as string;
  };
  const addMember = (groupId: string, memberId: string) => api.call('POST', `/v1.0/groups/${groupId}/members/$ref`, { token, body: ref(memberId) });
  const removeMember = (groupId: string, memberId: string) => api.call('DELETE', `/v1.0/groups/${groupId}/members/${memberId}/$ref`, { token });
  const memberIds = async (groupId: string) => (await listAll(stack, api, token, `/v1.0/groups/${groupId}/members`)).map((m) => m.id).sort();
  const memberOf = async (userId: string) => (await listAll(stack, api, token, `/v1.0/users/${userId}/memberOf`)).map((g) => g.id).sort();
  const groupsNamed = async (name: string) => (await api.call('GET', `/v1.0/groups?${filter(`displayName eq '${name}'`)}`, { token })).body.value as any[];

  describe('create, read, update, delete', () => {
    it('creates a group with Graph defaults and answers 201 with its location', async () => {
      const result = await createGroup(groupBody('Incident Response', { description: 'On call' }));
      expect(result.status).toBe(201);
      const group = result.body;
      expect(group.id).toMatch(/^grp_[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(result.headers.get('location')).toBe(`${stack.url}/v1.0/groups/${group.id}`);
      expect(group).toEqual({
        '@odata.context': `${stack.url}/v1.0/$metadata#groups/$entity`,
        id: group.id,
        displayName: 'Incident Response',
        description: 'On call',
        mail: null,
        mailNickname: 'incident-response',
        mailEnabled: false,
        securityEnabled: true,
        groupTypes: [],
        isAssignableToRole: false,
        visibility: null,
        createdDateTime: expect.stringMatching(/Z$/),
      });
      const read = await getGroup(group.id);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(group);
      expect(await memberIds(group.id)).toEqual([]);
    });

    it('updates a group with PATCH and deletes it, writing Add, Update and Delete group audit records', async () => {
      const created = await createGroup(groupBody('Short Lived', { mail: 'short@contoso.test' }));
      const id = created.body.id;
      const updated = await api.call('PATCH', `/v1.0/groups/${id}`, {
        token,
        body: { displayName: 'Still Short', description: 'Renamed', visibility: 'Private' },
      });
      expect(updated.status).toBe(204);
      const { body: after } = await getGroup(id);
      expect(after).toMatchObject({
        displayName: 'Still Short',
        description: 'Renamed',
        visibility: 'Private',
        mail: 'short@contoso.test',
        mailNickname: 'short-lived',
      });
      expect(await groupsNamed('Short Lived')).toEqual([]);
      expect((await groupsNamed('still short')).map((g) => g.id)).toEqual([id]);

      const deleted = await api.call('DELETE', `/v1.0/groups/${id}`, { token });
      expect(deleted.status).toBe(204);
      expectGraphError(await getGroup(id), 404, 'Request_ResourceNotFound');
      expectGraphError(await api.call('DELETE', `/v1.0/groups/${id}`, { token }), 404, 'Request_ResourceNotFound');
      expectGraphError(await api.call('GET', `/v1.0/groups/${id}/members`, { token }), 404, 'Request_ResourceNotFound');
      expect(await groupsNamed('Still Short')).toEqual([]);
      expect((await api.call('GET', `/v1.0/groups?${filter("mail eq 'short@contoso.test'")}`, { token })).body.value).toEqual([]);

      const trail = await auditTrail(stack, id);
      expect(trail.map((r) => r.activityDisplayName)).toEqual(['Add group', 'Update group', 'Delete group']);
      expect(trail.map((r) => r.correlationId)).toEqual([created, updated, deleted].map((r) => r.headers.get('request-id')));
      for (const record of trail) {
        expect(record).toMatchObject({
          category: 'GroupManagement',
          initiatedBy: { user: { id: adminId, userPrincipalName: 'admin@contoso.test' }, app: null },
        });
        expect(record.targetResources[0]).toMatchObject({ id, type: 'Group' });
      }
      expect(trail[1]!.targetResources[0]!.modifiedProperties).toEqual([
        { displayName: 'description', oldValue: 'null', newValue: '"Renamed"' },
        { displayName: 'displayName', oldValue: '"Short Lived"', newValue: '"Still Short"' },
        { displayName: 'visibility', oldValue: 'null', newValue: '"Private"' },
      ]);
    });

    it('does not let PATCH change whether a group is role-assignable', async () => {
      const group = seeded['Helpdesk']!;
      const error = expectGraphError(
        await api.call('PATCH', `/v1.0/groups/${group.id}`, { token, body: { isAssignableToRole: true } }),
        400,
        'Request_BadRequest',
      );
      expect(error.details).toContainEqual(expect.objectContaining({ code: 'UnknownProperty', target: 'isAssignableToRole' }));
      expect((await getGroup(group.id)).body.isAssignableToRole).toBe(false);
    });

    it('answers 404 for a group that does not exist and for a user id used as a group', async () => {
      for (const id of ['grp_01J00000000000000000000000', people['kai.tanaka']!]) {
        expectGraphError(await getGroup(id), 404, 'Request_ResourceNotFound');
        expectGraphError(await api.call('PATCH', `/v1.0/groups/${id}`, { token, body: { description: 'x' } }), 404, 'Request_ResourceNotFound');
        expectGraphError(await api.call('DELETE', `/v1.0/groups/${id}`, { token }), 404, 'Request_ResourceNotFound');
        expectGraphError(await api.call('GET', `/v1.0/groups/${id}/members`, { token }), 404, 'Request_ResourceNotFound');
        expectGraphError(await addMember(id, people['jon.ade']!), 404, 'Request_ResourceNotFound');
        expectGraphError(await removeMember(id, people['jon.ade']!), 404, 'Request_ResourceNotFound');
      }
      expect(await memberOf(people['jon.ade']!)).toEqual([seeded['Helpdesk']!.id]);
    });
  });

  describe('$filter', () => {
    it('finds groups by displayName and mail without regard to case, and narrows with further conditions', async () => {
      const a = (await createGroup(groupBody('Filter Me', { mail: 'Filter.Me@contoso.test' }))).body;
      const b = (await createGroup(groupBody('filter me', { securityEnabled: false, mailEnabled: true }))).body;
      const ids = async (expression: string) =>
        (await api.call('GET', `/v1.0/groups?${filter(expression)}`, { token })).body.value.map((g: { id: string }) => g.id);
      expect(await ids("displayName eq 'FILTER ME'")).toEqual([a.id, b.id].sort());
      expect(await ids("mail eq 'filter.me@CONTOSO.test'")).toEqual([a.id]);
      expect(await ids("displayName eq 'Filter Me' and securityEnabled eq false")).toEqual([b.id]);
      expect(await ids("displayName eq 'Security Operations'")).toEqual([seeded['Security Operations']!.id]);
      expect(await ids("displayName eq 'Nobody Here'")).toEqual([]);
    });

    it.each([["startswith(description, 'S')"], ['isAssignableToRole eq true'], ["mailNickname eq 'secops'"]])(
      'refuses %s with 400 Request_UnsupportedQuery',
      async (expression) => {
        const error = expectGraphError(await api.call('GET', `/v1.0/groups?${filter(expression)}`, { token }), 400, 'Request_UnsupportedQuery');
        expect(error.message).toContain("mail eq '…', displayName eq '…'");
      },
    );
  });

  describe('members', () => {
    it("lists a group's direct members as directoryObjects", async () => {
      const result = await api.call('GET', `/v1.0/groups/${seeded['Security Operations']!.id}/members`, { token });
      expect(result.status).toBe(200);
      expect(result.body['@odata.context']).toBe(`${stack.url}/v1.0/$metadata#directoryObjects`);
      expect(result.body.value.map((m: { userPrincipalName: string }) => m.userPrincipalName).sort()).toEqual([
        'omar.haddad@contoso.test',
        'priya.nair@contoso.test',
      ]);
      for (const member of result.body.value) expect(member['@odata.type']).toBe('#microsoft.graph.user');
    });

    it('adds a member with $ref (204), lists it both ways, audits it on the group, and removes it again', async () => {
      const group = (await createGroup(groupBody('Membership Flow'))).body;
      const userId = await createUser('mem.flow');
      const added = await addMember(group.id, userId);
      expect(added.status).toBe(204);
      expect(added.body).toBeUndefined();
      expect(await memberIds(group.id)).toEqual([userId]);
      expect(await memberOf(userId)).toEqual([group.id]);

      const removed = await removeMember(group.id, userId);
      expect(removed.status).toBe(204);
      expect(await memberIds(group.id)).toEqual([]);
      expect(await memberOf(userId)).toEqual([]);

      const trail = await auditTrail(stack, group.id);
      expect(trail.map((r) => r.activityDisplayName)).toEqual(['Add group', 'Add member to group', 'Remove member from group']);
      expect(trail.slice(1).map((r) => r.correlationId)).toEqual([added, removed].map((r) => r.headers.get('request-id')));
      for (const record of trail.slice(1)) {
        expect(record.category).toBe('GroupManagement');
        expect(record.initiatedBy.user?.id).toBe(adminId);
        expect(record.targetResources.map((t) => [t.id, t.type])).toEqual([
          [group.id, 'Group'],
          [userId, 'User'],
        ]);
        expect(record.targetResources[1]!.userPrincipalName).toBe('mem.flow@contoso.test');
      }
      expect(trail.map((r) => r.operationType)).toEqual(['Add', 'Assign', 'Unassign']);
    });

    it('accepts @odata.id on any host and under /users/, /groups/ or /servicePrincipals/', async () => {
      const group = (await createGroup(groupBody('Reference Styles'))).body;
      const u1 = await createUser('ref.one');
      const u2 = await createUser('ref.two');
      const sp = (await listAll(stack, api, token, `/v1.0/servicePrincipals?${filter("appId eq 'deploy-pipeline'")}`))[0];
      const nested = (await createGroup(groupBody('Reference Nested'))).body;
      for (const [memberId, reference] of [
        [u1, `${stack.url}/v1.0/directoryObjects/${u1}`],
        [u2, `https://graph.microsoft.com/v1.0/users/${u2}/`],
        [sp.id, `https://graph.microsoft.com/beta/servicePrincipals/${sp.id}`],
        [nested.id, `https://example.test/v1.0/groups/${nested.id}`],
      ]) {
        const result = await api.call('POST', `/v1.0/groups/${group.id}/members/$ref`, { token, body: { '@odata.id': reference } });
        expect(result.status, reference).toBe(204);
        expect((await memberIds(group.id)).includes(memberId!), reference).toBe(true);
      }
      const members = await listAll(stack, api, token, `/v1.0/groups/${group.id}/members`);
      expect(Object.fromEntries(members.map((m) => [m.id, m['@odata.type']]))).toEqual({
        [u1]: '#microsoft.graph.user',
        [u2]: '#microsoft.graph.user',
        [sp.id]: '#microsoft.graph.servicePrincipal',
        [nested.id]: '#microsoft.graph.group',
      });
    });

    it('applies $select to members of mixed types, each keeping the selected properties it has', async () => {
      const group = (await createGroup(groupBody('Mixed Members'))).body;
      const userId = await createUser('mixed.user');
      const nested = (await createGroup(groupBody('Mixed Nested'))).body;
      const sp = (await api.call('POST', '/v1.0/servicePrincipals', { token, body: { appId: 'mixed-app', displayName: 'Mixed App' } })).body;
      for (const id of [userId, nested.id, sp.id]) expect((await addMember(group.id, id)).status).toBe(204);

      const result = await api.call('GET', `/v1.0/groups/${group.id}/members?$select=displayName,userPrincipalName,appId`, { token });
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      const byId = Object.fromEntries(result.body.value.map((m: { id: string }) => [m.id, m]));
      expect(byId).toEqual({
        [userId]: { '@odata.type': '#microsoft.graph.user', id: userId, displayName: 'Test mixed.user', userPrincipalName: 'mixed.user@contoso.test' },
        [nested.id]: { '@odata.type': '#microsoft.graph.group', id: nested.id, displayName: 'Mixed Nested' },
        [sp.id]: { '@odata.type': '#microsoft.graph.servicePrincipal', id: sp.id, displayName: 'Mixed App', appId: 'mixed-app' },
      });
      // Page by page, the answer is the same whatever types a page happens to hold.
      const paged = await listAll(stack, api, token, `/v1.0/groups/${group.id}/members?$select=userPrincipalName&$top=1`);
      expect(paged.map((m) => m.userPrincipalName ?? null).sort()).toEqual(['mixed.user@contoso.test', null, null]);

      for (const property of ['nope', 'constructor', '__proto__']) {
        expectGraphError(await api.call('GET', `/v1.0/groups/${group.id}/members?$select=${property}`, { token }), 400, 'Request_UnsupportedQuery');
        expectGraphError(await api.call('GET', `/v1.0/users/${userId}/memberOf?$select=${property}`, { token }), 400, 'Request_UnsupportedQuery');
      }
      const memberOf = await api.call('GET', `/v1.0/users/${userId}/memberOf?$select=displayName,userPrincipalName`, { token });
      expect(memberOf.body.value).toEqual([{ '@odata.type': '#microsoft.graph.group', id: group.id, displayName: 'Mixed Members' }]);
    });

    it('refuses adding a member twice with 409, and keeps one membership', async () => {
      const group = seeded['Helpdesk']!;
      const before = await memberIds(group.id);
      const auditBefore = (await auditTrail(stack, group.id)).length;
      const error = expectGraphError(await addMember(group.id, people['tom.becker']!), 409, 'Request_MultipleObjectsWithSameKeyValue');
      expect(error.message).toContain(people['tom.becker']!);
      expect(await memberIds(group.id)).toEqual(before);
      expect(await memberOf(people['tom.becker']!)).toEqual([group.id]);
      expect(await auditTrail(stack, group.id)).toHaveLength(auditBefore);
    });

    it('lets exactly one of several concurrent adds of the same member win', async () => {
      const group = (await createGroup(groupBody('Concurrent Adds'))).body;
      const userId = await createUser('con.add');
      const results = await Promise.all(Array.from({ length: 5 }, () => addMember(group.id, userId)));
      expect(results.map((r) => r.status).sort()).toEqual([204, 409, 409, 409, 409]);
      expect(await memberIds(group.id)).toEqual([userId]);
      expect((await auditTrail(stack, group.id)).filter((r) => r.activityDisplayName === 'Add member to group')).toHaveLength(1);
    });

    it('answers 404 for removing a non-member or an unknown id, and changes nothing', async () => {
      const group = seeded['Platform Engineering']!;
      const before = await memberIds(group.id);
      const auditBefore = (await auditTrail(stack, group.id)).length;
      expectGraphError(await removeMember(group.id, people['kai.tanaka']!), 404, 'Request_ResourceNotFound');
      expectGraphError(await removeMember(group.id, 'usr_01J00000000000000000000000'), 404, 'Request_ResourceNotFound');
      expect(await memberIds(group.id)).toEqual(before);
      expect(await auditTrail(stack, group.id)).toHaveLength(auditBefore);
    });

    it('answers 404 for adding an object that does not exist', async () => {
      const group = seeded['Helpdesk']!;
      const before = await memberIds(group.id);
      expectGraphError(await addMember(group.id, 'usr_01J00000000000000000000000'), 404, 'Request_ResourceNotFound');
      expect(await memberIds(group.id)).toEqual(before);
    });

    it('refuses a group as member of a role-assignable group (400) and a group as its own member', async () => {
      const roleGroup = seeded['Security Operations']!;
      expect(roleGroup.isAssignableToRole).toBe(true);
      const before = await memberIds(roleGroup.id);
      const error = expectGraphError(await addMember(roleGroup.id, seeded['Helpdesk']!.id), 400, 'Request_BadRequest');
      expect(error.message).toContain('assigned to roles');
      expect(await memberIds(roleGroup.id)).toEqual(before);

      const plain = (await createGroup(groupBody('Self Reference'))).body;
      expectGraphError(await addMember(plain.id, plain.id), 400, 'Request_BadRequest');
      expect(await memberIds(plain.id)).toEqual([]);
      // A role-assignable group does take users and service principals.
      const userId = await createUser('role.member');
      expect((await addMember(roleGroup.id, userId)).status).toBe(204);
      expect(await memberIds(roleGroup.id)).toEqual([...before, userId].sort());
    });

    it('creates a group with members@odata.bind, in the same step', async () => {
      const u1 = await createUser('bind.one');
      const u2 = await createUser('bind.two');
      const result = await createGroup(
        groupBody('Bound At Birth', {
          'members@odata.bind': [
            `https://graph.microsoft.com/v1.0/directoryObjects/${u1}`,
            `https://graph.microsoft.com/v1.0/users/${u2}`,
            `https://graph.microsoft.com/v1.0/directoryObjects/${u1}`,
            `https://graph.microsoft.com/v1.0/groups/${seeded['Helpdesk']!.id}`,
          ],
        }),
      );
      expect(result.status).toBe(201);
      const id = result.body.id;
      expect(await memberIds(id)).toEqual([u1, u2, seeded['Helpdesk']!.id].sort());
      expect(await memberOf(u1)).toEqual([id]);
      expect((await auditTrail(stack, id)).map((r) => r.activityDisplayName)).toEqual(['Add group']);
    });

    it('creates nothing when members@odata.bind names a missing object or breaks the nesting rule', async () => {
      const u1 = await createUser('bind.fail');
      const missing = await createGroup(
        groupBody('Never Born', {
          'members@odata.bind': [
            `https://graph.microsoft.com/v1.0/directoryObjects/${u1}`,
            'https://graph.microsoft.com/v1.0/directoryObjects/usr_01J00000000000000000000000',
          ],
        }),
      );
      expectGraphError(missing, 400, 'Request_BadRequest');
      const nested = await createGroup(
        groupBody('Never Born Either', {
          isAssignableToRole: true,
          'members@odata.bind': [
            `https://graph.microsoft.com/v1.0/directoryObjects/${u1}`,
            `https://graph.microsoft.com/v1.0/groups/${seeded['Helpdesk']!.id}`,
          ],
        }),
      );
      expectGraphError(nested, 400, 'Request_BadRequest');
      expect(await groupsNamed('Never Born')).toEqual([]);
      expect(await groupsNamed('Never Born Either')).toEqual([]);
      expect(await memberOf(u1)).toEqual([]);
    });

    it("deleting a user removes all of the user's memberships", async () => {
      const userId = await createUser('del.member');
      const g1 = (await createGroup(groupBody('Delete Member One'))).body.id;
      const g2 = seeded['Platform Engineering']!.id;
      expect((await addMember(g1, userId)).status).toBe(204);
      expect((await addMember(g2, userId)).status).toBe(204);
      const platformBefore = await memberIds(g2);
      expect(platformBefore).toContain(userId);

      expect((await api.call('DELETE', `/v1.0/users/${userId}`, { token })).status).toBe(204);
      expect(await memberIds(g1)).toEqual([]);
      expect(await memberIds(g2)).toEqual(platformBefore.filter((id) => id !== userId));
      expectGraphError(await api.call('GET', `/v1.0/users/${userId}/memberOf`, { token }), 404, 'Request_ResourceNotFound');
      expectGraphError(await removeMember(g1, userId), 404, 'Request_ResourceNotFound');
    });

    it('deleting a group removes its memberships on both sides', async () => {
      const parent = (await createGroup(groupBody('Parent Group'))).body.id;
      const child = (await createGroup(groupBody('Child Group'))).body.id;
      const userId = await createUser('child.member');
      expect((await addMember(child, userId)).status).toBe(204);
      expect((await addMember(parent, child)).status).toBe(204);

      expect((await api.call('DELETE', `/v1.0/groups/${child}`, { token })).status).toBe(204);
      expect(await memberIds(parent)).toEqual([]);
      expect(await memberOf(userId)).toEqual([]);
      // The user and the parent are still there.
      expect((await api.call('GET', `/v1.0/users/${userId}`, { token })).status).toBe(200);
      expect((await getGroup(parent)).status).toBe(200);
    });

    it('deleting a service principal removes its memberships', async () => {
      const sp = (await api.call('POST', '/v1.0/servicePrincipals', { token, body: { appId: 'group-member-app' } })).body;
      const group = (await createGroup(groupBody('Apps Group'))).body.id;
      expect((await addMember(group, sp.id)).status).toBe(204);
      expect(await memberIds(group)).toEqual([sp.id]);
      expect((await api.call('DELETE', `/v1.0/servicePrincipals/${sp.id}`, { token })).status).toBe(204);
      expect(await memberIds(group)).toEqual([]);
    });
  });
});
