/**
 * PIM for groups request history: a group's eligibility and assignment requests, read from the by-group
 * index (gsi2) with creation-time bounds, paged; requests of principals who no longer hold anything in
 * the group stay in its history; and each request shows under its own group only.
 */
import type { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { listAll } from '../api/support.ts';
import { expectGraphError, filter, newGroup, newUsers, startRolesStack, type Ctx, type TestUser } from '../roles/helpers.ts';
import { activateGroup, GROUP_REQUESTS, groupRequestBody, makeGroupEligible, postGroup } from './helpers.ts';

const h = (hour: number) => `2032-04-01T${String(8 + hour).padStart(2, '0')}:00:00.000Z`;

describe('PIM for groups: request history by group, time and principal', () => {
  const clock = new ManualClock('2032-04-01T07:00:00.000Z');
  let ctx: Ctx;
  let x: TestUser;
  let y: TestUser;
  let group: { id: string };
  let other: { id: string };
  const r: Record<'ex' | 'ey' | 'a1' | 'rm' | 'elsewhere', string> = { ex: '', ey: '', a1: '', rm: '', elsewhere: '' };

  /** Hour 0: x eligible for membership, y for ownership; 1: x activates; 2: y's eligibility removed; 3: x eligible elsewhere. */
  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
    [x, y] = (await newUsers(ctx, 2, 'ghist')) as [TestUser, TestUser];
    group = await newGroup(ctx, 'history', { roleAssignable: false });
    other = await newGroup(ctx, 'elsewhere', { roleAssignable: false });
    clock.set(h(0));
    r.ex = (await makeGroupEligible(ctx, x.id, group.id)).id;
    clock.advance(1000);
    r.ey = (await makeGroupEligible(ctx, y.id, group.id, { accessId: 'owner' })).id;
    clock.set(h(1));
    const activation = await activateGroup(ctx, x, group.id, { duration: 'PT1H' });
    expect(activation.status, JSON.stringify(activation.body)).toBe(201);
    r.a1 = activation.body.id;
    clock.set(h(2));
    const removed = await postGroup(ctx, 'eligibility', { ...groupRequestBody(y.id, group.id, { accessId: 'owner' }), action: 'adminRemove' });
    expect(removed.status, JSON.stringify(removed.body)).toBe(201);
    r.rm = removed.body.id;
    clock.set(h(3));
    r.elsewhere = (await makeGroupEligible(ctx, x.id, other.id)).id;
  });
  afterAll(() => ctx?.stop());

  async function ids(kind: 'eligibility' | 'assignment', expression: string, top?: number): Promise<string[]> {
    const path = `${GROUP_REQUESTS[kind]}?${filter(expression)}${top ? `&$top=${top}` : ''}`;
    return (await listAll(ctx.stack, ctx.api, await ctx.admin(), path)).map((i) => i.id);
  }

  it("lists a group's requests oldest first across pages, including those of principals who hold nothing in it now", async () => {
    expect(await ids('eligibility', `groupId eq '${group.id}'`, 1)).toEqual([r.ex, r.ey, r.rm]);
    expect(await ids('assignment', `groupId eq '${group.id}'`)).toEqual([r.a1]);
    expect(await ids('eligibility', `groupId eq '${other.id}'`)).toEqual([r.elsewhere]);
  });

  it('narrows by creation time, access and principal', async () => {
    expect(await ids('eligibility', `groupId eq '${group.id}' and createdDateTime ge ${h(1)}`)).toEqual([r.rm]);
    expect(await ids('eligibility', `groupId eq '${group.id}' and createdDateTime lt ${h(1)}`, 1)).toEqual([r.ex, r.ey]);
    expect(await ids('eligibility', `groupId eq '${group.id}' and accessId eq 'owner'`)).toEqual([r.ey, r.rm]);
    expect(await ids('eligibility', `principalId eq '${x.id}'`)).toEqual([r.ex, r.elsewhere]);
    expect(await ids('eligibility', `principalId eq '${x.id}' and createdDateTime ge ${h(3)}`)).toEqual([r.elsewhere]);
  });

  it("reads the group's own partition of the by-group index", async () => {
    const send = vi.spyOn(ctx.stack.runtime.services.table.db, 'send');
    try {
      await ids('eligibility', `groupId eq '${group.id}' and createdDateTime ge ${h(1)}`);
      const queries = send.mock.calls
        .map(([c]) => (c as QueryCommand).input)
        .filter((i) => String(i.ExpressionAttributeValues?.[':pk']).match(/^(REQ|LIST#group)/));
      expect(queries).toContainEqual(
        expect.objectContaining({ IndexName: 'gsi2', ExpressionAttributeValues: { ':pk': `REQGROUP#E#${group.id}`, ':from': h(1), ':to': ':' } }),
      );
      // Besides it, only the listing's legacy range (requests stored before the index) is read.
      expect(queries.filter((i) => i.IndexName === 'gsi1').every((i) => i.ExpressionAttributeValues?.[':from'] === 'req_')).toBe(true);
    } finally {
      send.mockRestore();
    }
  });

  it("keeps authorization as it was: a member who does not manage the group may not list the group's requests", async () => {
    const token = await ctx.api.token(x.upn);
    expectGraphError(
      await ctx.api.call('GET', `${GROUP_REQUESTS.eligibility}?${filter(`groupId eq '${group.id}'`)}`, { token }),
      403,
      'Authorization_RequestDenied',
    );
    const own = await ctx.api.call('GET', `${GROUP_REQUESTS.eligibility}?${filter(`principalId eq '${x.id}'`)}`, { token });
    expect(own.body.value.map((i: { id: string }) => i.id)).toEqual([r.ex, r.elsewhere]);
  });
});
