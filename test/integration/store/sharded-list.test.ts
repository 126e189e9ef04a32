import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureTable } from '../../../infra/local/create-table.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { newId } from '../../../shared/domain/ids.ts';
import { createDocumentClient } from '../../../shared/store/client.ts';
import { keys, LIST_SHARDS, listingPartition, shardOf } from '../../../shared/store/keys.ts';
import { PageTokens } from '../../../shared/store/page-token.ts';
import { listSharded, type ShardCursor } from '../../../shared/store/sharded-list.ts';
import type { TableContext } from '../../../shared/store/table-context.ts';
import { dynamoEndpoint } from '../../helpers/dynamo-endpoint.ts';

const tableName = `store-sharded-${randomBytes(6).toString('hex')}`;
let db: DynamoDBDocumentClient;
let table: TableContext;

/** Listings of this file's own: each test writes under a partition name nobody else uses. */
const partitionsOf = (name: string) => Array.from({ length: LIST_SHARDS }, (_, shard) => `LIST#${name}#${shard}`);

async function putAll(items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}

/** Items for a listing, each placed on the shard that shardOf gives its id, as the store does. */
async function seedListing(name: string, ids: string[]): Promise<void> {
  await putAll(ids.map((id) => ({ pk: `ITEM#${name}#${id}`, sk: 'ITEM', gsi1pk: `LIST#${name}#${shardOf(id)}`, gsi1sk: id, id })));
}

/** Items placed on a shard chosen by the test, to make uneven spreads. */
async function seedPlaced(name: string, placed: [shard: number, key: string][]): Promise<void> {
  await putAll(placed.map(([shard, key]) => ({ pk: `ITEM#${name}#${key}`, sk: 'ITEM', gsi1pk: `LIST#${name}#${shard}`, gsi1sk: key, id: key })));
}

/**
 * Follows the listing to its end the way the API does: every cursor travels to the client and back as a
 * signed JSON page token.
 */
async function readAll(partitions: string[], limit: number, order: 'ascending' | 'descending' = 'ascending') {
  const tokens = new PageTokens('sharded-list-test');
  const pages: string[][] = [];
  let cursor: ShardCursor | undefined;
  for (;;) {
    if (pages.length > 500) throw new Error('the listing does not end');
    const page = await listSharded(table, partitions, limit, cursor, order);
    pages.push(page.items.map((item) => String(item.gsi1sk)));
    if (!page.next) break;
    cursor = tokens.decode<ShardCursor>('test', tokens.encode('test', page.next));
  }
  return { pages, keys: pages.flat() };
}

beforeAll(async () => {
  const endpoint = dynamoEndpoint();
  const admin = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureTable(admin, tableName);
  admin.destroy();
  db = createDocumentClient({ region: 'us-east-1', endpoint });
  table = { db, tableName };
});

afterAll(() => db?.destroy());

