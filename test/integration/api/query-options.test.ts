/**
 * The OData query options every collection shares ($top, $select, $filter, unknown options), table-driven
 * over users, groups, service principals and role definitions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';
import { expectGraphError, filter, GLOBAL_ADMINISTRATOR, ROLE_DEFINITIONS } from './support.ts';

const collections: [name: string, path: string, selectable: string][] = [
  ['users', '/v1.0/users', 'userPrincipalName'],
  ['groups', '/v1.0/groups', 'mailNickname'],
  ['servicePrincipals', '/v1.0/servicePrincipals', 'appId'],
  ['roleDefinitions', ROLE_DEFINITIONS, 'isBuiltIn'],
];

describe('query options', () => {
  let stack: LocalStack;
  let api: ApiClient;
  let token: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startTestStack();
    api = apiClient(stack);
    token = await api.token('admin@contoso.test');
    ids.users = (await api.call('GET', '/v1.0/users/admin@contoso.test', { token })).body.id;
    ids.groups = (await api.call('GET', '/v1.0/groups?$top=1', { token })).body.value[0].id;
    // The seed has one service principal; collections need at least two here.
    expect((await api.call('POST', '/v1.0/servicePrincipals', { token, body: { appId: 'second-app' } })).status).toBe(201);
    ids.servicePrincipals = (await api.call('GET', '/v1.0/servicePrincipals?$top=1', { token })).body.value[0].id;
    ids.roleDefinitions = GLOBAL_ADMINISTRATOR;
  });
  afterAll(() => stack.stop());

  const get = (path: string) => api.call('GET', path, { token });

  describe.each(collections)('%s', (name, path, selectable) => {
    it.each([
      ['0', 'Too small'],
      ['1000', 'Too big'],
      ['abc', 'expected number'],
      ['-1', 'Too small'],
      ['1.5', 'expected int'],
      ['', 'Too small'],
    ])('refuses $top=%s with 400 Request_UnsupportedQuery on $top', async (top, why) => {
      const error = expectGraphError(await get(`${path}?$top=${top}`), 400, 'Request_UnsupportedQuery');
      expect(error.details).toEqual([{ code: 'InvalidValue', target: '$top', message: expect.stringContaining(why) }]);
    });

    it('accepts $top=1 (one item and a nextLink) and $top=999', async () => {
      const one = await get(`${path}?$top=1`);
      expect(one.status).toBe(200);
      expect(one.body.value).toHaveLength(1);
      expect(one.body['@odata.nextLink']).toMatch(new RegExp(`^${stack.url}${path.replace(/\//g, '\\/')}\\?\\$top=1&\\$skiptoken=`));
      const most = await get(`${path}?$top=999`);
      expect(most.status).toBe(200);
      expect(most.body['@odata.nextLink']).toBeUndefined();
      expect(most.body.value[0]).toEqual(one.body.value[0]);
    });

    it.each(['$foo', '$expand', '$orderby', '$skip', '$search', '$format', '$count'])('refuses the unknown option %s, naming it', async (option) => {
      const error = expectGraphError(await get(`${path}?${option}=x`), 400, 'Request_UnsupportedQuery');
      expect(error.details).toEqual([
        { code: 'UnsupportedQueryOption', target: option, message: `Query option '${option}' is not supported on this request.` },
      ]);
    });

    it('ignores parameters that are not OData system options, as Graph does', async () => {
      const result = await get(`${path}?api-version=2&foo=bar&$top=2`);
      expect(result.status).toBe(200);
      expect(result.body.value).toHaveLength(2);
    });

    it('refuses a $filter syntax error with 400 BadRequest and the position', async () => {
      for (const [expression, position] of [
        ['displayName eq', 14],
        ["displayName eq 'unterminated", 15],
        ["(displayName eq 'x'", 19],
        ["displayName eq 'x' and", 22],
        ["displayName zz 'x'", 12],
      ] as const) {
        const error = expectGraphError(await get(`${path}?${filter(expression)}`), 400, 'BadRequest');
        expect(error.message, expression).toMatch(new RegExp(`^Invalid \\$filter: Syntax error at position ${position} in \\$filter: `));
      }
    });

    it('refuses a $filter longer than 2000 characters', async () => {
      const error = expectGraphError(await get(`${path}?${filter(`displayName eq '${'a'.repeat(2000)}'`)}`), 400, 'Request_UnsupportedQuery');
      expect(error.details?.[0]?.target).toBe('$filter');
    });

    it('refuses a $filter nested too deeply, without falling over', async () => {
      const error = expectGraphError(await get(`${path}?${filter(`${'('.repeat(500)}displayName eq 'a'${')'.repeat(500)}`)}`), 400, 'BadRequest');
      expect(error.message).toContain('nested too deeply');
    });

    it(`applies $select to the collection and to one item, always keeping id`, async () => {
      const list = await get(`${path}?$select=displayName,${selectable}&$top=3`);
      expect(list.status).toBe(200);
      for (const item of list.body.value) expect(Object.keys(item).sort()).toEqual(['displayName', 'id', selectable].sort());
      const one = await get(`${path}/${ids[name]}?$select=${selectable}`);
      expect(one.status).toBe(200);
      expect(Object.keys(one.body).sort()).toEqual(['@odata.context', 'id', selectable].sort());
      // Spaces and empty entries are tolerated.
      const spaced = await get(`${path}/${ids[name]}?$select=${encodeURIComponent(` ${selectable} ,,displayName `)}`);
      expect(Object.keys(spaced.body).sort()).toEqual(['@odata.context', 'displayName', 'id', selectable].sort());
    });

    it.each(['nope', 'constructor', '__proto__', 'toString', 'hasOwnProperty'])('refuses $select=%s (not a property) with 400', async (property) => {
      const error = expectGraphError(await get(`${path}?$select=${property}&$top=2`), 400, 'Request_UnsupportedQuery');
      expect(error.message).toContain(property);
      expectGraphError(await get(`${path}/${ids[name]}?$select=${property}`), 400, 'Request_UnsupportedQuery');
    });

    it('refuses collection options on a single item', async () => {
      for (const option of ['$top=1', '$filter=x', '$skiptoken=x']) {
        const error = expectGraphError(await get(`${path}/${ids[name]}?${option}`), 400, 'Request_UnsupportedQuery');
        expect(error.details?.[0]?.code).toBe('UnsupportedQueryOption');
      }
    });
  });

  it('refuses $filter on members and memberOf', async () => {
    const group = ids.groups;
    expectGraphError(await get(`/v1.0/groups/${group}/members?${filter("displayName eq 'x'")}`), 400, 'Request_UnsupportedQuery');
    expectGraphError(await get(`/v1.0/users/${ids.users}/memberOf?${filter("displayName eq 'x'")}`), 400, 'Request_UnsupportedQuery');
  });
});
