/**
 * The identity providers of docs/deploy.md §3b, each with the settings given there: tokens shaped as each
 * provider documents its access tokens (header and claims), checked for who the caller is, whether it is a
 * person or an app, and whether it shows MFA. The settings go through readSettings, as a function reads them.
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, type VerifiedCaller } from '../../../shared/auth/token-verifier.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { UnauthenticatedError } from '../../../shared/domain/errors.ts';
import { mfaIsFresh } from '../../../shared/domain/policy/evaluate.ts';
import { readSettings, SETTING, type SettingValues } from '../../../shared/settings.ts';

const START = '2025-06-02T09:00:00.000Z';
const NOW = Date.parse(START) / 1000;
const clock = new ManualClock(START);
const FRESHNESS_MS = 10 * 60_000;

let key: CryptoKey;
let keys: JWTVerifyGetKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  key = pair.privateKey;
  keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'provider-key', alg: 'RS256', use: 'sig' }] });
});

/** A verifier configured exactly as a deployment with these settings (the functions' environment) is. */
function verifierFor(settings: SettingValues) {
  const { jwt } = readSettings({}, { ...settings, [SETTING.pageTokenSecret]: 'x' }).api;
  return createTokenVerifier({ ...jwt, keys, clock });
}

function sign(payload: JWTPayload, typ?: string): Promise<string> {
  return new SignJWT({ iat: NOW - 60, nbf: NOW - 60, exp: NOW + 3600, ...payload })
    .setProtectedHeader({ alg: 'RS256', kid: 'provider-key', ...(typ ? { typ } : {}) })
    .sign(key);
}

const showsFreshMfa = (caller: VerifiedCaller) => mfaIsFresh(caller, clock.now(), FRESHNESS_MS);

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the token was accepted').toBeInstanceOf(UnauthenticatedError);
  return (error as Error).message;
}

