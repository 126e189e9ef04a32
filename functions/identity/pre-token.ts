/**
 * Cognito's pre-token-generation trigger (V2_0 event): puts the person's verified email (as `email` and
 * `upn`) and the sign-in's methods in access tokens (shared/auth/cognito-token-claims.ts says why).
 */
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { accessTokenClaims } from '../../shared/auth/cognito-token-claims.ts';

// The construct that wires this trigger also makes the pool require MFA; it says so here.
const pool = { mfaRequired: process.env.STINT_POOL_MFA === 'required' };

export async function handler(event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> {
  // Arrays are valid claim values in V2_0 events; aws-lambda's types only know strings.
  event.response.claimsAndScopeOverrideDetails = accessTokenClaims(event, pool) as PreTokenGenerationV2TriggerEvent['response']['claimsAndScopeOverrideDetails'];
  return event;
}
