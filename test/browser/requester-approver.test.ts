/**
 * A requester and an approver do their work in the portal, in Chromium, against the real local stack:
 * sign in, see the rules of each eligible role, activate one that needs fresh MFA (the portal sends them
 * through the MFA sign-in and finishes what they typed), ask for one that needs approval, and the
 * approver decides from the link in the email that reached the local inbox.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  enablementRule,
  approvalRule,
  expirationRule,
  makeEligible,
  newUser,
  patchRule,
  startRolesStack,
  ROLES,
  type Ctx,
  type TestUser,
} from '../integration/roles/helpers.ts';
import { eventually } from '../integration/workflow/support.ts';
import { expectAccessible, launchBrowser, person, screenshot, signIn, completeSignIn, type Person } from './browser.ts';

describe('requester and approver in the portal', () => {
  let ctx: Ctx;
  let browser: Browser;
  let requester: TestUser;
  let sam: Person;

  beforeAll(async () => {
    ctx = await startRolesStack({ background: true });
    browser = await launchBrowser();
    requester = await newUser(ctx, 'requester');
    // Security Reader: fresh MFA and a reason, at most 4 hours. Exchange Administrator: an approver decides.
    await patchRule(
      ctx,
      ROLES.securityReader,
      'Enablement_EndUser_Assignment',
      enablementRule('Enablement_EndUser_Assignment', ['MultiFactorAuthentication', 'Justification']),
    );
    await patchRule(ctx, ROLES.securityReader, 'Expiration_EndUser_Assignment', expirationRule('Expiration_EndUser_Assignment', true, 'PT4H'));
    await patchRule(
      ctx,
      ROLES.exchangeAdministrator,
      'Enablement_EndUser_Assignment',
      enablementRule('Enablement_EndUser_Assignment', ['Justification', 'Ticketing']),
    );
    await patchRule(ctx, ROLES.exchangeAdministrator, 'Approval_EndUser_Assignment', approvalRule(true, [ctx.adminId]));
    await makeEligible(ctx, requester.id, ROLES.securityReader);
    await makeEligible(ctx, requester.id, ROLES.exchangeAdministrator);
    sam = await person(browser);
  });
  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await screenshot(sam.page, `failed-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.stop();
  });

  it('shows My roles with each eligible role and what activating it asks for', async () => {
    // Act
    await signIn(sam, ctx.stack.url, requester.upn);

    // Assess
    const page = sam.page;
    await expect(page.getByRole('heading', { level: 1, name: 'My roles' }).isVisible()).resolves.toBe(true);
    const reader = page.getByRole('row', { name: /Security Reader/ });
    // The rules come a moment after the rows.
    await reader.getByText('Max 4 hours').waitFor();
    await expect(reader.textContent()).resolves.toMatch(/MFA.*Justification.*Max 4 hours/);
    await expect(page.getByRole('row', { name: /Exchange Administrator/ }).textContent()).resolves.toMatch(/Justification.*Ticket.*Approval/);
    await screenshot(page, 'requester-my-roles');
    await expectAccessible(page, 'My roles');
  });

  it('activates a role that needs fresh MFA: sends the person through the MFA sign-in and finishes with what they typed', async () => {
    // Prepare
    const page = sam.page;
    await page.getByRole('button', { name: 'Activate Security Reader' }).click();
    const pane = page.getByRole('dialog');
    await pane.getByText('Additional verification required').waitFor();
    await pane.getByLabel('Reason').fill('Investigating alert 4711');
    await pane.getByLabel('Duration (hours)').fill('2');
    await screenshot(page, 'requester-activate-pane');
    await expectAccessible(page, 'Activate pane');

    // Act
    await pane.getByRole('button', { name: 'Verify your identity with multifactor authentication' }).click();
    await completeSignIn(page, requester.upn, { mfa: true });

    // Assess
    await page.getByText('Security Reader: active').waitFor();
    const instances = await ctx.api.call('GET', `/v1.0/roleManagement/directory/roleAssignmentScheduleInstances?$filter=principalId eq '${requester.id}'`, {
      token: await ctx.admin(),
    });
    expect(instances.body.value).toHaveLength(1);
    expect(instances.body.value[0]).toMatchObject({ roleDefinitionId: ROLES.securityReader, assignmentType: 'Activated' });
    const requests = await ctx.api.call('GET', `/v1.0/roleManagement/directory/roleAssignmentScheduleRequests?$filter=principalId eq '${requester.id}'`, {
      token: await ctx.admin(),
    });
    expect(requests.body.value[0]).toMatchObject({ justification: 'Investigating alert 4711', scheduleInfo: { expiration: { duration: 'PT2H' } } });
    await page.getByRole('tab', { name: /Active assignments/ }).click();
    await page
      .getByRole('row', { name: /Security Reader/ })
      .getByText(/h \d+ m left/)
      .waitFor();
    await screenshot(page, 'requester-active');
    expect(sam.problems).toEqual([]);
  });

  it('asks for a role that needs approval; the approver decides from the email; the requester sees it active', async () => {
    // Prepare
    const page = sam.page;
    await page.getByRole('tab', { name: /Eligible assignments/ }).click();
    await page.getByRole('button', { name: 'Activate Exchange Administrator' }).click();
    const pane = page.getByRole('dialog');
    await pane.getByLabel('Reason').fill('Mailbox migration tonight');
    await pane.getByLabel('Ticket number').fill('CHG-1234');
    await pane.getByLabel('Ticket system').fill('ServiceNow');

    // Act: the request
    await pane.getByRole('button', { name: 'Activate', exact: true }).click();
    await page.getByText('Exchange Administrator: pending approval').waitFor();

    // Assess: My requests shows it at once, with Cancel
    await page.getByRole('link', { name: 'My requests' }).click();
    const row = page.getByRole('row', { name: /Exchange Administrator/ });
    await row.getByText('Pending approval').waitFor();
    await expect(row.getByRole('button', { name: /Cancel the request/ }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'requester-my-requests');
    await expectAccessible(page, 'My requests');

    // Act: the approver opens the link in the email
    let link: string | undefined;
    await eventually(async () => {
      const mail = (await ctx.stack.inbox!.messages()).find(
        (m) => m.subject.includes('Exchange Administrator') && (m.body.html ?? m.body.text ?? '').includes('/portal/approvals/'),
      );
      link = mail && /https?:\/\/[^"\s<]+\/portal\/approvals\/[A-Za-z0-9_]+/.exec(mail.body.html ?? mail.body.text ?? '')?.[0];
      return link !== undefined;
    }, 'the approval email');
    const approver = await person(browser);
    await approver.page.goto(link!);
    await completeSignIn(approver.page, 'admin@contoso.test', { mfa: true });
    await approver.page.getByRole('heading', { name: 'Approve or deny' }).waitFor();
    await expect(approver.page.getByText('Mailbox migration tonight').first().isVisible()).resolves.toBe(true);
    await expect(approver.page.getByText('CHG-1234 (ServiceNow)').isVisible()).resolves.toBe(true);
    await screenshot(approver.page, 'approver-request-from-email');
    await expectAccessible(approver.page, 'request page (approver)');
    await approver.page.getByRole('textbox', { name: 'Justification' }).fill('Planned change CHG-1234');
    await approver.page.getByRole('button', { name: 'Approve', exact: true }).click();

    // Assess
    await approver.page.getByRole('row', { name: /Approved/ }).waitFor();
    await eventually(async () => {
      const active = await ctx.api.call('GET', `/v1.0/roleManagement/directory/roleAssignmentScheduleInstances?$filter=principalId eq '${requester.id}'`, {
        token: await ctx.admin(),
      });
      return active.body.value.some((i: { roleDefinitionId: string }) => i.roleDefinitionId === ROLES.exchangeAdministrator);
    }, 'the approved activation in force');
    await page.getByRole('link', { name: 'My roles' }).click();
    await page.getByRole('tab', { name: /Active assignments/ }).click();
    await page.getByRole('row', { name: /Exchange Administrator/ }).waitFor();
    expect(sam.problems).toEqual([]);
    expect(approver.problems).toEqual([]);
  });
});