describe('Entra ID', () => {
  const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const API_APP = '6e74172b-be56-4843-9ff4-e66a39bb12e3';
  const PORTAL_APP = 'f1d2b8c4-4a5e-4d3b-9a5e-0c1b2d3e4f50';
  const USER_OID = '00000000-0000-0000-66f3-3332eca7ea81';
  const SP_OID = '3f5c1e2a-8b7d-4c6e-9f0a-1b2c3d4e5f60';

  describe('v1 access tokens (accessTokenAcceptedVersion 1 or null)', () => {
    const ISSUER = `https://sts.windows.net/${TENANT}/`;
    // infra/app.ts issuerTrustDefaults for an Entra issuer.
    const settings = {
      [SETTING.jwtIssuer]: ISSUER,
      [SETTING.jwtAudience]: `api://${API_APP}`,
      [SETTING.subjectClaim]: 'oid',
      [SETTING.authoritativeClaims]: 'upn,preferred_username',
      [SETTING.accessTokenClaims]: 'scp,roles',
      [SETTING.personClaims]: 'scp',
    };
    const base = { iss: ISSUER, aud: `api://${API_APP}`, tid: TENANT, ver: '1.0', aio: 'E2ZgYJh...', uti: 'Ck3i5m', rh: '0.AXEAv4j5cv' };

    it('names the person by oid and upn, and takes amr and auth_time as MFA evidence', async () => {
      // Act
      const caller = await verifierFor(settings).verify(
        await sign(
          {
            ...base,
            sub: 'l3_roISQU222bULS9yi2k0XpqpOiMz5H3ZACo1GeXA',
            oid: USER_OID,
            upn: 'ada@contoso.com',
            unique_name: 'ada@contoso.com',
            name: 'Ada Lovelace',
            appid: PORTAL_APP,
            appidacr: '0',
            acr: '1',
            amr: ['pwd', 'mfa'],
            scp: 'Stint.Access',
            idtyp: 'user',
            auth_time: NOW - 120,
          },
          'JWT',
        ),
      );

      // Assess
      expect(caller).toMatchObject({ kind: 'user', id: USER_OID, verifiedUserPrincipalName: 'ada@contoso.com', displayName: 'Ada Lovelace' });
      expect(showsFreshMfa(caller)).toBe(true);
    });

    it('treats an app-only token (roles, no scp) as the service principal, even without the idtyp optional claim', async () => {
      // Act
      const caller = await verifierFor(settings).verify(
        await sign({ ...base, sub: SP_OID, oid: SP_OID, idp: ISSUER, appid: PORTAL_APP, appidacr: '1', roles: ['Stint.Decisions.Read'] }, 'JWT'),
      );

      // Assess
      expect(caller).toMatchObject({ kind: 'servicePrincipal', id: SP_OID, appId: PORTAL_APP });
      expect(showsFreshMfa(caller)).toBe(false);
    });
  });

  describe('v2 access tokens (accessTokenAcceptedVersion 2)', () => {
    const ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;
    // The v2 settings of docs/deploy.md: MFA is shown by the authentication context c1 (Conditional Access
    // requires MFA for it), since v2 access tokens carry no amr.
    const settings = {
      [SETTING.jwtIssuer]: ISSUER,
      [SETTING.jwtAudience]: API_APP,
      [SETTING.subjectClaim]: 'oid',
      [SETTING.authoritativeClaims]: 'upn,preferred_username',
      [SETTING.accessTokenClaims]: 'scp,roles',
      [SETTING.personClaims]: 'scp',
      [SETTING.mfaClaims]: 'acrs=c1',
    };
    const person = {
      iss: ISSUER,
      aud: API_APP,
      tid: TENANT,
      ver: '2.0',
      sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
      oid: USER_OID,
      preferred_username: 'ada@contoso.com',
      name: 'Ada Lovelace',
      azp: PORTAL_APP,
      azpacr: '0',
      scp: 'Stint.Access',
      auth_time: NOW - 120,
    };

    it('names the person by oid and preferred_username, and shows MFA only with the acrs authentication context', async () => {
      // Act
      const withContext = await verifierFor(settings).verify(await sign({ ...person, acrs: ['c1'], idtyp: 'user' }, 'JWT'));
      const without = await verifierFor(settings).verify(await sign(person, 'JWT'));

      // Assess
      expect(withContext).toMatchObject({ kind: 'user', id: USER_OID, verifiedUserPrincipalName: 'ada@contoso.com' });
      expect(showsFreshMfa(withContext)).toBe(true);
      expect(without.kind).toBe('user');
      expect(showsFreshMfa(without)).toBe(false);
    });

    it('needs auth_time (an optional claim) for MFA to count: a context without a sign-in time is not fresh', async () => {
      const { auth_time: _, ...noTime } = person;
      const caller = await verifierFor(settings).verify(await sign({ ...noTime, acrs: ['c1'] }, 'JWT'));
      expect(caller.authMethods).toContain('mfa');
      expect(showsFreshMfa(caller)).toBe(false);
    });

    it('treats an app-only token (idtyp app, roles, no scp) as the service principal named by its oid', async () => {
      // Act
      const caller = await verifierFor(settings).verify(
        await sign(
          {
            iss: ISSUER,
            aud: API_APP,
            tid: TENANT,
            ver: '2.0',
            sub: SP_OID,
            oid: SP_OID,
            azp: PORTAL_APP,
            azpacr: '1',
            idtyp: 'app',
            roles: ['Stint.Decisions.Read'],
          },
          'JWT',
        ),
      );

      // Assess
      expect(caller).toMatchObject({ kind: 'servicePrincipal', id: SP_OID, appId: PORTAL_APP });
    });

    it('refuses an ID token of the portal (no scp or roles, audience the portal)', async () => {
      const message = await refusal(
        verifierFor({ ...settings, [SETTING.jwtAudience]: `${API_APP},${PORTAL_APP}` }).verify(
          await sign({ ...person, aud: PORTAL_APP, scp: undefined, nonce: 'n-0S6', azp: undefined }, 'JWT'),
        ),
      );
      expect(message).toMatch(/not an access token/);
    });
  });
});

