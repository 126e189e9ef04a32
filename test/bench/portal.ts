/**
 * `npm run bench -- --portal`: the portal's budgets (issue 14). The initial JavaScript, gzipped, that the
 * first page loads (the entry script and what index.html preloads; pages load on first visit), and how
 * long My roles takes to become usable (its first Activate button on screen) after navigation, for a
 * person eligible for BENCH_PORTAL_ROLES roles (default 200), in Debian's Chromium against the local stack:
 * once with an empty browser cache, then BENCH_PORTAL_RUNS times (default 10) as a returning visitor.
 */
import { chromium } from 'playwright-core';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { ensurePortalBuilt, PORTAL_CLIENT_ID } from '../../infra/local/portal-site.ts';
import { startDynamoLocal } from '../../infra/local/dynamodb-local.ts';
import { freePort } from '../../infra/local/ports.ts';
import { startLocalStack } from '../../infra/local/stack.ts';
import { callApi, devToken } from './api.ts';
import { load, percentile } from './stats.ts';

const ROLES = Number(process.env.BENCH_PORTAL_ROLES ?? 200);
const RUNS = Number(process.env.BENCH_PORTAL_RUNS ?? 10);
const DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));
export const PORTAL_BUDGETS = { initialJsGzipKiB: 400, myRolesUsableMs: 1000 };

const progress = (message: string) => process.stderr.write(`[bench --portal] ${message}\n`);
const kib = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

/** The scripts the first page loads before any route: the entry and its modulepreloads. */
function initialScripts(): { files: string[]; gzip: number; raw: number } {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/portal\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const sizes = files.map((f) => readFileSync(join(DIST, f)));
  return { files, raw: sizes.reduce((a, b) => a + b.length, 0), gzip: sizes.reduce((a, b) => a + gzipSync(b, { level: 9 }).length, 0) };
}

function allAssets(ext: string): number {
  return readdirSync(join(DIST, 'assets'))
    .filter((f) => f.endsWith(ext))
    .reduce((sum, f) => sum + gzipSync(readFileSync(join(DIST, 'assets', f)), { level: 9 }).length, 0);
}

export async function portalBench(): Promise<void> {
  await ensurePortalBuilt(progress);
  const initial = initialScripts();
  const dynamo = await startDynamoLocal({ port: await freePort() });
  const stack = await startLocalStack({ port: 0, dynamoEndpoint: dynamo.endpoint });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    progress(`making kai.tanaka@contoso.test eligible for ${ROLES} roles`);
    const admin = await devToken(stack, 'admin@contoso.test');
    const kai = (await callApi(stack, 'GET', '/v1.0/users/kai.tanaka@contoso.test', admin)).body.id as string;
    await load(4, ROLES, async (i) => {
      const role = await callApi(stack, 'POST', '/v1.0/roleManagement/directory/roleDefinitions', admin, {
        displayName: `Bench role ${String(i).padStart(3, '0')}`,
        rolePermissions: [{ allowedResourceActions: ['microsoft.directory/users/password/update'] }],
      });
      await callApi(stack, 'POST', '/v1.0/roleManagement/directory/roleEligibilityScheduleRequests', admin, {
        action: 'adminAssign',
        principalId: kai,
        roleDefinitionId: role.body.id,
        directoryScopeId: '/',
        justification: 'bench',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P90D' } },
      });
    });
    const token = await devToken(stack, 'kai.tanaka@contoso.test');
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    // Signed in as oidc-client-ts keeps a session: the measure is the page, not the sign-in round trip.
    const user = JSON.stringify({
      access_token: token,
      token_type: 'Bearer',
      scope: 'openid',
      profile: { sub: kai },
      expires_at: Math.floor(Date.now() / 1000) + 3000,
    });
    await context.addInitScript(([key, value]) => sessionStorage.setItem(key!, value!), [`oidc.user:${stack.url}:${PORTAL_CLIENT_ID}`, user]);
    const page = await context.newPage();
    const usable = async () => {
      const start = performance.now();
      await page.goto(`${stack.url}/portal/my-roles`);
      await page.getByRole('button', { name: 'Activate Bench role 000' }).waitFor({ timeout: 60_000 });
      return performance.now() - start;
    };
    const cold = await usable();
    const warm: number[] = [];
    for (let i = 0; i < RUNS; i++) warm.push(await usable());
    const rows = await page.getByRole('button', { name: /^Activate Bench role/ }).count();
    console.log(
      [
        '',
        `Portal (budgets: initial JS ≤ ${PORTAL_BUDGETS.initialJsGzipKiB} KiB gzip; My roles usable ≤ ${PORTAL_BUDGETS.myRolesUsableMs} ms)`,
        `  initial JS        ${kib(initial.gzip)} KiB gzip (${kib(initial.raw)} KiB raw) in ${initial.files.length} file(s): ${initial.files.join(', ')}`,
        `  all JS / all CSS  ${kib(allAssets('.js'))} / ${kib(allAssets('.css'))} KiB gzip`,
        `  My roles, ${ROLES} eligible roles (${rows} on the first page):`,
        `    empty cache     ${Math.round(cold)} ms`,
        `    returning       p50 ${Math.round(percentile(warm, 50))} ms, max ${Math.round(Math.max(...warm))} ms over ${RUNS} loads`,
        '',
      ].join('\n'),
    );
  } finally {
    await browser.close();
    await stack.stop();
    await dynamo.stop();
  }
}
