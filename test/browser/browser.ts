/**
 * A real Chromium (Debian's, driven by playwright-core; no browser download is possible here) against
 * the real local stack. Each test file gets its own browser; each person their own context, so their
 * sessionStorage (where the portal keeps tokens) is theirs alone.
 */
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

export const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
    ],
  });
}

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Script errors and CSP violations the page reported: a test ends by expecting none. */
  problems: string[];
}

export async function person(browser: Browser, options: { dark?: boolean } = {}): Promise<Person> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    colorScheme: options.dark ? 'dark' : 'light',
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of (401|403|404|409)/.test(message.text()))
      problems.push(`console: ${message.text()}`);
  });
  return { context, page, problems };
}

/** Saves a screenshot of the whole page as a test artifact (test-results/screenshots/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * axe (WCAG 2.2 A and AA): no serious or critical violation on what the page shows now. When every frame
 * is the page's own origin (the portal's pages), axe runs in the page itself (axe.run, AxeBuilder's
 * "legacy" mode): the default runs it per frame and then again in a new blank page to merge the results,
 * which is a second injection of axe and a page more for every check, for frames the page has none of.
 */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const origin = new URL(page.url()).origin;
  const ownFramesOnly = page.frames().every((frame) => frame.url() === '' || frame.url().startsWith('about:') || new URL(frame.url()).origin === origin);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).setLegacyMode(ownFramesOnly).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')}`,
    ),
    `accessibility of ${name}`,
  ).toEqual([]);
}

/** Completes the dev issuer's sign-in page as a person would: MFA box, then their name. */
export async function completeSignIn(page: Page, upn: string, options: { mfa?: boolean } = {}): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in to Stint (local)' }).waitFor();
  if (options.mfa) await page.getByLabel('I used MFA').check();
  let choice = page.locator('button[name=user]', { hasText: upn });
  if ((await choice.count()) === 0) {
    await page.getByLabel('Find a person by name or user principal name').fill(upn);
    await page.getByRole('button', { name: 'Search' }).click();
    choice = page.locator('button[name=user]', { hasText: upn });
  }
  await choice.click();
}

/** Opens the portal at `path` (signing in on the way) and waits until the page's heading shows. */
export async function signIn(p: Person, stackUrl: string, upn: string, options: { mfa?: boolean; path?: string } = {}): Promise<void> {
  await p.page.goto(`${stackUrl}/portal${options.path ?? '/'}`);
  await completeSignIn(p.page, upn, options);
  await p.page.waitForURL((url) => url.pathname.startsWith('/portal/') && !url.pathname.startsWith('/portal/callback'));
  await p.page.getByRole('heading', { level: 1 }).first().waitFor();
}
