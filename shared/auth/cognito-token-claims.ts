/**
 * What Stint's Cognito pre-token-generation trigger (V2_0 event) adds to access tokens, as a pure
 * function. Cognito's access tokens name nobody by address and carry no `amr`, while the API finds a
 * person by user principal name and checks MFA from `amr` (docs/architecture.md §4). Cognito refuses to add or
 * change `amr` and `auth_time` from a trigger; `auth_time` is already in its access tokens, so the
 * methods go in `stint_amr`, which the token verifier reads when a token has no `amr`.
 */

/** The claim the verifier falls back to when a token has no `amr` (Cognito reserves that name). */
export const COGNITO_AMR_CLAIM = 'stint_amr';

/** The parts of Cognito's V2_0 event this reads (a subset of aws-lambda's PreTokenGenerationV2TriggerEvent). */
export interface PreTokenInput {
  triggerSource: string;
  request: { userAttributes: Record<string, string | undefined> };
}

export interface PreTokenClaims {
  accessTokenGeneration: { claimsToAddOrOverride: Record<string, string | string[]> };
}

export interface PoolFacts {
  /** The pool requires MFA for every sign-in (Mfa.REQUIRED, no remembered devices that skip it). */
  mfaRequired: boolean;
}

/**
 * Token-generation events in which the person presented password and second factor, in this sign-in or
 * in the one a refresh token continues (Cognito keeps that sign-in's `auth_time` on refresh, so MFA
 * freshness is still judged from the real sign-in). A device sign-in is left out: it may skip MFA.
 */
const SIGN_INS_WITH_MFA = new Set([
  'TokenGeneration_HostedAuth',
  'TokenGeneration_Authentication',
  'TokenGeneration_NewPasswordChallenge',
  'TokenGeneration_RefreshTokens',
]);

/**
 * @example
 * accessTokenClaims({ triggerSource: 'TokenGeneration_HostedAuth', request: { userAttributes: { email: 'ada@example.com', email_verified: 'true' } } }, { mfaRequired: true })
 * // → { accessTokenGeneration: { claimsToAddOrOverride: { email: 'ada@example.com', upn: 'ada@example.com', stint_amr: ['pwd', 'mfa'] } } }
 */
export function accessTokenClaims(event: PreTokenInput, pool: PoolFacts): PreTokenClaims {
  const claims: Record<string, string | string[]> = {
    [COGNITO_AMR_CLAIM]: pool.mfaRequired && SIGN_INS_WITH_MFA.has(event.triggerSource) ? ['pwd', 'mfa'] : ['pwd'],
  };
  const email = event.request.userAttributes.email?.trim().toLowerCase();
  // Only a verified address names the person: the first sign-in links the token to the directory user
  // with this user principal name, so an unverified one could claim somebody else's account.
  if (email && event.request.userAttributes.email_verified === 'true') {
    claims.email = email;
    claims.upn = email;
  }
  return { accessTokenGeneration: { claimsToAddOrOverride: claims } };
}
