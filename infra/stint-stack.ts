/** The Stint stack: composes the constructs and publishes what a deployer needs. No raw resources here. */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { StintApi, type StintIdentity } from './constructs/stint-api.ts';
import { StintTable } from './constructs/stint-table.ts';

export interface StintStackProps extends StackProps {
  readonly identity: StintIdentity;
}

export class StintStack extends Stack {
  readonly table: StintTable;
  readonly api: StintApi;

  constructor(scope: Construct, id: string, props: StintStackProps) {
    super(scope, id, props);
    this.table = new StintTable(this, 'Data');
    this.api = new StintApi(this, 'Api', { table: this.table.table, identity: props.identity });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the Graph-shaped API' });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName, description: 'The single DynamoDB table' });
  }
}
