/**
 * The local stand-in for Cognito or an OIDC provider: an RS256 key pair, its JWKS, and tokens for the
 * directory's users and service principals, with or without MFA. Local mode only; nothing in the AWS
 * stack refers to it. The key is kept in the data folder so tokens survive a restart.
 */
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { IssuerTrust } from '../../shared/auth/token-verifier.ts';
import type { Clock } from '../../shared/domain/clock.ts';

export const DEV_AUDIENCE = 'api://stint';
export const TOKEN_LIFETIME_SECONDS = 3600;

/**
 * The dev issuer is the local stand-in for an organisation's own identity provider: it sets `upn` from
 * the directory, so it is authoritative for it, as Entra is for its tenant's.
 */
export const DEV_ISSUER_TRUST: IssuerTrust = { subjectClaim: 'sub', authoritativeClaims: ['upn'], subjectIsDirectoryId: true };

export interface TokenSubject {
  kind: 'user' | 'servicePrincipal';
  id: string;
  displayName: string;
  userPrincipalName?: string;
  appId?: string;
}

export interface TokenOptions {
  mfa: boolean;
  /** How long ago the subject "signed in"; to try MFA freshness rules. */
  authAgeSeconds?: number;
  /** When the subject signed in, in seconds since the epoch; wins over authAgeSeconds (a sign-in page's session). */
  authTime?: number;
}

/** What an OpenID Connect ID token says about a sign-in (OIDC Core §2); for the local sign-in page's client. */
export interface IdTokenClaims {
  audience: string;
  subject: string;
  nonce?: string;
  /** Seconds since the epoch. */
  authTime: number;
  amr: string[];
  name: string;
  preferredUsername: string;
}

export interface DevIssuer {
  issuer: string;
  jwks: { keys: JWK[] };
  /** The clock the tokens' times come from; the local sign-in endpoints keep time by it too. */
  clock: Clock;
  issue(subject: TokenSubject, options: TokenOptions): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }>;
  /** An ID token for a client, with the same key and lifetime as access tokens but typ JWT, so the API refuses it. */
  issueIdToken(claims: IdTokenClaims): Promise<string>;
}

interface StoredKey {
  kid: string;
  privateJwk: JWK;
}

async function loadOrCreateKey(keyFile?: string): Promise<StoredKey> {
  if (keyFile && existsSync(keyFile)) return JSON.parse(readFileSync(keyFile, 'utf8')) as StoredKey;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const stored = { kid: randomUUID(), privateJwk: await exportJWK(privateKey) };
  if (keyFile) writeFileSync(keyFile, JSON.stringify(stored), { mode: 0o600 });
  return stored;
}

export async function createDevIssuer(issuer: string, clock: Clock, keyFile?: string): Promise<DevIssuer> {
  const stored = await loadOrCreateKey(keyFile);
  const privateKey = await importJWK(stored.privateJwk, 'RS256');
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = stored.privateJwk;
  return {
    issuer,
    clock,
    jwks: { keys: [{ ...publicJwk, kid: stored.kid, alg: 'RS256', use: 'sig' }] },
    async issue(subject, options) {
      const now = Math.floor(clock.now().getTime() / 1000);
      const claims =
        subject.kind === 'user'
          ? {
              oid: subject.id,
              upn: subject.userPrincipalName,
              name: subject.displayName,
              amr: options.mfa ? ['pwd', 'mfa'] : ['pwd'],
              auth_time: options.authTime ?? now - (options.authAgeSeconds ?? 0),
            }
          : { oid: subject.id, idtyp: 'app', appid: subject.appId, app_displayname: subject.displayName };
      const token = await new SignJWT(claims)
        // RFC 9068's type: the API accepts access tokens only.
        .setProtectedHeader({ alg: 'RS256', kid: stored.kid, typ: 'at+jwt' })
        .setIssuer(issuer)
        .setAudience(DEV_AUDIENCE)
        .setSubject(subject.id)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + TOKEN_LIFETIME_SECONDS)
        .setJti(randomUUID())
        .sign(privateKey);
      return { access_token: token, token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS };
    },
    async issueIdToken(claims) {
      const now = Math.floor(clock.now().getTime() / 1000);
      return new SignJWT({
        auth_time: claims.authTime,
        amr: claims.amr,
        name: claims.name,
        preferred_username: claims.preferredUsername,
        ...(claims.nonce !== undefined && { nonce: claims.nonce }),
      })
        .setProtectedHeader({ alg: 'RS256', kid: stored.kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(claims.audience)
        .setSubject(claims.subject)
        .setIssuedAt(now)
        .setExpirationTime(now + TOKEN_LIFETIME_SECONDS)
        .sign(privateKey);
    },
  };
}
