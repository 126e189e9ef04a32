import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { INDEXES, type IndexName } from './table-schema.ts';
import type { TableContext } from './table-context.ts';

/** Every item a query matches, following LastEvaluatedKey; for partitions known to stay small. */
export async function queryAll(table: TableContext, input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const result = await table.db.send(new QueryCommand({ ...input, TableName: table.tableName, ExclusiveStartKey: start }));
    items.push(...(result.Items ?? []));
    start = result.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every item of one partition of an index (an overloaded gsi's `#pk = :pk`), in sort-key order or its reverse. */
export async function queryIndexPartition(
  table: TableContext,
  indexName: IndexName,
  partition: string,
  order: 'ascending' | 'descending' = 'ascending',
): Promise<Record<string, unknown>[]> {
  const index = INDEXES[indexName];
  return queryAll(table, {
    IndexName: index.name,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': index.partition },
    ExpressionAttributeValues: { ':pk': partition },
    ScanIndexForward: order === 'ascending',
  });
}
