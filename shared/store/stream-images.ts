/**
 * Reads a record of the table's stream (NEW_AND_OLD_IMAGES) into the items the outbox reacts to.
 * Requests are read with any status (newer code may add statuses); items of other types are 'other'.
 */
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import * as z from 'zod';
import { roleRequestSchema } from '../contracts/role-requests.ts';
import type { ItemChange, StreamItem, StreamRequest, StreamReviewInstance } from '../domain/notifications/types.ts';
import { scheduleSchema } from './role-schedules.ts';

const streamRequestSchema = roleRequestSchema.extend({ status: z.string() });

const reminderSchema = z.object({
  reminder: z.enum(['expiresIn14Days', 'expiresIn1Day', 'approvalPending']),
  targetKind: z.enum(['schedule', 'request']),
  targetId: z.string(),
  at: z.string(),
});

const outsideAssignmentSchema = z.object({
  accountId: z.string(),
  permissionSetId: z.string(),
  userId: z.string(),
  permissionSetArn: z.string(),
  principalId: z.string().nullable(),
  at: z.string(),
});

const alertSchema = z.object({ alertType: z.string(), isActive: z.boolean(), incidentCount: z.number(), lastModifiedDateTime: z.string().nullable() });

const reviewInstanceSchema = z.object({ id: z.string(), definitionId: z.string(), status: z.string(), remindersSent: z.number() });

export function parseStreamItem(raw: Record<string, unknown>): StreamItem {
  const where = `${String(raw.pk)} / ${String(raw.sk)}`;
  const parsed = <T>(schema: z.ZodType<T>, value: unknown): T => {
    const result = schema.safeParse(value);
    if (!result.success) throw new Error(`Stream item ${where} does not match its schema: ${result.error.message}`);
    return result.data;
  };
  switch (raw.type) {
    case 'request':
      return { type: 'request', data: parsed(streamRequestSchema, raw.data) as StreamRequest };
    case 'schedule':
      return { type: 'schedule', data: parsed(scheduleSchema, raw.data) };
    case 'reminder':
      return { type: 'reminder', ...parsed(reminderSchema, raw) };
    case 'awsOutsideAssignment':
      return { type: 'awsOutsideAssignment', ...parsed(outsideAssignmentSchema, raw) };
    case 'alert':
      return { type: 'alert', data: parsed(alertSchema, raw) };
    case 'reviewInstance':
      return { type: 'reviewInstance', data: parsed(reviewInstanceSchema, raw.data) as StreamReviewInstance };
    default:
      return { type: 'other' };
  }
}

function image(value: Record<string, AttributeValue> | undefined): StreamItem | undefined {
  // The Lambda event's AttributeValue and the SDK's are the same wire shape under two declarations.
  return value ? parseStreamItem(unmarshall(value as unknown as Record<string, SdkAttributeValue>)) : undefined;
}

export function decodeStreamRecord(record: DynamoDBRecord, now: Date): ItemChange {
  const created = record.dynamodb?.ApproximateCreationDateTime;
  return {
    eventName: record.eventName ?? 'MODIFY',
    old: image(record.dynamodb?.OldImage),
    new: image(record.dynamodb?.NewImage),
    at: created ? new Date(created * 1000).toISOString() : now.toISOString(),
  };
}
