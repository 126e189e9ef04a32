/**
 * Table stream consumer that keeps the lifecycle runs in step with the table: starts, wakes and stops
 * them, and ends the activations made through a membership that ended (shared/domain/lifecycle-signals.ts
 * says which). Every call is idempotent, as the stream may deliver a record twice; a record whose call
 * fails is reported for retry without holding up the rest.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { signalsOf, type Signal } from '../../shared/domain/lifecycle-signals.ts';
import { defaultBackgroundRuntime } from '../../shared/workflow/background-runtime.ts';
import { errorMessage, logger } from '../../shared/observability/logger.ts';
import type { Clock } from '../../shared/domain/clock.ts';
import type { Workflows } from '../../shared/workflow/workflows.ts';
import { SYSTEM_CALLER } from '../../shared/domain/caller.ts';
import type { Services } from '../../shared/services/context.ts';
import { endActivationsWithoutBasis } from '../../shared/services/roles/holdings/activations-without-basis.ts';

export interface SignalDeps {
  workflows: Workflows;
  clock: Clock;
  /** Ends the principal's activations through groups it has left (shared/services/roles/holdings/activations-without-basis.ts). */
  leftGroup(principalId: string): Promise<unknown>;
}

type Image = Record<string, AttributeValue> | undefined;

export function changeOf(record: DynamoDBRecord) {
  const image = (i: unknown) => (i ? unmarshall(i as Record<string, AttributeValue>) : undefined);
  return {
    eventName: record.eventName as 'INSERT' | 'MODIFY' | 'REMOVE',
    oldItem: image(record.dynamodb?.OldImage as Image),
    newItem: image(record.dynamodb?.NewImage as Image),
  };
}

async function carryOut(deps: SignalDeps, signal: Signal): Promise<void> {
  const { workflows } = deps;
  if (signal.kind === 'start') await workflows.start(signal.requestId, signal.runName);
  else if (signal.kind === 'resume') await workflows.resume(signal.taskToken);
  else if (signal.kind === 'stop') await workflows.stop(signal.requestId, signal.cause);
  else await deps.leftGroup(signal.principalId);
}

/** The platform ends what no longer has a basis; its audit records carry the principal as correlation. */
export function leftGroupWith(services: Services): SignalDeps['leftGroup'] {
  return (principalId) =>
    endActivationsWithoutBasis(services, { caller: SYSTEM_CALLER, correlationId: `left-group:${principalId}`, system: true }, principalId);
}

function defaultDeps(): SignalDeps {
  const { workflows, services } = defaultBackgroundRuntime();
  return { workflows, clock: services.clock, leftGroup: leftGroupWith(services) };
}

export function createHandler(deps: () => SignalDeps = defaultDeps) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const current = deps();
    const { clock } = current;
    const failures: string[] = [];
    for (const record of event.Records) {
      try {
        for (const signal of signalsOf(changeOf(record), clock.now())) await carryOut(current, signal);
      } catch (error) {
        logger.error('workflow signal failed', { eventID: record.eventID, error: errorMessage(error) });
        failures.push(record.dynamodb?.SequenceNumber ?? record.eventID ?? '');
      }
    }
    return { batchItemFailures: failures.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

export const handler = createHandler();
