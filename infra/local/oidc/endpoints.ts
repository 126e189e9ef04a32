/**
 * The local OpenID Provider's HTTP surface: the authorization endpoint (GET shows the sign-in page or
 * signs in silently; POST is the page's own form), the OAuth side of the token endpoint (form-encoded
 * bodies at /local/token; JSON there stays the test shortcut), and the end-session endpoint.
 */
import { listUsers } from '../../../shared/services/directory/users.ts';
import { portalClient } from './client.ts';
import { OIDC_PATHS } from './paths.ts';
import type { AuthorizationRequest } from './codes.ts';
import { needsSignInPage, parseAuthorizationRequest, redirectWith } from './authorize-request.ts';
import { pageHeaders, refusalPage, signedOutPage, signInPage, type PersonChoice } from './authorize-page.ts';
import { enabledUser, type LocalOidc } from './provider.ts';
import { clearedSessionCookie, epochSeconds, sessionCookie, sessionIdFrom, type SignIn } from './sessions.ts';
import { tokenRequest } from './token-endpoint.ts';

export interface OidcHttpRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: { cookie?: string; 'content-type'?: string };
  body: Buffer;
}

export interface OidcHttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const LISTED_PEOPLE = 200;
/** Search reads at most this many people: the local directory is small, and the page must stay quick. */
const SEARCHED_PEOPLE = 2000;

const isForm = (contentType: string | undefined) => /^application\/x-www-form-urlencoded\s*(?:;|$)/i.test(contentType?.trim() ?? '');
const redirect = (location: string, status = 302, headers: Record<string, string> = {}): OidcHttpAnswer => ({
  status,
  headers: { location, 'cache-control': 'no-store', ...headers },
  body: '',
});
const json = (status: number, body: unknown): OidcHttpAnswer => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache' },
  body: JSON.stringify(body),
});
const html = (status: number, body: string, formTargets: string[] = [], extra: Record<string, string> = {}): OidcHttpAnswer => ({
  status,
  headers: { ...pageHeaders(formTargets), ...extra },
  body,
});

/** The answer for one of the provider's requests, or undefined when the request is not one of them. */
export async function oidcEndpoint(oidc: LocalOidc, request: OidcHttpRequest): Promise<OidcHttpAnswer | undefined> {
  const { method, path } = request;
  if (path === OIDC_PATHS.token && method === 'POST' && isForm(request.headers['content-type'])) {
    const answer = await tokenRequest(oidc, new URLSearchParams(request.body.toString('utf8')));
    return json(answer.status, answer.body);
  }
  if (path === OIDC_PATHS.authorize && method === 'GET') return authorize(oidc, request.query, request.headers.cookie);
  if (path === OIDC_PATHS.authorize && method === 'POST') {
    if (!isForm(request.headers['content-type'])) return html(415, refusalPage('The sign-in form is sent as application/x-www-form-urlencoded.'));
    return completeSignIn(oidc, new URLSearchParams(request.body.toString('utf8')), request.headers.cookie);
  }
  if (path === OIDC_PATHS.endSession && method === 'GET') return endSession(oidc, request.query, request.headers.cookie);
  return undefined;
}

async function authorize(oidc: LocalOidc, query: URLSearchParams, cookie: string | undefined): Promise<OidcHttpAnswer> {
  const parsed = parseAuthorizationRequest(oidc.issuer.issuer, query);
  if (parsed.kind === 'unsafe') return html(400, refusalPage(parsed.message));
  if (parsed.kind === 'error')
    return redirect(redirectWith(parsed.redirectUri, { error: parsed.error, error_description: parsed.description, state: parsed.state }));
  const { request } = parsed;
  const sessionId = sessionIdFrom(cookie);
  const session = await liveSession(oidc, sessionId);
  if (!needsSignInPage(request, session, epochSeconds(oidc.issuer.clock))) return issueCode(oidc, request, session!, sessionId!);
  if (request.prompt.has('none'))
    return redirect(
      redirectWith(request.redirectUri, { error: 'login_required', error_description: 'Signing in needs the sign-in page.', state: request.state }),
    );
  return showPage(oidc, request, query);
}

/** A session whose person can still sign in; one of a since disabled or deleted person is ended. */
async function liveSession(oidc: LocalOidc, sessionId: string | undefined): Promise<SignIn | undefined> {
  const session = oidc.sessions.get(sessionId);
  if (!session) return undefined;
  if (await enabledUser(oidc, session.userId)) return session;
  oidc.sessions.end(sessionId);
  oidc.refreshTokens.revokeSession(sessionId!);
  return undefined;
}

