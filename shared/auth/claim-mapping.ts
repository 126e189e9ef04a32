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

/** One piece of MFA evidence: the claim holds this value, or is an array holding it. */
export interface MfaEvidence {
  claim: string;
  value: string;
}

/** RFC 8176's `mfa` in `amr`: Entra v1 tokens, Auth0, the stack's own pool (as `stint_amr`), the local issuer. */
export const DEFAULT_MFA_EVIDENCE: MfaEvidence[] = [{ claim: 'amr', value: 'mfa' }];

/**
 * `claim=value` entries (STINT_MFA_CLAIMS) as evidence; the value is everything after the first `=`, so
 * URN values such as Okta's `acr=urn:okta:loa:2fa:any` stay whole. Undefined for an empty list (the default
 * applies); an entry without a claim or a value is refused.
 *
 * @example
 * mfaEvidenceFrom(['acrs=c1', 'amr=mfa']); // [{ claim: 'acrs', value: 'c1' }, { claim: 'amr', value: 'mfa' }]
 */
export function mfaEvidenceFrom(entries: string[]): MfaEvidence[] | undefined {
  if (entries.length === 0) return undefined;
  return entries.map((entry) => {
    const at = entry.indexOf('=');
    const claim = entry.slice(0, at).trim();
    const value = entry.slice(at + 1).trim();
    if (at < 1 || !claim || !value) throw new Error(`MFA evidence is claim=value (e.g. amr=mfa, acrs=c1); got "${entry}".`);
    return { claim, value };
  });
}
