/**
 * The weekly digest job: every hour EventBridge Scheduler invokes it; it sends the week's digest to the
 * Privileged Role and Global Administrators once, from Monday 08:00 UTC (shared/services/digest/). Hourly
 * rather than a weekly cron: a run that fails (SES throttled, a deployment in the way) is made up an hour
 * later, and the week's item keeps every run after the first from sending again. Locally a timer runs the
 * same module.
 */
import { Duration, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ConfigurationSet, EmailIdentity } from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SETTING } from '../../shared/settings.ts';
import { StintFunction } from './stint-function.ts';

export interface WeeklyDigestJobProps {
  readonly table: ITable;
  /** The verified sender (the notifications' own) and its configuration set. */
  readonly mailFrom: string;
  readonly mailIdentity: EmailIdentity;
  readonly mailConfiguration: ConfigurationSet;
  /** Base URL of the portal pages the digest links to. */
  readonly portalUrl: string;
}

export class WeeklyDigestJob extends Construct {
  readonly function: StintFunction;
  /** Invocations that failed (some address not sent); the next hourly run sends to those. */
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: WeeklyDigestJobProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.function = new StintFunction(this, 'Function', {
      entry: 'functions/jobs/weekly-digest.ts',
      description: 'Stint: sends the weekly PIM digest to the administrators',
      // Sends are retried with backoff inside; a tenant's administrators are tens, not thousands.
      timeout: Duration.minutes(5),
      environment: { [SETTING.mailFrom]: props.mailFrom, [SETTING.portalUrl]: props.portalUrl },
    });
    // Writes: the week's item and the per-address send claims.
    this.function.bindTable(props.table, 'readWrite');
    this.function.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ses:SendEmail'],
        resources: [
          props.mailIdentity.emailIdentityArn,
          stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: props.mailConfiguration.configurationSetName }),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': props.mailFrom } },
      }),
    );
    this.failures = new Queue(this, 'WeeklyDigestJobFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself the dead-letter queue of the weekly digest job's schedule.",
    });
    const role = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Stint: EventBridge Scheduler invokes the weekly digest job',
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.function.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason: 'The scheduler invokes the weekly digest job by ARN and by version/alias (ARN:*), as the CDK grantInvoke does; nothing else.',
    });
    new Schedule(this, 'EveryHour', {
      schedule: ScheduleExpression.rate(Duration.hours(1)),
      description: 'Stint weekly digest job',
      target: new LambdaInvoke(this.function, { retryAttempts: 0, deadLetterQueue: this.failures, role }),
    });
  }
}
