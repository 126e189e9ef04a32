/**
 * The one client the local sign-in endpoints know: the portal, a public client (a browser keeps no
 * secret) that must use PKCE. Its addresses are derived from the issuer, which is the stack's own URL, so
 * they follow the port (tests listen on a random one). Exact string matches only, as OAuth 2.1 requires:
 * a prefix or pattern match is how open redirects happen.
 */
export const PORTAL_CLIENT_ID = 'stint-portal';

export interface RegisteredClient {
  clientId: string;
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
}

export function portalClient(issuer: string): RegisteredClient {
  const origin = new URL(issuer).origin;
  return { clientId: PORTAL_CLIENT_ID, redirectUris: [`${origin}/portal/callback`], postLogoutRedirectUris: [`${origin}/portal/`] };
}

/** The registered client with this id, if any. */
export function clientFor(issuer: string, clientId: string | undefined): RegisteredClient | undefined {
  return clientId === PORTAL_CLIENT_ID ? portalClient(issuer) : undefined;
}
