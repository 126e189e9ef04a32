import { describe, expect, it } from 'vitest';
import { accessTokenClaims, type PreTokenInput } from '../../../shared/auth/cognito-token-claims.ts';
import { callerFromClaims, DEFAULT_CLAIMS } from '../../../shared/auth/token-verifier.ts';

const event = (triggerSource: string, userAttributes: Record<string, string>): PreTokenInput => ({ triggerSource, request: { userAttributes } });
const ADA = { sub: 'a1b2', email: 'Ada@Example.com', email_verified: 'true' };

describe('accessTokenClaims (Cognito pre-token generation, V2_0)', () => {
  it('names the person by verified email as email and upn, and says MFA was used in a pool that requires it', () => {
    // Act
    const claims = accessTokenClaims(event('TokenGeneration_HostedAuth', ADA), { mfaRequired: true });

    // Assess
    expect(claims).toEqual({
      accessTokenGeneration: { claimsToAddOrOverride: { email: 'ada@example.com', upn: 'ada@example.com', stint_amr: ['pwd', 'mfa'] } },
    });
  });

  it.each(['TokenGeneration_Authentication', 'TokenGeneration_NewPasswordChallenge', 'TokenGeneration_RefreshTokens'])(
    'counts %s as a sign-in with MFA',
    (source) => {
      expect(accessTokenClaims(event(source, ADA), { mfaRequired: true }).accessTokenGeneration.claimsToAddOrOverride.stint_amr).toEqual(['pwd', 'mfa']);
    },
  );

  it('claims no MFA for a device sign-in, or in a pool that does not require it', () => {
    expect(
      accessTokenClaims(event('TokenGeneration_AuthenticateDevice', ADA), { mfaRequired: true }).accessTokenGeneration.claimsToAddOrOverride.stint_amr,
    ).toEqual(['pwd']);
    expect(accessTokenClaims(event('TokenGeneration_HostedAuth', ADA), { mfaRequired: false }).accessTokenGeneration.claimsToAddOrOverride.stint_amr).toEqual([
      'pwd',
    ]);
  });

  it('leaves out an email that is not verified: it must not link the token to whoever owns that address in Stint', () => {
    const claims = accessTokenClaims(event('TokenGeneration_HostedAuth', { ...ADA, email_verified: 'false' }), { mfaRequired: true }).accessTokenGeneration
      .claimsToAddOrOverride;
    expect(claims).not.toHaveProperty('email');
    expect(claims).not.toHaveProperty('upn');
  });

  it('gives claims the token verifier turns into a signed-in user with MFA', () => {
    // Prepare: a Cognito access token's own claims plus what the trigger adds
    const added = accessTokenClaims(event('TokenGeneration_HostedAuth', ADA), { mfaRequired: true }).accessTokenGeneration.claimsToAddOrOverride;

    // Act
    const pool = { authoritativeClaims: ['upn'], setsStintAmr: true };
    const caller = callerFromClaims(
      { sub: 'a1b2', client_id: 'portal', token_use: 'access', auth_time: 1700000000, username: 'a1b2', ...added },
      DEFAULT_CLAIMS,
      pool,
    );

    // Assess
    expect(caller).toEqual({
      kind: 'user',
      id: 'a1b2',
      userPrincipalName: 'ada@example.com',
      verifiedUserPrincipalName: 'ada@example.com',
      displayName: undefined,
      authMethods: ['pwd', 'mfa'],
      authTime: 1700000000,
    });
  });
});
