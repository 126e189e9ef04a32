/**
 * The portal's own OIDC library against the local sign-in: oidc-client-ts's OidcClient (what UserManager
 * uses in the browser) makes the requests, reads the discovery document and validates the answers; only
 * the person's choice on the sign-in page is made here.
 */
import { InMemoryWebStorage, OidcClient, WebStorageStateStore } from 'oidc-client-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_CLIENT_ID } from '../../../infra/local/oidc/client.ts';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { startTestStack } from '../../helpers/stack.ts';

let stack: LocalStack;
let client: OidcClient;

beforeAll(async () => {
  stack = await startTestStack();
  client = new OidcClient({
    authority: stack.url,
    client_id: PORTAL_CLIENT_ID,
    redirect_uri: `${stack.url}/portal/callback`,
    post_logout_redirect_uri: `${stack.url}/portal/`,
    scope: 'openid profile',
    loadUserInfo: false,
    filterProtocolClaims: false,
    stateStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
  });
});
afterAll(() => stack.stop());

/** The person picks a user on the sign-in page and ticks "I used MFA"; answers the callback URL. */
async function choose(url: string, upn: string): Promise<string> {
  const page = await (await fetch(url)).text();
  const request = /name="request" value="([^"]+)"/.exec(page)![1]!;
  const user = new RegExp(`name="user" value="([^"]+)">[^<]*<span class="upn">${upn.replace('.', '\\.')}<`).exec(page)![1]!;
  const done = await fetch(`${stack.url}/local/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.url },
    body: new URLSearchParams({ request, user, mfa: 'yes' }),
  });
  return done.headers.get('location')!;
}

describe('oidc-client-ts against the local sign-in', () => {
  it('signs in with a step-up request, refreshes keeping auth_time, and builds the sign-out URL', async () => {
    // Act
    const request = await client.createSigninRequest({ prompt: 'login', max_age: 0 });
    const response = await client.processSigninResponse(await choose(request.url, 'priya.nair@contoso.test'));
    const refreshed = await client.useRefreshToken({
      state: { refresh_token: response.refresh_token!, id_token: response.id_token, session_state: null, scope: response.scope, profile: response.profile },
    });
    const signOut = await client.createSignoutRequest({ id_token_hint: response.id_token });

    // Assess
    expect(new URL(request.url).pathname).toBe('/local/authorize');
    expect(response.profile).toMatchObject({ preferred_username: 'priya.nair@contoso.test', name: 'Priya Nair', amr: ['pwd', 'mfa'] });
    expect(await stack.runtime.verifier.verify(response.access_token)).toMatchObject({ authMethods: ['pwd', 'mfa'] });
    expect(refreshed.refresh_token).not.toBe(response.refresh_token);
    expect(refreshed.profile.auth_time).toBe(response.profile.auth_time);
    expect(new URL(signOut.url).pathname).toBe('/local/logout');
    expect(new URL(signOut.url).searchParams.get('post_logout_redirect_uri')).toBe(`${stack.url}/portal/`);
  });
});
