/**
 * The weekly digest through the local stack (the job as the timer runs it, the local SES inbox), on the
 * injected clock: nothing before Monday 08:00 UTC, one email per administrator in a week however often
 * the job runs (also two runs at once), again the next week, the settings obeyed, nothing when disabled.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/jobs/weekly-digest.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import type { DigestDeps } from '../../../shared/services/digest/send-digest.ts';
import { createSesMailer } from '../../../shared/services/notifications/mailer.ts';
import {
  activate,
  approvalRuleWith,
  customRole,
  expectGraphError,
  HOUR,
  makeActive,
  makeEligible,
  newGroup,
  newUser,
  patchRule,
  post,
  activationBody,
  ROLES,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from '../roles/helpers.ts';

const SETTINGS = '/beta/identityGovernance/roleManagementInsights/digestSettings';
const DEFS = '/v1.0/identityGovernance/accessReviews/definitions';

describe('weekly digest', () => {
  // Thursday of ISO week 2034-W18.
  const clock = new ManualClock('2034-05-04T10:00:00.000Z');
  let ctx: Ctx;
  let member: TestUser;
  beforeAll(async () => {
    ctx = await startRolesStack({ clock, background: true });
  });
  afterAll(() => ctx.stop());

  const digests = async (address: string, week: string) =>
    (await ctx.stack.inbox!.messages()).filter((m) => m.destination.to.includes(address) && m.subject.startsWith(`PIM weekly digest ${week}`));
  const run = () => ctx.stack.background!.runDigest();
  const patch = async (body: unknown, token?: string) => ctx.api.call('PATCH', SETTINGS, { token: token ?? (await ctx.admin()), body });

  it('goes once a week, from Monday 08:00 UTC, to the Privileged Role and Global Administrators (through groups too), with the week in it', async () => {
    member = await newUser(ctx, 'pra-member');
    const admins = await newGroup(ctx, 'pim-admins', { roleAssignable: true, members: [member] });
    await makeActive(ctx, admins.id, ROLES.privilegedRoleAdministrator);
    const [activator, waiting, holder, reviewer] = await Promise.all(['activator', 'waiting', 'holder', 'reviewer'].map((l) => newUser(ctx, `digest-${l}`)));
    await makeEligible(ctx, activator!.id, ROLES.helpdeskAdministrator);
    expect((await activate(ctx, activator!, ROLES.helpdeskAdministrator)).status).toBe(201);
    await makeEligible(ctx, holder!.id, ROLES.userAdministrator);
    const review = await ctx.api.call('POST', DEFS, {
      token: await ctx.admin(),
      body: {
        displayName: 'User Administrators',
        scope: {
          '@odata.type': '#microsoft.graph.principalResourceMembershipsScope',
          resourceScopes: [{ query: `/roleManagement/directory/roleDefinitions/${ROLES.userAdministrator}` }],
        },
        reviewers: [{ query: `/users/${reviewer!.id}` }],
        settings: {
          instanceDurationInDays: 14,
          recurrence: { pattern: { type: 'absoluteMonthly', interval: 1 }, range: { type: 'noEnd', startDate: '2034-05-04' } },
        },
      },
    });
    expect(review.status, JSON.stringify(review.body)).toBe(201);
    await ctx.stack.background!.runReviews();

    // Sunday: a request that will have waited more than a day by Monday morning.
    clock.set('2034-05-07T07:00:00.000Z');
    const role = await customRole(ctx, 'Approved');
    await patchRule(ctx, role, 'Approval_EndUser_Assignment', approvalRuleWith([{ approvers: [{ userId: ctx.adminId }], timeoutDays: 3 }]));
    await makeEligible(ctx, waiting!.id, role);
    const pending = await post(ctx, 'assignment', activationBody(waiting!.id, role), await tokenOf(ctx, waiting!));
    expect(pending.body.status, JSON.stringify(pending.body)).toBe('PendingApproval');
    // Eligible for a day without activating is "not using their privileged roles": one open Low alert (changing it scans it).
    const configured = await ctx.api.call(
      'PATCH',
      '/beta/identityGovernance/roleManagementAlerts/alertConfigurations/DirectoryRole_stint_RedundantAssignmentAlert',
      {
        token: await ctx.admin(),
        body: { '@odata.type': '#microsoft.graph.redundantAssignmentAlertConfiguration', duration: 'P1D' },
      },
    );
    expect(configured.status, JSON.stringify(configured.body)).toBeLessThan(300);

    clock.set('2034-05-08T07:59:00.000Z');
    expect(await run()).toMatchObject({ week: '2034-W19', outcome: 'notDue' });
    expect(await digests('admin@contoso.test', '2034-W19')).toEqual([]);

    clock.set('2034-05-08T08:30:00.000Z');
    expect(await run()).toMatchObject({ week: '2034-W19', outcome: 'sent', sent: 2, failed: 0 });
    clock.advance(HOUR);
    expect(await run()).toMatchObject({ week: '2034-W19', outcome: 'alreadySent' });
    clock.set('2034-05-14T23:00:00.000Z');
    expect(await run()).toMatchObject({ week: '2034-W19', outcome: 'alreadySent' });
    const [email] = await digests('admin@contoso.test', '2034-W19');
    expect(await digests('admin@contoso.test', '2034-W19')).toHaveLength(1);
    expect(await digests(member.upn, '2034-W19')).toHaveLength(1);
    expect(email!.subject).toBe('PIM weekly digest 2034-W19: 1 activation');
    const text = email!.body.text!;
    expect(text).toContain('1 role activation in the last 7 days.');
    expect(text).toContain('Helpdesk Administrator: 1');
    expect(text).toContain('new eligible assignment');
    expect(text).toContain('1 open security alert: 0 high, 0 medium, 1 low.');
    expect(text).toContain('1 request has waited for approval for more than a day.');
    expect(text).toContain(`Test ${waiting!.upn.split('@')[0]}`);
    expect(text).toContain('User Administrators: ends');
    expect(text).toContain('/portal/approve-requests');
  });

  it('sends each recipient one email when two runs go at once, and again the next week', async () => {
    const inbox = ctx.stack.inbox!;
    const services = ctx.stack.runtime.services;
    const ses = new SESv2Client({ region: 'us-east-1', endpoint: inbox.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const deps: DigestDeps = {
      services,
      mailer: createSesMailer(ses, 'pim@contoso.test', { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {}, random: Math.random }),
      portalUrl: 'http://localhost/portal',
      writeLog: () => undefined,
    };
    clock.set('2034-05-15T09:00:00.000Z');
    const [one, two] = await Promise.all([createHandler(() => deps)(), createHandler(() => deps)()]);
    expect(one.sent + two.sent).toBe(2);
    expect(one.sent + one.sentBefore).toBe(2);
    expect(await digests('admin@contoso.test', '2034-W20')).toHaveLength(1);
    expect(await digests(member.upn, '2034-W20')).toHaveLength(1);
    expect(await run()).toMatchObject({ week: '2034-W20', outcome: 'alreadySent' });
    ses.destroy();
  });

  it('follows the settings: other recipients, exclusions, and nothing at all when disabled', async () => {
    const defaults = await ctx.api.call('GET', SETTINGS, { token: await ctx.admin() });
    expect(defaults.body).toMatchObject({
      isEnabled: true,
      sendToAdministrators: true,
      additionalRecipients: [],
      excludedUserIds: [],
      lastModifiedDateTime: null,
    });
    const extra = await newUser(ctx, 'digest-extra');

    const changed = await patch({ sendToAdministrators: false, additionalRecipients: [extra.id, 'Security-Team@example.test'] });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      sendToAdministrators: false,
      additionalRecipients: [extra.id, 'Security-Team@example.test'],
      lastModifiedBy: { id: ctx.adminId },
    });
    clock.set('2034-05-22T08:00:00.000Z');
    expect(await run()).toMatchObject({ week: '2034-W21', outcome: 'sent', sent: 2 });
    expect(await digests(extra.upn, '2034-W21')).toHaveLength(1);
    expect(await digests('Security-Team@example.test', '2034-W21')).toHaveLength(1);
    expect(await digests('admin@contoso.test', '2034-W21')).toEqual([]);

    expect((await patch({ sendToAdministrators: true, additionalRecipients: [], excludedUserIds: [ctx.adminId] })).status).toBe(200);
    clock.set('2034-05-29T12:00:00.000Z');
    expect(await run()).toMatchObject({ week: '2034-W22', outcome: 'sent', sent: 1 });
    expect(await digests(member.upn, '2034-W22')).toHaveLength(1);
    expect(await digests('admin@contoso.test', '2034-W22')).toEqual([]);

    expect((await patch({ isEnabled: false })).status).toBe(200);
    clock.set('2034-06-05T08:00:00.000Z');
    expect(await run()).toMatchObject({ week: '2034-W23', outcome: 'disabled', sent: 0 });
    expect(await digests(member.upn, '2034-W23')).toEqual([]);
  });

  it('lets only administrators change the settings, checks the users named, and audits the change', async () => {
    const reader = await newUser(ctx, 'digest-reader');
    await makeActive(ctx, reader.id, ROLES.globalReader);
    const readerToken = await tokenOf(ctx, reader);
    expect((await ctx.api.call('GET', SETTINGS, { token: readerToken })).status).toBe(200);
    expectGraphError(await patch({ isEnabled: true }, readerToken), 403, 'Authorization_RequestDenied');
    expectGraphError(await patch({ additionalRecipients: ['usr_doesnotexist'] }), 400, 'Request_BadRequest');
    expectGraphError(await patch({ excludedUserIds: ['usr_doesnotexist'] }), 400, 'Request_BadRequest');
    expectGraphError(await patch({}), 400, 'Request_BadRequest');
    expectGraphError(await patch({ isEnabled: 'yes' }), 400, 'Request_BadRequest');
    expect((await ctx.api.call('GET', SETTINGS, { token: readerToken })).body.isEnabled).toBe(false);

    const audits = await ctx.api.call(
      'GET',
      `/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent("activityDisplayName eq 'Update PIM weekly digest settings'")}`,
      {
        token: await ctx.admin(),
      },
    );
    expect(audits.status, JSON.stringify(audits.body)).toBe(200);
    expect(audits.body.value.length).toBe(3);
    expect(audits.body.value[0].targetResources[0].modifiedProperties).toEqual([{ displayName: 'isEnabled', oldValue: 'true', newValue: 'false' }]);
  });
});
