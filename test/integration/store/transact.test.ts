import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../../infra/local/create-table.ts';
import { buildAuditRecord, type AuditRecord } from '../../../shared/domain/audit.ts';
import type { Caller } from '../../../shared/domain/caller.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { ConflictError, NotFoundError } from '../../../shared/domain/errors.ts';
import { newId } from '../../../shared/domain/ids.ts';
import { statusOf } from '../../../shared/http/error-response.ts';
import type { Services } from '../../../shared/services/context.ts';
import { createUser } from '../../../shared/services/directory/users.ts';
import { createDocumentClient } from '../../../shared/store/client.ts';
import { keys } from '../../../shared/store/keys.ts';
import { PageTokens } from '../../../shared/store/page-token.ts';
import type { TableContext } from '../../../shared/store/table-context.ts';
import { commitChange, type ConditionalWrite } from '../../../shared/store/transact.ts';
import { dynamoEndpoint } from '../../helpers/dynamo-endpoint.ts';

const tableName = `store-transact-${randomBytes(6).toString('hex')}`;
const clock = new ManualClock('2025-01-15T10:00:00.000Z');
const admin: Caller = { kind: 'user', id: 'usr_01JHGZ3S8V0M5Q7R2T4W6Y8A0C', userPrincipalName: 'admin@contoso.test', authMethods: ['pwd', 'mfa'] };
let db: DynamoDBDocumentClient;
let table: TableContext;

function auditFor(targetId: string, activity = 'Test change'): { record: AuditRecord; chainId: string } {
  clock.advance(1);
  const record = buildAuditRecord({
    id: newId('audit', clock),
    correlationId: `corr-${targetId}`,
    at: clock.now(),
    caller: admin,
    category: 'Policy',
    activity,
    operationType: 'Update',
    targets: [{ id: targetId, displayName: null, type: 'Other', modifiedProperties: [] }],
  });
  return { record, chainId: targetId };
}

const uid = () => randomBytes(5).toString('hex');

async function getItem(pk: string, sk: string) {
  return (await db.send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }))).Item;
}

async function auditItemsOf(chainId: string) {
  const result = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `AUDIT#${chainId}` },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}

async function scanAll(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

const newItem = (pk: string, onConditionFailed?: () => ConflictError): ConditionalWrite => ({
  put: { Item: { pk, sk: 'ITEM', type: 'test', version: 1 }, ConditionExpression: 'attribute_not_exists(pk)' },
  ...(onConditionFailed ? { onConditionFailed } : {}),
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the change to fail');
    },
    (error: unknown) => error,
  );
}

beforeAll(async () => {
  const endpoint = dynamoEndpoint();
  const adminClient = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureTable(adminClient, tableName);
  adminClient.destroy();
  db = createDocumentClient({ region: 'us-east-1', endpoint });
  table = { db, tableName };
});

afterAll(() => db?.destroy());

