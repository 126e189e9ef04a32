/**
 * Every page of the portal, as a Global Administrator with data on it, in light and in dark mode: it
 * shows its heading (no blank page, no error boundary), axe (WCAG 2.2 AA) finds no serious or critical
 * violation, no script error or CSP violation is reported, and a screenshot is kept to look at.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activate, approvalRule, makeEligible, newGroup, newUser, patchRule, startRolesStack, ROLES, type Ctx } from '../integration/roles/helpers.ts';
import { expectAccessible, launchBrowser, person, screenshot, signIn, type Person } from './browser.ts';

describe('every page of the portal', () => {
  let ctx: Ctx;
  let browser: Browser;
  // The paths read the ids made in beforeAll when they are visited.
  const pages: [name: string, path: () => string][] = [
    ['my-roles', () => '/my-roles'],
    ['my-roles-aws', () => '/my-roles?tab=aws'],
    ['my-requests', () => '/my-requests'],
    ['my-requests-aws', () => '/my-requests?kind=aws'],
    ['request', () => `/requests/${ids.request}`],
    ['approval', () => `/approvals/${ids.request}`],
    ['approve-requests', () => '/approve-requests'],
    ['review-access', () => '/review-access'],
    ['review-instance', () => `/reviews/${ids.review}/${ids.instance}`],
    ['manage-roles', () => '/manage/roles'],
    ['manage-role', () => `/manage/roles/${ROLES.exchangeAdministrator}`],
    ['role-settings', () => '/manage/role-settings'],
    ['role-setting', () => `/manage/role-settings/${ROLES.exchangeAdministrator}`],
    ['manage-groups', () => '/manage/groups'],
    ['manage-group', () => `/manage/groups/${ids.group}`],
    ['access-reviews', () => '/manage/access-reviews'],
    ['new-access-review', () => '/manage/access-reviews/new'],
    ['access-review', () => `/manage/access-reviews/${ids.review}`],
    ['directory', () => '/manage/directory'],
    ['directory-user', () => `/manage/directory/users/${ids.user}`],
    ['directory-group', () => `/manage/directory/groups/${ids.group}`],
    ['directory-service-principal', () => `/manage/directory/servicePrincipals/${ids.sp}`],
    ['resource-audit', () => '/activity/resource-audit'],
    ['my-audit', () => '/activity/my-audit'],
    ['alerts', () => '/manage/alerts'],
    ['alert', () => '/manage/alerts/DirectoryRole_stint_RolesAssignedOutsidePrivilegedIdentityManagementAlert'],
    ['alert-settings', () => '/manage/alerts/settings'],
    ['insights', () => '/manage/insights'],
  ];
  // A few pages per test, so that none runs near the hang limit on a busy machine.
  const CHUNK = 6;
  const ids: Record<string, string> = {};
  // One signed-in administrator per colour scheme, made by the first test of that mode and kept by the
  // others: each page is opened afresh by its URL anyway, and a sign-in costs as much as a page or two.
  const admins = new Map<'light' | 'dark', Promise<Person>>();
  const signedIn = (mode: 'light' | 'dark'): Promise<Person> => {
    let admin = admins.get(mode);
    if (!admin) {
      admin = (async () => {
        const p = await person(browser, { dark: mode === 'dark' });
        await signIn(p, ctx.stack.url, 'admin@contoso.test', { mfa: true });
        return p;
      })();
      admins.set(mode, admin);
    }
    return admin;
  };

  beforeAll(async () => {
    // With the AWS emulator, so that My roles → AWS accounts and My requests → AWS accounts show their tables.
    ctx = await startRolesStack({ background: true, awsPort: 0 });
    browser = await launchBrowser();
    const admin = await ctx.admin();
    const user = await newUser(ctx, 'pages');
    const group = await newGroup(ctx, 'Pages-group', { roleAssignable: true });
    await patchRule(ctx, ROLES.exchangeAdministrator, 'Approval_EndUser_Assignment', approvalRule(true, [ctx.adminId]));
    await makeEligible(ctx, user.id, ROLES.exchangeAdministrator);
    await makeEligible(ctx, ctx.adminId, ROLES.securityReader);
    const pending = await activate(ctx, user, ROLES.exchangeAdministrator, { justification: 'Pages test' });
    expect(pending.status, JSON.stringify(pending.body)).toBe(201);
    const review = await ctx.api.call('POST', '/v1.0/identityGovernance/accessReviews/definitions', {
      token: admin,
      body: {
        displayName: 'Pages review',
        scope: {
          '@odata.type': '#microsoft.graph.principalResourceMembershipsScope',
          resourceScopes: [{ query: `/roleManagement/directory/roleDefinitions/${ROLES.exchangeAdministrator}`, queryType: 'MicrosoftGraph' }],
        },
        reviewers: [{ query: `/users/${ctx.adminId}`, queryType: 'MicrosoftGraph' }],
        settings: { instanceDurationInDays: 3 },
      },
    });
    expect(review.status, JSON.stringify(review.body)).toBe(201);
    await ctx.api.call('POST', '/local/reviews/run', {});
    const instances = await ctx.api.call('GET', `/v1.0/identityGovernance/accessReviews/definitions/${review.body.id}/instances`, { token: admin });
    Object.assign(ids, { request: pending.body.id, user: user.id, group: group.id, review: review.body.id, instance: instances.body.value[0]?.id ?? 'none' });
    const sp = await ctx.api.call('GET', '/v1.0/servicePrincipals?$top=1', { token: admin });
    ids.sp = sp.body.value[0].id;
  });
  afterAll(async () => {
    await browser?.close();
    await ctx?.stop();
  });

  for (const mode of ['light', 'dark'] as const) {
    for (let from = 0; from < pages.length; from += CHUNK) {
      const chunk = pages.slice(from, from + CHUNK);
      it(`shows ${chunk[0]![0]} … ${chunk.at(-1)![0]} in ${mode} mode, accessible and without errors`, async () => {
        // Prepare
        const admin = await signedIn(mode);
        const failures: string[] = [];

        for (const [name, path] of chunk) {
          // Act
          await admin.page.goto(`${ctx.stack.url}/portal${path()}`);
          await admin.page.getByRole('heading', { level: 1 }).first().waitFor();
          await admin.page.waitForLoadState('networkidle');

          // Assess
          await screenshot(admin.page, `page-${name}-${mode}`);
          const heading = await admin.page.getByRole('heading', { level: 1 }).first().textContent();
          if (/could not be shown|not found/i.test(heading ?? '') || (await admin.page.getByText('This page could not be shown').count()) > 0)
            failures.push(`${name}: ${heading}`);
          try {
            await expectAccessible(admin.page, name);
          } catch (error) {
            failures.push((error as Error).message.split('\n').slice(0, 6).join(' '));
          }
        }
        expect(failures).toEqual([]);
        // Everything this administrator's pages reported so far, in this test and the ones before.
        expect(admin.problems).toEqual([]);
      });
    }
  }
});
