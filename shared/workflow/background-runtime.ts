/**
 * The dependencies of the Lambdas that are not behind the API (workflow steps, stream consumers, jobs):
 * the table, the clock and the workflow engine. No token verifier, so they need no identity settings.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { systemClock, type Clock } from '../domain/clock.ts';
import type { Services } from '../services/context.ts';
import { sfnWorkflows } from './sfn-workflows.ts';
import type { Workflows } from './workflows.ts';
import { createServices } from '../services/create-services.ts';
import { readSettings, type Settings } from '../settings.ts';

export interface BackgroundRuntime {
  services: Services;
  workflows: Workflows;
}

export function createBackgroundRuntime(settings: Settings = readSettings(), clock: Clock = systemClock): BackgroundRuntime {
  const store = settings.store;
  const services = createServices(store, clock, undefined, settings.aws);
  let workflows: Workflows | undefined;
  return {
    services,
    // Built on first use: the sweeper and the first-administrator resource never start runs, so they need no STINT_LIFECYCLE_ARN.
    get workflows() {
      workflows ??= sfnWorkflows(new SFNClient({ region: store.region }), settings.workflow.lifecycleArn);
      return workflows;
    },
  };
}

let shared: BackgroundRuntime | undefined;

export function defaultBackgroundRuntime(): BackgroundRuntime {
  shared ??= createBackgroundRuntime();
  return shared;
}
