/**
 * Access review emails through the real outbox (the table's stream → SES → the local inbox): reviewers
 * are asked when an instance starts, those who have not answered are reminded, and the review's owner
 * gets the results once they are applied. The review job runs on the background's timer path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { DAY, makeEligible, newUser, ROLES, startRolesStack, tokenOf, type Ctx } from '../roles/helpers.ts';
import { eventually } from '../workflow/support.ts';

const DEFS = '/v1.0/identityGovernance/accessReviews/definitions';

describe('access review emails', () => {
  const clock = new ManualClock('2034-03-01T09:00:00.000Z');
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await startRolesStack({ clock, background: true });
  });
  afterAll(() => ctx.stop());

  it('asks the reviewers, reminds the one who did not answer, and tells the owner the results', async () => {
    const inbox = ctx.stack.inbox!;
    const bg = ctx.stack.background!;
    const [holder, quick, slow] = await Promise.all([newUser(ctx, 'holder'), newUser(ctx, 'quick'), newUser(ctx, 'slow')]);
    await makeEligible(ctx, holder.id, ROLES.helpdeskAdministrator);
    const created = await ctx.api.call('POST', DEFS, {
      token: await ctx.admin(),
      body: {
        displayName: 'Helpdesk Administrators <monthly>',
        descriptionForReviewers: 'Questions? Ask the security team.',
        scope: {
          '@odata.type': '#microsoft.graph.principalResourceMembershipsScope',
          resourceScopes: [{ query: `/roleManagement/directory/roleDefinitions/${ROLES.helpdeskAdministrator}` }],
        },
        reviewers: [{ query: `/users/${quick.id}` }, { query: `/users/${slow.id}` }],
        settings: {
          instanceDurationInDays: 4,
          autoApplyDecisionsEnabled: true,
          defaultDecisionEnabled: true,
          defaultDecision: 'Deny',
          recurrence: { pattern: { type: 'absoluteMonthly', interval: 1 }, range: { type: 'noEnd', startDate: '2034-03-01' } },
        },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await bg.runReviews();
    await bg.settle();
    const to = (upn: string) => async () => (await inbox.messages()).filter((m) => m.destination.to.includes(upn));
    await eventually(async () => (await to(quick.upn)()).length === 1 && (await to(slow.upn)()).length === 1, 'start emails');
    const [asked] = await to(quick.upn)();
    expect(asked!.subject).toBe('Review access: Helpdesk Administrators <monthly>');
    expect(asked!.body.html).toContain('Helpdesk Administrators &lt;monthly&gt;');
    expect(asked!.body.text).toContain('Questions? Ask the security team.');
    const [instance] = (await ctx.api.call('GET', `${DEFS}/${created.body.id}/instances`, { token: await ctx.admin() })).body.value;
    expect(asked!.body.text).toContain(`/portal/reviews/${created.body.id}/${instance.id}`);

    const [item] = (
      await ctx.api.call('GET', `${DEFS}/${created.body.id}/instances/${instance.id}/decisions/filterByCurrentUser(on='reviewer')`, {
        token: await tokenOf(ctx, quick),
      })
    ).body.value;
    const decided = await ctx.api.call('PATCH', `${DEFS}/${created.body.id}/instances/${instance.id}/decisions/${item.id}`, {
      token: await tokenOf(ctx, quick),
      body: { decision: 'Deny', justification: 'Not needed' },
    });
    expect(decided.status).toBe(204);

    clock.advance(2 * DAY + 60_000);
    await bg.runReviews();
    await bg.settle();
    await eventually(async () => (await to(slow.upn)()).length === 2, 'reminder to the reviewer who did not answer');
    expect((await to(slow.upn)())[1]!.subject).toMatch(/^Reminder: review access in Helpdesk Administrators <monthly> by/);
    expect(await to(quick.upn)()).toHaveLength(1);

    clock.advance(2 * DAY);
    await bg.runReviews();
    await bg.settle();
    await eventually(async () => (await to('admin@contoso.test')()).some((m) => m.subject.startsWith('Access review results applied')), 'results email');
    const results = (await to('admin@contoso.test')()).find((m) => m.subject.startsWith('Access review results applied'))!;
    expect(results.body.text).toMatch(/0 approved, 1 denied, 0 don't know, 0 not reviewed, of 1\. Removed: 1\./);
    // With auto-apply the owner hears once, not also when the instance ended.
    expect((await to('admin@contoso.test')()).filter((m) => m.subject.startsWith('Access review ended'))).toEqual([]);
  });
});
