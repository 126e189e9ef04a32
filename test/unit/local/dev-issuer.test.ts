import { createLocalJWKSet, decodeJwt, decodeProtectedHeader } from 'jose';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDevIssuer, DEV_AUDIENCE, DEV_ISSUER_TRUST, TOKEN_LIFETIME_SECONDS, type DevIssuer, type TokenSubject } from '../../../infra/local/dev-issuer.ts';
import { createTokenVerifier, type TokenVerifier } from '../../../shared/auth/token-verifier.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { UnauthenticatedError } from '../../../shared/domain/errors.ts';

const ISSUER = 'http://localhost:3999';
const START = '2025-01-15T10:00:00.000Z';
const NOW = Date.parse(START) / 1000;
const clock = new ManualClock(START);

const adele: TokenSubject = { kind: 'user', id: 'usr_01JHGZ7000000000000000000D', displayName: 'Adele Vance', userPrincipalName: 'adele@contoso.test' };
const pipeline: TokenSubject = {
  kind: 'servicePrincipal',
  id: 'spn_01JHGZ5000000000000000000B',
  displayName: 'Deploy pipeline',
  appId: '00000003-aaaa-bbbb-cccc-000000000001',
};

const verifierFor = (issuer: DevIssuer): TokenVerifier =>
  createTokenVerifier({ issuer: issuer.issuer, audience: DEV_AUDIENCE, keys: createLocalJWKSet(issuer.jwks), clock, trust: DEV_ISSUER_TRUST });

let dir: string;
let issuer: DevIssuer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stint-dev-issuer-'));
  issuer = await createDevIssuer(ISSUER, clock);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeEach(() => clock.set(START));

describe('createDevIssuer', () => {
  it('issues a user token that the shared verifier accepts against the issuer JWKS when mfa is true', async () => {
    // Act
    const { access_token, token_type, expires_in } = await issuer.issue(adele, { mfa: true });
    const caller = await verifierFor(issuer).verify(access_token);

    // Assess
    expect(token_type).toBe('Bearer');
    expect(expires_in).toBe(TOKEN_LIFETIME_SECONDS);
    expect(caller).toEqual({
      kind: 'user',
      id: adele.id,
      issuer: ISSUER,
      userPrincipalName: 'adele@contoso.test',
      verifiedUserPrincipalName: 'adele@contoso.test',
      subjectIsDirectoryId: true,
      displayName: 'Adele Vance',
      authMethods: ['pwd', 'mfa'],
      authTime: NOW,
      ipAddress: undefined,
    });
  });

  it("gives amr ['pwd'] when mfa is false", async () => {
    // Act
    const { access_token } = await issuer.issue(adele, { mfa: false });
    const caller = await verifierFor(issuer).verify(access_token);

    // Assess
    expect(caller.authMethods).toEqual(['pwd']);
  });

  it('moves auth_time back by authAgeSeconds when they are given', async () => {
    // Act
    const { access_token } = await issuer.issue(adele, { mfa: true, authAgeSeconds: 900 });
    const caller = await verifierFor(issuer).verify(access_token);

    // Assess
    expect(caller.authTime).toBe(NOW - 900);
    expect(decodeJwt(access_token).iat).toBe(NOW);
  });

  it('issues an app token that verifies as a service principal when the subject is one', async () => {
    // Act
    const { access_token } = await issuer.issue(pipeline, { mfa: true });
    const caller = await verifierFor(issuer).verify(access_token);

    // Assess
    expect(caller).toMatchObject({ kind: 'servicePrincipal', id: pipeline.id, appId: pipeline.appId, displayName: 'Deploy pipeline', authMethods: [] });
    expect(decodeJwt(access_token)).not.toHaveProperty('amr');
  });

  it('signs RS256 with the published kid and the standard claims when issuing', async () => {
    // Act
    const { access_token } = await issuer.issue(adele, { mfa: true });

    // Assess
    expect(decodeProtectedHeader(access_token)).toEqual({ alg: 'RS256', kid: issuer.jwks.keys[0]!.kid, typ: 'at+jwt' });
    expect(decodeJwt(access_token)).toMatchObject({
      iss: ISSUER,
      aud: DEV_AUDIENCE,
      sub: adele.id,
      oid: adele.id,
      iat: NOW,
      nbf: NOW,
      exp: NOW + TOKEN_LIFETIME_SECONDS,
    });
    expect(decodeJwt(access_token).jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('publishes only the public half of the key when asked for its JWKS', () => {
    // Act
    const [key] = issuer.jwks.keys;

    // Assess
    expect(issuer.jwks.keys).toHaveLength(1);
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret);
  });

  it('issues tokens that expire after the token lifetime by the injected clock', async () => {
    // Prepare
    const { access_token } = await issuer.issue(adele, { mfa: true });
    clock.advance((TOKEN_LIFETIME_SECONDS + 31) * 1000);

    // Act
    const error = await verifierFor(issuer)
      .verify(access_token)
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as UnauthenticatedError).message).toMatch(/expired/);
  });

  it('issues tokens that another issuer cannot vouch for', async () => {
    // Prepare
    const other = await createDevIssuer(ISSUER, clock);
    const { access_token } = await issuer.issue(adele, { mfa: true });

    // Act
    const error = await verifierFor(other)
      .verify(access_token)
      .catch((e: unknown) => e);

    // Assess
    expect(other.jwks.keys[0]!.kid).not.toBe(issuer.jwks.keys[0]!.kid);
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as UnauthenticatedError).message).toMatch(/unknown key/);
  });

  it('keeps its key in the key file, readable by the owner only, and reloads it when started again', async () => {
    // Prepare
    const keyFile = join(dir, 'dev-issuer-key.json');
    const first = await createDevIssuer(ISSUER, clock, keyFile);
    const { access_token } = await first.issue(adele, { mfa: true });

    // Act
    const second = await createDevIssuer(ISSUER, clock, keyFile);
    const caller = await verifierFor(second).verify(access_token);

    // Assess
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(keyFile, 'utf8'))).toMatchObject({ kid: first.jwks.keys[0]!.kid, privateJwk: { kty: 'RSA', d: expect.any(String) } });
    expect(second.jwks).toEqual(first.jwks);
    expect(caller.id).toBe(adele.id);
  });
});
