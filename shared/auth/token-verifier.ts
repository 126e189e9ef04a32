/**
 * Bearer token verification, the same code in AWS (against the configured issuer's JWKS) and locally
 * (against the dev issuer's JWKS). The algorithm is pinned, so `alg: none` and HMAC-with-public-key
 * tricks are refused before any signature check.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Caller } from '../domain/caller.ts';
import type { Clock } from '../domain/clock.ts';
import { UnauthenticatedError } from '../domain/errors.ts';
import { COGNITO_AMR_CLAIM } from './cognito-token-claims.ts';

export interface TokenVerifier {
  verify(token: string, sourceIp?: string): Promise<Caller>;
}

/**
 * Which claims name a person (in order of preference): providers differ, and an organisation may keep
 * the user principal name in a custom claim. Set with STINT_CLAIM_UPN / STINT_CLAIM_NAME (comma-separated).
 */
export interface ClaimMapping {
  userPrincipalName: string[];
  displayName: string[];
}

/** Entra's names first, then OIDC's standard ones (Cognito's included). */
export const DEFAULT_CLAIMS: ClaimMapping = { userPrincipalName: ['upn', 'preferred_username', 'email'], displayName: ['name'] };

export function claimMappingFrom(upn: string | undefined, name: string | undefined): ClaimMapping {
  const list = (value: string | undefined) => value?.split(',').map((c) => c.trim()).filter(Boolean) ?? [];
  const upns = list(upn);
  const names = list(name);
  return { userPrincipalName: upns.length > 0 ? upns : DEFAULT_CLAIMS.userPrincipalName, displayName: names.length > 0 ? names : DEFAULT_CLAIMS.displayName };
}

export interface VerifierOptions {
  issuer: string;
  /** Which claims name the person; default DEFAULT_CLAIMS. */
  claims?: ClaimMapping;
  /** The audience, or several separated by commas (a Cognito pool's app clients each have their own id). */
  audience: string;
  keys: JWTVerifyGetKey;
  clock: Clock;
  algorithms?: string[];
}

export function remoteKeySet(jwksUrl: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUrl), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000, timeoutDuration: 5_000 });
}

export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  return {
    async verify(token, sourceIp) {
      try {
        const { payload } = await jwtVerify(token, options.keys, {
          issuer: options.issuer,
          algorithms: options.algorithms ?? ['RS256'],
          requiredClaims: ['sub', 'exp', 'iat'],
          currentDate: options.clock.now(),
          clockTolerance: 30,
        });
        checkAudience(payload, options.audience);
        return { ...callerFromClaims(payload, options.claims), ipAddress: sourceIp };
      } catch (error) {
        throw explain(error);
      }
    },
  };
}

/**
 * The token must be meant for this API: `aud` names it, or, for tokens without `aud` (Cognito's access
 * tokens), `client_id` does — the rule API Gateway's JWT authorizer applies, so both layers agree.
 */
function checkAudience(payload: JWTPayload, audience: string): void {
  const accepted = audience.split(',').map((a) => a.trim()).filter(Boolean);
  const aud = payload.aud === undefined ? [] : [payload.aud].flat();
  const ok = aud.length > 0 ? aud.some((a) => accepted.includes(a)) : typeof payload.client_id === 'string' && accepted.includes(payload.client_id);
  if (!ok) throw new UnauthenticatedError(`Access token validation failure: the 'aud' claim is not accepted (it must name ${audience}; a token without 'aud' must carry it as 'client_id').`);
}

/**
 * Maps token claims to a caller. Entra's names first (oid, idtyp), then OIDC's and Cognito's; the person's
 * names come from the claims `mapping` lists. A token
 * whose subject is its own client (client credentials at Cognito, Okta and others) is an app, like
 * Entra's `idtyp: app`: a person's subject is never the id of the client they signed in with.
 */
export function callerFromClaims(claims: JWTPayload, mapping: ClaimMapping = DEFAULT_CLAIMS): Caller {
  const text = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : undefined);
  const first = (names: string[]) => names.map(text).find((v) => v !== undefined);
  const id = text('oid') ?? claims.sub!;
  const methods = claims.amr ?? claims[COGNITO_AMR_CLAIM];
  const amr = Array.isArray(methods) ? methods.filter((m): m is string => typeof m === 'string') : [];
  const authTime = typeof claims.auth_time === 'number' ? claims.auth_time : undefined;
  const appId = text('appid') ?? text('azp') ?? text('client_id');
  if (text('idtyp') === 'app' || (appId !== undefined && claims.sub === appId)) {
    return { kind: 'servicePrincipal', id, appId, displayName: text('app_displayname') ?? text('name'), authMethods: amr, authTime };
  }
  return {
    kind: 'user',
    id,
    userPrincipalName: first(mapping.userPrincipalName),
    displayName: first(mapping.displayName),
    authMethods: amr,
    authTime,
  };
}

function explain(error: unknown): UnauthenticatedError {
  if (error instanceof UnauthenticatedError) return error;
  if (error instanceof errors.JWTExpired) return new UnauthenticatedError('Access token has expired or is not yet valid.');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new UnauthenticatedError(`Access token validation failure: the '${error.claim}' claim is not accepted (${error.reason}).`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new UnauthenticatedError('Access token validation failure: its signing algorithm is not allowed.');
  if (error instanceof errors.JWSSignatureVerificationFailed) return new UnauthenticatedError('Access token validation failure: the signature is invalid.');
  if (error instanceof errors.JWKSNoMatchingKey) return new UnauthenticatedError('Access token validation failure: it was signed by an unknown key.');
  if (error instanceof errors.JOSEError) return new UnauthenticatedError('Access token is malformed.');
  throw error;
}
