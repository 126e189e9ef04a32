/**
 * What runs behind the API (docs/architecture.md §1): the request-lifecycle state machine and its Lambda, the two
 * consumers of the table's stream (workflow signals; the notifications outbox: SES email and
 * EventBridge events), and the sweeper every minute on EventBridge Scheduler. The local stack runs the
 * very same handler modules (infra/local/background.ts).
 */
import { ArnFormat, Duration, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { ConfigurationSet, EmailIdentity, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RequestLifecycle } from './request-lifecycle.ts';
import { StintFunction } from './stint-function.ts';
import { SETTING } from '../../shared/settings.ts';

export interface StintBackgroundProps {
  /** The single table; its stream feeds the consumers. */
  readonly table: ITable;
  /** The verified SES identity (address or domain) notifications are sent from. */
  readonly mailFrom: string;
  /** Base URL of the portal pages that emails link to. */
  readonly portalUrl: string;
  /** Verify this whole domain (DKIM) instead of the single mailFrom address. */
  readonly mailDomain?: string;
  /** The SES identity exists already (another stack's, or verified by hand): send as it, create none. */
  readonly mailIdentityExists?: boolean;
}

export class StintBackground extends Construct {
  readonly lifecycle: RequestLifecycle;
  readonly eventBus: EventBus;
  readonly functions: { lifecycle: StintFunction; signals: StintFunction; notifications: StintFunction; sweeper: StintFunction };
  /** Stream batches that kept failing land here (then the shard moves on). */
  readonly streamFailures: Queue;
  /** The SES identity mail is sent as: the stack's own, or an existing one (`mailIdentityExists`). */
  readonly mailIdentityArn: string;
  readonly sweeperFailures: Queue;
  readonly mailConfiguration: ConfigurationSet;
  private readonly mailFrom: string;

  constructor(scope: Construct, id: string, props: StintBackgroundProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { table } = props;

    const lifecycleFn = new StintFunction(this, 'LifecycleFunction', {
      entry: 'functions/workflow/lifecycle.ts',
      description: 'Stint: request-lifecycle steps (Step Functions tasks)',
      timeout: Duration.seconds(30),
    });
    this.lifecycle = new RequestLifecycle(this, 'RequestLifecycle', { handler: lifecycleFn });
    const machineArn = this.lifecycle.stateMachineArn;
    // New runs start on the alias (the newest version); task tokens and stops address runs of any version.
    const startArn = this.lifecycle.aliasArn;
    const executionsArn = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.lifecycle.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    lifecycleFn.bindTable(table, 'readWrite');
    lifecycleFn.addEnvironment(SETTING.lifecycleArn, machineArn);
    // A run whose request was decided before its token was stored is woken by the step itself.
    lifecycleFn.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [machineArn] }));

    this.eventBus = new EventBus(this, 'Events', {
      // Bus names are unique in an account and region: the stage's own, so stages live side by side.
      eventBusName: `${stack.stackName}-events`,
      description: 'Stint domain events: activated, deactivated, expired, assigned, removed, approval requested/decided',
    });
    this.streamFailures = new Queue(this, 'StreamFailures', { encryption: QueueEncryption.SQS_MANAGED, retentionPeriod: Duration.days(14), enforceSSL: true });
    Validations.of(this.streamFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination of the stream consumers (their on-failure destination).',
    });
    const fromStream = () =>
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        maxRecordAge: Duration.days(1),
        onFailure: new SqsDlq(this.streamFailures),
      });

    const signals = new StintFunction(this, 'WorkflowSignalsFunction', {
      entry: 'functions/stream/workflow-signals.ts',
      description: 'Stint: starts, wakes and stops lifecycle runs, and ends activations through memberships that ended, from table changes',
      timeout: Duration.seconds(30),
    });
    // Writes: ending the activations made through a membership that ended (each with its audit record).
    signals.bindTable(table, 'readWrite');
    signals.addEnvironment(SETTING.lifecycleArn, startArn);
    signals.addToRolePolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: [startArn] }));
    signals.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [machineArn] }));
    signals.addToRolePolicy(new PolicyStatement({ actions: ['states:StopExecution'], resources: [executionsArn] }));
    Validations.of(signals.executionRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${stack.region}:${stack.account}:execution:${this.lifecycle.stateMachineName}:*]`,
      reason: 'StopExecution names an execution of this one state machine; execution names are request ids, known only at run time.',
    });
    signals.addEventSource(fromStream());

    const notifications = new StintFunction(this, 'NotificationsFunction', {
      entry: 'functions/stream/notifications.ts',
      description: 'Stint: notification emails (SES) and domain events (EventBridge) from table changes',
      // Sends are retried with backoff inside; a batch of 100 changes may take a while under throttling.
      timeout: Duration.minutes(5),
      environment: { [SETTING.mailFrom]: props.mailFrom, [SETTING.portalUrl]: props.portalUrl, [SETTING.eventBus]: this.eventBus.eventBusName },
    });
    notifications.bindTable(table, 'readWrite');
    this.eventBus.grantPutEventsTo(notifications);
    // The sender's identity (a domain, or the one address) and a configuration set that keeps reputation
    // metrics and stops sending to addresses that bounced or complained. SES verifies the identity after
    // deploy (an email to the address, or DKIM records for the domain): see the README's deploy guide.
    this.mailConfiguration = new ConfigurationSet(this, 'MailConfiguration', {
      // Named by the stage, so the guide can name it when an existing identity is to use it.
      configurationSetName: `${stack.stackName}-mail`,
      reputationMetrics: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    const identityName = props.mailDomain ?? props.mailFrom;
    // An identity can exist once per account and region: a second stage, or an address verified before,
    // reuses it rather than failing the create (docs/deploy.md §6).
    this.mailIdentityArn = props.mailIdentityExists
      ? stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identityName })
      : new EmailIdentity(this, 'MailIdentity', {
          identity: props.mailDomain ? Identity.domain(props.mailDomain) : Identity.email(props.mailFrom),
          configurationSet: this.mailConfiguration,
        }).emailIdentityArn;
    this.mailFrom = props.mailFrom;
    this.allowSendingMail(notifications);
    notifications.addEventSource(fromStream());

    const sweeper = new StintFunction(this, 'SweeperFunction', {
      entry: 'functions/jobs/sweeper.ts',
      description: 'Stint: expires what a lost run missed, times out approvals, puts reminders',
      timeout: Duration.minutes(1),
    });
    sweeper.bindTable(table, 'readWrite');
    sweeper.addEnvironment(SETTING.lifecycleArn, machineArn);
    // A missed minute is made up by the next one; failed invocations land in a queue for the alarm to see.
    this.sweeperFailures = new Queue(this, 'SweeperFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    Validations.of(this.sweeperFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself the dead-letter queue of the sweeper's schedule.",
    });
    const scheduleRole = new Role(this, 'SweepScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Stint: EventBridge Scheduler invokes the sweeper',
    });
    const sweepTarget = new LambdaInvoke(sweeper, { retryAttempts: 0, deadLetterQueue: this.sweeperFailures, role: scheduleRole });
    Validations.of(scheduleRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(sweeper.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason: 'The scheduler invokes the sweeper function by ARN and by version/alias (ARN:*), as the CDK grantInvoke does; nothing else.',
    });
    new Schedule(this, 'SweepEveryMinute', { schedule: ScheduleExpression.rate(Duration.minutes(1)), description: 'Stint sweeper', target: sweepTarget });

    this.functions = { lifecycle: lifecycleFn, signals, notifications, sweeper };
  }

  /** Lets a function send email as the notifications do: from the one verified sender, through its configuration set. */
  allowSendingMail(fn: StintFunction): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['ses:SendEmail'],
        resources: [
          this.mailIdentityArn,
          Stack.of(this).formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.mailConfiguration.configurationSetName }),
        ],
        conditions: { StringEquals: { 'ses:FromAddress': this.mailFrom } },
      }),
    );
  }
}
