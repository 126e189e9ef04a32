/**
 * Reading many items by key: BatchGetItem takes a hundred keys a call and may leave some unprocessed
 * (throttling), which are asked for again after a short back-off until none are left.
 */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { backOff, type TableContext } from './table-context.ts';

export interface BatchGetOptions {
  /** Strongly consistent reads (what was just written is seen). */
  consistent?: boolean;
  /** Calls in flight at once. @default 1 */
  parallel?: number;
}

/** The items found for these keys (missing ones are absent), in no particular order. Keys must be distinct. */
export async function batchGetAll(
  table: TableContext,
  keys: readonly Record<string, unknown>[],
  options: BatchGetOptions = {},
): Promise<Record<string, unknown>[]> {
  const chunks = Array.from({ length: Math.ceil(keys.length / 100) }, (_, i) => keys.slice(i * 100, i * 100 + 100));
  const found: Record<string, unknown>[] = [];
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead?: boolean }> | undefined = {
        [table.tableName]: { Keys: chunks[next++]!, ...(options.consistent ? { ConsistentRead: true } : {}) },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 0) await backOff(table, Math.min(25 * 2 ** attempt, 1_000));
        const result = await table.db.send(new BatchGetCommand({ RequestItems: request }));
        found.push(...(result.Responses?.[table.tableName] ?? []));
        request = result.UnprocessedKeys as typeof request;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallel ?? 1, chunks.length) }, worker));
  return found;
}
