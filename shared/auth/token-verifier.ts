/**
 * Bearer token verification, the same code in AWS (against the configured issuer's JWKS) and locally
 * (against the dev issuer's JWKS). The algorithm is pinned, so `alg: none` and HMAC-with-public-key
 * tricks are refused before any signature check.
 */
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type ProtectedHeaderParameters } from 'jose';
import type { Caller } from '../domain/caller.ts';
import type { Clock } from '../domain/clock.ts';
import { UnauthenticatedError } from '../domain/errors.ts';
import { DEFAULT_CLAIMS, DEFAULT_MFA_EVIDENCE, type ClaimMapping, type MfaEvidence } from './claim-mapping.ts';
import { COGNITO_AMR_CLAIM } from './cognito-token-claims.ts';

export { claimMappingFrom, DEFAULT_CLAIMS, DEFAULT_MFA_EVIDENCE, mfaEvidenceFrom, type ClaimMapping, type MfaEvidence } from './claim-mapping.ts';

export interface TokenVerifier {
  verify(token: string, sourceIp?: string): Promise<VerifiedCaller>;
}

/** A caller as its token names it, before the directory is asked who that is. */
export interface VerifiedCaller extends Caller {
  /** The token's `iss`: with the subject, the identity (docs/architecture.md §4). */
  issuer: string;
  /** The user principal name, only when the issuer vouches for it (see IssuerTrust); only this may link to an existing user. */
  verifiedUserPrincipalName?: string;
  /** Set when the issuer's subjects are directory ids (IssuerTrust.subjectIsDirectoryId). */
  subjectIsDirectoryId?: boolean;
}

/**
 * What Stint believes of one issuer beyond its signature. Claims that name a person are often chosen or
 * changed by the person, so only those the issuer vouches for may link a new identity to a user.
 */
export interface IssuerTrust {
  /** The claim that is a person's stable id at this issuer (Entra: `oid`). @default 'sub' */
  subjectClaim?: string;
  /**
   * Claims this issuer sets itself from records people cannot change (Entra's `upn`, the `upn` Stint's
   * Cognito trigger adds from a verified address). `email` counts only with `email_verified: true`. @default []
   */
  authoritativeClaims?: string[];
  /** Claims whose presence marks an access token from an issuer that marks them neither way (Entra: `scp`, `roles`). @default [] */
  accessTokenClaims?: string[];
  /**
   * Claims every person's access token carries and no app's does: a token with none of them is an app's
   * (Entra: `scp`, which app-only tokens lack; Okta: `uid`; Keycloak: `sid`, a sign-in session). Empty: only
   * the marks every issuer shares decide (see callerFromClaims). @default []
   */
  personClaims?: string[];
  /**
   * What in a token shows a second factor, any one of them: `amr` containing `mfa` (the default), or an
   * authentication context (Entra v2's `acrs`, Okta's and Keycloak's `acr`) that the provider grants only
   * after MFA. @default DEFAULT_MFA_EVIDENCE
   */
  mfaEvidence?: MfaEvidence[];
  /** The claim holding when the person signed in (epoch seconds): Auth0 lets no Action set `auth_time`, only a namespaced claim. @default 'auth_time' */
  authTimeClaim?: string;
  /** The issuer is the stack's own Cognito pool, whose trigger alone sets `stint_amr`. @default false */
  setsStintAmr?: boolean;
  /**
   * The issuer is Stint's own local dev issuer, whose subjects are directory ids: a subject that names a
   * directory user is that user, with no link to make (its URL changes with the port, a link would not
   * survive a restart on another port). Never set for an outside issuer. @default false
   */
  subjectIsDirectoryId?: boolean;
}

export interface VerifierOptions {
  issuer: string;
  trust?: IssuerTrust;
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
        const { payload, protectedHeader } = await jwtVerify(token, options.keys, {
          issuer: options.issuer,
          algorithms: options.algorithms ?? ['RS256'],
          requiredClaims: ['sub', 'exp', 'iat'],
          currentDate: options.clock.now(),
          clockTolerance: 30,
        });
        checkAudience(payload, options.audience);
        checkAccessToken(protectedHeader, payload, options.trust);
        return { ...callerFromClaims(payload, options.claims, options.trust), issuer: options.issuer, ipAddress: sourceIp };
      } catch (error) {
        throw explain(error);
      }
    },
  };
}

/**
 * Several issuers, each with its own keys and trust: a token goes to the verifier of its (unverified)
 * `iss`, which then checks everything, `iss` included; an unknown issuer meets the first one's refusal.
 */
export function createIssuerVerifiers(verifiers: { issuer: string; verifier: TokenVerifier }[]): TokenVerifier {
  return {
    verify(token, sourceIp) {
      let iss: unknown;
      try {
        iss = decodeJwt(token).iss;
      } catch {
        iss = undefined;
      }
      const chosen = verifiers.find((v) => v.issuer === iss) ?? verifiers[0]!;
      return chosen.verifier.verify(token, sourceIp);
    },
  };
}

/**
 * Only access tokens (RFC 9068 `typ: at+jwt`, Cognito's `token_use: access`, Keycloak's `typ: Bearer`): an ID token is meant for
 * the client that asked for it, and carries claims its holder may have written.
 */
