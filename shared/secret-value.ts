/**
 * A secret read at run time, not carried in the function's environment (where anyone allowed
 * lambda:GetFunctionConfiguration reads it, and where a rotation waits for the next deploy). On Lambda it
 * comes from the AWS Parameters and Secrets Lambda Extension, a local HTTP endpoint in front of Secrets
 * Manager that caches for the function; `npm start` serves the same endpoint from a stand-in
 * (infra/local/secrets-stand-in.ts), so both run this code.
 */

/** The extension's header, which must carry the function's session token (the local stand-in ignores it). */
export const SECRETS_TOKEN_HEADER = 'x-aws-parameters-secrets-token';

/** The extension's path for a Secrets Manager secret. */
export const SECRETS_PATH = '/secretsmanager/get';

/** Fetches the secret's current string value from the extension (or its stand-in) at `endpoint`. */
export function extensionSecret(endpoint: string, secretId: string, sessionToken = process.env.AWS_SESSION_TOKEN): () => Promise<string> {
  const url = `${endpoint.replace(/\/+$/, '')}${SECRETS_PATH}?secretId=${encodeURIComponent(secretId)}`;
  return async () => {
    const response = await fetch(url, { headers: sessionToken ? { [SECRETS_TOKEN_HEADER]: sessionToken } : {} });
    if (!response.ok) throw new Error(`The secrets endpoint answered ${response.status} for ${secretId}.`);
    const body = (await response.json()) as { SecretString?: unknown };
    if (typeof body.SecretString !== 'string' || body.SecretString === '') throw new Error(`The secret ${secretId} holds no string value.`);
    return body.SecretString;
  };
}

/**
 * The value, fetched on first use and again once it is `ttlMs` old (so a rotation reaches every warm
 * function within that time, with no deploy). A failed refresh keeps the value it has, so a Secrets
 * Manager hiccup does not fail requests; only a first fetch that fails does.
 */
export class CachedSecret {
  private value?: string;
  private fetchedAt = 0;
  private pending?: Promise<string>;

  constructor(
    private readonly fetchValue: () => Promise<string>,
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
    private readonly onStaleKept: (error: unknown) => void = () => {},
  ) {}

  /** Makes sure a fresh enough value is at hand; concurrent callers share one fetch. */
  async refresh(): Promise<string> {
    if (this.value !== undefined && this.now() - this.fetchedAt < this.ttlMs) return this.value;
    this.pending ??= this.fetchValue()
      .then((value) => {
        this.value = value;
        this.fetchedAt = this.now();
        return value;
      })
      .catch((error: unknown) => {
        if (this.value === undefined) throw error;
        this.onStaleKept(error);
        return this.value;
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** The value at hand; refresh() must have succeeded once. */
  current(): string {
    if (this.value === undefined) throw new Error('The secret is read before it was fetched: await refresh() first.');
    return this.value;
  }
}
