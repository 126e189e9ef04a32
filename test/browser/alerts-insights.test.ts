/**
 * An administrator works PIM's alerts and Discovery and insights in the portal, in Chromium, against the
 * real local stack: drift made through the API (a standing member added to a role-assignable group
 * through the directory) is found by Scan, shown as a High alert, and fixed from its incident; a
 * threshold out of range is refused with the API's own message beside the field, then a good one saved;
 * a standing active assignment is made eligible from Discovery and insights. Each page is scanned by axe
 * in light and dark mode, and screenshots are kept to look at.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addMember, makeActive, newGroup, newUser, startRolesStack, ROLES, type Ctx, type TestUser } from '../integration/roles/helpers.ts';
import { expectAccessible, launchBrowser, person, screenshot, signIn, type Person } from './browser.ts';

const ALERTS = '/beta/identityGovernance/roleManagementAlerts';
const OUTSIDE = 'Roles are being assigned outside of Privileged Identity Management';
const STALE_ID = 'DirectoryRole_stint_StaleSignInAlert';

describe('alerts and Discovery and insights in the portal', () => {
  let ctx: Ctx;
  let browser: Browser;
  let ada: Person;
  let standing: TestUser;
  let permanent: TestUser;

  beforeAll(async () => {
    ctx = await startRolesStack({ background: true });
    browser = await launchBrowser();
    [standing, permanent] = await Promise.all([newUser(ctx, 'standing'), newUser(ctx, 'permanent')]);
    // Drift: a role-assignable group holding User Administrator gets a standing member through the directory.
    const group = await newGroup(ctx, 'Helpdesk-admins', { roleAssignable: true });
    await makeActive(ctx, group.id, ROLES.userAdministrator);
    await addMember(ctx, group.id, standing.id);
    // Standing access: a permanent active assignment of a privileged role.
    await makeActive(ctx, permanent.id, ROLES.securityAdministrator);
    ada = await person(browser);
    await signIn(ada, ctx.stack.url, 'admin@contoso.test', { mfa: true });
  });
  afterEach(async (test) => {
    if (test.task.result?.state === 'fail') await screenshot(ada.page, `failed-alerts-${test.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.stop();
  });

  it('scans, shows the High alert first, and fixes its incident after saying what Fix will do', async () => {
    // Prepare
    const page = ada.page;
    await page.getByRole('navigation').getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();

    // Act
    await page.getByRole('button', { name: 'Scan' }).click();
    await page.getByText('Scan complete').first().waitFor();

    // Assess: the High alert is the first row, with its incident (once the list is read again after the scan).
    const first = page.getByRole('row').nth(1);
    await expect.poll(() => first.textContent()).toMatch(new RegExp(`${OUTSIDE}.*High.*1.*Active`));
    await screenshot(page, 'alerts-list-light');
    await expectAccessible(page, 'Alerts');

    // Act: open it and fix the incident.
    await page.getByRole('link', { name: OUTSIDE }).click();
    await page.getByRole('heading', { level: 1, name: OUTSIDE }).waitFor();
    await page.getByRole('row', { name: new RegExp(standing.displayName) }).waitFor();
    await screenshot(page, 'alert-page-light');
    await expectAccessible(page, 'Alert page');
    await page.getByRole('button', { name: `Fix: ${standing.displayName} (${standing.upn})` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`${standing.displayName} (${standing.upn}) is removed from the role-assignable group that gives them User Administrator`).waitFor();
    await screenshot(page, 'alert-fix-light');
    await expectAccessible(page, 'Fix dialog');
    await dialog.getByRole('button', { name: 'Fix', exact: true }).click();

    // Assess: the incident is gone, here and in the API.
    await page.getByText('No incidents').waitFor();
    const incidents = await ctx.api.call('GET', `${ALERTS}/alerts/DirectoryRole_stint_RolesAssignedOutsidePrivilegedIdentityManagementAlert/alertIncidents`, {
      token: await ctx.admin(),
    });
    expect(incidents.body.value).toEqual([]);
    expect(ada.problems).toEqual([]);
  });

  it("refuses a threshold out of range with the API's message beside the field, then saves a good one", async () => {
    // Prepare
    const page = ada.page;
    await page.goto(`${ctx.stack.url}/portal/manage/alerts/settings`);
    await page.getByRole('heading', { level: 1, name: 'Alert settings' }).waitFor();
    const stale = page.getByRole('region', { name: 'Potential stale accounts in a privileged role' });
    const days = stale.getByRole('spinbutton', { name: 'Number of days' });

    // Act
    await days.fill('400');
    await stale.getByRole('button', { name: /^Save/ }).click();

    // Assess
    await stale.getByText(/duration must be a whole number of days from 1 to 365/).waitFor();
    await screenshot(page, 'alert-settings-refused-light');
    await expectAccessible(page, 'Alert settings');

    // Act
    await days.fill('60');
    await stale.getByRole('button', { name: /^Save/ }).click();

    // Assess
    await page.getByText(/Settings of "Potential stale accounts in a privileged role" saved/).waitFor();
    const config = await ctx.api.call('GET', `${ALERTS}/alertConfigurations/${STALE_ID}`, { token: await ctx.admin() });
    expect(config.body.duration).toBe('P60D');
    // The refusal is the one failed request the browser logs; nothing else went wrong.
    expect(ada.problems).toEqual(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    ada.problems.length = 0;
  });

  it('shows the figures and makes a selected standing assignment eligible in one step', async () => {
    // Prepare
    const page = ada.page;
    await page.getByRole('navigation').getByRole('link', { name: 'Discovery and insights' }).click();
    await page.getByRole('heading', { level: 1, name: 'Discovery and insights' }).waitFor();
    await page.getByRole('heading', { name: 'Activations in the last 7 days' }).waitFor();
    const row = page.getByRole('row', { name: new RegExp(permanent.displayName) });
    await row.waitFor();
    await screenshot(page, 'insights-light');
    await expectAccessible(page, 'Discovery and insights');

    // Act
    await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Convert to eligible' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Convert to eligible' }).click();

    // Assess: the result per item, and the API agrees.
    await page.getByRole('table', { name: 'Results of Eliminate standing access' }).getByText('Now eligible').waitFor();
    await screenshot(page, 'insights-results-light');
    const token = await ctx.admin();
    const filter = encodeURIComponent(`principalId eq '${permanent.id}'`);
    const active = await ctx.api.call('GET', `/v1.0/roleManagement/directory/roleAssignmentSchedules?$filter=${filter}`, { token });
    const eligible = await ctx.api.call('GET', `/v1.0/roleManagement/directory/roleEligibilitySchedules?$filter=${filter}`, { token });
    expect(active.body.value).toEqual([]);
    expect(eligible.body.value).toMatchObject([{ roleDefinitionId: ROLES.securityAdministrator }]);
    expect(ada.problems).toEqual([]);
  });

  // The pages above were scanned in light mode as they were used; here the rest, and all of them in dark mode.
  const VIEWS: Record<'light' | 'dark', [string, string][]> = {
    light: [
      ['alert-empty', `/manage/alerts/${STALE_ID}`],
      ['insights-global-administrators', '/manage/insights?tab=global-administrators'],
      ['insights-service-principals', '/manage/insights?tab=service-principals'],
      ['insights-digest', '/manage/insights?tab=digest'],
    ],
    dark: [
      ['alerts', '/manage/alerts'],
      ['alert', `/manage/alerts/${STALE_ID}`],
      ['alert-settings', '/manage/alerts/settings'],
      ['insights', '/manage/insights'],
      ['insights-global-administrators', '/manage/insights?tab=global-administrators'],
      ['insights-service-principals', '/manage/insights?tab=service-principals'],
      ['insights-digest', '/manage/insights?tab=digest'],
    ],
  };
  for (const mode of ['light', 'dark'] as const) {
    it(`shows the alerts and insights pages accessibly in ${mode} mode`, async () => {
      const viewer = await person(browser, { dark: mode === 'dark' });
      await signIn(viewer, ctx.stack.url, 'admin@contoso.test', { mfa: true });
      const failures: string[] = [];
      for (const [name, path] of VIEWS[mode]) {
        await viewer.page.goto(`${ctx.stack.url}/portal${path}`);
        await viewer.page.getByRole('heading', { level: 1 }).first().waitFor();
        await viewer.page.waitForLoadState('networkidle');
        await screenshot(viewer.page, `${name}-${mode}`);
        try {
          await expectAccessible(viewer.page, `${name} (${mode})`);
        } catch (error) {
          failures.push((error as Error).message.split('\n').slice(0, 6).join(' '));
        }
      }
      expect(failures).toEqual([]);
      expect(viewer.problems).toEqual([]);
      await viewer.context.close();
    }, 300_000);
  }
});
