/**
 * Table stream consumer that keeps the lifecycle runs in step with the table: starts, wakes and stops
 * them (shared/domain/lifecycle-signals.ts says which). Every call is idempotent, as the stream may
 * deliver a record twice; a record whose call fails is reported for retry without holding up the rest.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { signalsOf, type Signal } from '../../shared/domain/lifecycle-signals.ts';
import { defaultBackgroundRuntime } from '../../shared/workflow/background-runtime.ts';
import { errorMessage, logger } from '../../shared/observability/logger.ts';
import type { Clock } from '../../shared/domain/clock.ts';
import type { Workflows } from '../../shared/workflow/workflows.ts';

export interface SignalDeps {
  workflows: Workflows;
  clock: Clock;
}

type Image = Record<string, AttributeValue> | undefined;

export function changeOf(record: DynamoDBRecord) {
  const image = (i: unknown) => (i ? unmarshall(i as Record<string, AttributeValue>) : undefined);
  return { eventName: record.eventName as 'INSERT' | 'MODIFY' | 'REMOVE', oldItem: image(record.dynamodb?.OldImage as Image), newItem: image(record.dynamodb?.NewImage as Image) };
}

async function carryOut(workflows: Workflows, signal: Signal): Promise<void> {
  if (signal.kind === 'start') await workflows.start(signal.requestId);
  else if (signal.kind === 'resume') await workflows.resume(signal.taskToken);
  else await workflows.stop(signal.requestId, signal.cause);
}

export function createHandler(deps: () => SignalDeps = () => ({ workflows: defaultBackgroundRuntime().workflows, clock: defaultBackgroundRuntime().services.clock })) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const { workflows, clock } = deps();
    const failures: string[] = [];
    for (const record of event.Records) {
      try {
        for (const signal of signalsOf(changeOf(record), clock.now())) await carryOut(workflows, signal);
      } catch (error) {
        logger.error('workflow signal failed', { eventID: record.eventID, error: errorMessage(error) });
        failures.push(record.dynamodb?.SequenceNumber ?? record.eventID ?? '');
      }
    }
    return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

export const handler = createHandler();