describe('commitChange', () => {
  it('writes every item and the audit record when all conditions hold', async () => {
    // Prepare
    const [a, b] = [`T#${uid()}`, `T#${uid()}`];
    const audit = auditFor(a);

    // Act
    await commitChange(table, [newItem(a), newItem(b)], audit);

    // Assess
    expect(await getItem(a, 'ITEM')).toMatchObject({ type: 'test', version: 1 });
    expect(await getItem(b, 'ITEM')).toMatchObject({ type: 'test', version: 1 });
    const trail = await auditItemsOf(a);
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ type: 'audit', chainId: a, data: audit.record });
  });

  it('writes nothing, not even the audit record, when the condition of the second write fails', async () => {
    // Prepare
    const [fresh, taken] = [`T#${uid()}`, `T#${uid()}`];
    await db.send(new PutCommand({ TableName: tableName, Item: { pk: taken, sk: 'ITEM', type: 'test', version: 7 } }));
    const audit = auditFor(fresh);

    // Act
    const error = await failure(
      commitChange(table, [newItem(fresh), newItem(taken, () => new ConflictError(`'${taken}' exists.`, 'Request_MultipleObjectsWithSameKeyValue'))], audit),
    );

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'Request_MultipleObjectsWithSameKeyValue', message: `'${taken}' exists.` });
    expect(await getItem(fresh, 'ITEM')).toBeUndefined();
    expect(await getItem(taken, 'ITEM')).toMatchObject({ version: 7 });
    expect(await auditItemsOf(fresh)).toEqual([]);
  });

  it('throws the typed error of a failed check and writes nothing when the checked item is missing', async () => {
    // Prepare
    const [fresh, missing] = [`T#${uid()}`, `T#${uid()}`];
    const check: ConditionalWrite = {
      check: { Key: { pk: missing, sk: 'ITEM' }, ConditionExpression: 'attribute_exists(pk)' },
      onConditionFailed: () => new NotFoundError(`'${missing}' does not exist.`),
    };

    // Act
    const error = await failure(commitChange(table, [newItem(fresh), check], auditFor(fresh)));

    // Assess
    expect(error).toBeInstanceOf(NotFoundError);
    expect(statusOf((error as NotFoundError).kind)).toBe(404);
    expect(await getItem(fresh, 'ITEM')).toBeUndefined();
    expect(await auditItemsOf(fresh)).toEqual([]);
  });

  it('throws ConflictError Request_ConcurrentModification when a write without onConditionFailed fails', async () => {
    // Prepare
    const item = `T#${uid()}`;
    await db.send(new PutCommand({ TableName: tableName, Item: { pk: item, sk: 'ITEM', type: 'test', version: 2 } }));
    const staleUpdate: ConditionalWrite = {
      update: {
        Key: { pk: item, sk: 'ITEM' },
        UpdateExpression: 'SET version = :next',
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':next': 2, ':expected': 1 },
      },
    };

    // Act
    const error = await failure(commitChange(table, [staleUpdate], auditFor(item)));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'Request_ConcurrentModification' });
    expect(await getItem(item, 'ITEM')).toMatchObject({ version: 2 });
    expect(await auditItemsOf(item)).toEqual([]);
  });
});

describe('createUser under concurrency', () => {
  const services = (): Services => ({ table, clock, pageTokens: new PageTokens('transact-test') });

  it('creates exactly one user, one UPN guard and one audit record when 10 requests race for one userPrincipalName', async () => {
    // Prepare
    const upn = `race-${uid()}@contoso.test`;
    const svc = services();

    // Act
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        createUser(svc, { caller: admin, correlationId: `race-${i}`, system: true }, { displayName: `Racer ${i}`, userPrincipalName: upn }),
      ),
    );

    // Assess
    const won = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof createUser>>> => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(9);
    for (const { reason } of lost) {
      expect(reason).toBeInstanceOf(ConflictError);
      expect(statusOf((reason as ConflictError).kind)).toBe(409);
    }
    const winner = won[0]!.value;
    const all = await scanAll();
    const users = all.filter((item) => item.type === 'user' && (item.data as { userPrincipalName: string }).userPrincipalName === upn);
    expect(users.map((u) => (u.data as { id: string }).id)).toEqual([winner.id]);
    expect(await getItem(keys.unique('UPN', upn).pk, 'UNIQUE')).toMatchObject({ ownerId: winner.id });
    const racers = new Set(Array.from({ length: 10 }, (_, i) => `race-${i}`));
    const audits = all.filter((item) => item.type === 'audit' && racers.has((item.data as AuditRecord).correlationId));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.data).toMatchObject({ activityDisplayName: 'Add user', targetResources: [{ id: winner.id, userPrincipalName: upn }] });
  });

  it('creates all of them when 10 requests with different userPrincipalNames run at once', async () => {
    // Prepare
    const run = uid();
    const svc = services();

    // Act
    const users = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        createUser(
          svc,
          { caller: admin, correlationId: `bulk-${run}-${i}`, system: true },
          { displayName: `Bulk ${i}`, userPrincipalName: `bulk-${run}-${i}@contoso.test` },
        ),
      ),
    );

    // Assess
    expect(new Set(users.map((u) => u.id)).size).toBe(10);
    for (const user of users) {
      expect(await getItem(keys.object(user.id).pk, 'OBJ')).toMatchObject({ type: 'user', version: 1 });
      expect(await auditItemsOf(user.id)).toHaveLength(1);
    }
  });
});
