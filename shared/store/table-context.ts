import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** What every store module needs: the client and the table's name. */
export interface TableContext {
  db: DynamoDBDocumentClient;
  tableName: string;
  /** Days an audit record is kept (DynamoDB TTL); undefined, the default, keeps every record forever. */
  auditRetentionDays?: number;
}
