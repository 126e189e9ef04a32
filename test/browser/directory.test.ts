/**
 * An administrator keeps the directory in the portal, in Chromium, against the real local stack: finds
 * people by a server-side search, creates a user and edits them, creates a group with a member, removes
 * the member, deletes what they made, and sees the API's refusal when a user still holds roles.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.ts';
import { startTestStack } from '../helpers/stack.ts';
import { expectAccessible, launchBrowser, person, screenshot, signIn, type Person } from './browser.ts';

describe('Directory in the portal', () => {
  let stack: LocalStack;
  let browser: Browser;
  let admin: Person;

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchBrowser();
    admin = await person(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('lists users and finds them by the start of a name, kept in the URL', async () => {
    // Act
    await signIn(admin, stack.url, 'admin@contoso.test', { mfa: true, path: '/manage/directory' });
    const page = admin.page;
    await page.getByRole('row', { name: /Lena Fischer/ }).waitFor();
    await page.getByRole('searchbox', { name: 'Search users' }).fill('mei');

    // Assess
    await page.waitForURL(/search=mei/);
    await page.getByRole('row', { name: /Mei Chen/ }).waitFor();
    await expect(page.getByRole('row', { name: /Lena Fischer/ }).count()).resolves.toBe(0);
    await screenshot(page, 'directory-users-search');
    await expectAccessible(page, 'Directory');
  });

  it('creates a user, then edits only what changed', async () => {
    // Prepare
    const page = admin.page;
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'User principal name' }).fill('dana.field@contoso.test');
    await dialog.getByRole('textbox', { name: /^Display name/ }).fill('Dana Field');
    await expectAccessible(page, 'New user');

    // Act
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dana Field' }).waitFor();
    const patches: string[] = [];
    page.on('request', (r) => r.method() === 'PATCH' && patches.push(r.postData() ?? ''));
    await page.getByRole('button', { name: 'Edit' }).click();
    await page
      .getByRole('dialog')
      .getByRole('textbox', { name: /^Job title/ })
      .fill('Auditor');
    await page.getByRole('dialog').getByText('Account enabled', { exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();

    // Assess
    await page.getByText('Auditor').waitFor();
    expect(patches.map((p) => JSON.parse(p))).toEqual([{ jobTitle: 'Auditor', accountEnabled: false }]);
    await screenshot(page, 'directory-user');
    await expectAccessible(page, 'User');
  });

  it('creates a group with a member, removes the member, and deletes the group', async () => {
    // Prepare
    const page = admin.page;
    await page.goto(`${stack.url}/portal/manage/directory?tab=groups`);
    await page.getByRole('button', { name: 'New group' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Group name' }).fill('Audit Readers');
    await dialog.getByRole('combobox', { name: /Members/ }).fill('dana');
    await page.getByRole('option', { name: /Dana Field/ }).click();

    // Act
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit Readers' }).waitFor();
    const member = page.getByRole('row', { name: /Dana Field/ });
    await member.waitFor();
    await screenshot(page, 'directory-group');
    await expectAccessible(page, 'Group');
    await page.getByRole('button', { name: 'Remove Dana Field from Audit Readers' }).click();
    await page.getByText('No members').waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Delete group Audit Readers' }).click();

    // Assess
    await page.waitForURL(/tab=groups/);
    await page
      .getByRole('row', { name: /Helpdesk/ })
      .first()
      .waitFor();
    await expect(page.getByRole('row', { name: /Audit Readers/ }).count()).resolves.toBe(0);
  });

  it("shows the API's refusal as it said it when a user still holds roles", async () => {
    // Prepare
    const page = admin.page;
    await page.goto(`${stack.url}/portal/manage/directory?tab=users&search=admin`);
    await page.getByRole('link', { name: 'Ada Admin' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ada Admin' }).waitFor();

    // Act
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Delete user Ada Admin' }).click();

    // Assess
    await page.getByRole('dialog').getByText('Request_PrincipalHoldsRoles (HTTP 409)').waitFor();
    await expect(page.getByRole('dialog').textContent()).resolves.toMatch(/Ada Admin still holds \d+ role assignments? or eligibilit/);
    await screenshot(page, 'directory-delete-refused');
    expect(admin.problems).toEqual([]);
  });
});
