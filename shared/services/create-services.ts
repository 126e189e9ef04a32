/**
 * The dependencies every use case runs on — the table, the clock, the paging-token key — built from
 * settings in one place for the API, the background Lambdas and the scripts. Work that serves no pages
 * (stream consumers, jobs, scripts) gets a per-process key: nothing it signs leaves the process.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../domain/clock.ts';
import { createDocumentClient } from '../store/client.ts';
import { PageTokens } from '../store/page-token.ts';
import type { Services } from './context.ts';
import type { AwsAccessSettings, StoreSettings } from '../settings.ts';
import { connectAws } from './aws/connection.ts';

export type { StoreSettings };

/** `aws`: the Identity Center connection's settings; without them (or an instance) AWS access is not connected. */
export function createServices(
  settings: StoreSettings,
  clock: Clock,
  pageTokenSecret: string | (() => string) = randomBytes(32).toString('hex'),
  aws?: AwsAccessSettings,
): Services {
  const db = createDocumentClient({ region: settings.region, endpoint: settings.dynamoEndpoint });
  const connection = aws && connectAws(aws);
  return {
    table: { db, tableName: settings.tableName, auditRetentionDays: settings.auditRetentionDays, clock },
    clock,
    pageTokens: new PageTokens(pageTokenSecret),
    ...(connection && { aws: connection }),
  };
}
