/**
 * A second token issuer the local stack trusts to sign tokens and for nothing else (no claim of its is
 * authoritative): a partner's or a social login's, whose users choose their own names and addresses.
 */
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { DEV_AUDIENCE } from '../../infra/local/dev-issuer.ts';
import type { LocalStackOptions } from '../../infra/local/stack.ts';

export interface OtherIssuer {
  issuer: string;
  /** For startTestStack / startRolesStack. */
  trusted: NonNullable<LocalStackOptions['otherIssuers']>;
  /** A signed token: an access token (typ at+jwt) unless `typ` says otherwise; claims override the defaults. */
  token(claims: JWTPayload, options?: { typ?: string }): Promise<string>;
}

export async function createOtherIssuer(issuer = 'https://idp.partner.test/'): Promise<OtherIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] };
  return {
    issuer,
    trusted: [{ issuer, audience: DEV_AUDIENCE, keys: createLocalJWKSet(jwks), trust: {} }],
    async token(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: issuer, aud: DEV_AUDIENCE, iat: now, exp: now + 3600, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid, typ: options.typ ?? 'at+jwt' })
        .sign(privateKey as CryptoKey);
    },
  };
}
