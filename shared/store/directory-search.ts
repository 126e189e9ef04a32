/**
 * Search entries of directory objects (`keys.searchEntry`): written with the object in its own transaction,
 * read a page at a time by prefix. An entry says only "object X has a value starting like this"; the caller
 * reads the object and checks the value itself, so an entry can never show an object that no longer matches.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { keys, searchKeyValue, searchPartition, type DirectoryObjectType } from './keys.ts';
import type { TableContext } from './table-context.ts';
import type { ConditionalWrite } from './transact.ts';

/** The searchable property values of one object, e.g. { displayName: 'Ada', mail: null }. */
export type SearchValues = Record<string, string | null | undefined>;

function entryKeys(type: DirectoryObjectType, id: string, values: SearchValues | undefined) {
  return Object.entries(values ?? {})
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length > 0)
    .map(([property, value]) => keys.searchEntry(type, property, value, id));
}

/**
 * The writes that move an object's search entries from `before` (undefined: a new object) to `after`
 * (undefined: a deleted one). Every entry of `after` is put, even an unchanged one, so that any write of an
 * object stored before search existed gives it its entries; entries no longer wanted are deleted.
 */
export function searchEntryWrites(
  type: DirectoryObjectType,
  id: string,
  before: SearchValues | undefined,
  after: SearchValues | undefined,
): ConditionalWrite[] {
  const wanted = entryKeys(type, id, after);
  const isWanted = new Set(wanted.map((k) => `${k.pk}\n${k.sk}`));
  const stale = entryKeys(type, id, before).filter((k) => !isWanted.has(`${k.pk}\n${k.sk}`));
  return [...wanted.map((Key) => ({ put: { Item: { ...Key, type: 'searchEntry', objectId: id } } })), ...stale.map((Key) => ({ delete: { Key } }))];
}

export interface SearchHit {
  objectId: string;
  /** The entry's sort key: its place in the order of the search. */
  position: string;
}

/**
 * Up to `limit` entries of one property whose value starts with `prefix` (any case), after `after` (a
 * position returned before), in order. Strongly consistent: a rename is found under its new name at once.
 * The prefix is a value in the expression, never part of it.
 */
export async function searchPage(
  table: TableContext,
  type: DirectoryObjectType,
  property: string,
  prefix: string,
  limit: number,
  after?: string,
): Promise<{ hits: SearchHit[]; exhausted: boolean }> {
  const keyPrefix = searchKeyValue(prefix);
  const pk = searchPartition(type, property, keyPrefix);
  const result = await table.db.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': keyPrefix },
      ExclusiveStartKey: after ? { pk, sk: after } : undefined,
      ConsistentRead: true,
      Limit: limit,
    }),
  );
  const hits = (result.Items ?? []).map((item) => ({ objectId: String(item.objectId), position: String(item.sk) }));
  return { hits, exhausted: !result.LastEvaluatedKey };
}

/** The position an object's value of a property has in a search (compared with a hit's position). */
export function searchPosition(type: DirectoryObjectType, property: string, value: string, id: string): string {
  return keys.searchEntry(type, property, value, id).sk;
}

/**
 * Gives one object stored before search existed its entries (the one-off backfill), conditioned on the
 * object still being the version read: if it changed meanwhile, that change wrote its entries itself, and
 * this returns false having written nothing.
 */
export async function backfillSearchEntries(
  table: TableContext,
  type: DirectoryObjectType,
  id: string,
  version: number,
  values: SearchValues,
): Promise<boolean> {
  const puts = searchEntryWrites(type, id, undefined, values).flatMap((w) => ('put' in w ? [{ Put: { ...w.put, TableName: table.tableName } }] : []));
  if (puts.length === 0) return true;
  try {
    await table.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: table.tableName,
              Key: keys.object(id),
              ConditionExpression: 'version = :version',
              ExpressionAttributeValues: { ':version': version },
            },
          },
          ...puts,
        ],
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
}
