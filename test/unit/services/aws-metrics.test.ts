/**
 * shared/services/aws/metrics.ts: the EMF lines AWS access writes are the very metrics its alarms watch
 * (infra/constructs/stint-alarms.ts): namespace Stint, the metric's name, one dimensionless series.
 */
import { describe, expect, it } from 'vitest';
import { AWS_METRIC, awsMetricLine } from '../../../shared/services/aws/metrics.ts';

describe('awsMetricLine', () => {
  it('writes one EMF document: the metric in namespace Stint with no dimension, and the fields beside it', () => {
    // Act
    const line = JSON.parse(
      awsMetricLine(AWS_METRIC.provisioningFailed, 1, new Date('2026-12-03T10:00:00Z'), { accountId: '123456789012', requestId: 'req_1' }),
    );

    // Assess
    expect(line).toEqual({
      _aws: {
        Timestamp: Date.parse('2026-12-03T10:00:00Z'),
        CloudWatchMetrics: [{ Namespace: 'Stint', Dimensions: [[]], Metrics: [{ Name: 'AwsProvisioningFailed', Unit: 'Count' }] }],
      },
      accountId: '123456789012',
      requestId: 'req_1',
      AwsProvisioningFailed: 1,
    });
  });

  it('never lets a field overwrite the metric value', () => {
    const line = JSON.parse(awsMetricLine(AWS_METRIC.operationsStuck, 3, new Date(0), { AwsOperationsStuck: 99 }));
    expect(line.AwsOperationsStuck).toBe(3);
  });

  it('names exactly the three metrics the alarms watch', () => {
    expect(Object.values(AWS_METRIC).sort()).toEqual(['AwsAssignmentsOutsideStint', 'AwsOperationsStuck', 'AwsProvisioningFailed']);
  });
});
