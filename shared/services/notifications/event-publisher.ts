/**
 * Domain events for integrations: EventBridge in AWS (source 'stint', one detail-type per event), and
 * locally an in-memory publisher behind the same interface, which tests and the local stack can read.
 */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DETAIL_TYPES, type DomainEvent } from '../../domain/notifications/types.ts';
import { isTransientAwsError, withRetry, type RetryOptions } from './retry.ts';

export const EVENT_SOURCE = 'stint';

export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}

/** PutEvents takes at most ten entries. */
const BATCH = 10;

export function createEventBridgePublisher(client: EventBridgeClient, busName: string, retry: Omit<RetryOptions, 'isRetryable'>): EventPublisher {
  return {
    async publish(events) {
      for (let i = 0; i < events.length; i += BATCH) {
        let pending = events.slice(i, i + BATCH);
        await withRetry(
          async () => {
            const result = await client.send(
              new PutEventsCommand({
                Entries: pending.map((e) => ({
                  Source: EVENT_SOURCE,
                  DetailType: DETAIL_TYPES[e.type],
                  Detail: JSON.stringify(e.detail),
                  Time: new Date(e.time),
                  EventBusName: busName,
                })),
              }),
            );
            // Entries fail one by one (throttled, internal): only those are sent again.
            const failed = pending.filter((_, j) => result.Entries?.[j]?.ErrorCode);
            if (failed.length > 0) {
              const first = result.Entries?.find((entry) => entry.ErrorCode);
              pending = failed;
              throw Object.assign(new Error(`EventBridge rejected ${failed.length} event(s): ${first?.ErrorCode} ${first?.ErrorMessage ?? ''}`.trim()), {
                name: 'ThrottlingException',
              });
            }
          },
          { ...retry, isRetryable: isTransientAwsError },
        );
      }
    },
  };
}

export interface MemoryEventPublisher extends EventPublisher {
  readonly events: DomainEvent[];
}

/** Keeps what was published; `log` (e.g. console.log) also writes each event, for people running locally. */
export function createMemoryEventPublisher(log?: (line: string) => void): MemoryEventPublisher {
  const events: DomainEvent[] = [];
  return {
    events,
    async publish(batch) {
      for (const e of batch) {
        events.push(e);
        log?.(JSON.stringify({ source: EVENT_SOURCE, 'detail-type': DETAIL_TYPES[e.type], time: e.time, detail: e.detail }));
      }
    },
  };
}
