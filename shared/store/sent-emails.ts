/**
 * Effectively-once email from an at-least-once stream. Lambda retries a failed stream record (and the
 * local poller a failed batch), so the outbox may see a change twice. Before each send it claims the
 * (record, notification, address) under a condition; a claim already there means the email went out
 * on an earlier attempt. A send that fails gives its claim back, so the retry sends it. Claims outlive
 * the stream's 24-hour retention, then TTL removes them.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';
import { TTL_ATTRIBUTE } from './table-schema.ts';
import type { TableContext } from './table-context.ts';

const KEEP_SECONDS = 3 * 24 * 3600;

/** True if this email is now this attempt's to send; false if an earlier attempt sent it. */
export async function claimSend(table: TableContext, delivery: string, address: string, now: Date): Promise<boolean> {
  try {
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...keys.sentEmail(delivery, address),
          type: 'sentEmail',
          at: now.toISOString(),
          [TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + KEEP_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export async function releaseSend(table: TableContext, delivery: string, address: string): Promise<void> {
  await table.db.send(new DeleteCommand({ TableName: table.tableName, Key: keys.sentEmail(delivery, address) }));
}
