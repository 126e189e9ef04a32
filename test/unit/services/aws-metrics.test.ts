/**
 * shared/services/aws/metrics.ts: the EMF lines AWS access writes are the very metrics its alarms watch
 * (infra/constructs/stint-alarms.ts): namespace Stint, the metric's name, one dimensionless series.
 */
import { describe, expect, it, vi } from 'vitest';
import { AWS_METRIC, awsMetric, awsMetricLine } from '../../../shared/services/aws/metrics.ts';

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

describe('awsMetric', () => {
  it('writes the line on Lambda only, where CloudWatch reads it', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const before = process.env.AWS_LAMBDA_FUNCTION_NAME;
    try {
      delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      awsMetric(AWS_METRIC.operationsStuck, 1, new Date(0));
      expect(write).not.toHaveBeenCalled();
      process.env.AWS_LAMBDA_FUNCTION_NAME = 'stint-aws-reconcile';
      awsMetric(AWS_METRIC.operationsStuck, 2, new Date(0));
      expect(write).toHaveBeenCalledTimes(1);
      expect(JSON.parse(String(write.mock.calls[0]![0]))).toMatchObject({ AwsOperationsStuck: 2 });
    } finally {
      write.mockRestore();
      if (before === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      else process.env.AWS_LAMBDA_FUNCTION_NAME = before;
    }
  });
});
