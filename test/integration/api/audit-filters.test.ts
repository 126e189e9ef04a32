/**
 * directoryAudits $filter against DynamoDB Local, one field and operator at a time, on records written at
 * known times (a manual clock): time ranges, category, activity, result, initiator, target (first or
 * second target of a record), combinations, paging under a filter, and what a non-reader sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { BUILTIN_ROLE_IDS as R } from '../../../shared/domain/builtin-roles.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';
import { expectGraphError, filter, groupBody, listAll, ref, userBody } from './support.ts';

const AUDITS = '/v1.0/auditLogs/directoryAudits';
const START = '2025-03-01T00:00:00.000Z';
const at = (hour: number) => `2025-03-01T0${hour}:00:00.000Z`;

describe('GET /v1.0/auditLogs/directoryAudits?$filter=…', () => {
  const clock = new ManualClock(START);
  let stack: LocalStack;
  let api: ApiClient;
  let admin: string;
  let adminId: string;
  let kaiId: string;
  let userId: string;
  let groupId: string;

  /** Moves the clock, and takes a fresh token (an hour-old one has expired). */
  async function step(hour: number) {
    clock.set(at(hour));
    admin = await api.token('admin@contoso.test');
  }

  /** Writes at each hour: 1 add user, 2 add group, 3 add the user to the group, 4 update the user, 5 make Kai eligible. */
  beforeAll(async () => {
    stack = await startTestStack({ clock });
    api = apiClient(stack);
    admin = await api.token('admin@contoso.test');
    adminId = (await api.call('GET', '/v1.0/users/admin@contoso.test', { token: admin })).body.id;
    kaiId = (await api.call('GET', '/v1.0/users/kai.tanaka@contoso.test', { token: admin })).body.id;
    await step(1);
    userId = (await api.call('POST', '/v1.0/users', { token: admin, body: userBody('filter.me', { accountEnabled: true }) })).body.id;
    await step(2);
    groupId = (await api.call('POST', '/v1.0/groups', { token: admin, body: groupBody('Filter Group') })).body.id;
    await step(3);
    expect((await api.call('POST', `/v1.0/groups/${groupId}/members/$ref`, { token: admin, body: ref(userId) })).status).toBe(204);
    await step(4);
    expect((await api.call('PATCH', `/v1.0/users/${userId}`, { token: admin, body: { jobTitle: '=cmd|calc' } })).status).toBe(204);
    await step(5);
    const assigned = await api.call('POST', '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests', {
      token: admin,
      body: {
        action: 'adminAssign',
        justification: 'audit test',
        roleDefinitionId: R.securityReader,
        directoryScopeId: '/',
        principalId: kaiId,
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      },
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(201);
    await step(6);
  });
  afterAll(() => stack?.stop());

  /** Activity and time of each record the filter selects, following every nextLink. */
  async function select(expression: string, token = admin, top?: number): Promise<string[]> {
    const records = await listAll(stack, api, token, `${AUDITS}?${filter(expression)}${top ? `&$top=${top}` : ''}`);
    return records.map((r) => `${r.activityDateTime.slice(11, 13)} ${r.activityDisplayName}`);
  }

  it('filters by time with ge, le, gt and lt, inclusive and exclusive as OData says', async () => {
    expect(await select(`activityDateTime ge ${at(2)} and activityDateTime le ${at(4)}`)).toEqual(['04 Update user', '03 Add member to group', '02 Add group']);
    expect(await select(`activityDateTime gt ${at(2)} and activityDateTime lt ${at(4)}`)).toEqual(['03 Add member to group']);
    expect(await select(`activityDateTime ge 2025-03-01T04:30:00+00:00`)).toHaveLength(1);
    // A quoted time and one in another zone name the same instants.
    expect(await select(`activityDateTime ge '${at(2)}' and activityDateTime le 2025-03-01T05:00:00+01:00`)).toEqual([
      '04 Update user',
      '03 Add member to group',
      '02 Add group',
    ]);
    expect(await select(`activityDateTime lt ${START}`)).toEqual([]);
  });

  it('filters by category, activityDisplayName (eq and startswith), result and operationType', async () => {
    const since = `activityDateTime ge ${at(1)}`;
    expect(await select(`category eq 'GroupManagement' and ${since}`)).toEqual(['03 Add member to group', '02 Add group']);
    expect(await select(`category in ('UserManagement', 'GroupManagement') and ${since}`)).toHaveLength(4);
    expect(await select(`activityDisplayName eq 'Update user'`)).toEqual(['04 Update user']);
    expect(await select(`startswith(activityDisplayName, 'Add member') and ${since}`)).toEqual(['03 Add member to group']);
    expect(await select(`result eq 'success' and ${since}`)).toHaveLength(5);
    expect(await select(`result eq 'failure'`)).toEqual([]);
    expect(await select(`operationType eq 'Update' and ${since}`)).toEqual(['04 Update user']);
  });

  it('filters by initiator', async () => {
    expect(await select(`initiatedBy/user/id eq '${adminId}' and activityDateTime ge ${at(1)}`)).toHaveLength(5);
    expect(await select(`initiatedBy/user/id eq '${adminId}' and activityDateTime lt ${at(1)}`)).toEqual([]);
    expect((await select(`initiatedBy/app/servicePrincipalId eq 'system'`)).length).toBeGreaterThan(10);
  });

  it('filters by target, finding records where the object is the first or the second target', async () => {
    expect(await select(`targetResources/any(t: t/id eq '${userId}')`)).toEqual(['04 Update user', '03 Add member to group', '01 Add user']);
    expect(await select(`targetResources/any(t: t/id eq '${groupId}')`)).toEqual(['03 Add member to group', '02 Add group']);
    expect(await select(`targetResources/any(t: t/id eq '${R.securityReader}')`)).toEqual(['05 Add eligible member to role in PIM completed (permanent)']);
    expect(await select(`targetResources/any(t: t/id eq '${userId}' and t/type eq 'User') and activityDateTime ge ${at(2)}`)).toEqual([
      '04 Update user',
      '03 Add member to group',
    ]);
    expect(await select(`targetResources/any(t: t/id eq 'usr_nobody')`)).toEqual([]);
  });

  it('pages a filtered listing without losing or repeating a record', async () => {
    const expression = `targetResources/any(t: t/id eq '${userId}')`;
    expect(await select(expression, admin, 1)).toEqual(await select(expression));
    const since = `activityDateTime ge ${START}`;
    expect(await select(since, admin, 2)).toEqual(await select(since));
  });

  it('gives a non-reader their own history only, whatever the filter names', async () => {
    const user = await api.token('filter.me@contoso.test');
    expect(await select(`activityDateTime ge ${at(1)}`, user)).toEqual(['04 Update user', '03 Add member to group', '01 Add user']);
    expect(await select(`targetResources/any(t: t/id eq '${groupId}')`, user)).toEqual(['03 Add member to group']);
    expect(await select(`initiatedBy/user/id eq '${adminId}' and category eq 'GroupManagement'`, user)).toEqual(['03 Add member to group']);
    const kai = await api.token('kai.tanaka@contoso.test');
    expect(await select(`targetResources/any(t: t/id eq '${userId}')`, kai)).toEqual([]);
    expect(await select(`targetResources/any(t: t/id eq '${R.securityReader}')`, kai)).toEqual(['05 Add eligible member to role in PIM completed (permanent)']);
  });

  it('refuses a skip token made for another filter', async () => {
    const first = await api.call('GET', `${AUDITS}?${filter(`activityDateTime ge ${START}`)}&$top=1`, { token: admin });
    const token = new URL(first.body['@odata.nextLink']).searchParams.get('$skiptoken')!;
    expectGraphError(
      await api.call('GET', `${AUDITS}?${filter(`activityDateTime ge ${at(1)}`)}&$top=1&$skiptoken=${encodeURIComponent(token)}`, { token: admin }),
      400,
      'Request_InvalidSkipToken',
    );
  });
});