describe('listSharded', () => {
  const clock = new ManualClock('2025-01-15T10:00:00.000Z');
  // Uneven on purpose, and the same on every run whatever the random ids hash to.
  const perShardWanted = [6, 5, 4, 2];
  const ids: string[] = [];
  const counts = [0, 0, 0, 0];
  while (ids.length < 17) {
    clock.advance(1);
    const id = newId('user', clock);
    const shard = shardOf(id);
    if (counts[shard]! < perShardWanted[shard]!) {
      counts[shard]!++;
      ids.push(id);
    }
  }
  const sorted = [...ids].sort();

  beforeAll(() => seedListing('spread', ids));

  it('spreads the seeded ids over all four shards', () => {
    // Assess
    const perShard = [0, 1, 2, 3].map((s) => ids.filter((id) => shardOf(id) === s).length);
    expect(perShard).toEqual(perShardWanted);
  });

  it.each([1, 3, 7, 100])('returns every item exactly once in sort-key order when read in pages of %i', async (limit) => {
    // Act
    const { pages, keys: listed } = await readAll(partitionsOf('spread'), limit);

    // Assess
    expect(listed).toEqual(sorted);
    for (const page of pages.slice(0, -1)) expect(page).toHaveLength(limit);
    expect(pages.at(-1)!.length).toBeLessThanOrEqual(limit);
    expect(pages.length).toBeLessThanOrEqual(Math.ceil(ids.length / limit) + 1);
  });

  it('returns the items newest first when asked for descending order', async () => {
    // Act
    const { keys: listed } = await readAll(partitionsOf('spread'), 5, 'descending');

    // Assess
    expect(listed).toEqual([...sorted].reverse());
  });

  it('returns no items and no cursor when the listing is empty', async () => {
    // Act
    const page = await listSharded(table, partitionsOf('nothing-here'), 10);

    // Assess
    expect(page).toEqual({ items: [] });
  });

  it('returns no cursor when one page holds every item', async () => {
    // Act
    const page = await listSharded(table, partitionsOf('spread'), 100);

    // Assess
    expect(page.items).toHaveLength(ids.length);
    expect(page.next).toBeUndefined();
  });

  it('marks a shard used up and stops querying it when all of its items have been returned', async () => {
    // Prepare: shard 0 holds only the smallest key; the others hold five each
    await seedPlaced('uneven', [[0, 'k00'], ...[1, 2, 3].flatMap((shard) => [1, 2, 3, 4, 5].map((n): [number, string] => [shard, `k${shard}${n}`]))]);
    const partitions = partitionsOf('uneven');
    const send = vi.spyOn(db, 'send');

    // Act
    const first = await listSharded(table, partitions, 2);
    const queriedFirst = send.mock.calls.map(([command]) => (command as QueryCommand).input.ExpressionAttributeValues?.[':pk']);
    send.mockClear();
    const second = await listSharded(table, partitions, 2, first.next);
    const queriedSecond = send.mock.calls.map(([command]) => (command as QueryCommand).input.ExpressionAttributeValues?.[':pk']);
    send.mockRestore();

    // Assess
    expect(first.items.map((i) => i.gsi1sk)).toEqual(['k00', 'k11']);
    expect(first.next).toEqual([null, 'k11', '', '']);
    expect(queriedFirst.sort()).toEqual([...partitions].sort());
    expect(queriedSecond.sort()).toEqual(partitions.slice(1).sort());
    expect(second.items.map((i) => i.gsi1sk)).toEqual(['k12', 'k13']);
  });

  it('keeps reading a shard that nothing was taken from when the cursor has been through JSON', async () => {
    // Prepare: every shard's keys sort after shard 0's, so page 1 takes nothing from shards 1–3
    await seedPlaced('late-shards', [
      [0, 'a1'],
      [0, 'a2'],
      [1, 'b1'],
      [2, 'c1'],
      [3, 'd1'],
    ]);

    // Act
    const { keys: listed } = await readAll(partitionsOf('late-shards'), 1);

    // Assess
    expect(listed).toEqual(['a1', 'a2', 'b1', 'c1', 'd1']);
  });

  it('resumes after the given sort key of each shard when a cursor is passed', async () => {
    // Prepare
    await seedPlaced('resume', [
      [0, 'r1'],
      [0, 'r5'],
      [1, 'r2'],
      [1, 'r6'],
      [2, 'r3'],
      [3, 'r4'],
    ]);

    // Act
    const page = await listSharded(table, partitionsOf('resume'), 10, ['r1', 'r2', null, '']);

    // Assess
    expect(page.items.map((i) => i.gsi1sk)).toEqual(['r4', 'r5', 'r6']);
    expect(page.next).toBeUndefined();
  });

  it('orders keys as DynamoDB does (by code unit, not by locale) when case and punctuation differ', async () => {
    // Prepare
    const placed: [number, string][] = [
      [0, 'a'],
      [1, 'B'],
      [2, 'Z'],
      [3, '_x'],
      [0, '-y'],
      [1, '0'],
      [2, 'aa'],
      [3, 'A'],
      [0, 'b'],
      [1, '~'],
      [2, 'é'],
    ];
    await seedPlaced('bytes', placed);
    const direct = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': 'LIST#bytes#0' },
      }),
    );

    // Act
    const { keys: listed } = await readAll(partitionsOf('bytes'), 2);

    // Assess
    expect(direct.Items?.map((i) => i.gsi1sk)).toEqual(['-y', 'a', 'b']);
    expect(listed).toEqual(placed.map(([, key]) => key).sort());
  });

  it('lists a directory type through its real listing keys when the store wrote them', async () => {
    // Prepare
    const groupIds = Array.from({ length: 9 }, () => {
      clock.advance(1);
      return newId('group', clock);
    });
    await putAll(groupIds.map((id) => ({ ...keys.object(id), ...keys.listing('group', id), type: 'group' })));
    const partitions = Array.from({ length: LIST_SHARDS }, (_, s) => listingPartition('group', s));

    // Act
    const { keys: listed } = await readAll(partitions, 4);

    // Assess
    expect(listed).toEqual([...groupIds].sort());
  });
});
