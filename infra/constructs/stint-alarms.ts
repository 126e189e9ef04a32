/**
 * What an operator is woken for, and one dashboard (README "Operations" says what each alarm means and
 * what to do): lifecycle runs that failed or timed out, stream consumers that error or fall behind,
 * changes the consumers gave up on, sweeper failures, notification emails that could not be sent, API
 * 5xx, and throttled functions; with AWS access connected, assignments that failed, assignments made
 * outside Stint and operations stuck in progress. Alarms go to an SNS topic (optionally to an email address).
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { FAILURE_METRIC, METRIC_NAMESPACE } from '../../shared/services/notifications/failure-report.ts';
import { AWS_METRIC } from '../../shared/services/aws/metrics.ts';
import type { StintFunction } from './stint-function.ts';
import { StintLogs } from './stint-logs.ts';

export interface StintAlarmsProps {
  readonly stateMachine: StateMachine;
  readonly streamConsumers: StintFunction[];
  readonly sweeper: StintFunction;
  readonly reviewJob: StintFunction;
  readonly apiFunctions: StintFunction[];
  readonly httpApi: HttpApi;
  readonly deadLetterQueues: Queue[];
  /** Where alarm notifications are emailed (an SNS email subscription, confirmed by its recipient). */
  readonly alarmEmail?: string;
  /** AWS access is connected (infra/constructs/aws-connector.ts): watch the metrics its sync and reconciler emit. */
  readonly awsAccess?: boolean;
}

const FIVE_MINUTES = Duration.minutes(5);

