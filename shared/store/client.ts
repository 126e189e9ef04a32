import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { recordDynamoCalls } from '../observability/dynamo-calls.ts';
import { forgetReadsOnWrite } from './read-ahead.ts';

export interface DynamoSettings {
  region: string;
  endpoint?: string;
}

export function createDocumentClient(settings: DynamoSettings): DynamoDBDocumentClient {
  const client = recordDynamoCalls(
    forgetReadsOnWrite(
      new DynamoDBClient({
        region: settings.region,
        endpoint: settings.endpoint,
        // DynamoDB Local accepts any credentials; AWS uses the Lambda role's.
        ...(settings.endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
        maxAttempts: 5,
      }),
    ),
  );
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
