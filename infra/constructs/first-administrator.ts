/**
 * The deployment's first Global Administrator, named by the stage file (`"firstAdmin": "ada@example.com"`) and
 * made once by a Lambda-backed custom resource (functions/jobs/first-administrator.ts), so a fresh
 * deployment is never locked out. Changing the name on a later deploy adds that person too; nobody is
 * ever removed by this resource.
 */
import { CustomResource, Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { StintFunction } from './stint-function.ts';

/** How long CloudFormation waits for a Stint custom resource's answer (its own default is an hour). */
export const CUSTOM_RESOURCE_TIMEOUT = Duration.minutes(5);

export interface FirstAdministratorProps {
  readonly table: ITable;
  readonly userPrincipalName: string;
  readonly displayName?: string;
}

export class FirstAdministrator extends Construct {
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: FirstAdministratorProps) {
    super(scope, id);
    const fn = new StintFunction(this, 'Function', {
      entry: 'functions/jobs/first-administrator.ts',
      description: 'Stint: makes the first Global Administrator (custom resource)',
      timeout: Duration.minutes(2),
    });
    fn.bindTable(props.table, 'readWrite');
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::StintFirstAdministrator',
      // The function answers SUCCESS or FAILED itself within its 2 minutes; should it die without answering
      // (a crash at start-up, a timeout), CloudFormation gives up after this instead of the default hour.
      serviceTimeout: CUSTOM_RESOURCE_TIMEOUT,
      properties: { UserPrincipalName: props.userPrincipalName, ...(props.displayName ? { DisplayName: props.displayName } : {}) },
    });
  }
}
