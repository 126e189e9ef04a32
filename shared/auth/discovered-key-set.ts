/**
 * The signing keys of an issuer that publishes them where its discovery document says, which is the only
 * place every provider agrees on: Entra ID keeps them at …/discovery/v2.0/keys, Keycloak at
 * …/protocol/openid-connect/certs, Okta at …/v1/keys, Cognito and Auth0 at …/.well-known/jwks.json.
 * API Gateway's JWT authorizer reads the same document, so the handlers and the gateway trust the same keys.
 */
import type { JWTVerifyGetKey } from 'jose';
import { remoteKeySet } from './token-verifier.ts';

/** The issuer's discovery document could not be read, or does not describe this issuer: a deployment setting is wrong. */
export class DiscoveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiscoveryError';
  }
}

export interface DiscoveryOptions {
  /** How long a read document is trusted before it is read again. @default one hour */
  maxAgeMs?: number;
  /** After a failed read, how long requests meet that failure before the next read. @default 30 s */
  retryAfterMs?: number;
  timeoutMs?: number;
  /** The clock for the two durations above (tests). */
  now?: () => number;
  fetch?: typeof fetch;
}

/** OpenID Connect Discovery 1.0 §4: the issuer, without a trailing slash, then the well-known path. */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/**
 * A key set found through `{issuer}/.well-known/openid-configuration` → `jwks_uri`, read on first use (not at
 * cold start, so a function that verifies no token never reads it) and kept for `maxAgeMs`. The keys themselves
 * are cached by remoteKeySet, which fetches again when a token names a key it has not seen (a rotation).
 * The document must name exactly the configured issuer: a document for another issuer (a typo, Entra's v1
 * address for a v2 issuer) would hand over keys that sign someone else's tokens.
 *
 * @example
 * const keys = discoveredKeySet('https://login.microsoftonline.com/<tenant-id>/v2.0');
 * // first verification reads …/v2.0/.well-known/openid-configuration, then …/discovery/v2.0/keys
 */
export function discoveredKeySet(issuer: string, options: DiscoveryOptions = {}): JWTVerifyGetKey {
  const { maxAgeMs = 60 * 60_000, retryAfterMs = 30_000, timeoutMs = 5_000, now = Date.now } = options;
  const fetchFn = options.fetch ?? fetch;
  let current: { keys: JWTVerifyGetKey; jwksUri: string; readAt: number } | undefined;
  let failure: { error: DiscoveryError; at: number } | undefined;
  let reading: Promise<JWTVerifyGetKey> | undefined;

  async function read(): Promise<JWTVerifyGetKey> {
    const jwksUri = await jwksUriOf(issuer, fetchFn, timeoutMs);
    // Keep the key set (and its cache of keys) when the address has not changed.
    const keys = current?.jwksUri === jwksUri ? current.keys : remoteKeySet(jwksUri);
    current = { keys, jwksUri, readAt: now() };
    failure = undefined;
    return keys;
  }

  async function keySet(): Promise<JWTVerifyGetKey> {
    if (current && now() - current.readAt < maxAgeMs) return current.keys;
    if (failure && now() - failure.at < retryAfterMs) throw failure.error;
    reading ??= read()
      .catch((error: unknown) => {
        const wrapped = error instanceof DiscoveryError ? error : new DiscoveryError(`${discoveryUrl(issuer)}: ${String(error)}`);
        // A document read before keeps working while the provider's discovery is down.
        if (current) return current.keys;
        failure = { error: wrapped, at: now() };
        throw wrapped;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  }

  return async (header, token) => (await keySet())(header, token);
}

async function jwksUriOf(issuer: string, fetchFn: typeof fetch, timeoutMs: number): Promise<string> {
  const url = discoveryUrl(issuer);
  const response = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  if (!response.ok) throw new DiscoveryError(`${url} answered ${response.status}; check jwtIssuer`);
  const document = (await response.json().catch(() => undefined)) as { issuer?: unknown; jwks_uri?: unknown } | undefined;
  if (document?.issuer !== issuer) {
    throw new DiscoveryError(
      `${url} describes the issuer ${JSON.stringify(document?.issuer)}, not the configured ${JSON.stringify(issuer)}; set jwtIssuer to your tokens' iss`,
    );
  }
  const jwksUri = document.jwks_uri;
  if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri)) throw new DiscoveryError(`${url}: no jwks_uri; set jwksUrl`);
  // Keys over plain http only from a plain-http issuer (a test or the local stack): never downgrade a real one.
  if (new URL(jwksUri).protocol !== 'https:' && new URL(issuer).protocol === 'https:') {
    throw new DiscoveryError(`${url}: jwks_uri is not https; set jwksUrl`);
  }
  return jwksUri;
}
