/**
 * The dependencies of the Lambdas that are not behind the API (workflow steps, stream consumers, jobs):
 * the table, the clock and the workflow engine. No token verifier, so they need no identity settings.
 */
import { randomBytes } from 'node:crypto';
import { SFNClient } from '@aws-sdk/client-sfn';
import { readRetentionDays } from '../config.ts';
import { systemClock, type Clock } from '../domain/clock.ts';
import type { Services } from '../services/context.ts';
import { createDocumentClient } from '../store/client.ts';
import { PageTokens } from '../store/page-token.ts';
import { DEFAULT_TABLE_NAME } from '../store/table-schema.ts';
import { sfnWorkflows } from './sfn-workflows.ts';
import type { Workflows } from './workflows.ts';

export interface BackgroundRuntime {
  services: Services;
  workflows: Workflows;
}

export function createBackgroundRuntime(env: NodeJS.ProcessEnv = process.env, clock: Clock = systemClock): BackgroundRuntime {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  const db = createDocumentClient({ region, endpoint: env.STINT_DYNAMODB_ENDPOINT || undefined });
  // Background work issues no paging tokens; a per-process key keeps the type honest.
  const services: Services = { table: { db, tableName: env.STINT_TABLE_NAME || DEFAULT_TABLE_NAME, auditRetentionDays: readRetentionDays(env.STINT_AUDIT_RETENTION_DAYS) }, clock, pageTokens: new PageTokens(randomBytes(32).toString('hex')) };
  let workflows: Workflows | undefined;
  return {
    services,
    // Built on first use: the sweeper and the first-administrator resource never start runs.
    get workflows() {
      const stateMachineArn = env.STINT_LIFECYCLE_ARN;
      if (!stateMachineArn) throw new Error('Missing required setting STINT_LIFECYCLE_ARN (the request-lifecycle state machine). See README.md, "Configuration".');
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
