import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { discoveredKeySet, DiscoveryError, discoveryUrl } from '../../../shared/auth/discovered-key-set.ts';
import { createTokenVerifier } from '../../../shared/auth/token-verifier.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';

const START = '2025-01-15T10:00:00.000Z';
const NOW = Date.parse(START) / 1000;
const clock = new ManualClock(START);

let key: CryptoKey;
let publicJwk: JWK;
let server: Server;
let base: string;
/** What the server answers, per path; each request is counted. */
let routes: Record<string, () => { status: number; body: unknown }>;
let hits: Record<string, number>;

/** Where Entra ID keeps its keys: nowhere near {issuer}/.well-known/jwks.json. */
const KEYS_PATH = '/tenant-1/discovery/v2.0/keys';
const issuerOf = () => `${base}/tenant-1/v2.0`;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  key = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((request, response) => {
    const path = request.url ?? '';
    hits[path] = (hits[path] ?? 0) + 1;
    const route = routes[path];
    if (!route) return void response.writeHead(404).end();
    const { status, body } = route();
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  hits = {};
  routes = {
    '/tenant-1/v2.0/.well-known/openid-configuration': () => ({ status: 200, body: { issuer: issuerOf(), jwks_uri: `${base}${KEYS_PATH}` } }),
    [KEYS_PATH]: () => ({ status: 200, body: { keys: [publicJwk] } }),
  };
});

const token = (sub = 'user-1') =>
  new SignJWT({ iss: issuerOf(), aud: 'api://stint', sub, iat: NOW, exp: NOW + 3600 }).setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'at+jwt' }).sign(key);

describe('discoveryUrl', () => {
  it.each([
    ['https://login.microsoftonline.com/t/v2.0', 'https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration'],
    ['https://sts.windows.net/t/', 'https://sts.windows.net/t/.well-known/openid-configuration'],
    ['https://acme.auth0.com/', 'https://acme.auth0.com/.well-known/openid-configuration'],
    ['https://id.example.com/realms/corp', 'https://id.example.com/realms/corp/.well-known/openid-configuration'],
  ])('puts the well-known path after the issuer %s, without a double slash', (issuer, url) => {
    expect(discoveryUrl(issuer)).toBe(url);
  });
});

describe('discoveredKeySet', () => {
  it("verifies tokens with the keys at the discovery document's jwks_uri, reading the document once for many tokens", async () => {
    // Prepare
    const verifier = createTokenVerifier({ issuer: issuerOf(), audience: 'api://stint', keys: discoveredKeySet(issuerOf()), clock });

    // Act
    const callers = await Promise.all([verifier.verify(await token('a')), verifier.verify(await token('b'))]);
    const third = await verifier.verify(await token('c'));

    // Assess
    expect([...callers, third].map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(hits['/tenant-1/v2.0/.well-known/openid-configuration']).toBe(1);
    expect(hits[KEYS_PATH]).toBe(1);
    expect(hits['/tenant-1/v2.0/.well-known/jwks.json']).toBeUndefined();
  });

  it('refuses a document that describes another issuer, and says what to set', async () => {
    // Prepare
    routes['/tenant-1/v2.0/.well-known/openid-configuration'] = () => ({
      status: 200,
      body: { issuer: 'https://sts.windows.net/tenant-1/', jwks_uri: `${base}${KEYS_PATH}` },
    });
    const keys = discoveredKeySet(issuerOf());

    // Act
    const error = await Promise.resolve(keys({ alg: 'RS256', kid: 'k1' }, { payload: '', signature: '' })).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(DiscoveryError);
    expect((error as Error).message).toMatch(/describes the issuer "https:\/\/sts\.windows\.net\/tenant-1\/".*set jwtIssuer/);
    expect(hits[KEYS_PATH]).toBeUndefined();
  });

  it('refuses keys over plain http for an https issuer', async () => {
    // Prepare
    const issuer = 'https://login.example.com/corp';
    const fetchDocument: typeof fetch = () => Promise.resolve(Response.json({ issuer, jwks_uri: 'http://login.example.com/corp/keys' }));

    // Act
    const keys = discoveredKeySet(issuer, { fetch: fetchDocument });
    const error = await Promise.resolve(keys({ alg: 'RS256' }, { payload: '', signature: '' })).catch((e: unknown) => e);

    // Assess
    expect((error as Error).message).toMatch(/not https; set jwksUrl/);
  });

  it('meets a failed read with the same error until retryAfterMs has passed, then reads again', async () => {
    // Prepare
    let now = 0;
    let status = 503;
    routes['/tenant-1/v2.0/.well-known/openid-configuration'] = () =>
      status === 200 ? { status, body: { issuer: issuerOf(), jwks_uri: `${base}${KEYS_PATH}` } } : { status, body: {} };
    const verifier = createTokenVerifier({
      issuer: issuerOf(),
      audience: 'api://stint',
      keys: discoveredKeySet(issuerOf(), { retryAfterMs: 30_000, now: () => now }),
      clock,
    });

    // Act
    const first = await verifier.verify(await token()).catch((e: unknown) => e);
    status = 200;
    const soon = await verifier.verify(await token()).catch((e: unknown) => e);
    now = 30_000;
    const later = await verifier.verify(await token());

    // Assess
    expect((first as Error).message).toMatch(/answered 503/);
    expect(soon).toBe(first);
    expect(later.id).toBe('user-1');
    expect(hits['/tenant-1/v2.0/.well-known/openid-configuration']).toBe(2);
  });

  it('reads the document again after maxAgeMs, and keeps the last one while the provider cannot answer', async () => {
    // Prepare
    let now = 0;
    const verifier = createTokenVerifier({
      issuer: issuerOf(),
      audience: 'api://stint',
      keys: discoveredKeySet(issuerOf(), { maxAgeMs: 60_000, now: () => now }),
      clock,
    });
    await verifier.verify(await token());
    routes['/tenant-1/v2.0/.well-known/openid-configuration'] = () => ({ status: 500, body: {} });

    // Act
    now = 60_000;
    const caller = await verifier.verify(await token('after-expiry'));

    // Assess
    expect(caller.id).toBe('after-expiry');
    expect(hits['/tenant-1/v2.0/.well-known/openid-configuration']).toBe(2);
    expect(hits[KEYS_PATH]).toBe(1);
  });
});
