/**
 * The process-wide dependencies of the handlers, built once from configuration (at cold start on
 * Lambda, at start-up locally). Tests build their own with another clock or table.
 */
import { createTokenVerifier, remoteKeySet, type TokenVerifier } from './auth/token-verifier.ts';
import { readConfig, type Config } from './config.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import type { Services } from './services/context.ts';
import { createServices } from './services/create-services.ts';

export interface Runtime {
  config: Config;
  services: Services;
  verifier: TokenVerifier;
}

export function createRuntime(config: Config = readConfig(), clock: Clock = systemClock): Runtime {
  const services: Services = createServices(config, clock, config.pageTokenSecret);
  const verifier = createTokenVerifier({ ...config.jwt, keys: remoteKeySet(config.jwt.jwksUrl), clock });
  return { config, services, verifier };
}

let shared: Runtime | undefined;

/** The runtime of this process, created on first use. */
export function defaultRuntime(): Runtime {
  shared ??= createRuntime();
  return shared;
}
