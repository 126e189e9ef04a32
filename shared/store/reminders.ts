/**
 * Reminder items: the sweeper puts one when a reminder falls due, under a condition, so each is sent
 * once however often the sweeper runs; the outbox turns the item's arrival on the stream into email.
 * TTL removes them after the fact.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';
import { TTL_ATTRIBUTE } from './table-schema.ts';
import type { TableContext } from './table-context.ts';

export type ReminderKind = 'expiresIn14Days' | 'expiresIn1Day' | 'approvalPending';

export interface Reminder {
  reminder: ReminderKind;
  targetKind: 'schedule' | 'request';
  targetId: string;
  /** The time the reminder is about (the end, or the approval deadline): a moved end is reminded again. */
  dueAt: string;
}

const KEEP_SECONDS = 60 * 24 * 3600;

/** True if this reminder was put now; false if it had been put before. */
export async function putReminder(table: TableContext, r: Reminder, now: Date): Promise<boolean> {
  try {
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...keys.reminder(r.targetId, `${r.reminder}#${r.dueAt}`),
          type: 'reminder',
          ...r,
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

/** Where the sweeper's reminder scan got to. */
export async function getSweeperMark(table: TableContext): Promise<Date | undefined> {
  const result = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.sweeperState(), ConsistentRead: true }));
  return typeof result.Item?.remindedUntil === 'string' ? new Date(result.Item.remindedUntil) : undefined;
}

export async function setSweeperMark(table: TableContext, remindedUntil: Date): Promise<void> {
  await table.db.send(
    new PutCommand({ TableName: table.tableName, Item: { ...keys.sweeperState(), type: 'sweeperState', remindedUntil: remindedUntil.toISOString() } }),
  );
}
