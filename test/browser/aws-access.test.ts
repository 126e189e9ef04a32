/**
 * AWS roles beside directory roles in My roles, in Chromium against the real local stack and its AWS
 * emulator (moto_server): Sam, eligible for ReadOnlyAccess on the NonProd OU, opens My roles → AWS
 * accounts, activates it in the dev account, and sees it Provisioned once IAM Identity Center has made
 * the account assignment, which the emulator then holds; he deactivates it and the assignment goes.
 * The stack's clock is a manual one, ten minutes behind the browser's, so that the API's five-minute
 * rule is passed by advancing it while the page already offers Deactivate.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/domain/clock.ts';
import { startRolesStack, type Ctx } from '../integration/roles/helpers.ts';
import { eventually } from '../integration/workflow/support.ts';
import { completeSignIn, expectAccessible, launchBrowser, person, screenshot, signIn, type Person } from './browser.ts';

const AWS = '/v1.0/roleManagement/aws';
const SAM = 'sam.rivera@contoso.test';

interface Account {
  id: string;
  displayName: string;
  parents: { id: string; displayName: string }[];
}

describe('AWS roles in My roles', () => {
  const clock = new ManualClock(new Date(Date.now() - 10 * 60_000));
  let ctx: Ctx;
  let browser: Browser;
  let sam: Person;
  let dev: Account;
  let prod: Account;
  const inEmulator = async () =>
    ((await ctx.api.call('GET', '/local/aws/assignments')).body.value as { userName: string; permissionSetName: string; accountName: string }[]).some(
      (a) => a.userName === SAM && a.permissionSetName === 'ReadOnlyAccess' && a.accountName === 'dev',
    );

  beforeAll(async () => {
    ctx = await startRolesStack({ clock, background: true, awsPort: 0 });
    browser = await launchBrowser();
    const token = await ctx.admin();
    const roles = (await ctx.api.call('GET', `${AWS}/roleDefinitions`, { token })).body.value as { id: string; displayName: string }[];
    const accounts = (await ctx.api.call('GET', `${AWS}/accounts`, { token })).body.value as Account[];
    dev = accounts.find((a) => a.displayName === 'dev')!;
    prod = accounts.find((a) => a.displayName === 'prod')!;
    const nonProd = dev.parents.find((p) => p.displayName === 'NonProd')!;
    const samId = (await ctx.api.call('GET', `/v1.0/users/${SAM}`, { token })).body.id as string;
    const eligible = (role: string, directoryScopeId: string) =>
      ctx.api.call('POST', `${AWS}/roleEligibilityScheduleRequests`, {
        token,
        body: {
          action: 'adminAssign',
          principalId: samId,
          roleDefinitionId: roles.find((r) => r.displayName === role)!.id,
          directoryScopeId,
          justification: 'AWS access',
          scheduleInfo: { expiration: { type: 'noExpiration' } },
        },
      });
    for (const made of [await eligible('ReadOnlyAccess', `/ous/${nonProd.id}`), await eligible('AdministratorAccess', `/accounts/${prod.id}`)])
      expect(made.status, JSON.stringify(made.body)).toBe(201);
    sam = await person(browser);
  });
  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await screenshot(sam.page, `failed-aws-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.stop();
  });

  it('shows the AWS roles beside directory roles, at an OU and at an account', async () => {
    // Act
    await signIn(sam, ctx.stack.url, SAM);
    await sam.page.getByRole('tab', { name: 'AWS accounts' }).click();

    // Assess
    const row = sam.page.getByRole('row', { name: /ReadOnlyAccess/ });
    await row.getByText('OU NonProd').waitFor();
    await row.getByText(/Max \d+ hours/).waitFor();
    await sam.page
      .getByRole('row', { name: /AdministratorAccess/ })
      .getByText(`prod (${prod.id})`)
      .waitFor();
    await screenshot(sam.page, 'aws-my-roles');
    await expectAccessible(sam.page, 'My roles, AWS accounts');
  });

  it('activates ReadOnlyAccess in dev: pending provisioning, then Provisioned in Active, and the emulator holds the assignment', async () => {
    // Prepare
    const page = sam.page;
    await page.getByRole('button', { name: 'Activate ReadOnlyAccess in OU NonProd' }).click();
    const pane = page.getByRole('dialog');
    await pane.getByText('AWS session duration: 1 hour').waitFor();
    await pane.getByRole('button', { name: /Account for ReadOnlyAccess/ }).click();
    await pane.getByRole('option', { name: /dev/ }).click();
    await pane.getByLabel('Reason').fill('Look at the dev deployment');
    await screenshot(page, 'aws-activate-pane');
    await expectAccessible(page, 'Activate pane, AWS role');

    // Act: the role's settings ask for fresh MFA: the portal sends Sam through the MFA sign-in and
    // finishes the activation with the account he chose.
    await pane.getByRole('button', { name: 'Verify your identity with multifactor authentication' }).click();
    await completeSignIn(page, SAM, { mfa: true });

    // Assess
    await page.getByText(`ReadOnlyAccess in dev (${dev.id}): pending provisioning`).waitFor();
    await page.getByRole('tab', { name: /Active assignments/ }).click();
    const row = page.getByRole('row', { name: /ReadOnlyAccess/ });
    await row.getByText(`dev (${dev.id})`).waitFor();
    await row.getByText('Provisioned').waitFor({ timeout: 30_000 });
    await row.getByText(/Usable since/).waitFor();
    expect(await inEmulator()).toBe(true);
    await screenshot(page, 'aws-active');
    await expectAccessible(page, 'My roles, AWS accounts, active');
    expect(sam.problems).toEqual([]);
  });

  it('offers the account of an account eligibility at once, and warns when sessions outlive a deactivation (dark mode)', async () => {
    // Prepare
    const dark = await person(browser, { dark: true });
    await signIn(dark, ctx.stack.url, SAM, { path: '/my-roles?tab=aws' });

    // Act
    await dark.page.getByRole('button', { name: `Activate AdministratorAccess in prod (${prod.id})` }).click();

    // Assess: AdministratorAccess issues 4-hour sessions.
    const pane = dark.page.getByRole('dialog');
    await pane.getByText('AWS session duration: 4 hours').waitFor();
    await pane.getByText('Sessions outlive a deactivation').waitFor();
    await expect(pane.getByRole('button', { name: /Account for AdministratorAccess/ }).textContent()).resolves.toContain('prod');
    await screenshot(dark.page, 'aws-activate-pane-dark');
    await expectAccessible(dark.page, 'Activate pane, AWS role (dark)');
    await pane.getByRole('button', { name: 'Cancel' }).click();
    await dark.page.getByRole('tab', { name: /Active assignments/ }).click();
    await dark.page
      .getByRole('row', { name: /ReadOnlyAccess/ })
      .getByText('Provisioned')
      .waitFor();
    await screenshot(dark.page, 'aws-active-dark');
    await expectAccessible(dark.page, 'My roles, AWS accounts, active (dark)');
    expect(dark.problems).toEqual([]);
    await dark.context.close();
  });

  it('lists the AWS request in My requests', async () => {
    // Act
    await sam.page.goto(`${ctx.stack.url}/portal/my-requests?kind=aws`);

    // Assess
    const request = sam.page.getByRole('row', { name: /ReadOnlyAccess.*Activate/ });
    await request.getByText(/Provisioned|Pending provisioning/).waitFor();
    await expect(request.textContent()).resolves.toContain(`dev (${dev.id})`);
    await screenshot(sam.page, 'aws-my-requests');
    await expectAccessible(sam.page, 'My requests, AWS accounts');
  });

  it('deactivates the AWS role: the assignment goes, and the notice says until when sessions issued before may last', async () => {
    // Prepare: the API counts the five minutes from the start by its own clock.
    clock.advance(6 * 60_000);
    const page = sam.page;
    await page.goto(`${ctx.stack.url}/portal/my-roles?tab=aws&view=active`);

    // Act
    await page.getByRole('button', { name: `Deactivate ReadOnlyAccess in dev (${dev.id})` }).click();
    const pane = page.getByRole('dialog');
    await pane.getByText(/Sessions already issued keep working/).waitFor();
    await pane.getByRole('button', { name: 'Deactivate', exact: true }).click();

    // Assess
    await page.getByText(`ReadOnlyAccess in dev (${dev.id}): deactivated`).waitFor();
    await page.getByText(/Sessions issued before may last until/).waitFor();
    await eventually(async () => !(await inEmulator()), 'the assignment is deleted after deactivation');
    await page.getByRole('tab', { name: /Active assignments/ }).click();
    await page.getByText('No active assignments').waitFor();
    expect(sam.problems).toEqual([]);
  });

  it('shows an activation that ran out under Expired assignments, with until when its sessions may last', async () => {
    // Prepare: an hour's activation in staging, made through the API, provisioned, then its end passes.
    const token = await ctx.api.token(SAM, { mfa: true });
    const samId = (await ctx.api.call('GET', '/v1.0/me', { token })).body.id as string;
    const roleId = (await ctx.api.call('GET', `${AWS}/roleDefinitions`, { token })).body.value.find(
      (r: { displayName: string }) => r.displayName === 'ReadOnlyAccess',
    ).id;
    const staging = (await ctx.api.call('GET', `${AWS}/accounts`, { token })).body.value.find((a: Account) => a.displayName === 'staging') as Account;
    const started = await ctx.api.call('POST', `${AWS}/roleAssignmentScheduleRequests`, {
      token,
      body: {
        action: 'selfActivate',
        principalId: samId,
        roleDefinitionId: roleId,
        directoryScopeId: `/accounts/${staging.id}`,
        justification: 'Check staging',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
      },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const requested = async () => (await ctx.api.call('GET', `${AWS}/roleAssignmentScheduleRequests/${started.body.id}`, { token })).body.status;
    await eventually(async () => (await requested()) === 'Provisioned', 'the activation is provisioned');
    clock.advance(61 * 60_000);
    const held = async () =>
      ((await ctx.api.call('GET', '/local/aws/assignments')).body.value as { userName: string; accountName: string }[]).some(
        (a) => a.userName === SAM && a.accountName === 'staging',
      );
    await eventually(async () => !(await held()), 'the assignment is deleted at the end');

    // Act: signing in again, as the API's clock has moved past the first sign-in's token.
    const later = await person(browser);
    await signIn(later, ctx.stack.url, SAM, { path: '/my-roles?tab=aws&view=expired' });

    // Assess
    const row = later.page.getByRole('row', { name: /staging/ });
    await row.getByText(/Sessions issued before may last until/).waitFor();
    await screenshot(later.page, 'aws-expired');
    await expectAccessible(later.page, 'My roles, AWS accounts, expired');
    expect(later.problems).toEqual([]);
    await later.context.close();
  });
});
