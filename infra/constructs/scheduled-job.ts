/**
 * A job that EventBridge Scheduler invokes at a fixed rate (the alerts scan, the weekly digest): its
 * function with read-write access to the table, and a dead-letter queue of the invocations that failed
 * (the next run tries again). Locally, infra/local/background.ts runs the same module on a timer.
 */
import { Duration, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { StintFunction } from './stint-function.ts';

export interface ScheduledJobProps {
  readonly table: ITable;
  /** The handler module, e.g. 'functions/jobs/alerts.ts'. */
  readonly entry: string;
  /** What it does, in a few words (the function's and the schedule's description). */
  readonly purpose: string;
  readonly rate: Duration;
  readonly timeout: Duration;
  readonly environment?: Record<string, string>;
  /** MiB; the function's default otherwise. */
  readonly memorySize?: number;
}

export class ScheduledJob extends Construct {
  readonly function: StintFunction;
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.function = new StintFunction(this, 'Function', {
      entry: props.entry,
      description: `Stint: ${props.purpose}`,
      timeout: props.timeout,
      environment: props.environment,
      memorySize: props.memorySize,
    });
    this.function.bindTable(props.table, 'readWrite');
    // Named after the job: the alarms name each dead-letter queue's alarm after its queue.
    this.failures = new Queue(this, `${id}Failures`, { encryption: QueueEncryption.SQS_MANAGED, retentionPeriod: Duration.days(14), enforceSSL: true });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the dead-letter queue of the schedule of: ${props.purpose}.`,
    });
    const role = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: `Stint: EventBridge Scheduler invokes: ${props.purpose}`,
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.function.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason: 'The scheduler invokes the job by ARN and by version/alias (ARN:*), as the CDK grantInvoke does; nothing else.',
    });
    new Schedule(this, 'Schedule', {
      schedule: ScheduleExpression.rate(props.rate),
      description: `Stint: ${props.purpose}`,
      target: new LambdaInvoke(this.function, { retryAttempts: 0, deadLetterQueue: this.failures, role }),
    });
  }
}
