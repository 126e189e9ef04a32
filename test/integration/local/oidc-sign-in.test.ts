/**
 * The local OpenID Provider as the portal's oidc-client-ts uses it, over real HTTP: the authorization
 * endpoint and its sign-in page, the code + PKCE and refresh grants, the session cookie, end session.
 * Redirects are followed by hand and cookies kept in a jar, as a browser would.
 */
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_CLIENT_ID } from '../../../infra/local/oidc/client.ts';
import { s256Challenge } from '../../../infra/local/oidc/pkce.ts';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';

const clock = new ManualClock(new Date());
let stack: LocalStack;
let api: ApiClient;
let adminToken: string;
let sam: { id: string };
let callback: string;

beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = apiClient(stack);
  adminToken = await api.token('admin@contoso.test');
  sam = (await api.call('GET', '/v1.0/users/sam.rivera@contoso.test', { token: adminToken })).body;
  callback = `${stack.url}/portal/callback`;
});
afterAll(() => stack.stop());

/** A browser: a cookie jar and one request at a time, redirects not followed. */
class Browser {
  private readonly jar = new Map<string, string>();
  async request(url: string, init: { method?: string; form?: Record<string, string>; origin?: string } = {}) {
    const headers: Record<string, string> = {};
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (cookie) headers.cookie = cookie;
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (init.form || init.origin) headers.origin = init.origin ?? stack.url;
    const response = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body: init.form && new URLSearchParams(init.form),
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((s) => s.trim());
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (attributes.some((a) => a.toLowerCase() === 'max-age=0')) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return { status: response.status, headers: response.headers, text: await response.text(), location: response.headers.get('location') ?? undefined };
  }
  get hasSession(): boolean {
    return this.jar.size > 0;
  }
}

interface Attempt {
  verifier: string;
  state: string;
  nonce: string;
  url: string;
}

function attempt(extra: Record<string, string> = {}): Attempt {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('hex');
  const nonce = randomBytes(8).toString('hex');
  const params = new URLSearchParams({
    client_id: PORTAL_CLIENT_ID,
    redirect_uri: callback,
    response_type: 'code',
    scope: 'openid profile offline_access',
    state,
    nonce,
    code_challenge: s256Challenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { verifier, state, nonce, url: `${stack.url}/local/authorize?${params}` };
}

/** The redirect's query, checked to go to the registered callback. */
function callbackParams(location: string | undefined): URLSearchParams {
  expect(location).toBeDefined();
  const url = new URL(location!);
  expect(`${url.origin}${url.pathname}`).toBe(callback);
  return url.searchParams;
}

const requestIdIn = (page: string) => /name="request" value="([^"]+)"/.exec(page)?.[1] ?? '';

/** Shows the page, picks the person; answers the code and the redirect's parameters. */
async function signIn(browser: Browser, userId: string, options: { mfa?: boolean; extra?: Record<string, string> } = {}) {
  const a = attempt(options.extra);
  const page = await browser.request(a.url);
  expect(page.status, page.text).toBe(200);
  const done = await browser.request(`${stack.url}/local/authorize`, {
    form: { request: requestIdIn(page.text), user: userId, ...(options.mfa === false ? {} : { mfa: 'yes' }) },
  });
  expect(done.status, done.text).toBe(303);
  const params = callbackParams(done.location);
  return { ...a, code: params.get('code')!, params, done };
}

function token(form: Record<string, string>) {
  return new Browser().request(`${stack.url}/local/token`, { form: { client_id: PORTAL_CLIENT_ID, ...form } });
}

const redeem = (code: string, verifier: string, redirectUri = callback) =>
  token({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri });
const refresh = (refreshToken: string) => token({ grant_type: 'refresh_token', refresh_token: refreshToken });
const json = (r: { text: string }) => JSON.parse(r.text);
const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

describe('discovery', () => {
  it('advertises the authorization, token and end session endpoints with code + PKCE S256 only', async () => {
    const discovery = await api.call('GET', '/.well-known/openid-configuration');
    expect(discovery.body).toMatchObject({
      issuer: stack.url,
      authorization_endpoint: `${stack.url}/local/authorize`,
      token_endpoint: `${stack.url}/local/token`,
      end_session_endpoint: `${stack.url}/local/logout`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
    });
    expect(discovery.body.scopes_supported).toContain('openid');
    expect(discovery.body.claims_supported).toEqual(expect.arrayContaining(['auth_time', 'amr', 'nonce', 'preferred_username']));
  });
});

