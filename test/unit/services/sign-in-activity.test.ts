/**
 * Recording sign-ins against a fake table: at most one write an hour per user from a process, and a
 * failing write never fails the sign-in. The conditional write itself (one write an hour across
 * processes) is tested against DynamoDB Local in test/integration/alerts/snapshot.test.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import type { Services } from '../../../shared/services/context.ts';
import { noteSignIn, SIGN_IN_RECORD_INTERVAL_MS } from '../../../shared/services/directory/sign-in-activity.ts';
import { PageTokens } from '../../../shared/store/page-token.ts';

const ddb = mockClient(DynamoDBDocumentClient);
const clock = new ManualClock('2030-01-01T12:00:00.000Z');
let tableCounter = 0;
let svc: Services;

const writes = () => ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input as UpdateCommandInput);

beforeEach(() => {
  ddb.reset();
  ddb.on(UpdateCommand).resolves({});
  // A table of its own per test: what one test's process remembered does not leak into the next.
  svc = {
    table: { db: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), tableName: `unit-${++tableCounter}` },
    clock,
    pageTokens: new PageTokens('unit'),
  };
});
afterAll(() => ddb.restore());

describe('noteSignIn', () => {
  it('writes the first sign-in, conditioned on the stored one being an hour old', async () => {
    await noteSignIn(svc, 'usr_1');
    expect(writes()).toHaveLength(1);
    expect(writes()[0]).toMatchObject({
      Key: { pk: 'SIGNIN#usr_1', sk: 'SIGNIN' },
      ConditionExpression: 'attribute_not_exists(#t) OR #t <= :due',
      ExpressionAttributeValues: { ':t': clock.now().toISOString(), ':due': new Date(clock.now().getTime() - SIGN_IN_RECORD_INTERVAL_MS).toISOString() },
    });
  });

  it('makes one write for two sign-ins within the hour, and writes again once the hour has passed', async () => {
    await noteSignIn(svc, 'usr_2');
    clock.advance(SIGN_IN_RECORD_INTERVAL_MS - 1);
    await noteSignIn(svc, 'usr_2');
    expect(writes()).toHaveLength(1);
    clock.advance(1);
    await noteSignIn(svc, 'usr_2');
    expect(writes().map((w) => w.ExpressionAttributeValues?.[':t'])).toEqual([
      new Date(clock.now().getTime() - SIGN_IN_RECORD_INTERVAL_MS).toISOString(),
      clock.now().toISOString(),
    ]);
  });

  it('keeps users apart', async () => {
    await noteSignIn(svc, 'usr_3');
    await noteSignIn(svc, 'usr_4');
    expect(writes().map((w) => w.Key?.pk)).toEqual(['SIGNIN#usr_3', 'SIGNIN#usr_4']);
  });

  it('does not fail when the write fails, and tries again on the next sign-in', async () => {
    ddb.on(UpdateCommand).rejects(new Error('throttled'));
    await expect(noteSignIn(svc, 'usr_5')).resolves.toBeUndefined();
    ddb.on(UpdateCommand).resolves({});
    await noteSignIn(svc, 'usr_5');
    expect(writes()).toHaveLength(2);
  });

  it('takes a lost condition (another process wrote within the hour) quietly', async () => {
    ddb.on(UpdateCommand).rejects(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }));
    await expect(noteSignIn(svc, 'usr_6')).resolves.toBeUndefined();
    await noteSignIn(svc, 'usr_6');
    expect(writes()).toHaveLength(1);
  });
});
