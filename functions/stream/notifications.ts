/** Lambda: the notifications outbox, fed by the table's stream (NEW_AND_OLD_IMAGES), with ReportBatchItemFailures. */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { processStreamBatch, type OutboxDeps } from '../../shared/services/notifications/outbox.ts';
import { defaultOutboxDeps } from '../../shared/services/notifications/runtime.ts';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

/** `deps` as an object (tests) or a function called on first use (so importing the module reads no configuration). */
export function createHandler(deps: OutboxDeps | (() => OutboxDeps) = defaultOutboxDeps): StreamHandler {
  return (event) => processStreamBatch(typeof deps === 'function' ? deps() : deps, event.Records);
}

export const handler = createHandler();