describe('Okta (custom authorization server)', () => {
  const ISSUER = 'https://acme.okta.com/oauth2/default';
  const CLIENT = '0oa1b2c3d4e5f6g7h8i9';
  // docs/deploy.md: uid is the stable id (sub is the login, which an administrator can change); scp marks
  // access tokens (ID tokens have none); a claim `auth_methods` with the expression session.amr shows MFA.
  const settings = {
    [SETTING.jwtIssuer]: ISSUER,
    [SETTING.jwtAudience]: 'api://stint',
    [SETTING.subjectClaim]: 'uid',
    [SETTING.claimUpn]: 'sub',
    [SETTING.authoritativeClaims]: 'sub',
    [SETTING.accessTokenClaims]: 'scp',
    [SETTING.personClaims]: 'uid',
    [SETTING.mfaClaims]: 'auth_methods=mfa,acr=urn:okta:loa:2fa:any',
  };
  const base = { ver: 1, jti: 'AT.5uJmKQmzGt0Xx1RGEdTc-eLrIQmhi_eOqTMkXeu9C7E', iss: ISSUER, aud: 'api://stint', cid: CLIENT, scp: ['openid', 'stint'] };

  it('names the person by uid and their login, and shows MFA from the session amr or the 2FA acr', async () => {
    // Act
    const withAmr = await verifierFor(settings).verify(
      await sign({ ...base, uid: '00u1a2b3c4d5e6f7g8h9', sub: 'ada@acme.com', auth_time: NOW - 60, auth_methods: ['pwd', 'mfa', 'otp'] }),
    );
    const withAcr = await verifierFor(settings).verify(
      await sign({ ...base, uid: '00u1a2b3c4d5e6f7g8h9', sub: 'ada@acme.com', auth_time: NOW - 60, acr: 'urn:okta:loa:2fa:any' }),
    );
    const passwordOnly = await verifierFor(settings).verify(
      await sign({ ...base, uid: '00u1a2b3c4d5e6f7g8h9', sub: 'ada@acme.com', auth_time: NOW - 60, auth_methods: ['pwd'] }),
    );

    // Assess
    expect(withAmr).toMatchObject({ kind: 'user', id: '00u1a2b3c4d5e6f7g8h9', verifiedUserPrincipalName: 'ada@acme.com' });
    expect(showsFreshMfa(withAmr)).toBe(true);
    expect(showsFreshMfa(withAcr)).toBe(true);
    expect(showsFreshMfa(passwordOnly)).toBe(false);
  });

  it('treats a client-credentials token (sub is the client id, no uid) as the service principal', async () => {
    const caller = await verifierFor(settings).verify(await sign({ ...base, sub: CLIENT, scp: ['stint'] }));
    expect(caller).toMatchObject({ kind: 'servicePrincipal', id: CLIENT, appId: CLIENT });
  });

  it('refuses an ID token (amr and auth_time, but no scp)', async () => {
    const message = await refusal(
      verifierFor(settings).verify(
        await sign({
          ver: 1,
          jti: 'ID.4eAWJOCMB3SX8XewDfVR',
          iss: ISSUER,
          aud: 'api://stint',
          sub: '00u1a2b3c4d5e6f7g8h9',
          amr: ['pwd', 'mfa'],
          idp: '00o1',
          auth_time: NOW,
          at_hash: 'preview',
        }),
      ),
    );
    expect(message).toMatch(/not an access token/);
  });
});

