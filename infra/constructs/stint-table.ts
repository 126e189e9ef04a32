/**
 * The single table, built from shared/store/table-schema.ts: the same module infra/local/create-table.ts
 * reads for DynamoDB Local, so the deployed table and the local one cannot drift apart.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, CfnTable, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { INDEXES, KEY, STREAM_VIEW, TTL_ATTRIBUTE } from '../../shared/store/table-schema.ts';

/**
 * Pinned CloudFormation logical ID. The table has no fixed physical name, so a changed logical ID (a
 * renamed construct, a moved construct) would make CloudFormation create a new, empty table and, with
 * RETAIN, quietly orphan the old one with all the assignments and the audit trail in it. Never change it.
 */
export const TABLE_LOGICAL_ID = 'StintTable';

export class StintTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: KEY.partition, type: AttributeType.STRING },
      sortKey: { name: KEY.sort, type: AttributeType.STRING },
      // Traffic is spiky (activations cluster at the start of the working day) and small on average.
      billingMode: BillingMode.PAY_PER_REQUEST,
      stream: StreamViewType[STREAM_VIEW],
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // The table holds who may hold privilege and the audit trail: both must survive a bad write,
      // a careless `cdk destroy` and a stack deletion.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // Kept once created; a failed first create takes it away again (docs/deploy.md §10).
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      // AWS managed KMS key (aws/dynamodb): every use of the key is visible in CloudTrail, unlike the
      // default AWS owned key, at no key to administer. A customer managed key adds a key policy and a
      // deletion hazard that a deployer can opt into later without replacing the table.
      encryption: TableEncryption.AWS_MANAGED,
    });

    // Overloaded indexes project everything: one query answers an access pattern, never a second fetch.
    for (const index of Object.values(INDEXES)) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partition, type: AttributeType.STRING },
        sortKey: { name: index.sort, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    (this.table.node.defaultChild as CfnTable).overrideLogicalId(TABLE_LOGICAL_ID);
  }
}
