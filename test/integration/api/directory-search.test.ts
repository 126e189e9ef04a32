/**
 * Server-side search of the directory (`$filter=startswith(…)`), as the portal's people picker uses it:
 * answered from search entries kept in each object's own transaction, case-insensitive, paged, and never a
 * scan of the table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { backfillSearch } from '../../../shared/services/directory/search-backfill.ts';
import { keys } from '../../../shared/store/keys.ts';
import { expectGraphError, filter, groupBody, listAll, pathOf } from './support.ts';

const PICKER = (x: string) => `startswith(displayName,'${x}') or startswith(userPrincipalName,'${x}') or startswith(mail,'${x}')`;

describe('directory search with startswith', () => {
  let stack: LocalStack;
  let api: ApiClient;
  let token: string;
  const many = 260;

  beforeAll(async () => {
    stack = await startTestStack();
    api = apiClient(stack);
    token = await api.token('admin@contoso.test');
    // Names in mixed case and out of creation order: the order of a search is the value's, any case.
    const indexes = Array.from({ length: many }, (_, i) => i);
    for (let i = 0; i < indexes.length; i += 20) {
      await Promise.all(
        indexes.slice(i, i + 20).map(async (n) => {
          const number = String((n * 37) % many).padStart(3, '0');
          const displayName = `${n % 2 ? 'QUILL' : 'quill'} Person ${number}`;
          const result = await create({ displayName, userPrincipalName: `qp${number}@contoso.test`, accountEnabled: n % 5 !== 0 });
          expect(result.status, JSON.stringify(result.body)).toBe(201);
        }),
      );
    }
  }, 120_000);
  afterAll(() => stack.stop());

  const create = (body: unknown) => api.call('POST', '/v1.0/users', { token, body });
  const search = (path: string, expression: string, as = token) => listAll(stack, api, as, `${path}?${filter(expression)}&$top=7`);
  const names = (items: { displayName: string }[]) => items.map((u) => u.displayName);

  it('pages 260 users in order of their lower-cased name, whatever the case of the prefix', async () => {
    const pages: number[] = [];
    const seen: any[] = [];
    let next: string | undefined = `/v1.0/users?${filter("startswith(displayName,'quill')")}&$top=100`;
    while (next) {
      const result = await api.call('GET', next, { token });
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      pages.push(result.body.value.length);
      seen.push(...result.body.value);
      next = result.body['@odata.nextLink'] ? pathOf(stack, result.body['@odata.nextLink']) : undefined;
    }
    expect(pages).toEqual([100, 100, 60]);
    const expected = Array.from({ length: many }, (_, n) => n).sort((a, b) => a - b);
    expect(seen.map((u) => Number(u.displayName.slice(-3)))).toEqual(expected);
    expect(new Set(seen.map((u) => u.id)).size).toBe(many);
    for (const prefix of ['QUILL P', 'qUiLl p']) {
      expect((await listAll(stack, api, token, `/v1.0/users?${filter(`startswith(displayName,'${prefix}')`)}&$top=999`)).map((u) => u.id)).toEqual(
        seen.map((u) => u.id),
      );
    }
  });

  it('narrows by a longer prefix and by the other conditions of the filter, exactly as written', async () => {
    expect(names(await search('/v1.0/users', "startswith(displayName,'quill person 12')")).map((n) => n.toLowerCase())).toEqual(
      Array.from({ length: 10 }, (_, i) => `quill person 12${i}`),
    );
    const enabled = await search('/v1.0/users', "accountEnabled eq false and startswith(userPrincipalName,'QP')");
    expect(enabled.length).toBe(many / 5);
    expect(enabled.every((u) => u.accountEnabled === false)).toBe(true);
    // An equality still picks its own index; the startswith is then checked on what it found, any case.
    expect(names(await search('/v1.0/users', "userPrincipalName eq 'qp007@contoso.test' and startswith(displayName,'QUILL')"))).toEqual([
      expect.stringMatching(/Person 007$/),
    ]);
    expect(await search('/v1.0/users', "startswith(displayName,'quill person 9999')")).toEqual([]);
    expect(await search('/v1.0/users', `startswith(displayName,'${'q'.repeat(600)}')`)).toEqual([]);
  });

  it("finds the people picker's or across name, sign-in name and mail once per person, on any page size", async () => {
    const adele = (await create({ displayName: 'Adele Vance', userPrincipalName: 'adele.vance@contoso.test', mail: 'adele@contoso.test' })).body;
    const byUpn = (await create({ displayName: 'Zed Mole', userPrincipalName: 'adz@contoso.test' })).body;
    const byMail = (await create({ displayName: 'Yara Kim', userPrincipalName: 'yk@contoso.test', mail: 'AD.kim@contoso.test' })).body;
    const none = (await create({ displayName: 'Xavier', userPrincipalName: 'x.ad@contoso.test', mail: 'x@contoso.test' })).body;
    for (const top of [1, 2, 100]) {
      const found = await listAll(stack, api, token, `/v1.0/users?${filter(PICKER('aD'))}&$top=${top}`);
      const ids = found.map((u) => u.id);
      expect(ids).toContain(adele.id);
      expect(ids).toContain(byUpn.id);
      expect(ids).toContain(byMail.id);
      expect(ids).not.toContain(none.id);
      expect(new Set(ids).size).toBe(ids.length);
      // The seeded admin (Ada Admin, admin@contoso.test) matches too: each object once.
      expect(found.every((u) => [u.displayName, u.userPrincipalName, u.mail].some((v) => v?.toLowerCase().startsWith('ad')))).toBe(true);
    }
  });

  it('moves an entry on a rename of the name, the sign-in name or the mail, and removes it on delete', async () => {
    const user = (await create({ displayName: 'Rowan Before', userPrincipalName: 'rowan.before@contoso.test', mail: 'rowan.before@contoso.test' })).body;
    const ids = async (expression: string) => (await search('/v1.0/users', expression)).map((u) => u.id);
    expect(await ids("startswith(displayName,'rowan b')")).toEqual([user.id]);
    const patch = (body: unknown) => api.call('PATCH', `/v1.0/users/${user.id}`, { token, body });
    expect((await patch({ displayName: 'Rowan After', userPrincipalName: 'rowan.after@contoso.test', mail: 'r.after@contoso.test' })).status).toBe(204);
    expect(await ids("startswith(displayName,'rowan b')")).toEqual([]);
    expect(await ids("startswith(userPrincipalName,'rowan.b')")).toEqual([]);
    expect(await ids("startswith(mail,'rowan.b')")).toEqual([]);
    expect(await ids("startswith(displayName,'ROWAN A')")).toEqual([user.id]);
    expect(await ids("startswith(userPrincipalName,'rowan.a')")).toEqual([user.id]);
    expect(await ids("startswith(mail,'r.after')")).toEqual([user.id]);
    expect((await patch({ mail: null })).status).toBe(204);
    expect(await ids("startswith(mail,'r.')")).toEqual([]);
    expect((await api.call('DELETE', `/v1.0/users/${user.id}`, { token })).status).toBe(204);
    expect(await ids(PICKER('rowan'))).toEqual([]);
  });

  it('finds an object stored before search existed once it is backfilled, or once it is next written', async () => {
    const old = (await create({ displayName: 'Olga Older', userPrincipalName: 'olga.older@contoso.test' })).body;
    const oldToo = (await create({ displayName: 'Olga Oldest', userPrincipalName: 'olga.oldest@contoso.test' })).body;
    // Make them look like objects from before search: no entries.
    const { db, tableName } = stack.runtime.services.table;
    for (const user of [old, oldToo]) {
      for (const [property, value] of [
        ['displayName', user.displayName],
        ['userPrincipalName', user.userPrincipalName],
      ]) {
        await db.send(new DeleteCommand({ TableName: tableName, Key: keys.searchEntry('user', property, value, user.id) }));
      }
    }
    const ids = async () => (await search('/v1.0/users', "startswith(displayName,'olga old')")).map((u) => u.id);
    expect(await ids()).toEqual([]);
    // Any write of the object gives it its entries, even one that changes none of the searched values.
    expect((await api.call('PATCH', `/v1.0/users/${oldToo.id}`, { token, body: { jobTitle: 'Archivist' } })).status).toBe(204);
    expect(await ids()).toEqual([oldToo.id]);
    const reports = await backfillSearch(stack.runtime.services);
    expect(reports.find((r) => r.type === 'user')!.objects).toBeGreaterThan(many);
    expect(await ids()).toEqual([old.id, oldToo.id]);
    // Running it again changes nothing.
    await backfillSearch(stack.runtime.services);
    expect(await ids()).toEqual([old.id, oldToo.id]);
  });

  it('searches groups by name and mail, and service principals by name', async () => {
    const group = (await api.call('POST', '/v1.0/groups', { token, body: groupBody('Zephyr Operators') })).body;
    expect((await search('/v1.0/groups', "startswith(displayName,'zephyr')")).map((g) => g.id)).toEqual([group.id]);
    expect((await search('/v1.0/groups', "startswith(displayName,'ZEPHYR') or startswith(mail,'zephyr')")).map((g) => g.id)).toEqual([group.id]);
    const sp = (await api.call('POST', '/v1.0/servicePrincipals', { token, body: { appId: 'zephyr-app', displayName: 'Zephyr Robot' } })).body;
    expect((await search('/v1.0/servicePrincipals', "startswith(displayName,'zephyr r')")).map((s) => s.id)).toEqual([sp.id]);
    // A type's search finds only that type.
    expect(await search('/v1.0/users', "startswith(displayName,'zephyr')")).toEqual([]);
  });

  it('answers a signed-in user without a role as the listing does (search reveals nothing the listing does not)', async () => {
    const plain = await api.token('kai.tanaka@contoso.test');
    const listed = await listAll(stack, api, plain, '/v1.0/users?$top=999');
    const found = await search('/v1.0/users', "startswith(displayName,'quill person 00')", plain);
    expect(found.length).toBe(10);
    for (const user of found) expect(listed.find((u) => u.id === user.id)).toEqual(user);
  });

  it('binds the page token to the filter it came from', async () => {
    const first = await api.call('GET', `/v1.0/users?${filter("startswith(displayName,'quill')")}&$top=5`, { token });
    const token5 = new URL(first.body['@odata.nextLink']).searchParams.get('$skiptoken')!;
    const other = `/v1.0/users?${filter("startswith(displayName,'quil')")}&$top=5&$skiptoken=${encodeURIComponent(token5)}`;
    expectGraphError(await api.call('GET', other, { token }), 400, 'Request_InvalidSkipToken');
  });

  it.each([
    ["startswith(jobTitle,'A')"],
    ["startswith(displayName,'')"],
    ["startswith(displayName,'a') or mail eq 'b@contoso.test'"],
    ["not startswith(displayName,'a')"],
    ["endswith(mail,'@contoso.test')"],
    ["startswith(displayName,'a') or startswith(displayName,'b') or startswith(mail,'c') or startswith(userPrincipalName,'d')"],
  ])('refuses %s with 400 Request_UnsupportedQuery naming what is supported', async (expression) => {
    const error = expectGraphError(await api.call('GET', `/v1.0/users?${filter(expression)}`, { token }), 400, 'Request_UnsupportedQuery');
    expect(error.message).toContain("startswith(displayName,'…')");
    expect(error.message).toContain("startswith(userPrincipalName,'…')");
    expect(error.message).toContain("startswith(mail,'…')");
    expect(error.message).toContain("userPrincipalName eq '…'");
  });

  it('refuses a search on a property the type is not searched by', async () => {
    const error = expectGraphError(
      await api.call('GET', `/v1.0/servicePrincipals?${filter("startswith(appId,'z')")}`, { token }),
      400,
      'Request_UnsupportedQuery',
    );
    expect(error.message).toContain("startswith(displayName,'…')");
  });
});