describe('Keycloak', () => {
  const ISSUER = 'https://id.example.com/realms/corp';
  // docs/deploy.md: typ Bearer marks access tokens; a person's token has a session (sid); a step-up flow
  // that asks for OTP at level of authentication 2 shows MFA as acr 2.
  const settings = {
    [SETTING.jwtIssuer]: ISSUER,
    [SETTING.jwtAudience]: 'stint-api',
    [SETTING.claimUpn]: 'email',
    [SETTING.personClaims]: 'sid',
    [SETTING.mfaClaims]: 'acr=2',
  };
  const base = {
    iss: ISSUER,
    aud: ['stint-api', 'account'],
    typ: 'Bearer',
    jti: 'onrtac:0c1d2e3f',
    'allowed-origins': ['https://pim.example.com'],
    scope: 'openid profile email',
  };

  it('names the person by sub and verified email, and shows MFA only at acr 2', async () => {
    // Act
    const person = {
      ...base,
      sub: 'f7a8b9c0-1d2e-4f3a-8b4c-5d6e7f8a9b0c',
      azp: 'stint-portal',
      sid: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
      preferred_username: 'ada',
      email: 'ada@example.com',
      email_verified: true,
      name: 'Ada Lovelace',
      auth_time: NOW - 30,
    };
    const stepUp = await verifierFor(settings).verify(await sign({ ...person, acr: '2' }, 'JWT'));
    const plain = await verifierFor(settings).verify(await sign({ ...person, acr: '1' }, 'JWT'));

    // Assess
    expect(stepUp).toMatchObject({ kind: 'user', id: person.sub, verifiedUserPrincipalName: 'ada@example.com', displayName: 'Ada Lovelace' });
    expect(showsFreshMfa(stepUp)).toBe(true);
    expect(showsFreshMfa(plain)).toBe(false);
  });

  it('treats a service-account token (client credentials: no session) as the service principal', async () => {
    const caller = await verifierFor(settings).verify(
      await sign(
        {
          ...base,
          sub: '9c8b7a6f-5e4d-4c3b-8a2f-1e0d9c8b7a6f',
          azp: 'orders-job',
          client_id: 'orders-job',
          preferred_username: 'service-account-orders-job',
          clientHost: '10.0.0.7',
          clientAddress: '10.0.0.7',
          acr: '1',
        },
        'JWT',
      ),
    );
    expect(caller).toMatchObject({ kind: 'servicePrincipal', id: '9c8b7a6f-5e4d-4c3b-8a2f-1e0d9c8b7a6f', appId: 'orders-job' });
  });

  it('refuses an ID token (typ ID)', async () => {
    const message = await refusal(
      verifierFor({ ...settings, [SETTING.jwtAudience]: 'stint-portal' }).verify(
        await sign(
          { iss: ISSUER, aud: 'stint-portal', typ: 'ID', sub: 'f7a8', azp: 'stint-portal', sid: 's', email: 'ada@example.com', email_verified: true },
          'JWT',
        ),
      ),
    );
    expect(message).toMatch(/not an access token/);
  });
});

describe('Auth0', () => {
  const ISSUER = 'https://acme.eu.auth0.com/';
  const NS = 'https://stint.example.com';
  // docs/deploy.md: Auth0 lets no Action set amr or auth_time in an access token, so a post-login Action
  // copies them into namespaced claims; scope and gty mark access tokens (Auth0's default token profile).
  const settings = {
    [SETTING.jwtIssuer]: ISSUER,
    [SETTING.jwtAudience]: 'https://stint.example.com/api',
    [SETTING.claimUpn]: `${NS}/upn`,
    [SETTING.authoritativeClaims]: `${NS}/upn`,
    [SETTING.accessTokenClaims]: 'scope,gty',
    [SETTING.mfaClaims]: `${NS}/amr=mfa,amr=mfa`,
    [SETTING.authTimeClaim]: `${NS}/auth_time`,
  };
  const base = { iss: ISSUER, aud: ['https://stint.example.com/api', 'https://acme.eu.auth0.com/userinfo'], azp: 'portalClient123' };

  it('names the person by sub and the upn the Action set from a verified email, and shows MFA from the Action’s claims', async () => {
    // Act
    const person = {
      ...base,
      sub: 'auth0|64b7f0c2a1d3e4f5a6b7c8d9',
      scope: 'openid profile email',
      [`${NS}/upn`]: 'ada@acme.com',
      [`${NS}/auth_time`]: NOW - 90,
    };
    const withMfa = await verifierFor(settings).verify(await sign({ ...person, [`${NS}/amr`]: ['pwd', 'mfa'] }, 'JWT'));
    const withoutMfa = await verifierFor(settings).verify(await sign({ ...person, [`${NS}/amr`]: ['pwd'] }, 'JWT'));

    // Assess
    expect(withMfa).toMatchObject({ kind: 'user', id: person.sub, verifiedUserPrincipalName: 'ada@acme.com' });
    expect(showsFreshMfa(withMfa)).toBe(true);
    expect(showsFreshMfa(withoutMfa)).toBe(false);
  });

  it('treats a machine-to-machine token (gty client-credentials, sub {client}@clients) as the service principal', async () => {
    const caller = await verifierFor(settings).verify(
      await sign(
        {
          iss: ISSUER,
          aud: 'https://stint.example.com/api',
          sub: 'm2mClient456@clients',
          azp: 'm2mClient456',
          gty: 'client-credentials',
          scope: 'decisions:read',
        },
        'JWT',
      ),
    );
    expect(caller).toMatchObject({ kind: 'servicePrincipal', id: 'm2mClient456@clients', appId: 'm2mClient456' });
  });
});

