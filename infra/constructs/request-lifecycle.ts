/**
 * The request lifecycle as one Standard state machine per request (docs/architecture.md §5): wait for approval
 * (task token, the policy's timeout), wait until the start, start, wait until the end, expire. Every
 * step goes back to Inspect, which re-reads the table and says what is next, so the machine has no
 * memory of its own: an extension moves the next wait, a cancel or removal ends the run, and a run
 * never acts on a schedule that another request now times. The same definition runs locally
 * (infra/local/request-lifecycle.asl.json is generated from `lifecycleDefinition`, and a test holds the
 * two together).
 */
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { StintLogs } from './stint-logs.ts';
import {
  CfnStateMachineAlias,
  CfnStateMachineVersion,
  Choice,
  Condition,
  DefinitionBody,
  Errors,
  IntegrationPattern,
  JitterType,
  JsonPath,
  LogLevel,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
  type IChainable,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { LifecycleStep } from '../../shared/contracts/lifecycle.ts';

/** State names: the local engine maps its task handlers by these. */
export const LIFECYCLE_STATES = {
  inspect: 'Inspect',
  route: 'WhatNext',
  awaitApproval: 'AwaitApproval',
  timeOutApproval: 'TimeOutApproval',
  waitForStart: 'WaitForStart',
  startAccess: 'StartAccess',
  waitForEnd: 'WaitForEnd',
  expire: 'Expire',
  syncAws: 'SyncAws',
  awsSettled: 'AwsSettled',
  waitForAws: 'WaitForAws',
  awsRetryLater: 'AwsRetryLater',
  done: 'Done',
} as const;

/**
 * What AWS says when a call may succeed if made again, by the names the SDK gives its exceptions (the
 * lifecycle Lambda lets them through unrenamed, so Step Functions reports them under these names): TEAM's
 * retries never fired because they listed names AWS does not use (#327).
 */
export const AWS_RETRYABLE_ERRORS = [
  'ThrottlingException',
  'ConflictException',
  'InternalServerException',
  'Lambda.TooManyRequestsException',
  'Lambda.ServiceException',
] as const;

/** Each step gets the run's own input version (not this deployment's), so the handler parses what the run started with. */
function payload(step: LifecycleStep, extra: Record<string, unknown> = {}) {
  return TaskInput.fromObject({ step, requestId: JsonPath.stringAt('$.requestId'), schemaVersion: JsonPath.numberAt('$.schemaVersion'), ...extra });
}

/** The state machine's states, built on a scope; the stack and the local generator both call this. */
export function lifecycleDefinition(scope: Construct, fn: IFunction): IChainable {
  const S = LIFECYCLE_STATES;
  const step = (id: string, name: LifecycleStep, extra?: Record<string, unknown>, resultPath: string | typeof JsonPath.DISCARD = JsonPath.DISCARD) => {
    const task = new LambdaInvoke(scope, id, {
      lambdaFunction: fn,
      payload: payload(name, extra),
      payloadResponseOnly: true,
      resultPath,
      retryOnServiceExceptions: false,
    });
    // Steps are idempotent re-reads; a throttled or failed invocation is simply tried again.
    task.addRetry({
      errors: [Errors.TASKS_FAILED, 'Lambda.TooManyRequestsException', 'Lambda.ServiceException'],
      interval: Duration.seconds(2),
      backoffRate: 2,
      maxAttempts: 5,
    });
    return task;
  };

  const inspect = step(
    S.inspect,
    'inspect',
    { runStartedAt: JsonPath.stringAt('$$.Execution.StartTime'), runName: JsonPath.stringAt('$$.Execution.Name') },
    '$.next',
  );
  const done = new Succeed(scope, S.done);

  const awaitApproval = new LambdaInvoke(scope, S.awaitApproval, {
    lambdaFunction: fn,
    integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    // The Lambda ignores timeoutSeconds; the local engine reads it from here (see workflow-engine.ts).
    payload: payload('awaitApproval', { taskToken: JsonPath.taskToken, timeoutSeconds: JsonPath.numberAt('$.next.timeoutSeconds') }),
    taskTimeout: Timeout.at('$.next.timeoutSeconds'),
    resultPath: JsonPath.DISCARD,
  });
  // States.TaskFailed never matches States.Timeout, which the Catch below turns into TimeOutApproval.
  awaitApproval.addRetry({ errors: [Errors.TASKS_FAILED], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 5 });
  const timeOutApproval = step(S.timeOutApproval, 'timeOutApproval');
  awaitApproval.addCatch(timeOutApproval, { errors: [Errors.TIMEOUT], resultPath: JsonPath.DISCARD });
  awaitApproval.next(inspect);
  timeOutApproval.next(inspect);

  const startAccess = step(S.startAccess, 'startAccess', { until: JsonPath.stringAt('$.next.until') });
  new Wait(scope, S.waitForStart, { time: WaitTime.timestampPath('$.next.until') }).next(startAccess);
  startAccess.next(inspect);

  const expire = step(S.expire, 'expire', { until: JsonPath.stringAt('$.next.until') });
  new Wait(scope, S.waitForEnd, { time: WaitTime.timestampPath('$.next.until') }).next(expire);
  expire.next(inspect);

  // AWS access: create or delete the account assignment, then poll its asynchronous result with back-off.
  const syncAws = new LambdaInvoke(scope, S.syncAws, {
    lambdaFunction: fn,
    payload: payload('syncAws', { attempt: JsonPath.numberAt('$.next.attempt') }),
    payloadResponseOnly: true,
    resultPath: '$.next',
    retryOnServiceExceptions: false,
  });
  syncAws.addRetry({ errors: [...AWS_RETRYABLE_ERRORS], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 6, jitterStrategy: JitterType.FULL });
  syncAws.addRetry({ errors: [Errors.TASKS_FAILED], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 2 });
  // Still failing after the retries (AWS down, access denied): try again from Inspect in a minute, with the alarm raised by the step.
  syncAws.addCatch(new Wait(scope, S.awsRetryLater, { time: WaitTime.duration(Duration.minutes(1)) }).next(inspect), {
    errors: [Errors.ALL],
    resultPath: JsonPath.DISCARD,
  });
  const waitForAws = new Wait(scope, S.waitForAws, { time: WaitTime.secondsPath('$.next.waitSeconds') }).next(syncAws);
  syncAws.next(new Choice(scope, S.awsSettled).when(Condition.booleanEquals('$.next.settled', true), inspect).otherwise(waitForAws));

  const route = new Choice(scope, S.route)
    .when(Condition.stringEquals('$.next.phase', 'syncAws'), syncAws)
    .when(Condition.stringEquals('$.next.phase', 'awaitApproval'), awaitApproval)
    .when(Condition.stringEquals('$.next.phase', 'waitForStart'), scope.node.findChild(S.waitForStart) as Wait)
    .when(Condition.stringEquals('$.next.phase', 'waitForEnd'), scope.node.findChild(S.waitForEnd) as Wait)
    .otherwise(done);
  return inspect.next(route);
}

/** A short hash of the definition as generated for the local engine (a test keeps it equal to the deployed one). */
function definitionHash(): string {
  const file = new URL('../local/request-lifecycle.asl.json', import.meta.url);
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 10);
}

