/**
 * The access review job: every five minutes EventBridge Scheduler invokes it, and it starts, reminds and
 * ends the reviews that are due (shared/services/access-reviews/run-due.ts). Reviews run for days, so
 * five minutes is close enough and costs 8,640 invocations a month. Locally a timer runs the same module.
 */
import { Duration, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { StintFunction } from './stint-function.ts';

export interface AccessReviewJobProps {
  readonly table: ITable;
}

export class AccessReviewJob extends Construct {
  readonly function: StintFunction;
  /** Invocations that failed (a review that could not be moved along); the next run tries again. */
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: AccessReviewJobProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Applying a large review's denials one removal at a time takes a while: give it the most a schedule allows to wait for.
    this.function = new StintFunction(this, 'Function', {
      entry: 'functions/jobs/access-reviews.ts',
      description: 'Stint: starts, reminds and ends access reviews',
      timeout: Duration.minutes(5),
    });
    this.function.bindTable(props.table, 'readWrite');
    this.failures = new Queue(this, 'AccessReviewJobFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself the dead-letter queue of the access review job's schedule.",
    });
    const role = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Stint: EventBridge Scheduler invokes the access review job',
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.function.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason: 'The scheduler invokes the access review job by ARN and by version/alias (ARN:*), as the CDK grantInvoke does; nothing else.',
    });
    new Schedule(this, 'EveryFiveMinutes', {
      schedule: ScheduleExpression.rate(Duration.minutes(5)),
      description: 'Stint access review job',
      target: new LambdaInvoke(this.function, { retryAttempts: 0, deadLetterQueue: this.failures, role }),
    });
  }
}