function checkAccessToken(header: ProtectedHeaderParameters, payload: JWTPayload, trust: IssuerTrust = {}): void {
  const typ = header.typ?.toLowerCase();
  if (payload.token_use !== undefined && payload.token_use !== 'access') {
    throw new UnauthenticatedError(
      `Access token validation failure: this is an ${String(payload.token_use)} token; only access tokens for this API are accepted.`,
    );
  }
  // Keycloak marks its tokens in the payload: `typ: Bearer` for access tokens, `ID` for ID tokens.
  if (typ === 'at+jwt' || typ === 'application/at+jwt' || payload.token_use === 'access' || payload.typ === 'Bearer') return;
  if ((trust.accessTokenClaims ?? []).some((claim) => payload[claim] !== undefined)) return;
  throw new UnauthenticatedError(
    "Access token validation failure: this is not an access token (it needs the header typ 'at+jwt' or the claim token_use 'access'); ID tokens are not accepted.",
  );
}

/**
 * The token must be meant for this API: `aud` names it, or, for tokens without `aud` (Cognito's access
 * tokens), `client_id` does — the rule API Gateway's JWT authorizer applies, so both layers agree.
 */
function checkAudience(payload: JWTPayload, audience: string): void {
  const accepted = audience
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const aud = payload.aud === undefined ? [] : [payload.aud].flat();
  const ok = aud.length > 0 ? aud.some((a) => accepted.includes(a)) : typeof payload.client_id === 'string' && accepted.includes(payload.client_id);
  if (!ok)
    throw new UnauthenticatedError(
      `Access token validation failure: the 'aud' claim is not accepted (it must name ${audience}; a token without 'aud' must carry it as 'client_id').`,
    );
}

/**
 * Maps token claims to a caller. The id is the issuer's subject claim (`trust.subjectClaim`); the person's
 * names come from the claims `mapping` lists, and are display only until the directory is asked.
 *
 * A token is an app's (a service principal's), never a person's, when the issuer marks it so: Entra's
 * `idtyp: app`, Auth0's `gty: client-credentials`, a subject that is the token's own client (client
 * credentials at Cognito, Okta and Google: a person's subject is never the id of the client they signed in
 * with), or none of `trust.personClaims` (Entra's app-only tokens have no `scp`). An app without the
 * subject claim (Okta's `uid` is a person's) is named by `sub`.
 */
export function callerFromClaims(
  claims: JWTPayload,
  mapping: ClaimMapping = DEFAULT_CLAIMS,
  trust: IssuerTrust = {},
): Caller & { verifiedUserPrincipalName?: string; subjectIsDirectoryId?: boolean } {
  const text = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : undefined);
  const first = (names: string[]) => names.map(text).find((v) => v !== undefined);
  const subjectClaim = trust.subjectClaim ?? 'sub';
  // A custom claim proves nothing by its name: another issuer may let people or apps set it. Only
  // Stint's own pool is known to set this one, from the sign-in it saw.
  const methods = claims.amr ?? (trust.setsStintAmr ? claims[COGNITO_AMR_CLAIM] : undefined);
  const amr = Array.isArray(methods) ? methods.filter((m): m is string => typeof m === 'string') : [];
  const authMethods = withMfaEvidence(claims, amr, trust.mfaEvidence ?? DEFAULT_MFA_EVIDENCE);
  const signedInAt = claims[trust.authTimeClaim ?? 'auth_time'];
  const authTime = typeof signedInAt === 'number' ? signedInAt : undefined;
  const appId = text('appid') ?? text('azp') ?? text('cid') ?? text('client_id');
  const personClaims = trust.personClaims ?? [];
  const isApp =
    text('idtyp') === 'app' ||
    text('gty') === 'client-credentials' ||
    (appId !== undefined && claims.sub === appId) ||
    (personClaims.length > 0 && !personClaims.some((claim) => claims[claim] !== undefined));
  if (isApp) {
    const id = text(subjectClaim) ?? text('sub');
    if (!id) throw new UnauthenticatedError(`Access token validation failure: the '${subjectClaim}' claim, which names the app at this issuer, is missing.`);
    return { kind: 'servicePrincipal', id, appId, displayName: text('app_displayname') ?? text('name'), authMethods, authTime };
  }
  const id = text(subjectClaim);
  if (!id) throw new UnauthenticatedError(`Access token validation failure: the '${subjectClaim}' claim, which names the person at this issuer, is missing.`);
  return {
    kind: 'user',
    id,
    userPrincipalName: first(mapping.userPrincipalName),
    verifiedUserPrincipalName: verifiedName(claims, mapping, trust),
    ...(trust.subjectIsDirectoryId ? { subjectIsDirectoryId: true } : {}),
    displayName: first(mapping.displayName),
    authMethods,
    authTime,
  };
}

/**
 * The token's methods with `mfa` standing for "the issuer vouched for a second factor": kept or added when a
 * piece of `evidence` matches, taken out when none does (an `amr` of `mfa` counts only if the evidence lists it).
 */
function withMfaEvidence(claims: JWTPayload, amr: string[], evidence: MfaEvidence[]): string[] {
  const shows = evidence.some(({ claim, value }) => {
    const held = claim === 'amr' ? amr : claims[claim];
    return held === value || (Array.isArray(held) && held.includes(value));
  });
  const others = amr.filter((m) => m !== 'mfa');
  return shows ? [...others, 'mfa'] : others;
}

/** The first name claim, in the mapping's order, that the issuer vouches for. */
function verifiedName(claims: JWTPayload, mapping: ClaimMapping, trust: IssuerTrust): string | undefined {
  for (const claim of mapping.userPrincipalName) {
    const value = claims[claim];
    if (typeof value !== 'string' || !value.includes('@')) continue;
    const vouched = claim === 'email' ? claims.email_verified === true || claims.email_verified === 'true' : (trust.authoritativeClaims ?? []).includes(claim);
    if (vouched) return value;
  }
  return undefined;
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
