/**
 * The process-wide dependencies of the handlers, built once from configuration (at cold start on
 * Lambda, at start-up locally). Tests build their own with another clock or table.
 */
import { createIssuerVerifiers, createTokenVerifier, remoteKeySet, type TokenVerifier, type VerifierOptions } from './auth/token-verifier.ts';
import { discoveredKeySet } from './auth/discovered-key-set.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import type { Services } from './services/context.ts';
import { createServices } from './services/create-services.ts';
import { readConfig, readSettings, SETTING, SettingsError, type AwsAccessSettings, type Config } from './settings.ts';
import { CachedSecret, extensionSecret } from './secret-value.ts';
import { logger } from './observability/logger.ts';

export interface Runtime {
  config: Config;
  services: Services;
  verifier: TokenVerifier;
  /**
   * Fetches (or refreshes) what the protected routes read at run time: the paging key. The API handler
   * awaits it before every route that is not public, so a public route never needs the secret.
   */
  ready?: () => Promise<void>;
}

/**
 * `otherIssuers`: issuers trusted beside the configured one (the local stack's tests use a second).
 * `aws`: the AWS access settings; absent, AWS access is not connected.
 */
export function createRuntime(
  config: Config = readConfig(),
  clock: Clock = systemClock,
  otherIssuers: Omit<VerifierOptions, 'clock'>[] = [],
  aws?: AwsAccessSettings,
): Runtime {
  const pageKey = pageTokenKey(config);
  const services: Services = createServices(config, clock, pageKey.key, aws);
  // Without a JWKS address, the keys are where the issuer's discovery document says, as API Gateway finds them.
  const keys = config.jwt.jwksUrl ? remoteKeySet(config.jwt.jwksUrl) : discoveredKeySet(config.jwt.issuer);
  const verifiers = [{ ...config.jwt, keys }, ...otherIssuers].map((options) => ({
    issuer: options.issuer,
    verifier: createTokenVerifier({ ...options, clock }),
  }));
  const verifier = verifiers.length === 1 ? verifiers[0]!.verifier : createIssuerVerifiers(verifiers);
  return { config, services, verifier, ready: pageKey.ready };
}

/** The paging key: a value given outright, or a secret read at run time and cached (shared/secret-value.ts). */
function pageTokenKey(config: Config): { key: string | (() => string); ready: () => Promise<void> } {
  if (config.pageTokenSecret) return { key: config.pageTokenSecret, ready: async () => {} };
  const secretId = config.pageTokenSecretId;
  if (!secretId) {
    const missing = async () => {
      throw new SettingsError(
        [SETTING.pageTokenSecretId],
        `Invalid setting: ${SETTING.pageTokenSecretId} is required: the secret that holds the key signing paging tokens. See README.md, "Configuration".`,
      );
    };
    return { key: () => '', ready: missing };
  }
  const secret = new CachedSecret(extensionSecret(config.secretsEndpoint ?? DEFAULT_SECRETS_ENDPOINT, secretId), PAGE_KEY_TTL_MS, Date.now, (error) =>
    logger.warn('paging key refresh failed; the key at hand is kept', { error: error instanceof Error ? error.message : String(error) }),
  );
  return { key: () => secret.current(), ready: async () => void (await secret.refresh()) };
}

/** The extension's own default port. */
const DEFAULT_SECRETS_ENDPOINT = 'http://localhost:2773';

/** A rotated paging key reaches every warm function within this (the extension caches as long again). */
const PAGE_KEY_TTL_MS = 5 * 60_000;

let shared: Runtime | undefined;

/** The runtime of this process, created on first use. */
export function defaultRuntime(): Runtime {
  if (!shared) {
    const settings = readSettings();
    shared = createRuntime(readConfig(settings), systemClock, [], settings.aws);
  }
  return shared;
}
