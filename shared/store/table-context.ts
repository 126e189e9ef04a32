import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** What every store module needs: the client and the table's name. */
export interface TableContext {
  db: DynamoDBDocumentClient;
  tableName: string;
}
