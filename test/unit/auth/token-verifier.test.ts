import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  callerFromClaims,
  claimMappingFrom,
  createTokenVerifier,
  DEFAULT_CLAIMS,
  remoteKeySet,
  type TokenVerifier,
} from '../../../shared/auth/token-verifier.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { UnauthenticatedError } from '../../../shared/domain/errors.ts';

const ISSUER = 'https://login.stint.test/tenant-1/v2.0';
const AUDIENCE = 'api://stint';
const KID = 'key-2025-01';
const START = '2025-01-15T10:00:00.000Z';
const NOW = Date.parse(START) / 1000;
const USER_ID = 'usr_01JHGZ3S8V0M5Q7R2T4W6Y8A0C';

let signingKey: CryptoKey;
let otherKey: CryptoKey;
/** The same RSA key pair, bound to RS384 (WebCrypto keys carry their hash). */
let sameKeyRs384: CryptoKey;
let publicJwk: JWK;
let publicPem: string;
const clock = new ManualClock(START);
let verifier: TokenVerifier;

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

interface MintOptions {
  claims?: JWTPayload;
  omit?: string[];
  key?: CryptoKey;
  kid?: string;
  alg?: string;
  iss?: string;
  aud?: string;
  exp?: number;
  nbf?: number;
  typ?: string;
}

/** An access token as an issuer would send it: RS256, our kid, typ at+jwt, our issuer and audience, valid for an hour from NOW. */
async function mint(options: MintOptions = {}): Promise<string> {
  const claims: JWTPayload = {
    iss: options.iss ?? ISSUER,
    aud: options.aud ?? AUDIENCE,
    sub: USER_ID,
    iat: NOW,
    exp: options.exp ?? NOW + 3600,
    ...(options.nbf !== undefined ? { nbf: options.nbf } : {}),
    ...options.claims,
  };
  for (const name of options.omit ?? []) delete claims[name];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? KID, typ: options.typ ?? 'at+jwt' })
    .sign(options.key ?? signingKey);
}

