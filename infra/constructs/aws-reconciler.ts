/**
 * The AWS access reconciler as deployed: its function (functions/jobs/aws-reconcile.ts) with the table and
 * the connector's assign policy (it grants what is missing and revokes what has ended), run every five
 * minutes by AwsReconcileSchedule. Made only when AWS access is connected.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AwsConnector } from './aws-connector.ts';
import { AwsReconcileSchedule } from './aws-reconcile-schedule.ts';
import { StintFunction } from './stint-function.ts';

export interface AwsReconcilerProps {
  readonly table: ITable;
  readonly connector: AwsConnector;
}

export class AwsReconciler extends Construct {
  readonly function: StintFunction;
  /** Invocations that failed; the next run, five minutes later, does what they missed. */
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: AwsReconcilerProps) {
    super(scope, id);
    // A run lists every managed permission set in every account (about 20 calls a second allowed): leave it room.
    this.function = new StintFunction(this, 'Function', {
      entry: 'functions/jobs/aws-reconcile.ts',
      description: 'Stint: makes IAM Identity Center match active AWS access; reports assignments made outside Stint',
      timeout: Duration.minutes(5),
    });
    this.function.bindTable(props.table, 'readWrite');
    props.connector.attach(this.function, 'assign');
    this.failures = new AwsReconcileSchedule(this, 'Schedule', { function: this.function }).failures;
  }
}
