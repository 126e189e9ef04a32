/**
 * AWS access's alarms read these metrics (infra: the AWS connector's alarms), written as Embedded Metric
 * Format lines on stdout, which CloudWatch Logs turns into metrics in the namespace Stint, no dimensions.
 */
export const AWS_METRICS = ['AwsProvisioningFailed', 'AwsRevokeFailed', 'AwsAssignmentsOutsideStint', 'AwsOperationsStuck'] as const;
export type AwsMetric = (typeof AWS_METRICS)[number];

export function awsMetricLine(name: AwsMetric, value: number, at: Date): string {
  return JSON.stringify({
    _aws: { Timestamp: at.getTime(), CloudWatchMetrics: [{ Namespace: 'Stint', Dimensions: [[]], Metrics: [{ Name: name, Unit: 'Count' }] }] },
    [name]: value,
  });
}

export function awsMetric(name: AwsMetric, value = 1, at = new Date()): void {
  process.stdout.write(`${awsMetricLine(name, value, at)}\n`);
}
