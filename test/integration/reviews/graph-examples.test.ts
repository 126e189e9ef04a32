/**
 * Graph's documented access review examples (/work/shared/reference/graph-examples 40 and 41), sent with
 * our ids and their start date moved to today: the definition is created with Graph's fields in the
 * answer, and the reviewer's decision is recorded with Graph's PATCH.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { runDueReviews } from '../../../shared/services/access-reviews/run-due.ts';
import { newGroup, newUser, startRolesStack, tokenOf, type Ctx } from '../roles/helpers.ts';

interface Example {
  request: { method: string; url: string; body: any };
  response: { status: number; body: any };
}

const load = (name: string): Example => JSON.parse(readFileSync(`/work/shared/reference/graph-examples/${name}`, 'utf8')) as Example;
const CREATE = load('40-accessreview-definition-create-group.json');
const DECIDE = load('41-accessreview-decision-record.json');

describe('Graph access review examples 40 and 41', () => {
  const clock = new ManualClock('2035-01-08T12:00:00.000Z');
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
  });
  afterAll(() => ctx.stop());

  it("creates the weekly review of a group from example 40, answers with Graph's fields, and records example 41's decision", async () => {
    const [member, reviewer] = await Promise.all([newUser(ctx, 'member'), newUser(ctx, 'reviewer')]);
    const group = await newGroup(ctx, 'Reviewed', { roleAssignable: false, members: [member] });
    const body = JSON.parse(
      JSON.stringify(CREATE.request.body)
        .replaceAll('02f3bafb-448c-487c-88c2-5fd65ce49a41', group.id)
        .replaceAll('398164b1-5196-49dd-ada2-364b49f99b27', reviewer.id)
        .replace('2020-09-08T12:02:30.667Z', clock.now().toISOString()),
    );
    const path = new URL(CREATE.request.url).pathname;
    const created = await ctx.api.call('POST', path, { token: await ctx.admin(), body });
    expect(created.status, JSON.stringify(created.body)).toBe(CREATE.response.status);
    for (const key of Object.keys(CREATE.response.body)) expect(created.body, key).toHaveProperty(key);
    for (const key of Object.keys(CREATE.response.body.settings)) expect(created.body.settings, key).toHaveProperty(key);
    expect(created.body).toMatchObject({
      status: 'NotStarted',
      scope: { query: `/groups/${group.id}/transitiveMembers` },
      settings: { recurrence: { pattern: { type: 'weekly', interval: 1 } }, instanceDurationInDays: 1, justificationRequiredOnApproval: true },
    });

    await runDueReviews(ctx.stack.runtime.services);
    const [instance] = (await ctx.api.call('GET', `${path}/${created.body.id}/instances`, { token: await ctx.admin() })).body.value;
    const [item] = (
      await ctx.api.call('GET', `${path}/${created.body.id}/instances/${instance.id}/decisions/filterByCurrentUser(on='reviewer')`, {
        token: await tokenOf(ctx, reviewer),
      })
    ).body.value;
    expect(item.principal.id).toBe(member.id);
    const decided = await ctx.api.call('PATCH', `${path}/${created.body.id}/instances/${instance.id}/decisions/${item.id}`, {
      token: await tokenOf(ctx, reviewer),
      body: DECIDE.request.body,
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(DECIDE.response.status);
    const after = await ctx.api.call('GET', `${path}/${created.body.id}/instances/${instance.id}/decisions/${item.id}`, { token: await ctx.admin() });
    expect(after.body).toMatchObject({ decision: 'Approve', justification: 'This person is still on my team', reviewedBy: { id: reviewer.id } });
  });
});
