/**
 * The files a worker runs share its DynamoDB Local, whose storage runs on a single thread: tables left behind by
 * earlier files make every later call slower, so each file drops the tables its stacks made when it ends
 * (setup-env.ts), not when a stack stops, because restart tests start a second stack on the same table.
 */
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoEndpoint } from './dynamo-endpoint.ts';

export const testTables = new Set<string>();

export async function dropTestTables(): Promise<void> {
  if (testTables.size === 0) return;
  const db = new DynamoDBClient({ endpoint: dynamoEndpoint(), region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await Promise.all([...testTables].map((TableName) => db.send(new DeleteTableCommand({ TableName })).catch(() => undefined)));
  testTables.clear();
  db.destroy();
}
