/** Creates the table on DynamoDB Local from the same schema the CDK construct deploys. */
import { CreateTableCommand, DescribeTableCommand, ResourceInUseException, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { INDEXES, KEY, keyAttributeNames, STREAM_VIEW, TTL_ATTRIBUTE } from '../../shared/store/table-schema.ts';

export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'existing'> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keyAttributeNames().map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: KEY.partition, KeyType: 'HASH' },
          { AttributeName: KEY.sort, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: Object.values(INDEXES).map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partition, KeyType: 'HASH' },
            { AttributeName: index.sort, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
        StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW },
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) return 'existing';
    throw error;
  }
  await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }));
  await client.send(new DescribeTableCommand({ TableName: tableName }));
  return 'created';
}
