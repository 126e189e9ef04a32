import { DynamoDBClient, ResourceNotFoundException, TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { buildAuditRecord } from '../../../shared/domain/audit.ts';
import { ConflictError, NotFoundError } from '../../../shared/domain/errors.ts';
import { recordHash } from '../../../shared/domain/audit-chain.ts';
import { chainedAuditPuts } from '../../../shared/store/audit-chain.ts';
import type { TableContext } from '../../../shared/store/table-context.ts';
import { auditPut, commitChange, MAX_WRITES_PER_CHANGE, type ConditionalWrite, CHAIN_RETRIES, CONFLICT_RETRIES } from '../../../shared/store/transact.ts';

const TABLE = 'stint-unit';
const ddb = mockClient(DynamoDBDocumentClient);
const table: TableContext = { db: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), tableName: TABLE };

const record = buildAuditRecord({
  id: 'aud_01JHGZ6000000000000000000C',
  correlationId: 'req-1',
  at: new Date('2025-01-15T10:00:00.000Z'),
  caller: { kind: 'user', id: 'usr_admin', authMethods: ['pwd', 'mfa'] },
  category: 'UserManagement',
  activity: 'Add user',
  operationType: 'Add',
  targets: [{ id: 'usr_new', displayName: 'New', type: 'User', modifiedProperties: [] }],
});
const audit = { record, chainId: 'usr_new' };

const firstPut = { Item: { pk: 'OBJ#usr_new', sk: 'OBJ', type: 'user' }, ConditionExpression: 'attribute_not_exists(pk)' };
const firstWrite: ConditionalWrite = {
  put: firstPut,
  onConditionFailed: () => new ConflictError('first write failed', 'First_Failed'),
};
const secondWrite: ConditionalWrite = {
  put: { Item: { pk: 'UNIQUE#UPN#new@contoso.test', sk: 'UNIQUE', ownerId: 'usr_new' }, ConditionExpression: 'attribute_not_exists(pk)' },
  onConditionFailed: () => new ConflictError('That userPrincipalName is taken.', 'Request_MultipleObjectsWithSameKeyValue'),
};

function cancelled(...codes: string[]): TransactionCanceledException {
  const reasons: CancellationReason[] = codes.map((Code) => ({ Code, ...(Code === 'None' ? {} : { Message: `${Code} happened` }) }));
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: reasons,
  });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the commit to fail');
    },
    (error: unknown) => error,
  );
}

beforeEach(() => {
  ddb.reset();
  // A chain with no record yet: no head item.
  ddb.on(GetCommand).resolves({});
});
afterAll(() => ddb.restore());

