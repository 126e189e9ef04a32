/**
 * Which claims of a token name the person: pure, with no token library, so the settings module (read at
 * synth time by infra/ too) can build a mapping from STINT_CLAIM_UPN / STINT_CLAIM_NAME.
 */

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
  const list = (value: string | undefined) =>
    value
      ?.split(',')
      .map((c) => c.trim())
      .filter(Boolean) ?? [];
  const upns = list(upn);
  const names = list(name);
  return { userPrincipalName: upns.length > 0 ? upns : DEFAULT_CLAIMS.userPrincipalName, displayName: names.length > 0 ? names : DEFAULT_CLAIMS.displayName };
}
