/**
 * Lists one entity type in id order although its listing index is spread over shards: each page reads
 * the next `limit` keys of every shard, merges them, and keeps per-shard positions in the cursor.
 * Items not taken on this page are read again on the next one, which costs a little read capacity and
 * keeps the order exact.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { INDEXES } from './table-schema.ts';
import type { TableContext } from './table-context.ts';

type Item = Record<string, unknown>;

/**
 * Per shard: the last sort key already returned, '' when nothing has been returned from it yet, or null
 * when the shard is used up. ('' and not undefined: the cursor travels as JSON, where an undefined array
 * element becomes null and would read as "used up", silently skipping the rest of that shard.)
 */
export type ShardCursor = (string | null | undefined)[];

export interface ShardedPage {
  items: Item[];
  next?: ShardCursor;
}

export async function listSharded(
  table: TableContext,
  partitions: string[],
  limit: number,
  cursor: ShardCursor = [],
  order: 'ascending' | 'descending' = 'ascending',
): Promise<ShardedPage> {
  const descending = order === 'descending';
  const index = INDEXES.gsi1;
  const perShard = await Promise.all(
    partitions.map(async (pk, shard) => {
      const after = cursor[shard];
      if (after === null) return { items: [] as Item[], exhausted: true };
      const result = await table.db.send(
        new QueryCommand({
          TableName: table.tableName,
          IndexName: index.name,
          KeyConditionExpression: after ? `#pk = :pk AND #sk ${descending ? '<' : '>'} :after` : '#pk = :pk',
          ExpressionAttributeNames: after ? { '#pk': index.partition, '#sk': index.sort } : { '#pk': index.partition },
          ExpressionAttributeValues: after ? { ':pk': pk, ':after': after } : { ':pk': pk },
          // One more than a page: a shard that is used up is then known to be, so the last page has no
          // nextLink to an empty page.
          Limit: limit + 1,
          ScanIndexForward: !descending,
        }),
      );
      const items = result.Items ?? [];
      return { items, exhausted: !result.LastEvaluatedKey };
    }),
  );
  const merged = perShard
    .flatMap((s, shard) => s.items.map((item) => ({ item, shard })))
    .sort((a, b) => (descending ? -1 : 1) * compareKeys(String(a.item[index.sort]), String(b.item[index.sort])));
  const taken = merged.slice(0, limit);
  const next: ShardCursor = partitions.map((_, shard) => {
    const lastTaken = taken.filter((t) => t.shard === shard).at(-1);
    const state = perShard[shard]!;
    const readAll = taken.filter((t) => t.shard === shard).length === state.items.length;
    if (state.exhausted && readAll) return null;
    return lastTaken ? String(lastTaken.item[index.sort]) : (cursor[shard] ?? '');
  });
  const more = next.some((n) => n !== null);
  return { items: taken.map((t) => t.item), next: more ? next : undefined };
}

/** Byte order, as DynamoDB sorts string keys (localeCompare would not agree with it). */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
