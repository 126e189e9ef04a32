/**
 * The outbox: turns each change on the table's stream into domain events and emails. Records of a shard
 * are handled in order; the first record that fails for any reason but email delivery stops the batch
 * and is reported (with ReportBatchItemFailures, Lambda retries from it), so later records are not sent
 * twice. Email failures never fail a record (see deliver.ts).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { classifyChange, reminderNotification } from '../../domain/notifications/classify.ts';
import type { ItemChange, NotificationEvent, ReminderItem, StreamRequest } from '../../domain/notifications/types.ts';
import { keys } from '../../store/keys.ts';
import { getSchedule } from '../../store/role-schedules.ts';
import { decodeStreamRecord, parseStreamItem } from '../../store/stream-images.ts';
import { deliverNotification, type DeliveryDeps } from './deliver.ts';
import { deliverReviewNotice } from './deliver-review.ts';
import { deliverAlertNotice } from './deliver-alert.ts';
import type { EventPublisher } from './event-publisher.ts';

export interface OutboxDeps extends DeliveryDeps {
  events: EventPublisher;
}

async function dueReminder(deps: OutboxDeps, reminder: ReminderItem): Promise<NotificationEvent | undefined> {
  const { table, clock } = deps.services;
  if (reminder.targetKind === 'schedule') {
    const found = await getSchedule(table, reminder.targetId);
    return reminderNotification(reminder, { schedule: found?.data }, clock.now());
  }
  const item = (await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.request(reminder.targetId), ConsistentRead: true }))).Item;
  const parsed = item ? parseStreamItem(item) : undefined;
  const request: StreamRequest | undefined = parsed?.type === 'request' ? parsed.data : undefined;
  return reminderNotification(reminder, { request }, clock.now());
}

export async function processChange(deps: OutboxDeps, change: ItemChange, correlationId: string): Promise<void> {
  const classified = classifyChange(change);
  const notifications = [...classified.notifications];
  if (classified.reminder) {
    const due = await dueReminder(deps, classified.reminder);
    if (due) notifications.push(due);
  }
  // Events first: if they cannot be published the record is retried, before any email went out.
  if (classified.domainEvents.length > 0) await deps.events.publish(classified.domainEvents);
  for (const notification of notifications) await deliverNotification(deps, notification, correlationId);
  if (classified.review) await deliverReviewNotice(deps, classified.review, correlationId);
  if (classified.alert) await deliverAlertNotice(deps, classified.alert, correlationId);
}

export async function processStreamBatch(deps: OutboxDeps, records: readonly DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  for (const record of records) {
    try {
      await processChange(deps, decodeStreamRecord(record, deps.services.clock.now()), record.eventID ?? 'stream');
    } catch (error) {
      deps.writeLog(
        JSON.stringify({
          level: 'ERROR',
          message: 'stream record failed',
          eventID: record.eventID,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? record.eventID ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}
