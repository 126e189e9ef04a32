/**
 * Cognito's pre-token-generation trigger (V2_0 event): puts the person's verified email (as `email` and
 * `upn`) and the sign-in's methods in access tokens (shared/auth/cognito-token-claims.ts says why), and
 * adds the person to the directory the first time they sign in — linked to the user an administrator
 * created with that user principal name, or created — so they exist before their first API call.
 */
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { accessTokenClaims } from '../../shared/auth/cognito-token-claims.ts';
import { errorMessage, logger } from '../../shared/observability/logger.ts';
import type { Services } from '../../shared/services/context.ts';
import { readSettings } from '../../shared/settings.ts';
import { directoryCaller } from '../../shared/services/directory/sign-in.ts';
import { defaultBackgroundRuntime } from '../../shared/workflow/background-runtime.ts';

// The construct that wires this trigger also makes the pool require MFA; it says so here.
const pool = readSettings().identityPool;

/** The `iss` of the pool's tokens: the API links identities by it and the subject. */
export function poolIssuer(event: Pick<PreTokenGenerationV2TriggerEvent, 'region' | 'userPoolId'>): string {
  return `https://cognito-idp.${event.region}.amazonaws.com/${event.userPoolId}`;
}

export function createHandler(services: () => Services = () => defaultBackgroundRuntime().services) {
  return async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
    const claims = accessTokenClaims(event, pool);
    // Arrays are valid claim values in V2_0 events; aws-lambda's types only know strings.
    event.response.claimsAndScopeOverrideDetails = claims as PreTokenGenerationV2TriggerEvent['response']['claimsAndScopeOverrideDetails'];
    const upn = claims.accessTokenGeneration.claimsToAddOrOverride.upn;
    const subject = event.request.userAttributes.sub;
    if (typeof upn === 'string' && subject) {
      try {
        const displayName = event.request.userAttributes.name?.trim() || undefined;
        // The trigger put `upn` in the token only from a verified address: the pool vouches for it.
        await directoryCaller(services(), {
          kind: 'user',
          id: subject,
          issuer: poolIssuer(event),
          userPrincipalName: upn,
          verifiedUserPrincipalName: upn,
          displayName,
          authMethods: [],
        });
      } catch (error) {
        // Signing in must not fail for this: the API links the person on their first call anyway.
        logger.warn('could not add the person to the directory at sign-in', { error: errorMessage(error), userName: event.userName });
      }
    }
    return event;
  };
}

export const handler = createHandler();
