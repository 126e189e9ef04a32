/**
 * Access reviews end to end over the real API and DynamoDB Local, with the review job driven by an
 * injected clock: a quarterly review of Security Administrator assignments whose reviewers decide some
 * items, the rest take their recommendation, and denied access is removed at the end; a self-review of
 * a group's members; who may see and decide what; the last Global Administrator surviving a review.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { runDueReviews } from '../../../shared/services/access-reviews/run-due.ts';
import {
  activate,
  DAY,
  HOUR,
  instancesOf,
  makeActive,
  makeEligible,
  newGroup,
  newUser,
  ROLES,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from '../roles/helpers.ts';

const DEFS = '/v1.0/identityGovernance/accessReviews/definitions';

/** Graph's error shape, the status, and a message that says what happened. */
function expectError(result: { status: number; body: any }, status: number, message?: RegExp): void {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  expect(Object.keys(result.body)).toEqual(['error']);
  expect(result.body.error.code).toEqual(expect.any(String));
  if (message) expect(result.body.error.message).toMatch(message);
}

describe('access reviews', () => {
  const clock = new ManualClock('2033-01-03T08:00:00.000Z');
  let ctx: Ctx;
  const run = () => runDueReviews(ctx.stack.runtime.services);
  const call = async (method: string, path: string, token: string, body?: unknown) => ctx.api.call(method, path, { token, body });

  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
  });
  afterAll(() => ctx.stop());

  function roleReview(roleId: string, reviewers: string[], settings: Record<string, unknown> = {}, fallback: string[] = []): Record<string, unknown> {
    return {
      displayName: 'Quarterly review of Security Administrators',
      descriptionForAdmins: 'Who still needs Security Administrator?',
      descriptionForReviewers: 'Keep only those who still need it.',
      scope: {
        '@odata.type': '#microsoft.graph.principalResourceMembershipsScope',
        principalScopes: [{ '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: '/users', queryType: 'MicrosoftGraph' }],
        resourceScopes: [
          {
            '@odata.type': '#microsoft.graph.accessReviewQueryScope',
            query: `/roleManagement/directory/roleDefinitions/${roleId}`,
            queryType: 'MicrosoftGraph',
          },
        ],
      },
      reviewers: reviewers.map((query) => ({ query, queryType: 'MicrosoftGraph' })),
      fallbackReviewers: fallback.map((query) => ({ query, queryType: 'MicrosoftGraph' })),
      settings: {
        mailNotificationsEnabled: true,
        reminderNotificationsEnabled: true,
        justificationRequiredOnApproval: true,
        defaultDecisionEnabled: true,
        defaultDecision: 'Recommendation',
        instanceDurationInDays: 7,
        autoApplyDecisionsEnabled: true,
        recommendationsEnabled: true,
        recurrence: { pattern: { type: 'absoluteMonthly', interval: 3 }, range: { type: 'noEnd', startDate: clock.now().toISOString().slice(0, 10) } },
        ...settings,
      },
    };
  }

  describe('a quarterly review of Security Administrator assignments', () => {
    let alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser, reviewer: TestUser, member: TestUser, outsider: TestUser;
    let defId: string, instanceId: string;
    let decisions: any[];
    const byName = (u: TestUser) => decisions.find((d) => d.principal.id === u.id);

    beforeAll(async () => {
      [alice, bob, carol, dave, reviewer, member, outsider] = (await Promise.all(
        ['alice', 'bob', 'carol', 'dave', 'reviewer', 'member', 'outsider'].map((l) => newUser(ctx, l)),
      )) as [TestUser, TestUser, TestUser, TestUser, TestUser, TestUser, TestUser];
      // Access granted 40 days ago; Alice activated and Carol used hers since (an enforcing app asked about her), Bob and Dave did nothing.
      await makeEligible(ctx, alice.id, ROLES.securityAdministrator);
      await makeEligible(ctx, bob.id, ROLES.securityAdministrator);
      await makeActive(ctx, carol.id, ROLES.securityAdministrator);
      await makeActive(ctx, dave.id, ROLES.securityAdministrator);
      clock.advance(40 * DAY);
      expect((await activate(ctx, alice, ROLES.securityAdministrator, { duration: 'PT1H' })).status).toBe(201);
      const app = await ctx.api.call('POST', '/v1.0/servicePrincipals', {
        token: await ctx.admin(),
        body: { appId: 'review-gateway', displayName: 'Review gateway', servicePrincipalType: 'Application' },
      });
      await makeActive(ctx, app.body.id, ROLES.globalReader);
      const used = await ctx.api.call('POST', '/access/v1/evaluation', {
        token: await ctx.api.servicePrincipalToken('review-gateway'),
        body: {
          subject: { type: 'user', id: carol.id },
          action: { name: 'microsoft.directory/conditionalAccessPolicies/create' },
          resource: { type: 'scope', id: '/' },
        },
      });
      expect(used.body.decision).toBe(true);
      clock.advance(2 * HOUR);
    });

    it('only a review administrator may create a review, and a bad definition is refused with a reason', async () => {
      const asUser = await call('POST', DEFS, await tokenOf(ctx, outsider), roleReview(ROLES.securityAdministrator, [`/users/${reviewer.id}`]));
      expectError(asUser, 403);
      const badScope = await call('POST', DEFS, await ctx.admin(), {
        ...roleReview(ROLES.securityAdministrator, []),
        scope: { query: '/devices', queryType: 'MicrosoftGraph' },
      });
      expectError(badScope, 400, /not supported/);
      const badDuration = await call(
        'POST',
        DEFS,
        await ctx.admin(),
        roleReview(ROLES.securityAdministrator, [], {
          recurrence: { pattern: { type: 'weekly', interval: 1 }, range: { type: 'noEnd', startDate: '2033-02-12' } },
          instanceDurationInDays: 10,
        }),
      );
      expectError(badDuration, 400, /recurrence period/);
      const ghostReviewer = await call('POST', DEFS, await ctx.admin(), roleReview(ROLES.securityAdministrator, ['/users/usr_nobody']));
      expectError(ghostReviewer, 400, /does not exist/);
    });

    it('creates the definition NotStarted; the job starts an instance with one item per assignment and a recommendation each', async () => {
      const group = await newGroup(ctx, 'Reviewers', { roleAssignable: false, members: [member] });
      const created = await call(
        'POST',
        DEFS,
        await ctx.admin(),
        roleReview(ROLES.securityAdministrator, [`/users/${reviewer.id}`, `/groups/${group.id}/transitiveMembers`]),
      );
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({
        status: 'NotStarted',
        displayName: 'Quarterly review of Security Administrators',
        settings: { defaultDecision: 'Recommendation', instanceDurationInDays: 7 },
      });
      defId = created.body.id;

      const report = await run();
      expect(report.failures).toEqual([]);
      const instances = await call('GET', `${DEFS}/${defId}/instances`, await ctx.admin());
      expect(instances.body.value).toHaveLength(1);
      expect(instances.body.value[0]).toMatchObject({ status: 'InProgress', '@stint.decisionCount': 4 });
      instanceId = instances.body.value[0].id;
      expect(Date.parse(instances.body.value[0].endDateTime) - Date.parse(instances.body.value[0].startDateTime)).toBeLessThanOrEqual(7 * DAY);

      const listed = await call('GET', `${DEFS}/${defId}/instances/${instanceId}/decisions`, await ctx.admin());
      decisions = listed.body.value;
      expect(byName(alice)).toMatchObject({
        decision: 'NotReviewed',
        recommendation: 'Approve',
        '@stint.accessType': 'Eligible',
        resource: { id: ROLES.securityAdministrator },
      });
      expect(byName(alice)['@stint.recommendationReason']).toMatch(/^Activated on/);
      expect(byName(bob)).toMatchObject({ recommendation: 'Deny', '@stint.accessType': 'Eligible' });
      expect(byName(bob)['@stint.recommendationReason']).toMatch(/Not activated in the last 30 days/);
      expect(byName(carol)).toMatchObject({ recommendation: 'Approve', '@stint.accessType': 'Active' });
      expect(byName(carol)['@stint.recommendationReason']).toMatch(/Used in an access decision/);
      expect(byName(dave)).toMatchObject({ recommendation: 'Deny', '@stint.accessType': 'Active' });
    });

    it('reviewers see only their reviews; others see nothing of it', async () => {
      const mine = await call('GET', `${DEFS}/filterByCurrentUser(on='reviewer')`, await tokenOf(ctx, member));
      expect(mine.body.value.map((d: any) => d.id)).toContain(defId);
      const theirs = await call('GET', `${DEFS}/${defId}/instances/${instanceId}/decisions/filterByCurrentUser(on='reviewer')`, await tokenOf(ctx, reviewer));
      expect(theirs.body.value).toHaveLength(4);
      // Paged a few at a time, each item comes exactly once and the last page has no nextLink.
      const paged: string[] = [];
      let next: string | undefined = `${DEFS}/${defId}/instances/${instanceId}/decisions/filterByCurrentUser(on='reviewer')?$top=3`;
      for (let pages = 0; next && pages < 10; pages++) {
        const page = await call('GET', next.replace(ctx.stack.url, ''), await tokenOf(ctx, reviewer));
        expect(page.status, JSON.stringify(page.body)).toBe(200);
        paged.push(...page.body.value.map((d: any) => d.id));
        next = page.body['@odata.nextLink'];
      }
      expect(paged.sort()).toEqual(theirs.body.value.map((d: any) => d.id).sort());
      const contacted = await call('GET', `${DEFS}/${defId}/instances/${instanceId}/contactedReviewers`, await ctx.admin());
      expect(contacted.body.value.map((r: any) => [r.id, r['@stint.mode']]).sort()).toEqual(
        [
          [reviewer.id, 'reviewer'],
          [member.id, 'reviewer'],
        ].sort(),
      );
      const denied = await call('GET', `${DEFS}/${defId}/instances/${instanceId}/decisions?$filter=recommendation eq 'Deny'`, await ctx.admin());
      expect(denied.body.value.map((d: any) => d.principal.id).sort()).toEqual([bob.id, dave.id].sort());
      const outsiders = await call('GET', `${DEFS}/${defId}/instances/${instanceId}/decisions`, await tokenOf(ctx, outsider));
      expectError(outsiders, 404);
      const notMine = await call('GET', `${DEFS}/filterByCurrentUser(on='reviewer')`, await tokenOf(ctx, outsider));
      expect(notMine.body.value).toEqual([]);
      const decide = await call('PATCH', `${DEFS}/${defId}/instances/${instanceId}/decisions/${byName(dave).id}`, await tokenOf(ctx, outsider), {
        decision: 'Approve',
        justification: 'mine',
      });
      expectError(decide, 404);
    });

    it('records decisions with their justification; approving without one is refused here', async () => {
      const path = (u: TestUser) => `${DEFS}/${defId}/instances/${instanceId}/decisions/${byName(u).id}`;
      expectError(await call('PATCH', path(alice), await tokenOf(ctx, reviewer), { decision: 'Approve' }), 400, /justification/);
      expect((await call('PATCH', path(alice), await tokenOf(ctx, reviewer), { decision: 'Approve', justification: 'On call this quarter' })).status).toBe(204);
      expect((await call('PATCH', path(dave), await tokenOf(ctx, member), { decision: 'Deny', justification: 'Left the security team' })).status).toBe(204);
      expectError(await call('PATCH', path(dave), await tokenOf(ctx, member), { decision: 'Maybe' }), 400, /decision must be one of/);
      const got = await call('GET', path(alice), await ctx.admin());
      expect(got.body).toMatchObject({ decision: 'Approve', justification: 'On call this quarter', reviewedBy: { id: reviewer.id } });
    });

    it('reminds halfway, then at the end takes recommendations for the unanswered and removes what was denied', async () => {
      clock.advance(4 * DAY);
      expect((await run()).steps).toMatchObject({ reminded: 1 });
      const mid = await call('GET', `${DEFS}/${defId}/instances/${instanceId}`, await ctx.admin());
      expect(mid.body.status).toBe('InProgress');

      clock.advance(3 * DAY);
      const report = await run();
      expect(report.failures).toEqual([]);
      expect(report.steps).toMatchObject({ completed: 1 });
      const done = await call('GET', `${DEFS}/${defId}/instances/${instanceId}`, await ctx.admin());
      expect(done.body).toMatchObject({ status: 'Applied', '@stint.summary': { total: 4, approved: 2, denied: 2, notReviewed: 0, removed: 2, failed: 0 } });
      decisions = (await call('GET', `${DEFS}/${defId}/instances/${instanceId}/decisions`, await ctx.admin())).body.value;
      expect(byName(bob)).toMatchObject({ decision: 'Deny', reviewedBy: { id: 'system' }, applyResult: 'AppliedSuccessfully' });
      expect(byName(bob).justification).toMatch(/recommendation was taken/);
      expect(byName(carol)).toMatchObject({ decision: 'Approve', reviewedBy: { id: 'system' }, applyResult: 'New' });
      expect(byName(dave)).toMatchObject({ decision: 'Deny', applyResult: 'AppliedSuccessfully' });

      expect(await instancesOf(ctx, 'eligibility', bob.id)).toEqual([]);
      expect(await instancesOf(ctx, 'assignment', dave.id)).toEqual([]);
      expect((await instancesOf(ctx, 'eligibility', alice.id)).map((i) => i.roleDefinitionId)).toEqual([ROLES.securityAdministrator]);
      expect((await instancesOf(ctx, 'assignment', carol.id)).map((i) => i.roleDefinitionId)).toEqual([ROLES.securityAdministrator]);

      // Decisions are closed now.
      const late = await call('PATCH', `${DEFS}/${defId}/instances/${instanceId}/decisions/${byName(carol).id}`, await tokenOf(ctx, reviewer), {
        decision: 'Deny',
      });
      expectError(late, 409, /ended/);
    });

    it('the definition waits for its next quarter, and the audit history shows every step', async () => {
      const def = await call('GET', `${DEFS}/${defId}`, await ctx.admin());
      expect(def.body.status).toBe('InProgress');
      const history = await call('GET', `/v1.0/auditLogs/directoryAudits?$filter=targetResources/any(t: t/id eq '${defId}')&$top=100`, await ctx.admin());
      const activities = history.body.value.map((r: any) => r.activityDisplayName);
      for (const step of [
        'Create access review',
        'Start access review instance',
        'Access review instance in progress',
        'Record access review decision',
        'Send access review reminder',
        'Apply default decision to access review item',
        'End access review instance',
        'Complete access review instance',
        'Apply access review decision',
        'Access review decisions applied',
      ]) {
        expect(activities, step).toContain(step);
      }
      const removal = await call('GET', `/v1.0/auditLogs/directoryAudits?$filter=targetResources/any(t: t/id eq '${bob.id}')&$top=20`, await ctx.admin());
      expect(removal.body.value.map((r: any) => r.activityDisplayName)).toContain('Remove eligible member from role in PIM completed (permanent)');

      // Three months after the first, the next instance starts.
      clock.advance(Date.parse('2033-05-12T00:30:00Z') - clock.now().getTime());
      await run();
      const instances = await call('GET', `${DEFS}/${defId}/instances`, await ctx.admin());
      expect(instances.body.value).toHaveLength(2);
      expect(instances.body.value[0]).toMatchObject({ status: 'InProgress', '@stint.decisionCount': 2 });
      expect(instances.body.value[0].startDateTime.slice(0, 10)).toBe('2033-05-12');
    });
  });

  it("a group's members review themselves; nobody decides for anyone else, and the fallback reviewer takes what is left", async () => {
    const [u1, u2, fallback] = await Promise.all([newUser(ctx, 'u1'), newUser(ctx, 'u2'), newUser(ctx, 'fallback')]);
    const group = await newGroup(ctx, 'Ops', { roleAssignable: false, members: [u1, u2] });
    const created = await call('POST', DEFS, await ctx.admin(), {
      displayName: 'Ops members',
      scope: { '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/groups/${group.id}/transitiveMembers`, queryType: 'MicrosoftGraph' },
      reviewers: [],
      fallbackReviewers: [{ query: `/users/${fallback.id}`, queryType: 'MicrosoftGraph' }],
      settings: { instanceDurationInDays: 3, recommendationsEnabled: true },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await run();
    const [instance] = (await call('GET', `${DEFS}/${created.body.id}/instances`, await ctx.admin())).body.value;
    const base = `${DEFS}/${created.body.id}/instances/${instance.id}`;
    expect(instance).toMatchObject({ '@stint.selfReview': true, '@stint.decisionCount': 2 });
    const own = (await call('GET', `${base}/decisions/filterByCurrentUser(on='reviewer')`, await tokenOf(ctx, u1))).body.value;
    expect(own.map((d: any) => d.principal.id)).toEqual([u1.id]);
    const all = (await call('GET', `${base}/decisions`, await ctx.admin())).body.value;
    const u2Item = all.find((d: any) => d.principal.id === u2.id);
    expectError(await call('PATCH', `${base}/decisions/${u2Item.id}`, await tokenOf(ctx, u1), { decision: 'Deny' }), 403, /Only the reviewers/);
    // Every item has its own user to review it: the fallback reviewer has nothing to decide.
    expectError(await call('PATCH', `${base}/decisions/${u2Item.id}`, await tokenOf(ctx, fallback), { decision: 'Deny' }), 403);
    expect((await call('GET', `${base}/decisions/filterByCurrentUser(on='reviewer')`, await tokenOf(ctx, fallback))).body.value).toEqual([]);
    expect(
      (await call('POST', `${base}/batchRecordDecisions`, await tokenOf(ctx, u1), { decision: 'Deny', justification: 'No longer on the team' })).body,
    ).toEqual({ recorded: 1 });

    // No auto-apply: an administrator stops the instance early and applies it.
    expectError(await call('POST', `${base}/applyDecisions`, await ctx.admin()), 409, /ended/);
    expect((await call('POST', `${base}/stop`, await ctx.admin())).status).toBe(204);
    expect((await call('GET', base, await ctx.admin())).body.status).toBe('Completed');
    expect((await call('POST', `${base}/applyDecisions`, await ctx.admin())).status).toBe(204);
    const members = (await call('GET', `/v1.0/groups/${group.id}/members`, await ctx.admin())).body.value.map((m: any) => m.id);
    expect(members).toEqual([u2.id]);
    expectError(await call('POST', `${base}/applyDecisions`, await ctx.admin()), 409, /already been applied/);

    // The email link lands in the portal (test/integration/portal/email-links.test.ts checks the page it serves).
  });

  it("reviews a group's PIM owners: their eligibility is the item, and a denial ends it through PIM for groups", async () => {
    const [owner, reviewer] = await Promise.all([newUser(ctx, 'owner'), newUser(ctx, 'owners-reviewer')]);
    const group = await newGroup(ctx, 'Owned', { roleAssignable: false });
    const eligible = await call('POST', '/v1.0/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests', await ctx.admin(), {
      action: 'adminAssign',
      accessId: 'owner',
      groupId: group.id,
      principalId: owner.id,
      justification: 'Owns the group',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P90D' } },
    });
    expect(eligible.status, JSON.stringify(eligible.body)).toBe(201);
    const created = await call('POST', DEFS, await ctx.admin(), {
      displayName: 'Owners',
      scope: { query: `/groups/${group.id}/owners`, queryType: 'MicrosoftGraph' },
      reviewers: [{ query: `/users/${reviewer.id}` }],
      settings: { instanceDurationInDays: 2 },
    });
    await run();
    const [instance] = (await call('GET', `${DEFS}/${created.body.id}/instances`, await ctx.admin())).body.value;
    const base = `${DEFS}/${created.body.id}/instances/${instance.id}`;
    const [item] = (await call('GET', `${base}/decisions`, await ctx.admin())).body.value;
    expect(item).toMatchObject({
      principal: { id: owner.id },
      resource: { id: group.id, type: 'group' },
      '@stint.accessType': 'Eligible',
      '@stint.directoryScopeId': `/groups/${group.id}`,
    });
    expect(
      (await call('PATCH', `${base}/decisions/${item.id}`, await tokenOf(ctx, reviewer), { decision: 'Deny', justification: 'No longer owns it' })).status,
    ).toBe(204);
    expect((await call('POST', `${base}/stop`, await ctx.admin())).status).toBe(204);
    expect((await call('POST', `${base}/applyDecisions`, await ctx.admin())).status).toBe(204);
    expect((await call('GET', `${base}/decisions/${item.id}`, await ctx.admin())).body.applyResult).toBe('AppliedSuccessfully');
    const left = await call(
      'GET',
      `/v1.0/identityGovernance/privilegedAccess/group/eligibilityScheduleInstances?$filter=groupId eq '${group.id}'`,
      await ctx.admin(),
    );
    expect(left.body.value).toEqual([]);
  });

  it('a review cannot remove the last permanent Global Administrator: that item fails with the reason, the rest apply', async () => {
    const reviewer = await newUser(ctx, 'ga-reviewer');
    const created = await call(
      'POST',
      DEFS,
      await ctx.admin(),
      roleReview(ROLES.globalAdministrator, [`/users/${reviewer.id}`], {
        defaultDecisionEnabled: true,
        defaultDecision: 'Deny',
        justificationRequiredOnApproval: false,
        recurrence: null,
      }),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await run();
    const [instance] = (await call('GET', `${DEFS}/${created.body.id}/instances`, await ctx.admin())).body.value;
    clock.advance(8 * DAY);
    await run();
    const decisions = (await call('GET', `${DEFS}/${created.body.id}/instances/${instance.id}/decisions`, await ctx.admin())).body.value;
    const adminItem = decisions.find((d: any) => d.principal.id === ctx.adminId);
    expect(adminItem).toMatchObject({ decision: 'Deny', applyResult: 'AppliedWithUnknownFailure' });
    expect(adminItem['@stint.applyDescription']).toMatch(/Global Administrator/);
    expect((await instancesOf(ctx, 'assignment', ctx.adminId)).some((i) => i.roleDefinitionId === ROLES.globalAdministrator)).toBe(true);
    expect((await call('GET', `${DEFS}/${created.body.id}`, await ctx.admin())).body.status).toBe('Completed');
  });

  describe('under concurrency and with bad input', () => {
    it('two job runs at once start one instance; two reviewers deciding one item at once: one wins, the other is told to re-read', async () => {
      const [holder, r1, r2] = await Promise.all([newUser(ctx, 'holder'), newUser(ctx, 'r1'), newUser(ctx, 'r2')]);
      await makeActive(ctx, holder.id, ROLES.helpdeskAdministrator);
      const created = await call('POST', DEFS, await ctx.admin(), {
        ...roleReview(ROLES.helpdeskAdministrator, [`/users/${r1.id}`, `/users/${r2.id}`], { justificationRequiredOnApproval: false }),
        displayName: 'Helpdesk',
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const reports = await Promise.all([run(), run(), run()]);
      expect(reports.reduce((n, r) => n + (r.steps.started ?? 0), 0)).toBe(1);
      const instances = (await call('GET', `${DEFS}/${created.body.id}/instances`, await ctx.admin())).body.value;
      expect(instances).toHaveLength(1);
      const base = `${DEFS}/${created.body.id}/instances/${instances[0].id}`;
      const [item] = (await call('GET', `${base}/decisions`, await ctx.admin())).body.value;
      const [t1, t2] = await Promise.all([tokenOf(ctx, r1), tokenOf(ctx, r2)]);
      const results = await Promise.all([
        call('PATCH', `${base}/decisions/${item.id}`, t1, { decision: 'Approve', justification: 'r1' }),
        call('PATCH', `${base}/decisions/${item.id}`, t2, { decision: 'Deny', justification: 'r2' }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses[0]).toBe(204);
      // Both may land one after the other; if they met, the loser got a 409 and nothing of it was written.
      if (statuses[1] !== 204)
        expectError(
          results.find((r) => r.status !== 204)!,
          409,
          /changed by another request/,
        );
      const after = (await call('GET', `${base}/decisions/${item.id}`, await ctx.admin())).body;
      const winners = results.filter((r) => r.status === 204).length;
      const history = (
        await call(
          'GET',
          `/v1.0/auditLogs/directoryAudits?$filter=targetResources/any(t: t/id eq '${created.body.id}') and activityDisplayName eq 'Record access review decision'`,
          await ctx.admin(),
        )
      ).body.value;
      expect(history).toHaveLength(winners);
      expect(['r1', 'r2']).toContain(after.justification);
      await call('POST', `${DEFS}/${created.body.id}/stop`, await ctx.admin());
      expect((await call('GET', `${DEFS}/${created.body.id}`, await ctx.admin())).body.status).toBe('Completed');
      expect((await run()).steps.started ?? 0).toBe(0);
    });

    it('a large ending is done in pieces: each run takes what its time budget allows, the next carries on, nothing twice', async () => {
      const holders = await Promise.all(Array.from({ length: 5 }, (_, i) => newUser(ctx, `piece${i}`)));
      for (const h of holders) await makeEligible(ctx, h.id, ROLES.applicationAdministrator);
      const reviewer = await newUser(ctx, 'piece-reviewer');
      const created = await call('POST', DEFS, await ctx.admin(), {
        ...roleReview(ROLES.applicationAdministrator, [`/users/${reviewer.id}`], { defaultDecision: 'Deny', recurrence: null, instanceDurationInDays: 2 }),
        displayName: 'In pieces',
      });
      await run();
      const [instance] = (await call('GET', `${DEFS}/${created.body.id}/instances`, await ctx.admin())).body.value;
      const base = `${DEFS}/${created.body.id}/instances/${instance.id}`;
      clock.advance(2 * DAY);
      /** A budget that allows `n` more items. */
      const items = (n: number) => ({ left: () => n-- > 0 });
      const seen: string[] = [];
      for (let runs = 0; runs < 20; runs++) {
        await runDueReviews(ctx.stack.runtime.services, undefined, items(2));
        const status = (await call('GET', base, await ctx.admin())).body.status;
        seen.push(status);
        if (status === 'Completing') {
          const [anyItem] = (await call('GET', `${base}/decisions`, await ctx.admin())).body.value;
          expectError(
            await call('PATCH', `${base}/decisions/${anyItem.id}`, await tokenOf(ctx, reviewer), { decision: 'Approve', justification: 'late' }),
            409,
          );
        }
        if (status === 'Applied') break;
      }
      // Five defaults and five removals, two items a run: several runs, through both working states.
      expect(seen.filter((x) => x === 'Completing').length).toBeGreaterThanOrEqual(2);
      expect(seen.filter((x) => x === 'Applying').length).toBeGreaterThanOrEqual(2);
      expect(seen.at(-1)).toBe('Applied');
      const done = (await call('GET', base, await ctx.admin())).body;
      expect(done).toMatchObject({ status: 'Applied', '@stint.summary': { total: 5, denied: 5, removed: 5 } });
      for (const h of holders) expect(await instancesOf(ctx, 'eligibility', h.id)).toEqual([]);
      const audit = (
        await call('GET', `/v1.0/auditLogs/directoryAudits?$filter=targetResources/any(t: t/id eq '${created.body.id}')&$top=100`, await ctx.admin())
      ).body.value.map((r: any) => r.activityDisplayName);
      expect(audit.filter((a: string) => a === 'Apply default decision to access review item')).toHaveLength(5);
      expect(audit.filter((a: string) => a === 'Apply access review decision')).toHaveLength(5);
    });

    it('refuses what it cannot do, with the reason, and changes nothing', async () => {
      const reviewer = await newUser(ctx, 'bad-input-reviewer');
      const body = roleReview(ROLES.helpdeskAdministrator, [`/users/${reviewer.id}`]);
      const before = (await call('GET', DEFS, await ctx.admin())).body.value.length;
      expectError(await call('POST', DEFS, await ctx.admin(), { ...body, colour: 'blue' }), 400);
      expectError(await call('POST', DEFS, await ctx.admin(), { ...body, stageSettings: [{ stageId: '1' }] }), 400, /multi-stage/);
      expectError(
        await call('POST', DEFS, await ctx.admin(), { ...body, reviewers: [{ query: './manager', queryType: 'MicrosoftGraph', queryRoot: 'decisions' }] }),
        400,
        /manager/,
      );
      expectError(await call('POST', DEFS, await ctx.admin(), { ...body, settings: { defaultDecisionEnabled: true, defaultDecision: 'None' } }), 400, /choose/);
      expectError(
        await call('POST', DEFS, await ctx.admin(), {
          ...body,
          settings: { recurrence: { pattern: { type: 'weekly', interval: 1 }, range: { type: 'endDate', startDate: '2020-01-01', endDate: '2020-02-01' } } },
        }),
        400,
        /never run/,
      );
      expect((await call('GET', DEFS, await ctx.admin())).body.value.length).toBe(before);

      const created = await call('POST', DEFS, await ctx.admin(), body);
      const other = { ...body, scope: { query: '/groups/grp_x/transitiveMembers', queryType: 'MicrosoftGraph' } };
      expectError(await call('PUT', `${DEFS}/${created.body.id}`, await ctx.admin(), other), 400, /scope cannot be changed/);
      expect((await call('PUT', `${DEFS}/${created.body.id}`, await ctx.admin(), { ...body, displayName: 'Renamed' })).status).toBe(204);
      expect((await call('GET', `${DEFS}/${created.body.id}`, await ctx.admin())).body.displayName).toBe('Renamed');
      expectError(await call('DELETE', `${DEFS}/${created.body.id}`, await tokenOf(ctx, reviewer)), 403);
      expect((await call('DELETE', `${DEFS}/${created.body.id}`, await ctx.admin())).status).toBe(204);
      expectError(await call('GET', `${DEFS}/${created.body.id}`, await ctx.admin()), 404);
    });
  });
});
