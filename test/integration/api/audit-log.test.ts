/**
 * GET /v1.0/auditLogs/directoryAudits against DynamoDB Local: newest first, paging, the initiator
 * filter, and who sees what (readers everything, anyone else their own history). The other filters are
 * in audit-filters.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { BUILTIN_ROLE_IDS as R } from '../../../shared/domain/builtin-roles.ts';
import { createUser } from '../../../shared/services/directory/users.ts';
import { submitRoleRequest } from '../../../shared/services/roles/requests/submit-request.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';
import { expectGraphError, filter, listAll, pathOf, userBody } from './support.ts';

const AUDITS = '/v1.0/auditLogs/directoryAudits';

/** The properties of Graph's directoryAudit that every record carries. */
const DIRECTORY_AUDIT_KEYS = [
  'activityDateTime',
  'activityDisplayName',
  'additionalDetails',
  'category',
  'correlationId',
  'id',
  'initiatedBy',
  'loggedByService',
  'operationType',
  'result',
  'resultReason',
  'targetResources',
];

/** Newest first: by activityDateTime, then by id (ids are time-ordered), both descending. */
function expectNewestFirst(records: { activityDateTime: string; id: string }[]) {
  const keys = records.map((r) => `${r.activityDateTime}#${r.id}`);
  expect(keys).toEqual([...keys].sort().reverse());
}