/** A token put together by hand, the way an attacker would: any header, any signature. */
function handmade(header: object, payload: object, sign: (input: string) => string): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${sign(input)}`;
}

const validPayload = () => ({ iss: ISSUER, aud: AUDIENCE, sub: USER_ID, iat: NOW, exp: NOW + 3600 });

async function rejection(promise: Promise<unknown>): Promise<UnauthenticatedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the token was accepted').toBeInstanceOf(UnauthenticatedError);
  return error as UnauthenticatedError;
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  publicPem = await exportSPKI(pair.publicKey);
  sameKeyRs384 = (await importJWK(await exportJWK(pair.privateKey), 'RS384')) as CryptoKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  verifier = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: createLocalJWKSet({ keys: [publicJwk] }), clock });
});

beforeEach(() => clock.set(START));

describe('createTokenVerifier', () => {
  it('returns the user caller with id from the subject claim, upn, amr and auth_time when the token is valid', async () => {
    // Prepare
    const entra = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      keys: createLocalJWKSet({ keys: [publicJwk] }),
      clock,
      trust: { subjectClaim: 'oid', authoritativeClaims: ['upn'] },
    });
    const token = await mint({
      claims: { oid: 'usr_01JHGZ4000000000000000000A', upn: 'adele@contoso.test', name: 'Adele Vance', amr: ['pwd', 'mfa'], auth_time: NOW - 60 },
    });

    // Act
    const caller = await entra.verify(token, '198.51.100.23');

    // Assess
    expect(caller).toEqual({
      kind: 'user',
      id: 'usr_01JHGZ4000000000000000000A',
      issuer: ISSUER,
      userPrincipalName: 'adele@contoso.test',
      verifiedUserPrincipalName: 'adele@contoso.test',
      displayName: 'Adele Vance',
      authMethods: ['pwd', 'mfa'],
      authTime: NOW - 60,
      ipAddress: '198.51.100.23',
    });
  });

  it('accepts a token without aud whose client_id names this API (Cognito access tokens), as API Gateway does', async () => {
    const token = await mint({ omit: ['aud'], claims: { client_id: AUDIENCE, username: 'megan' } });
    expect(await verifier.verify(token)).toMatchObject({ kind: 'user', id: USER_ID });
  });

  it('accepts any of several comma-separated audiences (a Cognito pool has one client id per app)', async () => {
    const several = createTokenVerifier({ issuer: ISSUER, audience: `portal-client, ${AUDIENCE}`, keys: createLocalJWKSet({ keys: [publicJwk] }), clock });
    expect(await several.verify(await mint({ omit: ['aud'], claims: { client_id: 'portal-client' } }))).toMatchObject({ id: USER_ID });
    expect(await several.verify(await mint())).toMatchObject({ id: USER_ID });
    await expect(several.verify(await mint({ omit: ['aud'], claims: { client_id: 'portal' } }))).rejects.toThrow(/'aud' claim/);
  });

  it('takes the id from sub by default, whatever oid says', async () => {
    // Prepare
    const token = await mint({ claims: { oid: 'usr_someone_else', preferred_username: 'megan@contoso.test' } });

    // Act
    const caller = await verifier.verify(token);

    // Assess
    expect(caller).toMatchObject({ kind: 'user', id: USER_ID, userPrincipalName: 'megan@contoso.test', authMethods: [], authTime: undefined });
  });

  it("returns a service principal caller when idtyp is 'app'", async () => {
    // Prepare
    const token = await mint({
      claims: { oid: 'spn_01JHGZ5000000000000000000B', idtyp: 'app', appid: '00000003-aaaa-bbbb-cccc-000000000001', app_displayname: 'Deploy pipeline' },
    });

    // Act
    const caller = await verifier.verify(token);

    // Assess
    expect(caller).toEqual({
      kind: 'servicePrincipal',
      id: USER_ID,
      issuer: ISSUER,
      appId: '00000003-aaaa-bbbb-cccc-000000000001',
      displayName: 'Deploy pipeline',
      authMethods: [],
      authTime: undefined,
      ipAddress: undefined,
    });
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['signed by another key with the same kid', () => mint({ key: otherKey }), /signature is invalid/],
    ['from another issuer', () => mint({ iss: 'https://evil.test/' }), /'iss' claim/],
    ['for another audience', () => mint({ aud: 'api://someone-else' }), /'aud' claim/],
    ['without aud, for another client_id', () => mint({ omit: ['aud'], claims: { client_id: 'someone-else' } }), /'aud' claim/],
    ['without aud or client_id', () => mint({ omit: ['aud'] }), /'aud' claim/],
    ['with another aud, though client_id names this API (aud wins)', () => mint({ aud: 'api://someone-else', claims: { client_id: AUDIENCE } }), /'aud' claim/],
    ['without sub', () => mint({ omit: ['sub'] }), /'sub' claim.*missing/],
    ['without exp', () => mint({ omit: ['exp'] }), /'exp' claim.*missing/],
    ['without iat', () => mint({ omit: ['iat'] }), /'iat' claim.*missing/],
    ['signed with a kid nobody published', () => mint({ kid: 'rotated-away' }), /unknown key/],
    ['signed with RS384 although RS256 is pinned', () => mint({ alg: 'RS384', key: sameKeyRs384 }), /algorithm is not allowed/],
    ["with alg 'none' and no signature", async () => handmade({ alg: 'none', typ: 'JWT' }, validPayload(), () => ''), /algorithm is not allowed/],
    ["with alg 'None' and a junk signature", async () => handmade({ alg: 'None', kid: KID }, validPayload(), () => b64url('x')), /algorithm is not allowed/],
    [
      'signed with HS256 using the public key (PEM) as the HMAC secret',
      async () =>
        handmade({ alg: 'HS256', kid: KID, typ: 'JWT' }, validPayload(), (input) => createHmac('sha256', publicPem).update(input).digest('base64url')),
      /algorithm is not allowed/,
    ],
    [
      'signed with HS256 using the JWK modulus as the HMAC secret',
      async () =>
        handmade({ alg: 'HS256', kid: KID }, validPayload(), (input) =>
          createHmac('sha256', Buffer.from(publicJwk.n!, 'base64url')).update(input).digest('base64url'),
        ),
      /algorithm is not allowed/,
    ],
  ])('rejects a token %s', async (_, makeToken, message) => {
    // Prepare
    const token = await makeToken();

    // Act
    const error = await rejection(verifier.verify(token));

    // Assess
    expect(error.code).toBe('InvalidAuthenticationToken');
    expect(error.kind).toBe('unauthenticated');
    expect(error.message).toMatch(/^Access token/);
    expect(error.message).toMatch(message);
  });

  it.each([
    ['an empty string', ''],
    ['a word', 'not-a-token'],
    ['two segments', 'eyJhbGciOiJSUzI1NiJ9.e30'],
    ['four segments', 'a.b.c.d'],
    ['a header that is not JSON', `${b64url('{alg:RS256')}.${b64url('{}')}.${b64url('sig')}`],
    ['a payload that is not JSON', `${b64url(JSON.stringify({ alg: 'RS256', kid: KID }))}.${b64url('not json')}.${b64url('sig')}`],
    ['a header without alg', `${b64url(JSON.stringify({ kid: KID }))}.${b64url('{}')}.${b64url('sig')}`],
    ['binary garbage', '\u0000\u0001.\u00ff.%%%'],
  ])('rejects %s as malformed', async (_, token) => {
    // Act
    const error = await rejection(verifier.verify(token));

    // Assess
    expect(error.code).toBe('InvalidAuthenticationToken');
    expect(error.message).toMatch(/malformed|validation failure/);
  });

  it('rejects a token when the clock has passed exp by more than the 30 s tolerance', async () => {
    // Prepare
    const token = await mint({ exp: NOW + 600 });
    clock.set(new Date((NOW + 600 + 31) * 1000));

    // Act
    const error = await rejection(verifier.verify(token));

    // Assess
    expect(error.code).toBe('InvalidAuthenticationToken');
    expect(error.message).toMatch(/expired/);
  });

  it('accepts a token when the clock is past exp but within the tolerance', async () => {
    // Prepare
    const token = await mint({ exp: NOW + 600 });
    clock.set(new Date((NOW + 600 + 29) * 1000));

    // Act
    const caller = await verifier.verify(token);

    // Assess
    expect(caller.id).toBe(USER_ID);
  });

  it('rejects a token when its nbf is later than now plus the tolerance', async () => {
    // Prepare
    const token = await mint({ nbf: NOW + 120 });

    // Act
    const error = await rejection(verifier.verify(token));

    // Assess
    expect(error.code).toBe('InvalidAuthenticationToken');
    expect(error.message).toMatch(/'nbf' claim/);
  });

  it('accepts the same not-yet-valid token once the clock reaches nbf', async () => {
    // Prepare
    const token = await mint({ nbf: NOW + 120 });
    clock.advance(120_000);

    // Act
    const caller = await verifier.verify(token);

    // Assess
    expect(caller.id).toBe(USER_ID);
  });

  it('verifies RS384 tokens only when the verifier is configured for RS384', async () => {
    // Prepare
    const rs384 = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      keys: createLocalJWKSet({ keys: [{ ...publicJwk, alg: 'RS384' }] }),
      clock,
      algorithms: ['RS384'],
    });

    // Act
    const caller = await rs384.verify(await mint({ alg: 'RS384', key: sameKeyRs384 }));
    const error = await rejection(rs384.verify(await mint()));

    // Assess
    expect(caller.id).toBe(USER_ID);
    expect(error.message).toMatch(/algorithm is not allowed/);
  });
});

describe('createTokenVerifier with a remote JWKS', () => {
  let server: Server;
  let jwksUrl: string;
  let fetches = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url !== '/keys') {
        response.writeHead(404).end();
        return;
      }
      fetches++;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('verifies tokens against the fetched key set and fetches it once when several tokens arrive', async () => {
    // Prepare
    const remote = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: remoteKeySet(jwksUrl), clock });
    const before = fetches;

    // Act
    const callers = await Promise.all([remote.verify(await mint()), remote.verify(await mint({ claims: { sub: 'usr_2' } }))]);
    const third = await remote.verify(await mint({ claims: { sub: 'usr_3' } }));

    // Assess
    expect(callers.map((c) => c.id)).toEqual([USER_ID, 'usr_2']);
    expect(third.id).toBe('usr_3');
    expect(fetches - before).toBe(1);
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ['with an unknown kid', () => mint({ kid: 'not-published' }), /unknown key/],
    ['signed by another key with the same kid', () => mint({ key: otherKey }), /signature is invalid/],
    [
      'signed with HS256 using the public key as the secret',
      async () => handmade({ alg: 'HS256', kid: KID }, validPayload(), (input) => createHmac('sha256', publicPem).update(input).digest('base64url')),
      /algorithm is not allowed/,
    ],
  ])('rejects a token %s', async (_, makeToken, message) => {
    // Prepare
    const remote = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: remoteKeySet(jwksUrl), clock });

    // Act
    const error = await rejection(remote.verify(await makeToken()));

    // Assess
    expect(error.code).toBe('InvalidAuthenticationToken');
    expect(error.message).toMatch(message);
  });
});

describe('callerFromClaims', () => {
  it.each<[string, JWTPayload, object]>([
    [
      'Entra user claims',
      { sub: 's', oid: 'o', upn: 'u@x.test', name: 'N', amr: ['pwd', 'mfa'], auth_time: 5 },
      { kind: 'user', id: 's', userPrincipalName: 'u@x.test', displayName: 'N', authMethods: ['pwd', 'mfa'], authTime: 5 },
    ],
    [
      'OIDC claims with preferred_username',
      { sub: 's', preferred_username: 'p@x.test' },
      { kind: 'user', id: 's', userPrincipalName: 'p@x.test', authMethods: [] },
    ],
    [
      'Cognito claims with email',
      { sub: 's', email: 'e@x.test', amr: ['mfa', 7] },
      { kind: 'user', id: 's', userPrincipalName: 'e@x.test', authMethods: ['mfa'] },
    ],
    ['an oid that is not a string', { sub: 's', oid: 42 }, { kind: 'user', id: 's' }],
    ['an auth_time that is not a number', { sub: 's', auth_time: '5' }, { kind: 'user', id: 's', authTime: undefined }],
    [
      'app claims with azp',
      { sub: 's', idtyp: 'app', azp: 'client-1', name: 'App' },
      { kind: 'servicePrincipal', id: 's', appId: 'client-1', displayName: 'App' },
    ],
    ['app claims with client_id', { sub: 's', idtyp: 'app', client_id: 'client-2' }, { kind: 'servicePrincipal', id: 's', appId: 'client-2' }],
    [
      'a client-credentials token whose subject is its client (Cognito)',
      { sub: 'c3', client_id: 'c3', scope: 'stint/api', token_use: 'access' },
      { kind: 'servicePrincipal', id: 'c3', appId: 'c3' },
    ],
    [
      'a person signed in through a client (sub is not the client)',
      { sub: 's', client_id: 'c3', upn: 'u@x.test' },
      { kind: 'user', id: 's', userPrincipalName: 'u@x.test' },
    ],
    [
      'no stint_amr from an issuer not known to set it',
      { sub: 's', client_id: 'c', stint_amr: ['pwd', 'mfa'], auth_time: 9 },
      { kind: 'user', authMethods: [], authTime: 9 },
    ],
    ['amr over stint_amr when a token has both', { sub: 's', amr: ['pwd'], stint_amr: ['pwd', 'mfa'] }, { kind: 'user', authMethods: ['pwd'] }],
  ])('maps %s', (_, claims, expected) => {
    // Act
    const caller = callerFromClaims(claims);

    // Assess
    expect(caller).toMatchObject(expected);
  });
});

describe('issuer trust', () => {
  it("reads Cognito's methods from the trigger's stint_amr only from the stack's own pool", () => {
    const claims = { sub: 's', client_id: 'c', stint_amr: ['pwd', 'mfa'], auth_time: 9 };
    expect(callerFromClaims(claims, DEFAULT_CLAIMS, { setsStintAmr: true })).toMatchObject({ authMethods: ['pwd', 'mfa'], authTime: 9 });
    expect(callerFromClaims(claims)).toMatchObject({ authMethods: [] });
  });

  it('takes the id from the configured subject claim, and refuses a token without it', () => {
    expect(callerFromClaims({ sub: 's', oid: 'o' }, DEFAULT_CLAIMS, { subjectClaim: 'oid' })).toMatchObject({ id: 'o' });
    expect(() => callerFromClaims({ sub: 's' }, DEFAULT_CLAIMS, { subjectClaim: 'oid' })).toThrow(/'oid' claim.*missing/);
  });

  it.each<[string, JWTPayload, string[], string | undefined]>([
    ['an email the issuer verified', { sub: 's', email: 'e@x.test', email_verified: true }, [], 'e@x.test'],
    ["an email verified as the string 'true'", { sub: 's', email: 'e@x.test', email_verified: 'true' }, [], 'e@x.test'],
    ['no unverified email', { sub: 's', email: 'e@x.test', email_verified: false }, [], undefined],
    ['no email without email_verified', { sub: 's', email: 'e@x.test' }, [], undefined],
    ['no upn from an issuer not authoritative for it', { sub: 's', upn: 'u@x.test', preferred_username: 'p@x.test' }, [], undefined],
    ['the upn from an issuer authoritative for it', { sub: 's', upn: 'u@x.test' }, ['upn'], 'u@x.test'],
    ['a verified email when the upn is not vouched for', { sub: 's', upn: 'u@x.test', email: 'e@x.test', email_verified: true }, [], 'e@x.test'],
    ['preferred_username when authoritative and upn is absent', { sub: 's', preferred_username: 'p@x.test' }, ['upn', 'preferred_username'], 'p@x.test'],
  ])('vouches for %s', (_, claims, authoritativeClaims, expected) => {
    expect(callerFromClaims(claims, DEFAULT_CLAIMS, { authoritativeClaims }).verifiedUserPrincipalName).toBe(expected);
  });
});

describe('access tokens only', () => {
  it.each<[string, MintOptions]>([
    ['an ID token (typ JWT, no token_use)', { typ: 'JWT' }],
    ["a token with token_use 'id'", { claims: { token_use: 'id' } }],
    ["a token with typ at+jwt but token_use 'id'", { typ: 'at+jwt', claims: { token_use: 'id' } }],
  ])('rejects %s', async (_, options) => {
    const error = await rejection(verifier.verify(await mint(options)));
    expect(error.message).toMatch(/access token/);
  });

  it.each<[string, MintOptions]>([
    ['typ at+jwt', {}],
    ['typ application/at+jwt', { typ: 'application/at+jwt' }],
    ["token_use 'access' (Cognito)", { typ: 'JWT', claims: { token_use: 'access' } }],
  ])('accepts %s', async (_, options) => {
    expect(await verifier.verify(await mint(options))).toMatchObject({ id: USER_ID });
  });

  it('accepts a token with a marker claim only from an issuer configured with it (Entra: scp, roles)', async () => {
    const entra = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      keys: createLocalJWKSet({ keys: [publicJwk] }),
      clock,
      trust: { accessTokenClaims: ['scp', 'roles'] },
    });
    const token = await mint({ typ: 'JWT', claims: { scp: 'access_as_user' } });
    expect(await entra.verify(token)).toMatchObject({ id: USER_ID });
    await rejection(verifier.verify(token));
    await rejection(entra.verify(await mint({ typ: 'JWT' })));
  });
});

describe('claim mapping (STINT_CLAIM_UPN, STINT_CLAIM_NAME)', () => {
  const claims = { sub: 's1', upn: 'entra@example.com', email: 'mail@example.com', employee_upn: 'custom@example.com', name: 'Ada', given: 'Ada L.' };

  it("uses Entra's names first, then OIDC's, by default", () => {
    expect(callerFromClaims(claims)).toMatchObject({ userPrincipalName: 'entra@example.com', displayName: 'Ada' });
    expect(callerFromClaims({ sub: 's2', email: 'mail@example.com' })).toMatchObject({ userPrincipalName: 'mail@example.com' });
  });

  it('takes the first claim present of those configured, in their order', () => {
    const mapping = claimMappingFrom('employee_upn, email', 'given');
    expect(callerFromClaims(claims, mapping)).toMatchObject({ userPrincipalName: 'custom@example.com', displayName: 'Ada L.' });
    expect(callerFromClaims({ sub: 's3', email: 'mail@example.com' }, mapping)).toMatchObject({ userPrincipalName: 'mail@example.com' });
  });

  it('falls back to the defaults when a setting is empty', () => {
    expect(claimMappingFrom(' , ', undefined)).toEqual(DEFAULT_CLAIMS);
  });
});
