/**
 * The benchmark's DynamoDB call recording (shared/observability/dynamo-calls.ts): off, a client is left
 * alone; on, each call asks for its consumed capacity and is logged in the scope it ran in; round trips
 * count chains of reads, not reads.
 */
import { DynamoDBClient, GetItemCommand, QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { recordDynamoCalls, summarizeCalls, withDynamoCallLog, type DynamoCall } from '../../../shared/observability/dynamo-calls.ts';

/** A real client whose calls stop before the network; the table's answer reports `units` and echoes what was asked. */
function clientAnswering(units: Record<string, unknown>, asked: Record<string, unknown>[] = []) {
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  client.middlewareStack.add(
    () => async (args) => {
      asked.push(args.input as Record<string, unknown>);
      return { output: { $metadata: {}, ConsumedCapacity: units }, response: {} };
    },
    { step: 'initialize', priority: 'low', name: 'answerAtOnce' },
  );
  return client;
}

const call = (kind: DynamoCall['kind'], start: number, end: number): DynamoCall => ({ command: kind, kind, start, end, readUnits: 1, writeUnits: 0 });

describe('DynamoDB call recording', () => {
  it('off, adds nothing: no call is logged and no capacity is asked for', async () => {
    // Prepare
    const asked: Record<string, unknown>[] = [];
    const client = recordDynamoCalls(clientAnswering({ CapacityUnits: 1 }, asked), false);

    // Act
    const { calls } = await withDynamoCallLog(() => client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } })));

    // Assess
    expect(calls).toEqual([]);
    expect(asked[0]?.ReturnConsumedCapacity).toBeUndefined();
  });

  it('on, asks for capacity by index and logs each call with its units in the scope it ran in', async () => {
    // Prepare
    const asked: Record<string, unknown>[] = [];
    const client = recordDynamoCalls(clientAnswering({ CapacityUnits: 2.5 }, asked), true);

    // Act
    const { calls } = await withDynamoCallLog(async () => {
      await client.send(new QueryCommand({ TableName: 't', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }));
      await client.send(new TransactWriteItemsCommand({ TransactItems: [] }));
    });
    const outside = await withDynamoCallLog(async () => undefined);

    // Assess
    expect(asked.map((a) => a.ReturnConsumedCapacity)).toEqual(['INDEXES', 'INDEXES']);
    expect(calls.map((c) => [c.command, c.kind, c.readUnits, c.writeUnits])).toEqual([
      ['Query', 'read', 2.5, 0],
      ['TransactWriteItems', 'transaction', 0, 2.5],
    ]);
    expect(outside.calls).toEqual([]);
  });

  it('counts reads made side by side as one round trip, and a read after another as a second', () => {
    // Act
    const summary = summarizeCalls([call('read', 0, 10), call('read', 1, 9), call('read', 12, 20), call('transaction', 21, 30)]);

    // Assess
    expect(summary).toMatchObject({ calls: 4, reads: 3, readRoundTrips: 2, transactions: 1, readUnits: 4 });
  });
});
