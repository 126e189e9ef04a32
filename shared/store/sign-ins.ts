/**
 * Each user's last sign-in (Graph's `signInActivity.lastSignInDateTime`), for the stale-account alert and
 * the user's own view. One small item per user, apart from the user object, which its writes replace
 * whole; moved at most once per interval, whatever the number of processes: the update is conditioned on
 * the stored time being that old.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from './batch-get.ts';
import { keys } from './keys.ts';
import type { TableContext } from './table-context.ts';

/** Records a sign-in at `at` unless one within `intervalMs` before it is stored; answers whether it wrote. */
export async function recordSignIn(table: TableContext, userId: string, at: Date, intervalMs: number): Promise<boolean> {
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.lastSignIn(userId),
        UpdateExpression: 'SET #t = :t, #type = :type, #user = :user',
        ConditionExpression: 'attribute_not_exists(#t) OR #t <= :due',
        ExpressionAttributeNames: { '#t': 'lastSignInDateTime', '#type': 'type', '#user': 'userId' },
        ExpressionAttributeValues: { ':t': at.toISOString(), ':due': new Date(at.getTime() - intervalMs).toISOString(), ':type': 'signIn', ':user': userId },
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** The last sign-ins of these users (those who ever signed in), a hundred per read, `parallel` reads at a time. */
export async function lastSignIns(table: TableContext, userIds: readonly string[], parallel = 8): Promise<Map<string, string>> {
  const items = await batchGetAll(
    table,
    [...new Set(userIds)].map((id) => keys.lastSignIn(id)),
    { parallel },
  );
  const found = new Map<string, string>();
  for (const item of items) if (typeof item.lastSignInDateTime === 'string') found.set(String(item.userId), item.lastSignInDateTime);
  return found;
}