export class StintAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: StintAlarmsProps) {
    super(scope, id);
    // The stack's key, not the AWS managed SNS key, which CloudWatch may not use to publish. CloudWatch may
    // use it only for this stack's alarms (named below), so no other alarm, account or service can have
    // CloudWatch encrypt or decrypt with it on its behalf (the confused deputy).
    const stack = Stack.of(this);
    const key = StintLogs.of(this).key;
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisStack',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        // What publishing to an encrypted topic needs, and nothing more (no Encrypt or ReEncrypt).
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${alarmNamePrefix(stack)}*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    this.topic = new Topic(this, 'Topic', { displayName: 'Stint alarms', masterKey: key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);

    const alarm = (name: string, metric: IMetric, description: string, threshold = 1) => {
      const a = new Alarm(this, name, {
        alarmName: `${alarmNamePrefix(stack)}${name}`,
        alarmDescription: `${description} See README, "Operations".`,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
      return a;
    };

    const machine = props.stateMachine;
    const runFailures = new MathExpression({
      expression: 'failed + timedOut',
      usingMetrics: { failed: machine.metricFailed({ period: FIVE_MINUTES }), timedOut: machine.metricTimedOut({ period: FIVE_MINUTES }) },
      label: 'Lifecycle runs failed or timed out',
      period: FIVE_MINUTES,
    });
    alarm('LifecycleRunsFailed', runFailures, 'A request-lifecycle run failed or timed out; the sweeper repairs its effects, but find out why.');

    for (const fn of props.streamConsumers) {
      const name = fn.node.id;
      alarm(
        `${name}Errors`,
        fn.metricErrors({ period: FIVE_MINUTES }),
        `The stream consumer ${name} threw; its batch is retried, then sent to the failure queue.`,
      );
      alarm(
        `${name}Behind`,
        new Metric({
          namespace: 'AWS/Lambda',
          metricName: 'IteratorAge',
          dimensionsMap: { FunctionName: fn.functionName },
          statistic: 'Maximum',
          period: FIVE_MINUTES,
        }),
        `The stream consumer ${name} is more than 5 minutes behind the table's changes.`,
        5 * 60 * 1000,
      );
    }
    for (const queue of props.deadLetterQueues) {
      alarm(
        `${queue.node.id}NotEmpty`,
        queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
        `Work was given up on and parked in ${queue.node.id}; read the messages, fix the cause, replay.`,
      );
    }
    alarm(
      'SweeperErrors',
      props.sweeper.metricErrors({ period: FIVE_MINUTES }),
      'The sweeper failed; expiries and approval timeouts that runs missed wait for it.',
    );
    alarm(
      'AccessReviewJobErrors',
      props.reviewJob.metricErrors({ period: FIVE_MINUTES }),
      'The access review job could not move a review along (start, remind, end or apply); its log names the review and the error, and the next run tries again.',
    );
    alarm(
      'NotificationFailures',
      new Metric({ namespace: METRIC_NAMESPACE, metricName: FAILURE_METRIC, statistic: 'Sum', period: FIVE_MINUTES }),
      'Notification emails could not be sent after retries (a NotificationFailed audit record names each).',
    );
    if (props.awsAccess) {
      // shared/services/aws/metrics.ts: dimensionless totals in the Stint namespace.
      const awsMetric = (metricName: string, statistic: string) => new Metric({ namespace: METRIC_NAMESPACE, metricName, statistic, period: FIVE_MINUTES });
      alarm(
        AWS_METRIC.provisioningFailed,
        awsMetric(AWS_METRIC.provisioningFailed, 'Sum'),
        'An IAM Identity Center account assignment could not be created or deleted (the activation is marked failed, or access outlives its end until the reconciler succeeds); the audit record names the reason.',
      );
      alarm(
        AWS_METRIC.assignmentsOutsideStint,
        awsMetric(AWS_METRIC.assignmentsOutsideStint, 'Maximum'),
        'Someone was assigned a stint:managed permission set outside Stint (audited and emailed to admins; removed if awsRemoveUnmanaged is true).',
      );
      alarm(
        AWS_METRIC.operationsStuck,
        awsMetric(AWS_METRIC.operationsStuck, 'Maximum'),
        'IAM Identity Center assignment operations stayed in progress past their deadline; the reconciler names them in its log.',
      );
    }
    alarm(
      'Api5xx',
      new Metric({ namespace: 'AWS/ApiGateway', metricName: '5xx', dimensionsMap: { ApiId: props.httpApi.apiId }, statistic: 'Sum', period: FIVE_MINUTES }),
      'The API answered 5xx: a bug or a dependency failure (bad input is always a 4xx).',
      5,
    );
    const throttles = new MathExpression({
      expression: props.apiFunctions.map((_, i) => `t${i}`).join(' + '),
      usingMetrics: Object.fromEntries(props.apiFunctions.map((fn, i) => [`t${i}`, fn.metricThrottles({ period: FIVE_MINUTES })])),
      label: 'API function throttles',
      period: FIVE_MINUTES,
    });
    alarm('ApiThrottles', throttles, 'API Lambda functions were throttled: raise reserved/account concurrency or the API throttle.', 10);

    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(6) });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '# Stint\nAlarms: see README "Operations". A request\'s story: its id is the execution name, the correlation id of its audit records and in every log line.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Lifecycle runs',
        left: [machine.metricStarted(), machine.metricSucceeded(), machine.metricFailed(), machine.metricAborted()],
        width: 12,
      }),
      new GraphWidget({
        title: 'API',
        left: [new Metric({ namespace: 'AWS/ApiGateway', metricName: 'Count', dimensionsMap: { ApiId: props.httpApi.apiId }, statistic: 'Sum' })],
        right: [new Metric({ namespace: 'AWS/ApiGateway', metricName: '5xx', dimensionsMap: { ApiId: props.httpApi.apiId }, statistic: 'Sum' })],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Stream consumers: errors', left: props.streamConsumers.map((fn) => fn.metricErrors()), width: 12 }),
      new GraphWidget({
        title: 'Notification failures',
        left: [new Metric({ namespace: METRIC_NAMESPACE, metricName: FAILURE_METRIC, statistic: 'Sum' })],
        width: 12,
      }),
    );
    if (props.awsAccess) {
      this.dashboard.addWidgets(
        new GraphWidget({
          title: 'AWS access',
          left: Object.values(AWS_METRIC).map((metricName) => new Metric({ namespace: METRIC_NAMESPACE, metricName, statistic: 'Sum' })),
          width: 24,
        }),
      );
    }
  }
}

/** `{stack}-`: every alarm's name starts with it, which is what the key policy's aws:SourceArn matches. */
export function alarmNamePrefix(stack: Stack): string {
  return `${stack.stackName}-`;
}
