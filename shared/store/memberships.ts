/**
 * Group membership as an adjacency list: one item per (group, member), found from either side; plus a
 * mirror item in the member's principal partition, so that one consistent query of that partition gives
 * a principal's own schedules and its groups together (the first read of every access decision).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { keys, prefixes } from './keys.ts';
import { queryAll } from './query-all.ts';
import { INDEXES } from './table-schema.ts';
import type { TableContext } from './table-context.ts';
import type { ConditionalWrite } from './transact.ts';

export function addMembership(groupId: string, memberId: string, memberType: string, at: string): ConditionalWrite[] {
  return [
    {
      put: {
        Item: { ...keys.membership(groupId, memberId), type: 'membership', groupId, memberId, memberType, createdDateTime: at },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
      onConditionFailed: () => new ConflictError(`'${memberId}' is already a member of group '${groupId}'.`, 'Request_MultipleObjectsWithSameKeyValue'),
    },
    { put: { Item: { ...keys.memberOf(memberId, groupId), type: 'memberOf', groupId, memberId } } },
  ];
}

export function removeMembership(groupId: string, memberId: string): ConditionalWrite[] {
  const { pk, sk } = keys.membership(groupId, memberId);
  return [
    {
      delete: { Key: { pk, sk }, ConditionExpression: 'attribute_exists(pk)' },
      onConditionFailed: () => new NotFoundError(`'${memberId}' is not a member of group '${groupId}'.`),
    },
    { delete: { Key: keys.memberOf(memberId, groupId) } },
  ];
}

export interface MembershipPage {
  ids: string[];
  next?: Record<string, unknown>;
}

export async function listMemberIds(table: TableContext, groupId: string, limit: number, start?: Record<string, unknown>): Promise<MembershipPage> {
  const result = await table.db.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
      ExpressionAttributeValues: { ':pk': keys.object(groupId).pk, ':member': prefixes.member },
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );
  return { ids: (result.Items ?? []).map((item) => String(item.memberId)), next: result.LastEvaluatedKey };
}

export async function listGroupIdsOf(table: TableContext, memberId: string, limit: number, start?: Record<string, unknown>): Promise<MembershipPage> {
  const index = INDEXES.gsi2;
  const result = await table.db.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partition },
      ExpressionAttributeValues: { ':pk': prefixes.memberOf(memberId) },
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );
  return { ids: (result.Items ?? []).map((item) => String(item.groupId)), next: result.LastEvaluatedKey };
}

/** Every membership item of a member, for removing them all when the member is deleted. */
export async function allGroupIdsOf(table: TableContext, memberId: string): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await listGroupIdsOf(table, memberId, 100, start);
    ids.push(...page.ids);
    start = page.next;
  } while (start);
  return ids;
}

/**
 * Every standing member of a group, strongly consistent: they all live in the group's partition, so this
 * is one query (paged only past 1 MB of membership items).
 */
export async function allMembersOf(table: TableContext, groupId: string): Promise<{ id: string; type: string; since?: string }[]> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
    ExpressionAttributeValues: { ':pk': keys.object(groupId).pk, ':member': prefixes.member },
    ConsistentRead: true,
  });
  return items.map((item) => ({
    id: String(item.memberId),
    type: String(item.memberType),
    since: typeof item.createdDateTime === 'string' ? item.createdDateTime : undefined,
  }));
}
