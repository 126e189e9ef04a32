/**
 * The process-wide dependencies of the handlers, built once from configuration (at cold start on
 * Lambda, at start-up locally). Tests build their own with another clock or table.
 */
import { createIssuerVerifiers, createTokenVerifier, remoteKeySet, type TokenVerifier, type VerifierOptions } from './auth/token-verifier.ts';
import { discoveredKeySet } from './auth/discovered-key-set.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import type { Services } from './services/context.ts';
import { createServices } from './services/create-services.ts';
import { readConfig, readSettings, type AwsAccessSettings, type Config } from './settings.ts';

export interface Runtime {
  config: Config;
  services: Services;
  verifier: TokenVerifier;
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
  const services: Services = createServices(config, clock, config.pageTokenSecret, aws);
  // Without a JWKS address, the keys are where the issuer's discovery document says, as API Gateway finds them.
  const keys = config.jwt.jwksUrl ? remoteKeySet(config.jwt.jwksUrl) : discoveredKeySet(config.jwt.issuer);
  const verifiers = [{ ...config.jwt, keys }, ...otherIssuers].map((options) => ({
    issuer: options.issuer,
    verifier: createTokenVerifier({ ...options, clock }),
  }));
  const verifier = verifiers.length === 1 ? verifiers[0]!.verifier : createIssuerVerifiers(verifiers);
  return { config, services, verifier };
}

let shared: Runtime | undefined;

/** The runtime of this process, created on first use. */
export function defaultRuntime(): Runtime {
  if (!shared) {
    const settings = readSettings();
    shared = createRuntime(readConfig(settings), systemClock, [], settings.aws);
  }
  return shared;
}
