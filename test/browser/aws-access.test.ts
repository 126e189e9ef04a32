/**
 * AWS roles beside directory roles in My roles, in Chromium against the real local stack and its AWS
 * emulator (moto_server): Sam, eligible for ReadOnlyAccess on the NonProd OU, opens My roles → AWS
 * accounts, activates it in the dev account, and sees it Provisioned once IAM Identity Center has made
 * the account assignment, which the emulator then holds.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRolesStack, type Ctx } from '../integration/roles/helpers.ts';
import { eventually } from '../integration/workflow/support.ts';
import { completeSignIn, expectAccessible, launchBrowser, person, screenshot, signIn, type Person } from './browser.ts';

const AWS = '/v1.0/roleManagement/aws';
const SAM = 'sam.rivera@contoso.test';

describe('AWS roles in My roles', () => {
  let ctx: Ctx;
  let browser: Browser;
  let sam: Person;
  let dev: { id: string; displayName: string; parents: { id: string; displayName: string }[] };

  beforeAll(async () => {
    ctx = await startRolesStack({ background: true, awsPort: 0 });
    browser = await launchBrowser();
    const token = await ctx.admin();
    const roles = (await ctx.api.call('GET', `${AWS}/roleDefinitions`, { token })).body.value as { id: string; displayName: string }[];
    const accounts = (await ctx.api.call('GET', `${AWS}/accounts`, { token })).body.value as (typeof dev)[];
    dev = accounts.find((a) => a.displayName === 'dev')!;
    const nonProd = dev.parents.find((p) => p.displayName === 'NonProd')!;
    const samId = (await ctx.api.call('GET', `/v1.0/users/${SAM}`, { token })).body.id as string;
    const eligible = await ctx.api.call('POST', `${AWS}/roleEligibilityScheduleRequests`, {
      token,
      body: {
        action: 'adminAssign',
        principalId: samId,
        roleDefinitionId: roles.find((r) => r.displayName === 'ReadOnlyAccess')!.id,
        directoryScopeId: `/ous/${nonProd.id}`,
        justification: 'NonProd read access',
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      },
    });
    expect(eligible.status, JSON.stringify(eligible.body)).toBe(201);
    sam = await person(browser);
  });
  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await screenshot(sam.page, `failed-aws-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.stop();
  });

  it('shows the AWS role beside directory roles, at its OU', async () => {
    // Act
    await signIn(sam, ctx.stack.url, SAM);
    await sam.page.getByRole('tab', { name: 'AWS accounts' }).click();

    // Assess
    const row = sam.page.getByRole('row', { name: /ReadOnlyAccess/ });
    await row.getByText('OU NonProd').waitFor();
    await row.getByText(/Max \d+ hours/).waitFor();
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

    // Act: the role asks for fresh MFA (which Sam cannot read in its settings): the portal sends him
    // through the MFA sign-in and finishes the activation with the account he chose.
    await pane.getByRole('button', { name: 'Activate', exact: true }).click();
    await completeSignIn(page, SAM, { mfa: true });

    // Assess
    await page.getByText(`ReadOnlyAccess in dev (${dev.id}): pending provisioning`).waitFor();
    await page.getByRole('tab', { name: /Active assignments/ }).click();
    const row = page.getByRole('row', { name: /ReadOnlyAccess/ });
    await row.getByText(`dev (${dev.id})`).waitFor();
    await row.getByText('Provisioned').waitFor({ timeout: 30_000 });
    await row.getByText(/Usable since/).waitFor();
    const assignments = (await ctx.api.call('GET', '/local/aws/assignments')).body.value as {
      userName: string;
      permissionSetName: string;
      accountName: string;
    }[];
    expect(assignments).toContainEqual(expect.objectContaining({ userName: SAM, permissionSetName: 'ReadOnlyAccess', accountName: 'dev' }));
    await screenshot(page, 'aws-active');
    await expectAccessible(page, 'My roles, AWS accounts, active');
    expect(sam.problems).toEqual([]);
  });

  it('lists the AWS request in My requests, and shows the active AWS role in dark mode', async () => {
    // Act
    await sam.page.goto(`${ctx.stack.url}/portal/my-requests?kind=aws`);

    // Assess
    const request = sam.page.getByRole('row', { name: /ReadOnlyAccess.*Activate/ });
    await request.getByText(/Provisioned|Pending provisioning/).waitFor();
    await expect(request.textContent()).resolves.toContain(`dev (${dev.id})`);
    await screenshot(sam.page, 'aws-my-requests');
    await expectAccessible(sam.page, 'My requests, AWS accounts');

    const dark = await person(browser, { dark: true });
    await signIn(dark, ctx.stack.url, SAM, { path: '/my-roles?tab=aws&view=active' });
    await dark.page
      .getByRole('row', { name: /ReadOnlyAccess/ })
      .getByText('Provisioned')
      .waitFor();
    await screenshot(dark.page, 'aws-active-dark');
    await expectAccessible(dark.page, 'My roles, AWS accounts, active (dark)');
    await dark.page.goto(`${ctx.stack.url}/portal/my-roles?tab=aws`);
    await dark.page.getByRole('button', { name: 'Activate ReadOnlyAccess in OU NonProd' }).click();
    await dark.page.getByRole('dialog').getByText('AWS session duration: 1 hour').waitFor();
    await screenshot(dark.page, 'aws-activate-pane-dark');
    expect(dark.problems).toEqual([]);
    expect(sam.problems).toEqual([]);
    await dark.context.close();
  });
});
