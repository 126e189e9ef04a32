import { describe, expect, it } from 'vitest';
import { needsSignInPage, parseAuthorizationRequest } from '../../../infra/local/oidc/authorize-request.ts';
import { PORTAL_CLIENT_ID } from '../../../infra/local/oidc/client.ts';
import type { AuthorizationRequest } from '../../../infra/local/oidc/codes.ts';
import { s256Challenge, verifyPkceS256 } from '../../../infra/local/oidc/pkce.ts';

const ISSUER = 'http://localhost:3999';
// RFC 7636 Appendix B.
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('verifyPkceS256', () => {
  it("accepts RFC 7636's example verifier for its challenge", () => {
    expect(s256Challenge(RFC_VERIFIER)).toBe(RFC_CHALLENGE);
    expect(verifyPkceS256(RFC_VERIFIER, RFC_CHALLENGE)).toBe(true);
  });

  it.each([
    ['another verifier', `${RFC_VERIFIER.slice(0, -1)}A`],
    ['no verifier', undefined],
    ['the challenge itself (plain)', RFC_CHALLENGE],
    ['a verifier shorter than 43 characters', 'abc'],
    ['a verifier with characters outside the set', `${RFC_VERIFIER.slice(0, -1)}+`],
  ])('refuses %s', (_, verifier) => {
    expect(verifyPkceS256(verifier, RFC_CHALLENGE)).toBe(false);
  });

  it('refuses a malformed challenge', () => {
    expect(verifyPkceS256(RFC_VERIFIER, `${RFC_CHALLENGE}=`)).toBe(false);
  });
});

describe('parseAuthorizationRequest', () => {
  const query = (extra: Record<string, string> = {}) =>
    new URLSearchParams({
      client_id: PORTAL_CLIENT_ID,
      redirect_uri: `${ISSUER}/portal/callback`,
      response_type: 'code',
      scope: 'openid profile',
      state: 's',
      code_challenge: RFC_CHALLENGE,
      code_challenge_method: 'S256',
      ...extra,
    });

  it('reads a valid request', () => {
    expect(parseAuthorizationRequest(ISSUER, query({ prompt: 'login', max_age: '0', nonce: 'n' }))).toEqual({
      kind: 'ok',
      request: expect.objectContaining({ state: 's', nonce: 'n', maxAge: 0, prompt: new Set(['login']), scope: ['openid', 'profile'] }),
    });
  });

  it('never redirects to a redirect_uri given twice', () => {
    const q = query();
    q.append('redirect_uri', 'https://evil.test/');
    expect(parseAuthorizationRequest(ISSUER, q).kind).toBe('unsafe');
  });

  it.each([
    ['prompt none with login', { prompt: 'none login' }],
    ['an unknown prompt', { prompt: 'create' }],
    ['a negative max_age', { max_age: '-1' }],
    ['response_mode fragment', { response_mode: 'fragment' }],
  ])('sends back invalid_request for %s', (_, extra) => {
    expect(parseAuthorizationRequest(ISSUER, query(extra))).toMatchObject({ kind: 'error', error: 'invalid_request', state: 's' });
  });
});

describe('needsSignInPage', () => {
  const request = (extra: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({
    clientId: PORTAL_CLIENT_ID,
    redirectUri: `${ISSUER}/portal/callback`,
    scope: ['openid'],
    codeChallenge: RFC_CHALLENGE,
    prompt: new Set(),
    ...extra,
  });
  const session = { userId: 'usr_1', mfa: true, authTime: 1000 };

  it.each<[string, Partial<AuthorizationRequest>, typeof session | undefined, number, boolean]>([
    ['no session', {}, undefined, 1000, true],
    ['a session', {}, session, 5000, false],
    ['prompt=login', { prompt: new Set(['login']) }, session, 1000, true],
    ['max_age=0 in the second of the sign-in', { maxAge: 0 }, session, 1000, true],
    ['a sign-in exactly max_age old', { maxAge: 300 }, session, 1300, false],
    ['a sign-in older than max_age', { maxAge: 300 }, session, 1301, true],
  ])('%s → %s', (_, extra, current, now, expected) => {
    expect(needsSignInPage(request(extra), current, now)).toBe(expected);
  });
});
