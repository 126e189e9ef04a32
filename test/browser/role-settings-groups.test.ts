/**
 * An administrator changes role settings and group assignments in the portal, in Chromium, against the
 * real local stack: one role's settings through Edit → Review changes → Update, one change applied to two
 * roles at once, and an eligible member added to a group through Add assignments. The API is then asked
 * what was saved; every page passes axe.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customRole, newGroup, newUser, startRolesStack, type Ctx, type TestUser } from '../integration/roles/helpers.ts';
import { expectAccessible, launchBrowser, person, screenshot, signIn, type Person } from './browser.ts';

interface Rule {
  id: string;
  maximumDuration?: string;
  enabledRules?: string[];
  setting?: { isApprovalRequired?: boolean };
}

async function rulesOf(ctx: Ctx, roleId: string): Promise<Rule[]> {
  const filter = `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${roleId}'`;
  const result = await ctx.api.call(
    'GET',
    `/v1.0/policies/roleManagementPolicyAssignments?$filter=${encodeURIComponent(filter)}&$expand=${encodeURIComponent('policy($expand=rules)')}`,
    { token: await ctx.admin() },
  );
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body.value[0].policy.rules;
}

describe('an administrator in Role settings and Groups', () => {
  let ctx: Ctx;
  let browser: Browser;
  let admin: Person;
  let roleA: string;
  let roleB: string;
  let member: TestUser;
  let group: { id: string; displayName: string };

  beforeAll(async () => {
    ctx = await startRolesStack({ background: true });
    browser = await launchBrowser();
    [roleA, roleB] = await Promise.all([customRole(ctx, 'Settings A'), customRole(ctx, 'Settings B')]);
    member = await newUser(ctx, 'oncall');
    group = await newGroup(ctx, 'Oncall', { roleAssignable: false });
    admin = await person(browser);
    await signIn(admin, ctx.stack.url, 'admin@contoso.test', { mfa: true });
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.stop();
  });

  it("edits one role's settings, shows the change before saving, and saves only the changed rules", async () => {
    // Arrange
    const page = admin.page;
    await page.goto(`${ctx.stack.url}/portal/manage/role-settings/${roleA}`);
    await page.getByRole('heading', { name: /Role setting details/ }).waitFor();
    await expectAccessible(page, 'role setting details');

    // Act
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Activation maximum duration (hours)').fill('3');
    await page.getByText('Require ticket information on activation').click();
    await page.getByRole('button', { name: 'Next: Review changes' }).click();
    const review = page.getByRole('table', { name: 'Changes to save' });
    await expect.poll(() => review.getByRole('row').count()).toBe(3);
    await expect.poll(() => review.getByRole('row', { name: /Activation maximum duration/ }).innerText()).toMatch(/8\s+3/);
    await expectAccessible(page, 'role settings review');
    await screenshot(page, 'role-settings-review');
    await page.getByRole('button', { name: 'Update' }).click();
    await page.getByText('Settings updated').waitFor();

    // Assess
    const rules = await rulesOf(ctx, roleA);
    expect(rules.find((r) => r.id === 'Expiration_EndUser_Assignment')!.maximumDuration).toBe('PT3H');
    expect(rules.find((r) => r.id === 'Enablement_EndUser_Assignment')!.enabledRules).toContain('Ticketing');
    expect(admin.problems).toEqual([]);
  });

  it('applies one change to two roles at once', async () => {
    // Arrange
    const page = admin.page;
    await page.goto(`${ctx.stack.url}/portal/manage/role-settings?q=${encodeURIComponent('Settings ')}`);
    await page.getByRole('heading', { name: 'Role settings', level: 1 }).waitFor();
    await expectAccessible(page, 'role settings list');

    // Act
    const names = await Promise.all(
      [roleA, roleB].map(
        async (id) =>
          (await ctx.api.call('GET', `/v1.0/roleManagement/directory/roleDefinitions/${id}`, { token: await ctx.admin() })).body.displayName as string,
      ),
    );
    for (const name of names) await page.getByRole('checkbox', { name: `Select ${name}` }).check();
    await page.getByRole('button', { name: 'Edit settings for 2 roles' }).click();
    await page.getByText('Require approval to activate').click();
    await page.getByRole('button', { name: 'Next: Review changes' }).click();
    await expectAccessible(page, 'bulk review');
    await page.getByRole('button', { name: 'Update 2 roles' }).click();
    await page.getByText('2 of 2 roles saved.').waitFor();
    await screenshot(page, 'role-settings-bulk-done');

    // Assess: the approval changed on both; role A kept its own 3 hours, role B its 8.
    const [a, b] = await Promise.all([rulesOf(ctx, roleA), rulesOf(ctx, roleB)]);
    for (const rules of [a, b]) expect(rules.find((r) => r.id === 'Approval_EndUser_Assignment')!.setting!.isApprovalRequired).toBe(true);
    expect(a.find((r) => r.id === 'Expiration_EndUser_Assignment')!.maximumDuration).toBe('PT3H');
    expect(b.find((r) => r.id === 'Expiration_EndUser_Assignment')!.maximumDuration).toBe('PT8H');
    expect(admin.problems).toEqual([]);
  });

  it('adds an eligible member to a group through Add assignments', async () => {
    // Arrange
    const page = admin.page;
    await page.goto(`${ctx.stack.url}/portal/manage/groups?q=${encodeURIComponent(group.displayName)}`);
    await page.getByRole('link', { name: group.displayName }).click();
    await page.getByRole('heading', { name: group.displayName, level: 1 }).waitFor();
    await expectAccessible(page, 'group page');

    // Act
    await page.getByRole('button', { name: 'Add assignments' }).click();
    await page.getByRole('button', { name: 'Select member(s)' }).click();
    await page.getByPlaceholder('Search by name, user principal name or email').last().pressSequentially(member.displayName.slice(0, 12));
    await page.getByRole('option', { name: new RegExp(member.displayName) }).click();
    await page.getByRole('heading', { name: /Add assignments/ }).click();
    await page.getByRole('button', { name: 'Next >' }).click();
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByText('Assignments added').waitFor();

    // Assess
    await page.getByRole('table', { name: 'Eligible assignments' }).getByText(member.displayName).waitFor();
    await screenshot(page, 'group-eligible-assignments');
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Member settings' }).waitFor();
    await expectAccessible(page, 'group settings');
    expect(admin.problems).toEqual([]);
  });
});
