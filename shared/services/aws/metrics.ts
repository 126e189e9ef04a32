/**
 * The CloudWatch metrics AWS access raises, and the alarms in infra/constructs/stint-alarms.ts watch. Each is
 * an Embedded Metric Format log line in namespace 'Stint' with one dimensionless series (the `[]` dimension
 * set), the total an alarm can watch, as the outbox's NotificationFailures is; written by hand for the same
 * reason (Powertools Metrics always adds a `service` dimension).
 */
import { METRIC_NAMESPACE } from '../notifications/failure-report.ts';
import { readSettings } from '../../settings.ts';

export const AWS_METRIC = {
  /** A create or delete of an account assignment ended FAILED, or was given up on after retries (one per failure). */
  provisioningFailed: 'AwsProvisioningFailed',
  /** The reconciler found assignments on managed permission sets that Stint never granted (how many, per run). */
  assignmentsOutsideStint: 'AwsAssignmentsOutsideStint',
  /** The reconciler found create or delete operations still in progress past their deadline (how many, per run). */
  operationsStuck: 'AwsOperationsStuck',
} as const;

export type AwsMetricName = (typeof AWS_METRIC)[keyof typeof AWS_METRIC];

/**
 * One EMF document: `value` of `metric` at `at`, with `fields` beside it for Logs Insights (account, permission
 * set, request id…; never a metric dimension, so the alarm's series stays the total).
 */
export function awsMetricLine(metric: AwsMetricName, value: number, at: Date, fields: Record<string, string | number> = {}): string {
  return JSON.stringify({
    _aws: { Timestamp: at.getTime(), CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [[]], Metrics: [{ Name: metric, Unit: 'Count' }] }] },
    ...fields,
    [metric]: value,
  });
}

/**
 * Writes the line where Lambda's log goes (stdout), for CloudWatch to turn into the metric. Off Lambda
 * (`npm start`, tests) nothing reads it, so nothing is written: the local console stays readable.
 */
export function awsMetric(metric: AwsMetricName, value: number, at: Date, fields: Record<string, string | number> = {}): void {
  if (!readSettings().observability.onLambda) return;
  process.stdout.write(`${awsMetricLine(metric, value, at, fields)}\n`);
}