describe('Google (ID tokens for Stint as audience: workloads and service accounts)', () => {
  const ISSUER = 'https://accounts.google.com';
  const AUDIENCE = 'https://pim.example.com/api';
  // docs/deploy.md: Google's access tokens are opaque; its signed ID tokens (audience set to Stint) are the
  // JWTs it issues for other APIs, so azp marks them. They never show MFA.
  const settings = { [SETTING.jwtIssuer]: ISSUER, [SETTING.jwtAudience]: AUDIENCE, [SETTING.authoritativeClaims]: 'none', [SETTING.accessTokenClaims]: 'azp' };

  it('names a Workspace person by sub and verified email, and never shows MFA', async () => {
    const caller = await verifierFor(settings).verify(
      await sign(
        {
          iss: ISSUER,
          aud: AUDIENCE,
          azp: '1234567890-abc.apps.googleusercontent.com',
          sub: '110169484474386276334',
          email: 'ada@acme.com',
          email_verified: true,
          hd: 'acme.com',
          name: 'Ada Lovelace',
          auth_time: NOW - 30,
        },
        'JWT',
      ),
    );
    expect(caller).toMatchObject({ kind: 'user', id: '110169484474386276334', verifiedUserPrincipalName: 'ada@acme.com' });
    expect(showsFreshMfa(caller)).toBe(false);
  });

  it('does not link an unverified email', async () => {
    const caller = await verifierFor(settings).verify(
      await sign({ iss: ISSUER, aud: AUDIENCE, azp: 'x.apps.googleusercontent.com', sub: '1101', email: 'ada@acme.com', email_verified: false }, 'JWT'),
    );
    expect(caller.verifiedUserPrincipalName).toBeUndefined();
  });

  it('treats a service account (azp is its own id, the subject) as the service principal', async () => {
    const caller = await verifierFor(settings).verify(
      await sign(
        {
          iss: ISSUER,
          aud: AUDIENCE,
          azp: '108113467385729471234',
          sub: '108113467385729471234',
          email: 'jobs@acme-prod.iam.gserviceaccount.com',
          email_verified: true,
        },
        'JWT',
      ),
    );
    expect(caller).toMatchObject({ kind: 'servicePrincipal', id: '108113467385729471234', appId: '108113467385729471234' });
  });
});

describe('MFA evidence settings', () => {
  it('refuses a malformed entry, naming the variable', () => {
    expect(
      () => readSettings({}, { [SETTING.jwtIssuer]: 'https://i', [SETTING.jwtAudience]: 'a', [SETTING.pageTokenSecret]: 'x', [SETTING.mfaClaims]: 'acrs' }).api,
    ).toThrow(/STINT_MFA_CLAIMS must be claim=value entries/);
  });

  it('takes amr mfa as evidence only while the setting lists it', async () => {
    const issuer = 'https://login.example.com';
    const token = await sign({ iss: issuer, aud: 'api', sub: 'u1', amr: ['pwd', 'mfa'], auth_time: NOW }, 'at+jwt');
    const byDefault = await verifierFor({ [SETTING.jwtIssuer]: issuer, [SETTING.jwtAudience]: 'api' }).verify(token);
    const contextOnly = await verifierFor({ [SETTING.jwtIssuer]: issuer, [SETTING.jwtAudience]: 'api', [SETTING.mfaClaims]: 'acr=gold' }).verify(token);
    expect(byDefault.authMethods).toEqual(['pwd', 'mfa']);
    expect(contextOnly.authMethods).toEqual(['pwd']);
  });
});
