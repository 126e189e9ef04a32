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
}

export interface DevIssuer {
  issuer: string;
  jwks: { keys: JWK[] };
  issue(subject: TokenSubject, options: TokenOptions): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }>;
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
              auth_time: now - (options.authAgeSeconds ?? 0),
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
  };
}
