/**
 * The portal on the local stack: built from web/ with Vite when its sources changed (a few seconds),
 * served at /portal/ with the same security headers as CloudFront, every page URL answered with the
 * app (SPA routing), and a `config.json` naming this stack's API and dev issuer.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';
import { portalSecurityHeaders } from '../../web/security-headers.ts';
import { PORTAL_CLIENT_ID } from './oidc/client.ts';

export { PORTAL_CLIENT_ID };

export const PORTAL_PREFIX = '/portal';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
const DIST = join(WEB, 'dist');
const STAMP = join(DIST, '.source-hash');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : [path];
  });
}

/** A hash of everything the build reads from web/, so a rebuild happens exactly when something changed. */
function sourceHash(): string {
  const hash = createHash('sha256');
  const files = [...sourceFiles(join(WEB, 'src')), join(WEB, 'index.html'), join(WEB, 'vite.config.ts')].sort();
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest('hex');
}

let building: Promise<'built' | 'current'> | undefined;

/**
 * Builds the portal unless web/dist already holds a build of these sources. One build at a time in this
 * process: the test projects' global setups may ask together, and two builds would empty each other's output.
 */
export function ensurePortalBuilt(log: (message: string) => void = () => {}): Promise<'built' | 'current'> {
  building ??= buildIfChanged(log).finally(() => {
    building = undefined;
  });
  return building;
}

async function buildIfChanged(log: (message: string) => void): Promise<'built' | 'current'> {
  const wanted = sourceHash();
  const current = () => existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted && existsSync(join(DIST, 'index.html'));
  if (current()) return 'current';
  // Another process (a second test project, `npm start` beside the tests) may be building: one at a time.
  await withLock(async () => {
    if (current()) return;
    log('Building the portal (web/) …');
    const { build } = await import('vite');
    await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
    writeFileSync(STAMP, wanted);
  });
  return 'built';
}

const LOCK = join(WEB, '.build-lock');
const STALE_LOCK_MS = 5 * 60_000;

async function withLock(work: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      const held = statSync(LOCK, { throwIfNoEntry: false });
      if (!held) continue;
      if (Date.now() - held.mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      else await lockReleased();
    }
  }
  try {
    await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Resolves when the lock directory goes away (a watch on web/, re-checked now and then in case an event is missed). */
function lockReleased(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      watcher.close();
      clearInterval(check);
      resolve();
    };
    const watcher = watch(WEB, () => !existsSync(LOCK) && done());
    const check = setInterval(() => !existsSync(LOCK) && done(), 1000);
    if (!existsSync(LOCK)) done();
  });
}

export interface PortalSiteOptions {
  /** This stack's address: the API and the dev issuer both live there. */
  url: string;
  environmentName?: string;
}

export function portalConfig(options: PortalSiteOptions) {
  return {
    apiBaseUrl: '',
    authority: options.url,
    clientId: PORTAL_CLIENT_ID,
    scope: 'openid profile offline_access',
    environmentName: options.environmentName ?? 'local',
  };
}

/** Whether a path is the portal's (the app, its assets, its config). */
export function isPortalPath(path: string): boolean {
  return path === PORTAL_PREFIX || path.startsWith(`${PORTAL_PREFIX}/`);
}

export function servePortal(path: string, response: ServerResponse, options: PortalSiteOptions): void {
  const headers = portalSecurityHeaders([options.url]);
  delete headers['strict-transport-security']; // plain http on localhost
  if (path === PORTAL_PREFIX) {
    response.writeHead(308, { location: `${PORTAL_PREFIX}/` });
    response.end();
    return;
  }
  if (path === `${PORTAL_PREFIX}/config.json`) {
    response.writeHead(200, { ...headers, 'content-type': TYPES['.json']!, 'cache-control': 'no-store' });
    response.end(JSON.stringify(portalConfig(options)));
    return;
  }
  const relative = decodeURIComponent(path.slice(PORTAL_PREFIX.length + 1));
  const file = normalize(join(DIST, relative));
  const inside = file.startsWith(DIST + sep) && !relative.startsWith('.');
  if (inside && existsSync(file) && statSync(file).isFile()) {
    // Hashed asset names change with their content, so they may be kept for good; index.html never.
    const immutable = relative.startsWith('assets/');
    response.writeHead(200, {
      ...headers,
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    response.end(readFileSync(file));
    return;
  }
  if (relative.startsWith('assets/')) {
    response.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    response.end('Not found');
    return;
  }
  const index = join(DIST, 'index.html');
  if (!existsSync(index)) {
    response.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
    response.end('The portal has not been built yet. Restart `npm start`, which builds it.');
    return;
  }
  response.writeHead(200, { ...headers, 'content-type': TYPES['.html']!, 'cache-control': 'no-cache' });
  response.end(readFileSync(index));
}
