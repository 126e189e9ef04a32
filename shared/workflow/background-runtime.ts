/**
 * The dependencies of the Lambdas that are not behind the API (workflow steps, stream consumers, jobs):
 * the table, the clock and the workflow engine. No token verifier, so they need no identity settings.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { readRetentionDays } from '../config.ts';
import { systemClock, type Clock } from '../domain/clock.ts';
import type { Services } from '../services/context.ts';
import { DEFAULT_TABLE_NAME } from '../store/table-schema.ts';
import { sfnWorkflows } from './sfn-workflows.ts';
import type { Workflows } from './workflows.ts';
import { createServices } from '../services/create-services.ts';

export interface BackgroundRuntime {
  services: Services;
  workflows: Workflows;
}

export function createBackgroundRuntime(env: NodeJS.ProcessEnv = process.env, clock: Clock = systemClock): BackgroundRuntime {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  const services = createServices(
    {
      region,
      dynamoEndpoint: env.STINT_DYNAMODB_ENDPOINT || undefined,
      tableName: env.STINT_TABLE_NAME || DEFAULT_TABLE_NAME,
      auditRetentionDays: readRetentionDays(env.STINT_AUDIT_RETENTION_DAYS),
    },
    clock,
  );
  let workflows: Workflows | undefined;
  return {
    services,
    // Built on first use: the sweeper and the first-administrator resource never start runs.
    get workflows() {
      const stateMachineArn = env.STINT_LIFECYCLE_ARN;
      if (!stateMachineArn)
        throw new Error('Missing required setting STINT_LIFECYCLE_ARN (the request-lifecycle state machine). See README.md, "Configuration".');
      workflows ??= sfnWorkflows(new SFNClient({ region }), stateMachineArn);
      return workflows;
    },
  };
}

let shared: BackgroundRuntime | undefined;

export function defaultBackgroundRuntime(): BackgroundRuntime {
  shared ??= createBackgroundRuntime();
  return shared;
}