describe('the sign-in page', () => {
  it('lists the directory under a strict CSP, without script, with labels', async () => {
    const page = await new Browser().request(attempt().url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<title>Sign in to Stint (local)</title>');
    expect(page.text).toContain('<h1>Sign in to Stint (local)</h1>');
    expect(page.text).toContain('Sam Rivera');
    expect(page.text).toContain('sam.rivera@contoso.test');
    expect(page.text).toMatch(/<input type="checkbox" id="mfa" name="mfa" value="yes">\s*<label for="mfa">I used MFA<\/label>/);
    expect(page.text).not.toMatch(/<script/i);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('finds people by part of their name', async () => {
    const page = await new Browser().request(attempt({ q: 'rivera' }).url);
    expect(page.text).toContain('Sam Rivera');
    expect(page.text).not.toContain('Priya Nair');
  });

  it('refuses a form posted by another site', async () => {
    const browser = new Browser();
    const page = await browser.request(attempt().url);
    const posted = await browser.request(`${stack.url}/local/authorize`, {
      form: { request: requestIdIn(page.text), user: sam.id },
      origin: 'https://evil.test',
    });
    expect(posted.status).toBe(403);
    expect(posted.location).toBeUndefined();
  });
});

describe('the authorization code flow with PKCE', () => {
  it('signs in with MFA and hands out tokens the API accepts, with the sign-in time and amr', async () => {
    // Act
    const browser = new Browser();
    const signedIn = await signIn(browser, sam.id);
    const signedInAt = nowSeconds();
    clock.advance(30_000);
    const tokens = await redeem(signedIn.code, signedIn.verifier);

    // Assess
    expect(signedIn.params.get('state')).toBe(signedIn.state);
    expect(signedIn.done.headers.get('set-cookie')).toMatch(/^stint_dev_signin=[\w-]+; Path=\/local\/; HttpOnly; SameSite=Lax$/);
    expect(tokens.status, tokens.text).toBe(200);
    expect(tokens.headers.get('cache-control')).toBe('no-store');
    const body = json(tokens);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid profile offline_access' });
    expect(typeof body.refresh_token).toBe('string');
    const { payload: id } = await jwtVerify(body.id_token, createLocalJWKSet(stack.devIssuer.jwks), { issuer: stack.url, audience: PORTAL_CLIENT_ID });
    expect(id).toMatchObject({
      sub: sam.id,
      nonce: signedIn.nonce,
      auth_time: signedInAt,
      amr: ['pwd', 'mfa'],
      name: 'Sam Rivera',
      preferred_username: 'sam.rivera@contoso.test',
    });
    expect(id.exp).toBe(nowSeconds() + 3600);
    expect(await stack.runtime.verifier.verify(body.access_token)).toMatchObject({ id: sam.id, authMethods: ['pwd', 'mfa'], authTime: signedInAt });
    const read = await api.call('GET', `/v1.0/users/${sam.id}`, { token: body.access_token });
    expect(read.status).toBe(200);
    expect((await api.call('GET', `/v1.0/users/${sam.id}`, { token: body.id_token })).status).toBe(401);
  });

  it('carries a sign-in without MFA as such', async () => {
    const signedIn = await signIn(new Browser(), sam.id, { mfa: false });
    const body = json(await redeem(signedIn.code, signedIn.verifier));
    expect(decodeJwt(body.access_token).amr).toEqual(['pwd']);
    expect(decodeJwt(body.id_token).amr).toEqual(['pwd']);
  });

  it('refuses a wrong code_verifier', async () => {
    const signedIn = await signIn(new Browser(), sam.id);
    const result = await redeem(signedIn.code, randomBytes(32).toString('base64url'));
    expect(result.status).toBe(400);
    expect(json(result)).toMatchObject({ error: 'invalid_grant' });
    expect(json(result).access_token).toBeUndefined();
  });

  it('refuses a redirect_uri other than the one the code was given for', async () => {
    const signedIn = await signIn(new Browser(), sam.id);
    const result = await redeem(signedIn.code, signedIn.verifier, `${stack.url}/portal/elsewhere`);
    expect(result.status).toBe(400);
    expect(json(result).error).toBe('invalid_grant');
  });

  it('takes a code once, and revokes what its first use gave when it comes back', async () => {
    const signedIn = await signIn(new Browser(), sam.id);
    const first = json(await redeem(signedIn.code, signedIn.verifier));
    const second = await redeem(signedIn.code, signedIn.verifier);
    expect(second.status).toBe(400);
    expect(json(second).error).toBe('invalid_grant');
    expect(json(await refresh(first.refresh_token)).error).toBe('invalid_grant');
  });

  it('refuses a code older than a minute', async () => {
    const signedIn = await signIn(new Browser(), sam.id);
    clock.advance(61_000);
    expect(json(await redeem(signedIn.code, signedIn.verifier)).error).toBe('invalid_grant');
  });

  it('refuses an unknown client at the token endpoint', async () => {
    const result = await new Browser().request(`${stack.url}/local/token`, { form: { client_id: 'other', grant_type: 'authorization_code', code: 'x' } });
    expect(result.status).toBe(401);
    expect(json(result).error).toBe('invalid_client');
  });
});

describe('what the authorization endpoint refuses', () => {
  it.each([
    ['an unregistered redirect_uri', { redirect_uri: 'https://evil.test/portal/callback' }],
    ['a redirect_uri on another port', { redirect_uri: 'http://localhost:1/portal/callback' }],
    ['a redirect_uri that only starts like the registered one', { redirect_uri: `CALLBACK/../../evil` }],
    ['an unknown client_id', { client_id: 'someone-else' }],
  ])('shows an error page and redirects nowhere for %s', async (_, extra) => {
    const fixed = Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, v.replace('CALLBACK', callback)]));
    const result = await new Browser().request(attempt(fixed).url);
    expect(result.status).toBe(400);
    expect(result.location).toBeUndefined();
    expect(result.text).toContain('Sign-in request refused');
  });

  it.each([
    ['no PKCE', { code_challenge: '' }, 'invalid_request'],
    ['PKCE plain', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['the implicit flow', { response_type: 'token' }, 'unsupported_response_type'],
    ['no openid scope', { scope: 'profile' }, 'invalid_scope'],
  ])('sends %s back to the client as an error with its state', async (_, extra, error) => {
    const a = attempt(extra);
    const result = await new Browser().request(a.url);
    expect(result.status).toBe(302);
    const params = callbackParams(result.location);
    expect(params.get('error')).toBe(error);
    expect(params.get('state')).toBe(a.state);
    expect(params.get('code')).toBeNull();
  });
});

describe('the sign-in session', () => {
  it('signs the same person in silently, with the first sign-in time', async () => {
    const browser = new Browser();
    await signIn(browser, sam.id);
    const signedInAt = nowSeconds();
    clock.advance(120_000);
    const a = attempt();
    const again = await browser.request(a.url);
    expect(again.status).toBe(302);
    const params = callbackParams(again.location);
    expect(params.get('state')).toBe(a.state);
    const body = json(await redeem(params.get('code')!, a.verifier));
    expect(decodeJwt(body.id_token)).toMatchObject({ sub: sam.id, auth_time: signedInAt, nonce: a.nonce });
  });

  it.each([
    ['prompt=login', { prompt: 'login' }, 0],
    ['max_age=0', { max_age: '0' }, 0],
    ['a max_age shorter than the session', { max_age: '300' }, 301_000],
  ])('shows the page again for %s', async (_, extra, wait) => {
    const browser = new Browser();
    await signIn(browser, sam.id);
    clock.advance(wait);
    const again = await browser.request(attempt(extra).url);
    expect(again.status).toBe(200);
    expect(again.text).toContain('Sign in to Stint (local)');
  });

  it('signs in silently within max_age', async () => {
    const browser = new Browser();
    await signIn(browser, sam.id);
    clock.advance(100_000);
    expect((await browser.request(attempt({ max_age: '300' }).url)).status).toBe(302);
  });

  it('a step-up sign-in (prompt=login&max_age=0) with MFA gives a fresh auth_time and MFA', async () => {
    const browser = new Browser();
    await signIn(browser, sam.id, { mfa: false });
    clock.advance(600_000);
    const stepUp = await signIn(browser, sam.id, { extra: { prompt: 'login', max_age: '0' } });
    const body = json(await redeem(stepUp.code, stepUp.verifier));
    expect(await stack.runtime.verifier.verify(body.access_token)).toMatchObject({ authMethods: ['pwd', 'mfa'], authTime: nowSeconds() });
  });

  it('answers login_required to prompt=none without a session', async () => {
    const a = attempt({ prompt: 'none' });
    const result = await new Browser().request(a.url);
    expect(result.status).toBe(302);
    const params = callbackParams(result.location);
    expect(params.get('error')).toBe('login_required');
    expect(params.get('state')).toBe(a.state);
  });
});

describe('refresh tokens', () => {
  it('rotates, keeps the sign-in time and amr, and revokes the family when a used one comes back', async () => {
    const signedIn = await signIn(new Browser(), sam.id);
    const signedInAt = nowSeconds();
    const first = json(await redeem(signedIn.code, signedIn.verifier));
    clock.advance(20 * 60_000);

    const second = await refresh(first.refresh_token);
    expect(second.status, second.text).toBe(200);
    const renewed = json(second);
    expect(renewed.refresh_token).not.toBe(first.refresh_token);
    expect(await stack.runtime.verifier.verify(renewed.access_token)).toMatchObject({ authMethods: ['pwd', 'mfa'], authTime: signedInAt });
    expect(decodeJwt(renewed.id_token)).toMatchObject({ sub: sam.id, auth_time: signedInAt });

    const reused = await refresh(first.refresh_token);
    expect(reused.status).toBe(400);
    expect(json(reused).error).toBe('invalid_grant');
    expect(json(await refresh(renewed.refresh_token)).error).toBe('invalid_grant');
  });
});

describe('disabled accounts', () => {
  it('cannot sign in, and lose their session and refresh tokens when disabled later', async () => {
    const created = await api.call('POST', '/v1.0/users', {
      token: adminToken,
      body: { displayName: 'Dora Disabled', userPrincipalName: 'dora@contoso.test' },
    });
    expect(created.status).toBe(201);
    const dora = created.body.id as string;
    const browser = new Browser();
    const signedIn = await signIn(browser, dora);
    const tokens = json(await redeem(signedIn.code, signedIn.verifier));

    expect((await api.call('PATCH', `/v1.0/users/${dora}`, { token: adminToken, body: { accountEnabled: false } })).status).toBe(204);

    expect(json(await refresh(tokens.refresh_token)).error).toBe('invalid_grant');
    const silent = await browser.request(attempt().url);
    expect(silent.status).toBe(200);
    expect(silent.text).toContain('Dora Disabled');
    const refused = await browser.request(`${stack.url}/local/authorize`, { form: { request: requestIdIn(silent.text), user: dora, mfa: 'yes' } });
    expect(refused.status).toBe(403);
    expect(refused.location).toBeUndefined();
    expect(refused.text).toContain('role="alert"');
  });
});

describe('end session', () => {
  it('ends the session and its refresh tokens, and returns to the registered address with the state', async () => {
    const browser = new Browser();
    const signedIn = await signIn(browser, sam.id);
    const tokens = json(await redeem(signedIn.code, signedIn.verifier));
    const params = new URLSearchParams({
      client_id: PORTAL_CLIENT_ID,
      post_logout_redirect_uri: `${stack.url}/portal/`,
      state: 'bye',
      id_token_hint: tokens.id_token,
    });

    const out = await browser.request(`${stack.url}/local/logout?${params}`);

    expect(out.status).toBe(302);
    expect(out.location).toBe(`${stack.url}/portal/?state=bye`);
    expect(browser.hasSession).toBe(false);
    expect(json(await refresh(tokens.refresh_token)).error).toBe('invalid_grant');
    expect(callbackParams((await browser.request(attempt({ prompt: 'none' }).url)).location).get('error')).toBe('login_required');
  });

  it('redirects nowhere unregistered, showing a signed-out page instead', async () => {
    const out = await new Browser().request(`${stack.url}/local/logout?post_logout_redirect_uri=${encodeURIComponent('https://evil.test/')}`);
    expect(out.status).toBe(200);
    expect(out.location).toBeUndefined();
    expect(out.text).toContain('Signed out of Stint (local)');
  });
});