export interface RequestLifecycleProps {
  /** The Lambda of functions/workflow/lifecycle.ts. */
  readonly handler: IFunction;
}

export class RequestLifecycle extends Construct {
  readonly stateMachine: StateMachine;
  /** Known before the machine exists, so the handler may answer its own task tokens without a cycle. */
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  /** Where runs are started: the `live` alias, pointing at the newest published version. */
  readonly aliasArn: string;

  constructor(scope: Construct, id: string, props: RequestLifecycleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const stateMachineName = `${stack.stackName}-request-lifecycle`;
    this.stateMachineName = stateMachineName;
    this.stateMachineArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(lifecycleDefinition(this, props.handler)),
      tracingEnabled: true,
      // Every transition is logged (a request's whole story by its id); execution data is not (ids only anyway).
      logs: { destination: StintLogs.of(this).logGroup(this, 'Logs', 'workflow'), level: LogLevel.ALL, includeExecutionData: false },
    });
    // Every definition that deploys is published as a version and kept (Retain), and runs start on the
    // `live` alias: a run keeps the definition it started with, whatever is deployed after it. The
    // version's id carries the definition's hash, so a changed definition adds a version beside the old.
    const version = new CfnStateMachineVersion(this, `Version${definitionHash()}`, {
      stateMachineArn: this.stateMachine.stateMachineArn,
      stateMachineRevisionId: this.stateMachine.stateMachineRevisionId,
      description: 'Stint request lifecycle',
    });
    version.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const alias = new CfnStateMachineAlias(this, 'LiveAlias', {
      name: 'live',
      routingConfiguration: [{ stateMachineVersionArn: version.attrArn, weight: 100 }],
    });
    this.aliasArn = `${this.stateMachineArn}:live`;
    alias.node.addDependency(version);
    Validations.of(this.stateMachine.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(props.handler.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason: 'Step Functions invokes the lifecycle Lambda by ARN and by version/alias (ARN:*), as the CDK LambdaInvoke grant does.',
    });
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing (PutTraceSegments, GetSampling*) and CloudWatch Logs delivery (CreateLogDelivery and friends) accept only "*".',
    });
  }
}