describe('commitChange', () => {
  it('sends the writes, then the audit record and its chain head, in one TransactWriteItems when called', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).resolves({});
    const updateInput = {
      Key: { pk: 'OBJ#grp_1', sk: 'OBJ' },
      UpdateExpression: 'SET version = :v',
      ConditionExpression: 'version = :old',
      ExpressionAttributeValues: { ':v': 2, ':old': 1 },
    };
    const update: ConditionalWrite = { update: updateInput };
    const remove: ConditionalWrite = { delete: { Key: { pk: 'OBJ#grp_1', sk: 'MEMBER#usr_1' } } };
    const check: ConditionalWrite = {
      check: { Key: { pk: 'OBJ#usr_1', sk: 'OBJ' }, ConditionExpression: 'attribute_exists(pk)' },
      onConditionFailed: () => new NotFoundError('gone'),
    };
    const chained = chainedAuditPuts(record, 'usr_new', undefined);

    // Act
    await commitChange(table, [firstWrite, update, remove, check], audit);

    // Assess
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        { Put: { ...firstPut, TableName: TABLE } },
        { Update: { ...updateInput, TableName: TABLE } },
        { Delete: { Key: { pk: 'OBJ#grp_1', sk: 'MEMBER#usr_1' }, TableName: TABLE } },
        { ConditionCheck: { Key: { pk: 'OBJ#usr_1', sk: 'OBJ' }, ConditionExpression: 'attribute_exists(pk)', TableName: TABLE } },
        { Put: { ...chained.record, TableName: TABLE } },
        { Put: { ...chained.head, TableName: TABLE } },
      ],
    });
  });

  it('throws the error that the failing write names when its condition fails', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed', 'None'));

    // Act
    const error = await failure(commitChange(table, [firstWrite, secondWrite], audit));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'Request_MultipleObjectsWithSameKeyValue', message: 'That userPrincipalName is taken.' });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('throws a NotFoundError when a check that names one fails', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    const check: ConditionalWrite = {
      check: { Key: { pk: 'OBJ#usr_1', sk: 'OBJ' }, ConditionExpression: 'attribute_exists(pk)' },
      onConditionFailed: () => new NotFoundError("'usr_1' does not exist."),
    };

    // Act
    const error = await failure(commitChange(table, [check], audit));

    // Assess
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'Request_ResourceNotFound', kind: 'notFound' });
  });

  it.each<[string, string[]]>([
    ['a write without onConditionFailed', ['None', 'ConditionalCheckFailed', 'None']],
    ['the audit record (its id already exists)', ['None', 'None', 'ConditionalCheckFailed']],
  ])('throws ConflictError Request_ConcurrentModification when the condition of %s fails', async (_, codes) => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(cancelled(...codes));
    const unguarded: ConditionalWrite = { delete: { Key: { pk: 'OBJ#x', sk: 'OBJ' }, ConditionExpression: 'attribute_exists(pk)' } };

    // Act
    const error = await failure(commitChange(table, [firstWrite, unguarded], audit));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'Request_ConcurrentModification', kind: 'conflict' });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('retries and succeeds when a TransactionConflict clears', async () => {
    // Prepare
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'TransactionConflict', 'None'))
      .rejectsOnce(cancelled('TransactionConflict', 'None', 'None'))
      .resolves({});

    // Act
    await commitChange(table, [firstWrite, secondWrite], audit);

    // Assess
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 3);
    const inputs = ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input);
    expect(inputs[1]).toEqual(inputs[0]);
    expect(inputs[2]).toEqual(inputs[0]);
  });

  it('throws ConflictError Request_ConcurrentModification after its retries (CONFLICT_RETRIES) when the TransactionConflict persists', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None', 'None'));

    // Act
    const error = await failure(commitChange(table, [firstWrite, secondWrite], audit));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'Request_ConcurrentModification', kind: 'conflict' });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, CONFLICT_RETRIES + 1);
  });

  it('names the failed condition rather than retrying when a retry meets a ConditionalCheckFailed', async () => {
    // Prepare: the other transaction won, and now our condition no longer holds
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'TransactionConflict', 'None'))
      .rejects(cancelled('None', 'ConditionalCheckFailed', 'None'));

    // Act
    const error = await failure(commitChange(table, [firstWrite, secondWrite], audit));

    // Assess
    expect(error).toMatchObject({ code: 'Request_MultipleObjectsWithSameKeyValue' });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 2);
  });

  it.each<[string, () => Error]>([
    ['a ResourceNotFoundException', () => new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} })],
    ['a network error', () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a cancellation for a ValidationError', () => cancelled('None', 'ValidationError', 'None')],
    ['a cancellation for throttling', () => cancelled('ThrottlingError', 'None', 'None')],
  ])('lets %s through unchanged and does not retry it', async (_, makeError) => {
    // Prepare
    const thrown = makeError();
    ddb.on(TransactWriteCommand).rejects(thrown);

    // Act
    const error = await failure(commitChange(table, [firstWrite, secondWrite], audit));

    // Assess
    expect(error).toBe(thrown);
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
  });

  it('links the record after the head it read, and re-reads the head and links again when another writer moved it', async () => {
    // Prepare: the head is at 4 when first read, at 5 when read again
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: { seq: 4, hash: 'h4' } })
      .resolves({ Item: { seq: 5, hash: 'h5' } });
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'None', 'ConditionalCheckFailed'))
      .resolves({});

    // Act
    await commitChange(table, [firstWrite], audit);

    // Assess
    const inputs = ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems!);
    expect(inputs).toHaveLength(2);
    expect(inputs[0]![1]!.Put!.Item).toMatchObject({ seq: 5, prevHash: 'h4', hash: recordHash('usr_new', 'h4', record) });
    expect(inputs[0]![2]!.Put).toMatchObject({
      Item: { pk: 'CHAIN#usr_new', sk: 'HEAD', seq: 5 },
      ConditionExpression: '#seq = :seq',
      ExpressionAttributeValues: { ':seq': 4 },
    });
    expect(inputs[1]![1]!.Put!.Item).toMatchObject({ seq: 6, prevHash: 'h5', hash: recordHash('usr_new', 'h5', record) });
    expect(inputs[1]![2]!.Put).toMatchObject({ Item: { seq: 6 }, ExpressionAttributeValues: { ':seq': 5 } });
  });

  it('gives up with ConflictError Request_ConcurrentModification when the chain head keeps moving', async () => {
    // Prepare
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'ConditionalCheckFailed'));

    // Act
    const error = await failure(commitChange(table, [firstWrite], audit));

    // Assess
    expect(error).toMatchObject({ code: 'Request_ConcurrentModification', kind: 'conflict' });
    expect(ddb).toHaveReceivedCommandTimes(TransactWriteCommand, CHAIN_RETRIES + 1);
    // Twenty writers to one chain need up to nineteen turns (audit-chain.test.ts runs twenty).
    expect(CHAIN_RETRIES).toBeGreaterThanOrEqual(19);
  });

  it('refuses before sending when a change has more writes than a transaction can hold', async () => {
    // Prepare
    const writes = Array.from({ length: MAX_WRITES_PER_CHANGE + 1 }, (_, i): ConditionalWrite => ({ delete: { Key: { pk: `OBJ#${i}`, sk: 'OBJ' } } }));

    // Act
    const error = await failure(commitChange(table, writes, audit));

    // Assess
    expect(error).toMatchObject({ code: 'Request_TooManyItems' });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
  });
});

describe('auditPut', () => {
  it('puts the record in its chain, keyed by time and id, on condition that it is new when built', () => {
    // Act
    const write = auditPut(record, 'grp_9');

    // Assess
    expect('put' in write).toBe(true);
    const put = 'put' in write ? write.put : undefined;
    expect(put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(put?.Item).toMatchObject({ pk: 'AUDIT#grp_9', sk: `2025-01-15T10:00:00.000Z#${record.id}`, type: 'audit', chainId: 'grp_9', data: record });
    expect(write.onConditionFailed).toBeUndefined();
  });
});
