/**
 * The token endpoint's OAuth grants (RFC 6749 §4.1.3 and §6) for the portal: a code with its PKCE verifier,
 * or a refresh token. The access token is the one the JSON shortcut mints for the same person, with the
 * MFA and auth_time of the sign-in, so the API's MFA and step-up rules judge it as they judge any other.
 */
import type { User } from '../../../shared/contracts/directory.ts';
import { clientFor } from './client.ts';
import { verifyPkceS256 } from './pkce.ts';
import { enabledUser, type LocalOidc } from './provider.ts';
import type { SignIn } from './sessions.ts';

export interface OAuthAnswer {
  status: number;
  body: Record<string, unknown>;
}

const oauthError = (error: string, description: string, status = 400): OAuthAnswer => ({ status, body: { error, error_description: description } });

export async function tokenRequest(oidc: LocalOidc, form: URLSearchParams): Promise<OAuthAnswer> {
  for (const name of form.keys()) if (form.getAll(name).length > 1) return oauthError('invalid_request', `The parameter '${name}' is repeated.`);
  const clientId = form.get('client_id') ?? undefined;
  if (!clientFor(oidc.issuer.issuer, clientId)) return oauthError('invalid_client', 'Unknown client: send client_id=stint-portal.', 401);
  const grantType = form.get('grant_type');
  if (grantType === 'authorization_code') return redeemCode(oidc, clientId!, form);
  if (grantType === 'refresh_token') return refresh(oidc, clientId!, form);
  return oauthError('unsupported_grant_type', 'Only authorization_code and refresh_token are supported here (the JSON shortcut takes application/json).');
}

async function redeemCode(oidc: LocalOidc, clientId: string, form: URLSearchParams): Promise<OAuthAnswer> {
  const code = form.get('code') ?? undefined;
  if (!code) return oauthError('invalid_request', 'code is missing.');
  const grant = oidc.codes.find(code);
  if (!grant) return oauthError('invalid_grant', 'The code is unknown or expired.');
  if (grant.familyId) {
    // RFC 6749 §4.1.2: a code used twice revokes what its first use produced.
    oidc.refreshTokens.revoke(grant.familyId);
    return oauthError('invalid_grant', 'The code was already used; the tokens it gave are revoked.');
  }
  if (grant.request.clientId !== clientId) return oauthError('invalid_grant', 'The code was issued to another client.');
  if (form.get('redirect_uri') !== grant.request.redirectUri) return oauthError('invalid_grant', 'redirect_uri differs from the authorization request.');
  if (!verifyPkceS256(form.get('code_verifier') ?? undefined, grant.request.codeChallenge))
    return oauthError('invalid_grant', 'The code_verifier does not match the code_challenge.');
  // Marked before anything is awaited, so that two concurrent redemptions cannot both succeed.
  const { family, token } = oidc.refreshTokens.start({ clientId, sessionId: grant.sessionId, scope: grant.request.scope, signIn: grant.signIn });
  grant.familyId = family.id;
  const user = await enabledUser(oidc, grant.signIn.userId);
  if (!user) {
    oidc.refreshTokens.revoke(family.id);
    return oauthError('invalid_grant', 'The account is disabled or no longer exists.');
  }
  return tokens(oidc, user, grant.signIn, grant.request.scope, clientId, token, grant.request.nonce);
}

async function refresh(oidc: LocalOidc, clientId: string, form: URLSearchParams): Promise<OAuthAnswer> {
  const presented = form.get('refresh_token');
  if (!presented) return oauthError('invalid_request', 'refresh_token is missing.');
  const rotation = oidc.refreshTokens.rotate(presented, clientId);
  if (!rotation.ok) return oauthError('invalid_grant', rotation.reason);
  const { family, token } = rotation;
  const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
  if (asked.some((s) => !family.scope.includes(s))) return oauthError('invalid_scope', 'A refresh cannot widen the scope of the sign-in.');
  const user = await enabledUser(oidc, family.signIn.userId);
  if (!user) {
    oidc.refreshTokens.revoke(family.id);
    return oauthError('invalid_grant', 'The account is disabled or no longer exists.');
  }
  return tokens(oidc, user, family.signIn, asked.length ? asked : family.scope, clientId, token);
}

/** A refresh keeps the sign-in's auth_time and amr: it proves possession of a token, not a new authentication. */
async function tokens(
  oidc: LocalOidc,
  user: User,
  signIn: SignIn,
  scope: string[],
  clientId: string,
  refreshToken: string,
  nonce?: string,
): Promise<OAuthAnswer> {
  const access = await oidc.issuer.issue(
    { kind: 'user', id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName },
    { mfa: signIn.mfa, authTime: signIn.authTime },
  );
  const idToken = await oidc.issuer.issueIdToken({
    audience: clientId,
    subject: user.id,
    nonce,
    authTime: signIn.authTime,
    amr: signIn.mfa ? ['pwd', 'mfa'] : ['pwd'],
    name: user.displayName,
    preferredUsername: user.userPrincipalName,
  });
  return {
    status: 200,
    body: { ...access, id_token: idToken, refresh_token: refreshToken, scope: scope.join(' ') },
  };
}
