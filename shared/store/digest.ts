/**
 * The weekly digest in the table: its settings (one versioned item, written with its audit record) and
 * one item per ISO week it was sent in. The week item is put under a condition by the first run of the
 * week; it says 'sending' until every recipient has had the email, then 'sent'. The emails themselves are
 * claimed one by one (sent-emails.ts), so runs that overlap, or a run retried after a crash, send each
 * address one email.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { DigestSettings } from '../domain/digest/settings.ts';
import { ConflictError } from '../domain/errors.ts';
import { keys } from './keys.ts';
import { TTL_ATTRIBUTE } from './table-schema.ts';
import type { TableContext } from './table-context.ts';
import type { ConditionalWrite } from './transact.ts';

const settingsSchema = z.object({
  isEnabled: z.boolean(),
  sendToAdministrators: z.boolean(),
  additionalRecipients: z.array(z.string()),
  excludedUserIds: z.array(z.string()),
  lastModifiedDateTime: z.string().nullable(),
  lastModifiedBy: z.object({ id: z.string().nullable(), displayName: z.string().nullable() }),
}) satisfies z.ZodType<DigestSettings>;

export interface StoredDigestSettings {
  version: number;
  data: DigestSettings;
}

export async function getDigestSettings(table: TableContext): Promise<StoredDigestSettings | undefined> {
  const { Item } = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.digestSettings(), ConsistentRead: true }));
  return Item ? { version: Number(Item.version), data: settingsSchema.parse(Item.data) } : undefined;
}

/** The settings' write, conditioned on the version read (undefined: none stored yet). */
export function saveDigestSettings(data: DigestSettings, expectedVersion: number | undefined): ConditionalWrite {
  const item = { ...keys.digestSettings(), type: 'digestSettings', version: (expectedVersion ?? 0) + 1, data };
  const onConditionFailed = () =>
    new ConflictError('The digest settings were changed by another request; read them again and retry.', 'Request_ConcurrentModification');
  return expectedVersion === undefined
    ? { put: { Item: item, ConditionExpression: 'attribute_not_exists(pk)' }, onConditionFailed }
    : { put: { Item: item, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }, onConditionFailed };
}

export type DigestWeekStatus = 'sending' | 'sent';

/** Weeks are kept a year, then TTL removes them. */
const KEEP_SECONDS = 366 * 24 * 3600;

/** The week's state: absent until a run starts sending it. */
export async function getDigestWeek(table: TableContext, week: string): Promise<{ status: DigestWeekStatus; startedDateTime: string } | undefined> {
  const { Item } = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.digestWeek(week), ConsistentRead: true }));
  return Item ? { status: Item.status as DigestWeekStatus, startedDateTime: String(Item.startedDateTime) } : undefined;
}

/** Marks the week as being sent; false when a run (this one's twin, or an earlier one) already did. */
export async function startDigestWeek(table: TableContext, week: string, at: Date): Promise<boolean> {
  try {
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...keys.digestWeek(week),
          type: 'digestWeek',
          status: 'sending',
          startedDateTime: at.toISOString(),
          [TTL_ATTRIBUTE]: Math.floor(at.getTime() / 1000) + KEEP_SECONDS,
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

/** Every recipient has had the week's email: later runs of the week do nothing. */
export async function finishDigestWeek(table: TableContext, week: string, at: Date, recipients: number): Promise<void> {
  await table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: keys.digestWeek(week),
      UpdateExpression: 'SET #status = :sent, sentDateTime = :at, recipients = :n',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':sent': 'sent', ':at': at.toISOString(), ':n': recipients },
    }),
  );
}
