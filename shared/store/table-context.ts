import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock, type Clock } from '../domain/clock.ts';

/** What every store module needs: the client and the table's name. */
export interface TableContext {
  db: DynamoDBDocumentClient;
  tableName: string;
  /** Days an audit record is kept (DynamoDB TTL); undefined, the default, keeps every record forever. */
  auditRetentionDays?: number;
  /** Whose time retry back-offs take (the system clock unless a test injects its own). */
  clock?: Clock;
}

/** A retry's back-off on the table's clock. */
export function backOff(table: TableContext, ms: number): Promise<void> {
  return (table.clock ?? systemClock).sleep(ms);
}