describe('GET /v1.0/auditLogs/directoryAudits', () => {
  let stack: LocalStack;
  let api: ApiClient;
  let admin: string;
  const people: Record<string, string> = {};
  const createdByAdmin: string[] = [];
  let kaiRecords: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    api = apiClient(stack);
    admin = await api.token('admin@contoso.test');
    for (const user of await listAll(stack, api, admin, '/v1.0/users')) people[user.userPrincipalName.split('@')[0]] = user.id;
    for (const alias of ['audit.one', 'audit.two', 'audit.three', 'audit.four', 'audit.five']) {
      const created = await api.call('POST', '/v1.0/users', { token: admin, body: userBody(alias) });
      expect(created.status).toBe(201);
      createdByAdmin.push(created.body.id);
    }
    // Records Kai initiated, written through the service (directory writes may need an admin through the API).
    const kai = {
      caller: { kind: 'user' as const, id: people['kai.tanaka']!, displayName: 'Kai Tanaka', authMethods: ['pwd'] },
      correlationId: 'kai-test',
      system: true,
    };
    for (const alias of ['kai.one', 'kai.two', 'kai.three']) {
      const user = await createUser(stack.runtime.services, kai, { ...userBody(alias), accountEnabled: true });
      kaiRecords.push(user.id);
    }
    kaiRecords = kaiRecords.reverse();
  });
  afterAll(() => stack.stop());

  const get = (path: string, token = admin) => api.call('GET', path, { token });

  it('lists every record newest first, in the directoryAudit shape', async () => {
    const result = await get(AUDITS);
    expect(result.status).toBe(200);
    expect(result.body['@odata.context']).toBe(`${stack.url}/v1.0/$metadata#auditLogs/directoryAudits`);
    const records = result.body.value;
    // The seed (users, groups, memberships, a service principal, the first Global Administrator) and this file's writes.
    expect(records.length).toBeGreaterThanOrEqual(25);
    expect(result.body['@odata.nextLink']).toBeUndefined();
    expectNewestFirst(records);
    for (const record of records) expect(Object.keys(record).sort()).toEqual(DIRECTORY_AUDIT_KEYS);
    // The three users Kai created are the newest, then the five the admin created.
    expect(records.slice(0, 8).map((r: any) => r.targetResources[0].id)).toEqual([...kaiRecords, ...[...createdByAdmin].reverse()]);
    expect(records[3]).toMatchObject({
      category: 'UserManagement',
      activityDisplayName: 'Add user',
      operationType: 'Add',
      result: 'success',
      initiatedBy: { user: { id: people.admin, userPrincipalName: 'admin@contoso.test' }, app: null },
      targetResources: [{ id: createdByAdmin[4], type: 'User', userPrincipalName: 'audit.five@contoso.test' }],
    });
    expect(records.at(-1)).toMatchObject({ activityDisplayName: 'Add user', initiatedBy: { user: null, app: { servicePrincipalId: 'system' } } });
  });

  it('pages with $top and @odata.nextLink, newest first across pages, nothing twice or missing', async () => {
    const all = (await get(`${AUDITS}?$top=999`)).body.value.map((r: any) => r.id);
    const pages: string[][] = [];
    let next: string | undefined = `${AUDITS}?$top=2`;
    while (next) {
      const page = await get(next);
      expect(page.status).toBe(200);
      pages.push(page.body.value.map((r: any) => r.id));
      const link: string | undefined = page.body['@odata.nextLink'];
      if (link) expect(link).toContain('$top=2');
      next = link ? pathOf(stack, link) : undefined;
    }
    expect(pages.length).toBe(Math.ceil(all.length / 2));
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(2);
    expect(pages.flat()).toEqual(all);
  });

  it('defaults to 100 per page and refuses $top above 999', async () => {
    expect((await get(AUDITS)).body.value.length).toBeLessThanOrEqual(100);
    expectGraphError(await get(`${AUDITS}?$top=1000`), 400, 'Request_UnsupportedQuery');
    expectGraphError(await get(`${AUDITS}?$top=0`), 400, 'Request_UnsupportedQuery');
  });

  it('filters by the initiating user, newest first and paged', async () => {
    const expression = filter(`initiatedBy/user/id eq '${people.admin}'`);
    const one = await get(`${AUDITS}?${expression}`);
    expect(one.status).toBe(200);
    const records = one.body.value;
    expect(records.map((r: any) => r.targetResources[0].id)).toEqual([...createdByAdmin].reverse());
    for (const r of records) expect(r.initiatedBy.user.id).toBe(people.admin);
    expectNewestFirst(records);

    const paged = await listAll(stack, api, admin, `${AUDITS}?${expression}&$top=2`);
    expect(paged.map((r) => r.id)).toEqual(records.map((r: any) => r.id));
    // A page that holds the last record carries no nextLink (no empty page to follow).
    const last = await get(`${AUDITS}?${expression}&$top=5`);
    expect(last.body.value).toHaveLength(5);
    expect(last.body['@odata.nextLink']).toBeUndefined();
  });

  it('filters by the initiating service principal (the seed acts as the system)', async () => {
    const seeded = await listAll(stack, api, admin, `${AUDITS}?${filter("initiatedBy/app/servicePrincipalId eq 'system'")}&$top=50`);
    expect(seeded.length).toBeGreaterThanOrEqual(20);
    for (const r of seeded) expect(r.initiatedBy).toMatchObject({ user: null, app: { servicePrincipalId: 'system' } });
    // The same id under the user path matches nothing.
    expect((await get(`${AUDITS}?${filter("initiatedBy/user/id eq 'system'")}`)).body.value).toEqual([]);
  });

  it('refuses filters outside the supported set, naming what is supported', async () => {
    for (const expression of [
      `initiatedBy/user/id ne '${people.admin}'`,
      `initiatedBy/user/id eq '${people.admin}' or initiatedBy/user/id eq 'x'`,
      "not (category eq 'UserManagement')",
      "displayName eq 'x'",
      "activityDateTime ge 'yesterday'",
      "targetResources/any(t: t/modifiedProperties/any(p: p/displayName eq 'x'))",
      "targetResources/all(t: t/id eq 'x')",
    ]) {
      const error = expectGraphError(await get(`${AUDITS}?${filter(expression)}`), 400, 'Request_UnsupportedQuery');
      expect(error.message).toContain("initiatedBy/user/id eq '…'");
    }
    expectGraphError(await get(`${AUDITS}?${filter('initiatedBy/user/id eq')}`), 400, 'BadRequest');
  });

  it('refuses query options it does not support, and skip tokens it did not issue for this listing', async () => {
    expectGraphError(await get(`${AUDITS}?$orderby=activityDateTime`), 400, 'Request_UnsupportedQuery');
    expectGraphError(await get(`${AUDITS}?$count=true`), 400, 'Request_UnsupportedQuery');
    expectGraphError(await get(`${AUDITS}?$skiptoken=forged.token`), 400, 'Request_InvalidSkipToken');
    const link = (await get(`${AUDITS}?$top=1`)).body['@odata.nextLink'] as string;
    const token = new URL(link).searchParams.get('$skiptoken')!;
    const onFiltered = `${AUDITS}?${filter(`initiatedBy/user/id eq '${people.admin}'`)}&$skiptoken=${encodeURIComponent(token)}`;
    expectGraphError(await get(onFiltered), 400, 'Request_InvalidSkipToken');
  });

  it('applies $select', async () => {
    const result = await get(`${AUDITS}?$top=3&$select=activityDisplayName,activityDateTime`);
    expect(result.body.value).toHaveLength(3);
    for (const r of result.body.value) expect(Object.keys(r).sort()).toEqual(['activityDateTime', 'activityDisplayName', 'id']);
  });

  describe('who sees what', () => {
    it('shows anyone without a reader role their own history: what they initiated and what was done to them', async () => {
      const kai = await api.token('kai.tanaka@contoso.test');
      const kaiId = people['kai.tanaka']!;
      const own = await get(AUDITS, kai);
      expect(own.status).toBe(200);
      // The three users Kai created, then the seed's record of Kai's own creation (initiated by the system).
      expect(own.body.value.map((r: any) => r.targetResources[0].id)).toEqual([...kaiRecords, kaiId]);
      for (const r of own.body.value) expect(r.initiatedBy.user?.id === kaiId || r.targetResources.some((t: any) => t.id === kaiId)).toBe(true);
      expectNewestFirst(own.body.value);

      const paged = await listAll(stack, api, kai, `${AUDITS}?$top=1`);
      expect(paged.map((r) => r.id)).toEqual(own.body.value.map((r: any) => r.id));

      const initiated = await get(`${AUDITS}?${filter(`initiatedBy/user/id eq '${kaiId}'`)}`, kai);
      expect(initiated.body.value.map((r: any) => r.targetResources[0].id)).toEqual(kaiRecords);

      // A filter naming someone else narrows Kai's own history; it never widens it.
      const byTheSystem = await get(`${AUDITS}?${filter("initiatedBy/app/servicePrincipalId eq 'system'")}`, kai);
      expect(byTheSystem.body.value.map((r: any) => r.targetResources[0].id)).toEqual([kaiId]);
      expect((await get(`${AUDITS}?${filter(`initiatedBy/user/id eq '${people.admin}'`)}`, kai)).body.value).toEqual([]);
      const aboutAnother = await get(`${AUDITS}?${filter(`targetResources/any(t: t/id eq '${createdByAdmin[0]}')`)}`, kai);
      expect(aboutAnother.body.value).toEqual([]);
      const aboutOwnCreation = await get(`${AUDITS}?${filter(`targetResources/any(t: t/id eq '${kaiRecords[0]}')`)}`, kai);
      expect(aboutOwnCreation.body.value.map((r: any) => r.targetResources[0].id)).toEqual([kaiRecords[0]]);

      // A nextLink from the full listing is no key to it either.
      const link = (await get(`${AUDITS}?$top=1`)).body['@odata.nextLink'] as string;
      expectGraphError(await get(pathOf(stack, link), kai), 400, 'Request_InvalidSkipToken');
    });

    it('shows a user who initiated nothing only what was done to them, and a Security Reader everything', async () => {
      const rosa = await api.token('rosa.lopez@contoso.test');
      const before = (await get(AUDITS, rosa)).body.value;
      expect(before.map((r: any) => [r.activityDisplayName, r.targetResources[0].id])).toEqual([['Add user', people['rosa.lopez']]]);

      const now = stack.runtime.services.clock.now();
      await submitRoleRequest(
        stack.runtime.services,
        { caller: { kind: 'user', id: people.admin!, authMethods: ['pwd', 'mfa'], authTime: Math.floor(now.getTime() / 1000) }, correlationId: 'test' },
        'assignment',
        {
          action: { sent: 'adminAssign', canonical: 'adminAssign' },
          principalId: people['rosa.lopez']!,
          roleDefinitionId: R.securityReader,
          directoryScopeId: '/',
          justification: 'auditor',
          scheduleInfo: { expiration: { type: 'noExpiration' } },
        },
      );
      const all = await get(`${AUDITS}?$top=999`, rosa);
      expect(all.body.value.length).toBe((await get(`${AUDITS}?$top=999`)).body.value.length);
      expect(all.body.value[0]).toMatchObject({ category: 'RoleManagement', targetResources: [{ id: people['rosa.lopez'] }, { id: R.securityReader }] });
    });

    it('needs a token', async () => {
      expectGraphError(await api.call('GET', AUDITS), 401, 'InvalidAuthenticationToken');
    });
  });
});
