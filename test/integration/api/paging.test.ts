/**
 * Paging over real DynamoDB: @odata.nextLink walks a collection exactly once, in id order, whatever the
 * page size (the listing index is spread over shards and merged page by page), and $skiptoken is opaque,
 * tamper-proof and bound to the listing and filter it came from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { SYSTEM_CALLER } from '../../../shared/domain/caller.ts';
import { PageTokens } from '../../../shared/store/page-token.ts';
import { createUser } from '../../../shared/services/directory/users.ts';
import { bootstrapGlobalAdministrator } from '../../../shared/services/roles/requests/submit-request.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';
import { expectGraphError, filter, groupBody, listAll, pathOf, ref, ROLE_DEFINITIONS, roleBody, userBody } from './support.ts';

const USERS = 25;

describe('paging with @odata.nextLink and $skiptoken', () => {
  let stack: LocalStack;
  let api: ApiClient;
  let token: string;
  let userIds: string[];

  beforeAll(async () => {
    stack = await startTestStack({ seed: false });
    api = apiClient(stack);
    // An empty directory: the first user is made by the platform and becomes its Global Administrator,
    // as a fresh deployment's first administrator is, so that there is someone to sign in as.
    const system = { caller: SYSTEM_CALLER, correlationId: 'paging-test', system: true };
    const first = await createUser(stack.runtime.services, system, userBody('pager.000', { displayName: 'Pager 000' }));
    await bootstrapGlobalAdministrator(stack.runtime.services, system, first.id);
    token = await api.token(first.userPrincipalName);
    const rest = await Promise.all(
      Array.from({ length: USERS - 1 }, async (_, i) => {
        const n = String(i + 1).padStart(3, '0');
        const result = await api.call('POST', '/v1.0/users', { token, body: userBody(`pager.${n}`, { displayName: `Pager ${n}` }) });
        expect(result.status).toBe(201);
        return result.body.id as string;
      }),
    );
    userIds = [first.id, ...rest].sort();
  });
  afterAll(() => stack.stop());

  /** Every page of a listing: its items and whether it had a nextLink. */
  async function pages(path: string): Promise<{ ids: string[]; items: any[] }[]> {
    const out: { ids: string[]; items: any[] }[] = [];
    let next: string | undefined = path;
    while (next) {
      if (out.length > 100) throw new Error('too many pages');
      const result = await api.call('GET', next, { token });
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      out.push({ ids: result.body.value.map((item: { id: string }) => item.id), items: result.body.value });
      const link: string | undefined = result.body['@odata.nextLink'];
      next = link ? pathOf(stack, link) : undefined;
    }
    return out;
  }

  it('starts from an empty, unseeded directory', () => {
    expect(stack.seeded).toBe('skipped');
  });

  it.each([1, 2, 3, 4, 7, 24, 25, 26, 999])('walks all users exactly once, in id order, with $top=%i', async (top) => {
    const walked = await pages(`/v1.0/users?$top=${top}`);
    const ids = walked.flatMap((p) => p.ids);
    expect(ids).toEqual(userIds);
    // Every page but the last is full, and there is no empty page at the end.
    expect(walked).toHaveLength(Math.ceil(USERS / top));
    for (const page of walked.slice(0, -1)) expect(page.ids).toHaveLength(top);
    expect(walked.at(-1)!.ids.length).toBeGreaterThan(0);
  });

  it('lists 100 per page when $top is not given', async () => {
    const result = await api.call('GET', '/v1.0/users', { token });
    expect(result.body.value).toHaveLength(USERS);
    expect(result.body['@odata.nextLink']).toBeUndefined();
  });

  it('keeps $select and $top in every nextLink', async () => {
    const walked = await pages('/v1.0/users?$select=displayName&$top=4');
    expect(walked).toHaveLength(7);
    for (const item of walked.flatMap((p) => p.items)) expect(Object.keys(item).sort()).toEqual(['displayName', 'id']);
    const first = await api.call('GET', '/v1.0/users?$select=displayName&$top=4', { token });
    const link = new URL(first.body['@odata.nextLink']);
    expect(link.origin + link.pathname).toBe(`${stack.url}/v1.0/users`);
    expect(link.searchParams.get('$select')).toBe('displayName');
    expect(link.searchParams.get('$top')).toBe('4');
    expect(link.searchParams.get('$skiptoken')).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('pages through a filtered listing, keeping the filter', async () => {
    const twins = await Promise.all(
      Array.from(
        { length: 9 },
        async (_, i) => (await api.call('POST', '/v1.0/users', { token, body: userBody(`twin.${i}`, { displayName: 'Paging Twin' }) })).body.id as string,
      ),
    );
    const walked = await pages(`/v1.0/users?${filter("displayName eq 'paging twin'")}&$top=4`);
    expect(walked.map((p) => p.ids.length)).toEqual([4, 4, 1]);
    expect(walked.flatMap((p) => p.ids)).toEqual(twins.sort());
    for (const id of twins) expect((await api.call('DELETE', `/v1.0/users/${id}`, { token })).status).toBe(204);
  });

  it('neither repeats nor skips users that existed throughout, while others are added and removed mid-walk', async () => {
    const first = await api.call('GET', '/v1.0/users?$top=5', { token });
    const seen: string[] = first.body.value.map((u: { id: string }) => u.id);
    // Removed before its page is read: it must not appear. Added now: ids are time-ordered, so they come last.
    const doomed = userIds[12]!;
    const late = (await api.call('POST', '/v1.0/users', { token, body: userBody('late.arrival') })).body.id as string;
    const doomedUpn = (await api.call('GET', `/v1.0/users/${doomed}`, { token })).body.userPrincipalName;
    expect((await api.call('DELETE', `/v1.0/users/${doomed}`, { token })).status).toBe(204);
    let link: string | undefined = first.body['@odata.nextLink'];
    while (link) {
      const page = await api.call('GET', pathOf(stack, link), { token });
      seen.push(...page.body.value.map((u: { id: string }) => u.id));
      link = page.body['@odata.nextLink'];
    }
    expect(seen).toEqual([...userIds.filter((id) => id !== doomed), late]);
    // Put the directory back as the other tests expect it.
    expect((await api.call('DELETE', `/v1.0/users/${late}`, { token })).status).toBe(204);
    const restored = await api.call('POST', '/v1.0/users', { token, body: userBody(doomedUpn.split('@')[0]) });
    userIds = [...userIds.filter((id) => id !== doomed), restored.body.id].sort();
  });

  it('walks groups, service principals, members, memberOf and role definitions exactly once', async () => {
    const groupIds: string[] = [];
    for (let i = 0; i < 7; i++) groupIds.push((await api.call('POST', '/v1.0/groups', { token, body: groupBody(`Paging Group ${i}`) })).body.id);
    const spIds: string[] = [];
    for (let i = 0; i < 5; i++) spIds.push((await api.call('POST', '/v1.0/servicePrincipals', { token, body: { appId: `paging-app-${i}` } })).body.id);
    const member = userIds[3]!;
    for (const groupId of groupIds) expect((await api.call('POST', `/v1.0/groups/${groupId}/members/$ref`, { token, body: ref(member) })).status).toBe(204);
    for (const userId of userIds.slice(0, 9).filter((id) => id !== member))
      expect((await api.call('POST', `/v1.0/groups/${groupIds[0]}/members/$ref`, { token, body: ref(userId) })).status).toBe(204);
    const customRoleIds: string[] = [];
    for (let i = 0; i < 3; i++) customRoleIds.push((await api.call('POST', ROLE_DEFINITIONS, { token, body: roleBody(`Paging Role ${i}`) })).body.id);

    expect((await pages('/v1.0/groups?$top=2')).flatMap((p) => p.ids)).toEqual([...groupIds].sort());
    expect((await pages('/v1.0/servicePrincipals?$top=2')).flatMap((p) => p.ids)).toEqual([...spIds].sort());
    const members = (await pages(`/v1.0/groups/${groupIds[0]}/members?$top=2`)).flatMap((p) => p.ids);
    expect([...members].sort()).toEqual([...new Set([member, ...userIds.slice(0, 9)])].sort());
    expect(new Set(members).size).toBe(members.length);
    const memberOf = (await pages(`/v1.0/users/${member}/memberOf?$top=3`)).flatMap((p) => p.ids);
    expect([...memberOf].sort()).toEqual([...groupIds].sort());
    expect(new Set(memberOf).size).toBe(memberOf.length);
    const roles = (await pages(`${ROLE_DEFINITIONS}?$top=5`)).flatMap((p) => p.ids);
    const allRoles = (await api.call('GET', `${ROLE_DEFINITIONS}?$top=999`, { token })).body.value.map((r: { id: string }) => r.id);
    expect(roles).toEqual(allRoles);
    expect(roles).toEqual(expect.arrayContaining(customRoleIds));
    expect(new Set(roles).size).toBe(roles.length);
  });

  describe('$skiptoken is tamper-proof and bound to its listing', () => {
    async function skipToken(path: string): Promise<string> {
      const result = await api.call('GET', path, { token });
      expect(result.status).toBe(200);
      return new URL(result.body['@odata.nextLink']).searchParams.get('$skiptoken')!;
    }
    const withToken = (path: string, skip: string) =>
      api.call('GET', `${path}${path.includes('?') ? '&' : '?'}$skiptoken=${encodeURIComponent(skip)}`, { token });

    it('still works untouched (control)', async () => {
      const skip = await skipToken('/v1.0/users?$top=4');
      const result = await withToken('/v1.0/users?$top=4', skip);
      expect(result.status).toBe(200);
      expect(result.body.value.map((u: { id: string }) => u.id)).toEqual(userIds.slice(4, 8));
    });

    it.each([
      ['a changed position', (t: string) => `${Buffer.from(JSON.stringify(['', '', '', ''])).toString('base64url')}.${t.split('.')[1]}`],
      ['a flipped signature character', (t: string) => t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A')],
      ['a missing signature', (t: string) => t.split('.')[0]!],
      ['an extra part', (t: string) => `${t}.AAAA`],
      ['garbage', () => 'not-a-token'],
      ['an empty payload', (t: string) => `.${t.split('.')[1]}`],
    ])('refuses %s with 400 Request_InvalidSkipToken', async (_label, tamper) => {
      const skip = await skipToken('/v1.0/users?$top=4');
      const error = expectGraphError(await withToken('/v1.0/users?$top=4', tamper(skip)), 400, 'Request_InvalidSkipToken');
      expect(error.message).toContain('@odata.nextLink');
    });

    it('refuses a token signed with another secret', async () => {
      const forged = new PageTokens('not-the-secret').encode('list:user', ['', '', '', '']);
      expectGraphError(await withToken('/v1.0/users', forged), 400, 'Request_InvalidSkipToken');
    });

    it('refuses a token from one filter used with another, or with none', async () => {
      for (const alias of ['pair.one', 'pair.two']) {
        expect((await api.call('POST', '/v1.0/users', { token, body: userBody(alias, { displayName: 'Filter Pair' }) })).status).toBe(201);
      }
      const skip = await skipToken(`/v1.0/users?${filter("displayName eq 'Filter Pair'")}&$top=1`);
      expect((await withToken(`/v1.0/users?${filter("displayName eq 'Filter Pair'")}&$top=1`, skip)).status).toBe(200);
      // The same filter in other words is another listing too.
      expectGraphError(await withToken(`/v1.0/users?${filter("displayName eq 'filter pair'")}&$top=1`, skip), 400, 'Request_InvalidSkipToken');
      expectGraphError(await withToken(`/v1.0/users?${filter("displayName eq 'Pager 002'")}&$top=1`, skip), 400, 'Request_InvalidSkipToken');
      expectGraphError(await withToken('/v1.0/users?$top=1', skip), 400, 'Request_InvalidSkipToken');
      const unfiltered = await skipToken('/v1.0/users?$top=1');
      expectGraphError(await withToken(`/v1.0/users?${filter("displayName eq 'Filter Pair'")}&$top=1`, unfiltered), 400, 'Request_InvalidSkipToken');
    });

    it('refuses a token from one collection used on another', async () => {
      const users = await skipToken('/v1.0/users?$top=1');
      expectGraphError(await withToken('/v1.0/groups?$top=1', users), 400, 'Request_InvalidSkipToken');
      expectGraphError(await withToken('/v1.0/servicePrincipals?$top=1', users), 400, 'Request_InvalidSkipToken');
      expectGraphError(await withToken(`${ROLE_DEFINITIONS}?$top=1`, users), 400, 'Request_InvalidSkipToken');
      const roles = await skipToken(`${ROLE_DEFINITIONS}?$top=1`);
      expectGraphError(await withToken(`${ROLE_DEFINITIONS}?$top=1&${filter('isBuiltIn eq true')}`, roles), 400, 'Request_InvalidSkipToken');
    });

    it("refuses one group's members token on another group's members", async () => {
      const a = (await api.call('POST', '/v1.0/groups', { token, body: groupBody('Token Group A') })).body.id;
      const b = (await api.call('POST', '/v1.0/groups', { token, body: groupBody('Token Group B') })).body.id;
      for (const userId of userIds.slice(0, 3)) {
        expect((await api.call('POST', `/v1.0/groups/${a}/members/$ref`, { token, body: ref(userId) })).status).toBe(204);
        expect((await api.call('POST', `/v1.0/groups/${b}/members/$ref`, { token, body: ref(userId) })).status).toBe(204);
      }
      const skip = await skipToken(`/v1.0/groups/${a}/members?$top=1`);
      expect((await withToken(`/v1.0/groups/${a}/members?$top=1`, skip)).status).toBe(200);
      expectGraphError(await withToken(`/v1.0/groups/${b}/members?$top=1`, skip), 400, 'Request_InvalidSkipToken');
      expectGraphError(await withToken(`/v1.0/users/${userIds[0]}/memberOf?$top=1`, skip), 400, 'Request_InvalidSkipToken');
    });
  });

  it('has every user exactly once at the end', async () => {
    expect((await listAll(stack, api, token, '/v1.0/users?$top=3')).map((u) => u.id).filter((id) => userIds.includes(id))).toEqual(userIds);
  });
});
