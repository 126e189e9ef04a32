/**
 * One definition, two runtimes: the table CloudFormation deploys and the table the local stack creates
 * on DynamoDB Local (infra/local/create-table.ts) must have the same keys, indexes, stream and TTL.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { StintTable } from '../../infra/constructs/stint-table.ts';
import { ensureTable } from '../../infra/local/create-table.ts';

type Named = { AttributeName?: string; IndexName?: string };
const byName = <T extends Named>(items: T[] | undefined): T[] =>
  [...(items ?? [])].sort((a, b) => (a.IndexName ?? a.AttributeName ?? '').localeCompare(b.IndexName ?? b.AttributeName ?? ''));

let cloud: Record<string, any>;
let local: { create: NonNullable<CreateTableCommand['input']>; ttl: NonNullable<UpdateTimeToLiveCommand['input']> };

beforeAll(async () => {
  // The table construct alone: no Lambdas, so no bundling.
  const stack = new Stack(new App(), 'Parity', { env: { account: '000000000000', region: 'us-east-1' } });
  new StintTable(stack, 'Data');
  cloud = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::Table'))[0]?.Properties;

  const dynamo = mockClient(DynamoDBClient);
  dynamo.on(CreateTableCommand).resolves({}).on(UpdateTimeToLiveCommand).resolves({}).on(DescribeTableCommand).resolves({});
  await ensureTable(new DynamoDBClient({ region: 'us-east-1' }), 'parity');
  local = {
    create: dynamo.commandCalls(CreateTableCommand)[0]!.args[0].input,
    ttl: dynamo.commandCalls(UpdateTimeToLiveCommand)[0]!.args[0].input,
  };
  dynamo.restore();
});

describe('the CloudFormation table and the DynamoDB Local table', () => {
  it('have the same key schema', () => {
    expect(cloud.KeySchema).toEqual(local.create.KeySchema);
  });

  it('declare the same attributes with the same types', () => {
    expect(byName(cloud.AttributeDefinitions)).toEqual(byName(local.create.AttributeDefinitions));
  });

  it('have the same global secondary indexes, keys and projections', () => {
    expect(byName(cloud.GlobalSecondaryIndexes)).toEqual(byName(local.create.GlobalSecondaryIndexes));
  });

  it('stream the same images, bill the same way and expire items by the same attribute', () => {
    expect(cloud.StreamSpecification.StreamViewType).toBe(local.create.StreamSpecification?.StreamViewType);
    expect(local.create.StreamSpecification?.StreamEnabled).toBe(true);
    expect(cloud.BillingMode).toBe(local.create.BillingMode);
    expect(cloud.TimeToLiveSpecification).toEqual(local.ttl.TimeToLiveSpecification);
  });
});
