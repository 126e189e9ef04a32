/**
 * Users, groups, service principals and custom role definitions: one item each, plus their index keys.
 * Reads validate the stored data against the entity's schema, so a damaged item fails loudly here
 * instead of leaking a malformed object to clients.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { batchGetAll } from './batch-get.ts';
import { keys, listingPartition, LIST_SHARDS, prefixes, type DirectoryObjectType, type ListedType } from './keys.ts';
import { queryIndexPartition } from './query-all.ts';
import { sharedRead } from './read-ahead.ts';
import { listSharded, type ShardCursor } from './sharded-list.ts';
import { INDEXES } from './table-schema.ts';
import type { TableContext } from './table-context.ts';
import type { ConditionalWrite } from './transact.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';

export interface Stored<T> {
  type: DirectoryObjectType;
  version: number;
  data: T;
}

/** The secondary look-ups an object is found by; recomputed on every write in this one place. */
export interface ObjectLookups {
  mail?: string | null;
  name?: string | null;
}

function indexKeys(type: DirectoryObjectType, id: string, lookups: ObjectLookups) {
  return {
    ...keys.listing(type, id),
    ...(lookups.mail ? keys.byMail(type, lookups.mail, id) : {}),
    ...(lookups.name ? keys.byName(type, lookups.name, id) : {}),
  };
}

export function parseStored<T>(item: Record<string, unknown>, schema: z.ZodType<T>): Stored<T> {
  const data = schema.safeParse(item.data);
  if (!data.success) throw new Error(`Stored item ${String(item.pk)} does not match its schema: ${data.error.message}`);
  return { type: item.type as DirectoryObjectType, version: Number(item.version), data: data.data };
}

/** One object, consistently; an API request shares the read (read-ahead.ts: authentication reads the caller's). */
export async function getObjectItem(table: TableContext, id: string): Promise<Record<string, unknown> | undefined> {
  const key = keys.object(id);
  return sharedRead(key.pk, async () => (await table.db.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item);
}

export async function getObjectItems(table: TableContext, ids: string[]): Promise<Record<string, unknown>[]> {
  const found = await batchGetAll(
    table,
    [...new Set(ids)].map((id) => keys.object(id)),
  );
  const byId = new Map(found.map((item) => [String(item.pk), item]));
  return ids.map((id) => byId.get(keys.object(id).pk)).filter((item): item is Record<string, unknown> => !!item);
}

export function putNewObject(type: DirectoryObjectType, id: string, data: object, lookups: ObjectLookups): ConditionalWrite {
  return {
    put: {
      Item: { ...keys.object(id), ...indexKeys(type, id, lookups), type, version: 1, data },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
    onConditionFailed: () => new ConflictError(`An object with id '${id}' already exists.`, 'Request_MultipleObjectsWithSameKeyValue'),
  };
}

export function replaceObject(type: DirectoryObjectType, id: string, data: object, lookups: ObjectLookups, expectedVersion: number): ConditionalWrite {
  return {
    put: {
      Item: { ...keys.object(id), ...indexKeys(type, id, lookups), type, version: expectedVersion + 1, data },
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': expectedVersion },
    },
    onConditionFailed: () => new ConflictError(`'${id}' was changed by another request; read it again and retry.`, 'Request_ConcurrentModification'),
  };
}

export function deleteObject(id: string, expectedVersion: number): ConditionalWrite {
  return {
    delete: { Key: keys.object(id), ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } },
    onConditionFailed: () => new NotFoundError(`'${id}' was changed or deleted by another request.`),
  };
}

/** Reserves a unique value (a userPrincipalName, an appId) for an object. */
export function reserveUnique(kind: 'UPN' | 'APPID' | 'ROLENAME', value: string, ownerId: string, message: string): ConditionalWrite {
  return {
    put: { Item: { ...keys.unique(kind, value), type: 'unique', ownerId }, ConditionExpression: 'attribute_not_exists(pk)' },
    onConditionFailed: () => new ConflictError(message, 'Request_MultipleObjectsWithSameKeyValue'),
  };
}

export function releaseUnique(kind: 'UPN' | 'APPID' | 'ROLENAME', value: string, ownerId: string): ConditionalWrite {
  return {
    delete: { Key: keys.unique(kind, value), ConditionExpression: 'ownerId = :owner', ExpressionAttributeValues: { ':owner': ownerId } },
  };
}

export async function findUniqueOwner(table: TableContext, kind: 'UPN' | 'APPID' | 'ROLENAME', value: string): Promise<string | undefined> {
  const result = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.unique(kind, value), ConsistentRead: true }));
  return result.Item?.ownerId as string | undefined;
}

export async function listObjects(table: TableContext, type: ListedType, limit: number, cursor?: ShardCursor, order: 'ascending' | 'descending' = 'ascending') {
  const partitions = Array.from({ length: LIST_SHARDS }, (_, shard) => listingPartition(type, shard));
  return listSharded(table, partitions, limit, cursor, order);
}

/** Ids of objects of a type whose mail or displayName equals a value (case-insensitive). */
export async function findObjectIds(table: TableContext, type: DirectoryObjectType, by: 'mail' | 'name', value: string): Promise<string[]> {
  const indexName = by === 'mail' ? 'gsi2' : 'gsi3';
  const pk = by === 'mail' ? prefixes.mail(type, value) : prefixes.name(type, value);
  const items = await queryIndexPartition(table, indexName, pk);
  return items.map((item) => String(item[INDEXES[indexName].sort]));
}
