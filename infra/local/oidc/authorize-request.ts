/**
 * Reading an authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1) and deciding what it needs. Until
 * the client and its redirect URI are known to be registered, a problem is shown on a page: redirecting to
 * an unchecked URI would make this an open redirector. After that, problems go back to the client.
 */
import { clientFor } from './client.ts';
import type { AuthorizationRequest } from './codes.ts';
import { isValidCodeChallenge } from './pkce.ts';
import type { SignIn } from './sessions.ts';

/** A refresh token comes with every sign-in (as Cognito does), so offline_access is accepted but changes nothing. */
export const SUPPORTED_SCOPES = ['openid', 'profile', 'offline_access'] as const;
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);

export type ParsedAuthorization =
  | { kind: 'ok'; request: AuthorizationRequest }
  /** Shown to the person, never redirected. */
  | { kind: 'unsafe'; message: string }
  | { kind: 'error'; redirectUri: string; error: string; description: string; state?: string };

export function parseAuthorizationRequest(issuer: string, params: URLSearchParams): ParsedAuthorization {
  const once = (name: string) => (params.getAll(name).length > 1 ? null : (params.get(name) ?? undefined));
  const clientId = once('client_id');
  const redirectUri = once('redirect_uri');
  const client = clientId ? clientFor(issuer, clientId) : undefined;
  if (!client) return { kind: 'unsafe', message: `Unknown client '${clientId ?? ''}'. The only registered client is the portal.` };
  if (!redirectUri || !client.redirectUris.includes(redirectUri))
    return { kind: 'unsafe', message: `The redirect URI '${redirectUri ?? ''}' is not registered for this client; nothing is sent there.` };

  const state = once('state');
  const fail = (error: string, description: string): ParsedAuthorization => ({ kind: 'error', redirectUri, error, description, state: state ?? undefined });
  for (const name of params.keys()) if (params.getAll(name).length > 1) return fail('invalid_request', `The parameter '${name}' is repeated.`);
  if (params.has('request') || params.has('request_uri')) return fail('request_not_supported', 'Request objects are not supported.');
  if (once('response_type') !== 'code') return fail('unsupported_response_type', "Only response_type 'code' is supported.");
  const responseMode = once('response_mode');
  if (responseMode && responseMode !== 'query') return fail('invalid_request', "Only response_mode 'query' is supported.");
  const scope = (once('scope') ?? '').split(' ').filter(Boolean);
  if (!scope.includes('openid')) return fail('invalid_scope', "The scope must include 'openid'.");
  const challenge = once('code_challenge');
  if (!challenge || once('code_challenge_method') !== 'S256' || !isValidCodeChallenge(challenge))
    return fail('invalid_request', 'PKCE is required: send code_challenge (43 base64url characters) with code_challenge_method S256.');
  const prompt = new Set((once('prompt') ?? '').split(' ').filter(Boolean));
  if ([...prompt].some((p) => !PROMPTS.has(p)) || (prompt.has('none') && prompt.size > 1))
    return fail('invalid_request', "prompt must be 'none' alone, or any of login, consent and select_account.");
  const maxAgeText = once('max_age');
  if (maxAgeText !== undefined && !/^\d{1,9}$/.test(maxAgeText ?? '')) return fail('invalid_request', 'max_age must be a whole number of seconds.');
  return {
    kind: 'ok',
    request: {
      clientId: client.clientId,
      redirectUri,
      scope: scope.filter((s) => (SUPPORTED_SCOPES as readonly string[]).includes(s)),
      state: state ?? undefined,
      nonce: once('nonce') ?? undefined,
      codeChallenge: challenge,
      prompt,
      maxAge: maxAgeText === undefined ? undefined : Number(maxAgeText),
    },
  };
}

/**
 * Whether the person must be asked (again): nobody is signed in on this browser; the client asks for a
 * fresh sign-in (`prompt=login`, or `max_age=0` as a step-up does) or a choice of account; or the
 * sign-in is older than `max_age` (OIDC Core §3.1.2.1).
 */
export function needsSignInPage(request: AuthorizationRequest, session: SignIn | undefined, nowSeconds: number): boolean {
  if (!session || request.prompt.has('login') || request.prompt.has('select_account')) return true;
  if (request.maxAge === undefined) return false;
  return request.maxAge === 0 || nowSeconds - session.authTime > request.maxAge;
}

/** The client's redirect URI with the response parameters added to its query. */
export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}
