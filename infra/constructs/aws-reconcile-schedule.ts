/**
 * The AWS access reconciler's clock: EventBridge Scheduler invokes it every five minutes (8,640 runs a
 * month), as it does the access review job. The function is made elsewhere (it needs the connector's
 * assign policy and the table); this only runs it, and parks failed invocations in a queue the alarms watch.
 */
import { Duration, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface AwsReconcileScheduleProps {
  /** The reconciler (functions/jobs/aws-reconcile.ts). */
  readonly function: IFunction;
}

export class AwsReconcileSchedule extends Construct {
  /** Invocations that failed; the next run, five minutes later, tries again. */
  readonly failures: Queue;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: AwsReconcileScheduleProps) {
    super(scope, id);
    this.failures = new Queue(this, 'AwsReconcileFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself the dead-letter queue of the AWS reconciler's schedule.",
    });
    const role = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Stint: EventBridge Scheduler invokes the AWS access reconciler',
    });
    const fn = props.function.node.defaultChild as CfnElement | undefined;
    if (fn) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(fn)}.Arn>:*]`,
        reason: 'The scheduler invokes the reconciler by ARN and by version/alias (ARN:*), as the CDK grantInvoke does; nothing else.',
      });
    }
    // No retry: the next run, five minutes later, does what a failed one missed.
    this.schedule = new Schedule(this, 'EveryFiveMinutes', {
      schedule: ScheduleExpression.rate(Duration.minutes(5)),
      description: 'Stint AWS access reconciler',
      target: new LambdaInvoke(props.function, { retryAttempts: 0, deadLetterQueue: this.failures, role }),
    });
  }
}
