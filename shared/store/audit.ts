/** Audit records by who initiated them, newest first, from the by-actor index. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { prefixes } from './keys.ts';
import { INDEXES } from './table-schema.ts';
import type { TableContext } from './table-context.ts';

/**
 * One page of an initiator's records. It reads one item more than the page so that the last page
 * carries no next position.
 */
export async function auditRecordsByActor(table: TableContext, actorId: string, limit: number, start?: Record<string, unknown>) {
  const index = INDEXES.gsi2;
  const result = await table.db.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partition },
      ExpressionAttributeValues: { ':pk': prefixes.auditBy(actorId) },
      ScanIndexForward: false,
      Limit: limit + 1,
      ExclusiveStartKey: start,
    }),
  );
  const items = result.Items ?? [];
  const taken = items.slice(0, limit);
  const last = taken.at(-1);
  const next =
    items.length > limit && last
      ? { pk: last.pk, sk: last.sk, [index.partition]: last[index.partition], [index.sort]: last[index.sort] }
      : result.LastEvaluatedKey;
  return { items: taken, next };
}
