/**
 * A notification that could not be delivered stays visible (peers.md §6 lesson 9): a CloudWatch metric,
 * written as an Embedded Metric Format log line (CloudWatch turns it into the metric 'NotificationFailures'
 * in namespace 'Stint', which an alarm can watch), and a 'NotificationFailed' audit record.
 */
import { buildAuditRecord, type AuditRecord, type TargetResource, type TargetType } from '../../domain/audit.ts';
import { SYSTEM_CALLER } from '../../domain/caller.ts';
import type { Clock } from '../../domain/clock.ts';
import { kindOfId, newId } from '../../domain/ids.ts';
import type { NotificationEvent } from '../../domain/notifications/types.ts';
import type { TableContext } from '../../store/table-context.ts';
import { commitChange } from '../../store/transact.ts';

export const METRIC_NAMESPACE = 'Stint';
export const FAILURE_METRIC = 'NotificationFailures';

const PRINCIPAL_TYPES: Record<string, TargetType> = { user: 'User', group: 'Group', servicePrincipal: 'ServicePrincipal' };

/** What an undelivered email was about: a role change (its principal and role), or an access review. */
export type FailedEvent =
  | Pick<NotificationEvent, 'id' | 'kind' | 'requestId' | 'principalId' | 'roleDefinitionId'>
  | { id: string; kind: string; requestId?: undefined; review: { definitionId: string; displayName: string; instanceId: string } }
  | { id: string; kind: string; requestId?: undefined; alert: { alertId: string; displayName: string } };

export interface DeliveryFailure {
  event: FailedEvent;
  recipientCount: number;
  failedCount: number;
  /** The first error's message, for the record. */
  error: string;
}

/**
 * One EMF document: the metric per kind and in total (the alarm watches the total), and fields for Logs
 * Insights. Written by hand rather than with Powertools Metrics, which always adds a `service` dimension:
 * the alarm's dimensionless total (the `[]` dimension set) could not be emitted.
 */
export function failureMetricLine(failure: DeliveryFailure, at: Date): string {
  return JSON.stringify({
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [['NotificationKind'], []], Metrics: [{ Name: FAILURE_METRIC, Unit: 'Count' }] }],
    },
    NotificationKind: failure.event.kind,
    [FAILURE_METRIC]: failure.failedCount,
    eventId: failure.event.id,
    ...(failure.event.requestId ? { requestId: failure.event.requestId } : {}),
    recipientCount: failure.recipientCount,
    error: failure.error,
  });
}

export function failureAuditRecord(failure: DeliveryFailure, clock: Clock, correlationId: string): { record: AuditRecord; chainId: string } {
  const { event } = failure;
  const targets: TargetResource[] =
    'review' in event
      ? [{ id: event.review.definitionId, displayName: event.review.displayName, type: 'Other', modifiedProperties: [] }]
      : 'alert' in event
        ? [{ id: event.alert.alertId, displayName: event.alert.displayName, type: 'Other', modifiedProperties: [] }]
        : [
            { id: event.principalId, displayName: null, type: PRINCIPAL_TYPES[kindOfId(event.principalId) ?? ''] ?? 'Other', modifiedProperties: [] },
            { id: event.roleDefinitionId, displayName: null, type: 'Role', modifiedProperties: [] },
          ];
  const record = buildAuditRecord({
    id: newId('audit', clock),
    correlationId,
    at: clock.now(),
    caller: SYSTEM_CALLER,
    category: 'Notification',
    activity: 'NotificationFailed',
    operationType: 'Add',
    targets,
    details: {
      notificationKind: event.kind,
      eventId: event.id,
      ...('review' in event ? { instanceId: event.review.instanceId } : 'alert' in event ? {} : { requestId: event.requestId }),
      recipientCount: String(failure.recipientCount),
      failedCount: String(failure.failedCount),
      error: failure.error.slice(0, 500),
    },
  });
  // Chained on what the email was about: the principal of a role change, the review, or the alert.
  return {
    record: { ...record, result: 'failure', resultReason: `${failure.failedCount} of ${failure.recipientCount} emails could not be sent` },
    chainId: targets[0]!.id,
  };
}

export interface FailureReporterDeps {
  table: TableContext;
  clock: Clock;
  /** Where the EMF line goes: stdout on Lambda. */
  writeLog: (line: string) => void;
}

export async function reportDeliveryFailure(deps: FailureReporterDeps, failure: DeliveryFailure, correlationId: string): Promise<void> {
  deps.writeLog(failureMetricLine(failure, deps.clock.now()));
  await commitChange(deps.table, [], failureAuditRecord(failure, deps.clock, correlationId));
}