async function showPage(oidc: LocalOidc, request: AuthorizationRequest, query: URLSearchParams, error?: { status: number; message: string }) {
  const search = (query.get('q') ?? '').trim();
  const { people, more } = await peopleFor(oidc, search);
  const requestId = oidc.pending.add(request, query);
  const page = signInPage({ action: OIDC_PATHS.authorize, requestId, query, people, search, more, error: error?.message });
  return html(error?.status ?? 200, page, [new URL(request.redirectUri).origin]);
}

async function peopleFor(oidc: LocalOidc, search: string): Promise<{ people: PersonChoice[]; more: boolean }> {
  const wanted = search.toLowerCase();
  const found: PersonChoice[] = [];
  let skipToken: string | undefined;
  let read = 0;
  do {
    const page = await listUsers(oidc.services, { top: search ? 100 : LISTED_PEOPLE, skipToken });
    read += page.items.length;
    skipToken = page.nextToken;
    for (const user of page.items)
      if (!wanted || user.displayName.toLowerCase().includes(wanted) || user.userPrincipalName.toLowerCase().includes(wanted))
        found.push({ id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName, accountEnabled: user.accountEnabled });
  } while (search && skipToken && read < SEARCHED_PEOPLE && found.length <= LISTED_PEOPLE);
  const people = found.slice(0, LISTED_PEOPLE).sort((a, b) => a.displayName.localeCompare(b.displayName));
  return { people, more: found.length > LISTED_PEOPLE || skipToken !== undefined };
}

async function completeSignIn(oidc: LocalOidc, form: URLSearchParams, cookie: string | undefined): Promise<OidcHttpAnswer> {
  const requestId = form.get('request') ?? '';
  const pending = oidc.pending.get(requestId);
  if (!pending) return html(400, refusalPage('This sign-in page has expired or was already used. Go back to the app and sign in again.'));
  const user = await enabledUser(oidc, form.get('user') ?? '');
  if (!user) {
    const message = 'That account is disabled or no longer in the directory, so it cannot sign in. Choose another person.';
    return showPage(oidc, pending.request, pending.query, { status: 403, message });
  }
  const { request } = pending;
  oidc.pending.take(requestId);
  const signIn: SignIn = { userId: user.id, mfa: form.get('mfa') === 'yes', authTime: epochSeconds(oidc.issuer.clock) };
  const previousId = sessionIdFrom(cookie);
  const previous = oidc.sessions.get(previousId);
  // A fresh id on every sign-in; the same person keeps their tokens, a different person ends the last one's.
  const sessionId = oidc.sessions.start(signIn);
  if (previous && previous.userId === user.id) oidc.refreshTokens.moveSession(previousId!, sessionId);
  else if (previousId) oidc.refreshTokens.revokeSession(previousId);
  oidc.sessions.end(previousId);
  const answer = issueCode(oidc, request, signIn, sessionId, 303);
  return { ...answer, headers: { ...answer.headers, 'set-cookie': sessionCookie(sessionId) } };
}

function issueCode(oidc: LocalOidc, request: AuthorizationRequest, signIn: SignIn, sessionId: string, status = 302): OidcHttpAnswer {
  const code = oidc.codes.issue({ request, signIn, sessionId });
  return redirect(redirectWith(request.redirectUri, { code, state: request.state }), status);
}

/** OIDC RP-Initiated Logout: ends the browser's session and its refresh tokens; redirects only to a registered address. */
function endSession(oidc: LocalOidc, query: URLSearchParams, cookie: string | undefined): OidcHttpAnswer {
  const sessionId = sessionIdFrom(cookie);
  oidc.sessions.end(sessionId);
  if (sessionId) oidc.refreshTokens.revokeSession(sessionId);
  const client = portalClient(oidc.issuer.issuer);
  const target = query.get('post_logout_redirect_uri');
  const clientId = query.get('client_id');
  const cleared = { 'set-cookie': clearedSessionCookie() };
  if (target && client.postLogoutRedirectUris.includes(target) && (clientId === null || clientId === client.clientId))
    return redirect(redirectWith(target, { state: query.get('state') ?? undefined }), 302, cleared);
  return html(200, signedOutPage(), [], cleared);
}
