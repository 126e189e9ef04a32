/**
 * Request history: role…ScheduleRequests filtered by role, status, creation time and principal, alone and
 * combined, against DynamoDB Local on requests made at known times (a manual clock). Each answer must be
 * exactly the right requests, oldest first, across pages; a status change must move a request between
 * status results; and the queries sent must read the role, status or principal index (or the listing
 * within the time range), never the whole listing — plus the id-keyed range where requests stored
 * before these indexes live, which must still be found.
 */
import { GetCommand, PutCommand, type QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { ulid } from '../../../shared/domain/ids.ts';
import { keys, listingPartition, shardOf } from '../../../shared/store/keys.ts';
import { listAll } from '../api/support.ts';
import {
  activate,
  approvalRule,
  ASSIGNMENT_REQUESTS,
  customRole,
  ELIGIBILITY_REQUESTS,
  expectGraphError,
  filter,
  makeEligible,
  newUsers,
  patchRule,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from './helpers.ts';

const START = '2031-05-01T07:00:00.000Z';
const h = (hour: number) => `2031-05-01T${String(8 + hour).padStart(2, '0')}:00:00.000Z`;

describe('request history: $filter on role, status, createdDateTime and principal, read from indexes', () => {
  const clock = new ManualClock(START);
  let ctx: Ctx;
  let roleA: string;
  let roleB: string;
  let u1: TestUser;
  let u2: TestUser;
  let u3: TestUser;
  let approver: TestUser;
  let eligibleA: string[];
  const r: Record<'p1' | 'p2' | 'b3' | 'b4' | 'p3', string> = { p1: '', p2: '', b3: '', b4: '', p3: '' };

  async function activation(at: number, user: TestUser, role: string, status: string): Promise<string> {
    clock.set(h(at));
    const result = await activate(ctx, user, role, { duration: 'PT1H' });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(result.body.status).toBe(status);
    return result.body.id;
  }

  /**
   * Hour 0: u1–u3 made eligible for A (needs approval) and B. Then activations: 1 u1→A pending (p1),
   * 2 u2→A pending (p2), 3 u3→B (b3), 4 u1→B (b4), 6 u3→A pending (p3). p2 is denied at hour 5, in a test.
   */
  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
    [u1, u2, u3, approver] = (await newUsers(ctx, 4, 'hist')) as [TestUser, TestUser, TestUser, TestUser];
    roleA = await customRole(ctx, 'HistoryA');
    roleB = await customRole(ctx, 'HistoryB');
    await patchRule(ctx, roleA, 'Approval_EndUser_Assignment', approvalRule(true, [approver.id]));
    clock.set(h(0));
    eligibleA = [];
    for (const u of [u1, u2, u3]) {
      eligibleA.push((await makeEligible(ctx, u.id, roleA)).id);
      clock.advance(1000);
      await makeEligible(ctx, u.id, roleB);
      clock.advance(1000);
    }
    r.p1 = await activation(1, u1, roleA, 'PendingApproval');
    r.p2 = await activation(2, u2, roleA, 'PendingApproval');
    r.b3 = await activation(3, u3, roleB, 'Provisioned');
    r.b4 = await activation(4, u1, roleB, 'Provisioned');
    r.p3 = await activation(6, u3, roleA, 'PendingApproval');
  });
  afterAll(() => ctx?.stop());

  /** Ids of the requests a filter selects, following every nextLink (pages of `top`). */
  async function ids(collection: string, expression: string, top?: number, token?: string): Promise<string[]> {
    const path = `${collection}?${filter(expression)}${top ? `&$top=${top}` : ''}`;
    return (await listAll(ctx.stack, ctx.api, token ?? (await ctx.admin()), path)).map((x) => x.id);
  }
  const assignments = (expression: string, top?: number) => ids(ASSIGNMENT_REQUESTS, expression, top);
  const since = `createdDateTime ge ${h(1)}`;

  /** The queries the API sends while `act` runs: index, partition and lower bound of the key range. */
  async function queriesDuring(act: () => Promise<unknown>): Promise<{ index?: string; pk: string; from?: string }[]> {
    const send = vi.spyOn(ctx.stack.runtime.services.table.db, 'send');
    try {
      await act();
      return send.mock.calls
        .map(([command]) => command as QueryCommand)
        .filter((c) => c.constructor.name === 'QueryCommand' && String(c.input.ExpressionAttributeValues?.[':pk']).match(/^(LIST#\w*Request|REQ)/))
        .map((c) => ({
          index: c.input.IndexName,
          pk: String(c.input.ExpressionAttributeValues?.[':pk']),
          from: c.input.ExpressionAttributeValues?.[':from'] as string | undefined,
        }));
    } finally {
      send.mockRestore();
    }
  }
  /** No query read a request listing shard beyond its legacy (id-keyed) range or the time range asked for. */
  const boundedListing = (queries: { pk: string; from?: string }[], from?: string) =>
    queries.filter((q) => q.pk.startsWith('LIST#')).every((q) => q.from === 'req_' || (from !== undefined && q.from === from));

  it('by role: exactly that role’s requests of the collection, oldest first, across pages', async () => {
    expect(await assignments(`roleDefinitionId eq '${roleA}'`, 1)).toEqual([r.p1, r.p2, r.p3]);
    expect(await assignments(`roleDefinitionId eq '${roleB}'`)).toEqual([r.b3, r.b4]);
    expect(await ids(ELIGIBILITY_REQUESTS, `roleDefinitionId eq '${roleA}'`, 2)).toEqual(eligibleA);
  });

  it('by status, and a status change moves the request from one status result to the other', async () => {
    expect(await assignments(`status eq 'PendingApproval' and ${since}`, 1)).toEqual([r.p1, r.p2, r.p3]);
    expect(await assignments(`status eq 'Denied' and ${since}`)).toEqual([]);
    clock.set(h(5));
    const denied = await ctx.api.call('PATCH', `/beta/roleManagement/directory/roleAssignmentApprovals/${r.p2}/steps/${r.p2}`, {
      token: await tokenOf(ctx, approver),
      body: { reviewResult: 'Deny', justification: 'Not during the freeze' },
    });
    expect(denied.status, JSON.stringify(denied.body)).toBe(204);
    expect(await assignments(`status eq 'PendingApproval' and ${since}`, 1)).toEqual([r.p1, r.p3]);
    expect(await assignments(`status eq 'Denied' and ${since}`)).toEqual([r.p2]);
    expect(await assignments(`status in ('Denied', 'Provisioned') and ${since}`, 2)).toEqual([r.p2, r.b3, r.b4]);
  });

  it('by creation time, with ge/le inclusive and gt/lt exclusive, across pages', async () => {
    expect(await assignments(`createdDateTime ge ${h(2)} and createdDateTime le ${h(4)}`, 1)).toEqual([r.p2, r.b3, r.b4]);
    expect(await assignments(`createdDateTime gt ${h(2)} and createdDateTime lt ${h(4)}`)).toEqual([r.b3]);
    expect(await assignments(`createdDateTime ge 2031-05-01T14:30:00+02:00 and createdDateTime lt ${h(7)}`)).toEqual([r.p3]);
    expect(await assignments(`createdDateTime gt ${h(6)} and createdDateTime lt ${h(1)}`)).toEqual([]);
  });

  it('combinations: role with status and time, principal with role and time', async () => {
    expect(await assignments(`roleDefinitionId eq '${roleA}' and status eq 'PendingApproval'`)).toEqual([r.p1, r.p3]);
    expect(await assignments(`roleDefinitionId eq '${roleA}' and createdDateTime lt ${h(2)}`)).toEqual([r.p1]);
    expect(await assignments(`status eq 'Provisioned' and createdDateTime ge ${h(4)}`)).toEqual([r.b4]);
    expect(await assignments(`principalId eq '${u1.id}' and createdDateTime ge ${h(3)}`)).toEqual([r.b4]);
    expect(await assignments(`principalId eq '${u1.id}' and roleDefinitionId eq '${roleA}'`)).toEqual([r.p1]);
    expect(await assignments(`principalId eq '${u3.id}' and ${since}`, 1)).toEqual([r.b3, r.p3]);
    expect(await assignments(`roleDefinitionId eq '${roleB}' and action eq 'selfActivate' and createdDateTime le ${h(3)}`)).toEqual([r.b3]);
  });

  it('reads the role, status or principal index, or the listing only within the time range asked', async () => {
    const byRole = await queriesDuring(() => assignments(`roleDefinitionId eq '${roleA}'`));
    expect(byRole).toContainEqual({ index: 'gsi2', pk: `REQROLE#A#${roleA.toLowerCase()}`, from: undefined });
    expect(boundedListing(byRole)).toBe(true);

    const byStatus = await queriesDuring(() => assignments(`status eq 'Denied' and ${since}`));
    expect(
      byStatus
        .filter((q) => q.index === 'gsi3')
        .map((q) => q.pk)
        .sort(),
    ).toEqual([0, 1, 2, 3].map((s) => `REQSTATUS#assignmentRequest#Denied#${s}`));
    expect(byStatus.filter((q) => q.index === 'gsi3').every((q) => q.from === h(1))).toBe(true);
    expect(boundedListing(byStatus)).toBe(true);

    const byTime = await queriesDuring(() => assignments(`createdDateTime ge ${h(2)} and createdDateTime le ${h(4)}`));
    expect(
      byTime
        .filter((q) => q.from === h(2))
        .map((q) => q.pk)
        .sort(),
    ).toEqual([0, 1, 2, 3].map((s) => listingPartition('assignmentRequest', s)));
    expect(boundedListing(byTime, h(2))).toBe(true);

    const byPrincipal = await queriesDuring(() => assignments(`principalId eq '${u1.id}' and roleDefinitionId eq '${roleA}'`));
    expect(byPrincipal).toEqual([{ index: 'gsi4', pk: `REQBY#${u1.id}`, from: undefined }]);
  });

  it('keeps authorization as it was: others see only their own', async () => {
    const token = await tokenOf(ctx, u1);
    expectGraphError(
      await ctx.api.call('GET', `${ASSIGNMENT_REQUESTS}?${filter(`roleDefinitionId eq '${roleA}'`)}`, { token }),
      403,
      'Authorization_RequestDenied',
    );
    expectGraphError(await ctx.api.call('GET', `${ASSIGNMENT_REQUESTS}?${filter(`status eq 'Denied'`)}`, { token }), 403, 'Authorization_RequestDenied');
    expect(await ids(ASSIGNMENT_REQUESTS, `principalId eq '${u1.id}' and roleDefinitionId eq '${roleA}'`, undefined, token)).toEqual([r.p1]);
  });

  it('refuses a skiptoken from another filter', async () => {
    const first = await ctx.api.call('GET', `${ASSIGNMENT_REQUESTS}?${filter(`roleDefinitionId eq '${roleA}'`)}&$top=1`, { token: await ctx.admin() });
    const skipToken = new URL(first.body['@odata.nextLink']).searchParams.get('$skiptoken')!;
    const other = await ctx.api.call(
      'GET',
      `${ASSIGNMENT_REQUESTS}?${filter(`roleDefinitionId eq '${roleB}'`)}&$top=1&$skiptoken=${encodeURIComponent(skipToken)}`,
      { token: await ctx.admin() },
    );
    expect(other.status).toBe(400);
  });

  it('still finds a request stored before these indexes (id sort keys, no role or status key) under every filter', async () => {
    clock.set(h(8));
    const roleC = await customRole(ctx, 'HistoryC');
    const [w] = (await newUsers(ctx, 1, 'legacy')) as [TestUser];
    const current = await makeEligible(ctx, w.id, roleC);
    // A copy of it as the store wrote requests before: made later, so time filters can single it out.
    const db = ctx.stack.runtime.services.table.db;
    const tableName = ctx.stack.runtime.services.table.tableName;
    const stored = (await db.send(new GetCommand({ TableName: tableName, Key: keys.request(current.id) }))).Item!;
    const at = '2031-06-01T00:00:00.000Z';
    const id = `req_${ulid(Date.parse(at))}`;
    const data = { ...(stored.data as Record<string, unknown>), id, createdDateTime: at };
    const legacy = {
      ...keys.request(id),
      gsi1pk: listingPartition('eligibilityRequest', shardOf(id)),
      gsi1sk: id,
      gsi4pk: `REQBY#${w.id}`,
      gsi4sk: id,
      type: 'request',
      version: 1,
      requestId: id,
      data,
    };
    await db.send(new PutCommand({ TableName: tableName, Item: legacy }));

    const eligibility = (expression: string, top?: number) => ids(ELIGIBILITY_REQUESTS, expression, top);
    expect(await eligibility(`roleDefinitionId eq '${roleC}'`, 1)).toEqual([current.id, id]);
    expect(await eligibility(`status eq 'Provisioned' and createdDateTime ge ${at}`)).toEqual([id]);
    expect(await eligibility(`createdDateTime ge ${at}`)).toEqual([id]);
    expect(await eligibility(`principalId eq '${w.id}'`)).toEqual([current.id, id]);
    expect(await eligibility(`principalId eq '${w.id}' and createdDateTime ge ${at}`)).toEqual([id]);
    expect(await eligibility(`principalId eq '${w.id}' and createdDateTime lt ${at}`)).toEqual([current.id]);
    expect((await listAll(ctx.stack, ctx.api, await ctx.admin(), `${ELIGIBILITY_REQUESTS}?$top=5`)).map((x) => x.id)).toContain(id);
  });
});
