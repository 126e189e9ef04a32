/**
 * The access review job: every five minutes EventBridge Scheduler invokes it, and it starts, reminds and
 * ends the reviews that are due (shared/services/access-reviews/run-due.ts). Reviews run for days, so
 * five minutes is close enough and costs 8,640 invocations a month. Applying a large review's denials one
 * removal at a time takes a while: it gets five minutes. Locally a timer runs the same module.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { ScheduledJob } from './scheduled-job.ts';

export interface AccessReviewJobProps {
  readonly table: ITable;
}

export class AccessReviewJob extends ScheduledJob {
  constructor(scope: Construct, id: string, props: AccessReviewJobProps) {
    super(scope, id, {
      table: props.table,
      entry: 'functions/jobs/access-reviews.ts',
      purpose: 'starts, reminds and ends access reviews',
      rate: Duration.minutes(5),
      timeout: Duration.minutes(5),
    });
  }
}
