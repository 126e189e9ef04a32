/**
 * What Stint may do in IAM Identity Center, the identity store and AWS Organizations, in one place
 * (shared/reference/aws-access.md, "Permissions and pitfalls"). Two customer-managed policies:
 *
 * - **assign**: create and delete account assignments, only of the configured instance, only with permission
 *   sets tagged `stint:managed=true`, never in an excluded account or the account Stint runs in (an explicit
 *   Deny, which no other grant can undo); plus everything in **read**. For the functions that grant and revoke:
 *   the lifecycle Lambda, the assignment-sync Lambda and the reconciler.
 * - **read**: the status and list calls, the identity store's user lookups and the organization's tree. For
 *   the API (AWS role definitions, identity mapping, OU scopes).
 *
 * Never permission-set writes, ProvisionPermissionSet or IAM: a permission set's content is its owners'
 * business, and a Stint that could edit one could grant anything through it. IAM cannot limit *which user*
 * is assigned; the reconciler checks every live assignment against its approval record instead.
 */
import { Aws, Stack, Validations } from 'aws-cdk-lib';
import { Effect, ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { SETTING } from '../../shared/settings.ts';

/** The Identity Center connection (cdk context, checked in infra/app.ts). */
export interface AwsConnection {
  /** arn:aws:sso:::instance/ssoins-… */
  readonly instanceArn: string;
  /** d-… */
  readonly identityStoreId: string;
  /** Where Identity Center lives; unset, the stack's region. */
  readonly region?: string;
  /** Accounts Stint must never assign into: at least the organization's management account. */
  readonly excludedAccounts: string[];
  /** Whether the reconciler removes assignments on managed permission sets that Stint never granted. */
  readonly removeUnmanaged: boolean;
}

/** The tag that makes a permission set assignable by Stint. */
export const MANAGED_TAG = { key: 'stint:managed', value: 'true' } as const;

export type AwsAccessLevel = 'assign' | 'read';

const ASSIGNMENT_WRITES = ['sso:CreateAccountAssignment', 'sso:DeleteAccountAssignment'];

export class AwsConnector extends Construct {
  readonly connection: AwsConnection;
  /** Never assigned into: the excluded accounts and the stack's own. */
  readonly deniedAccounts: string[];
  readonly assignPolicy: ManagedPolicy;
  readonly readPolicy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: { connection: AwsConnection }) {
    super(scope, id);
    const stack = Stack.of(this);
    this.connection = props.connection;
    this.deniedAccounts = [...new Set([...props.connection.excludedAccounts, stack.account])];
    const { instanceArn, identityStoreId } = props.connection;
    // Identity Center's ARNs have neither region nor account: arn:aws:sso:::instance/ssoins-…
    const instanceId = instanceArn.slice(instanceArn.lastIndexOf('/') + 1);
    const sso = (resource: string) => `arn:${Aws.PARTITION}:sso:::${resource}`;
    const permissionSets = sso(`permissionSet/${instanceId}/*`);
    const accounts = sso('account/*');

    const read = [
      new PolicyStatement({
        sid: 'IdentityCenterRead',
        actions: [
          'sso:DescribeAccountAssignmentCreationStatus',
          'sso:DescribeAccountAssignmentDeletionStatus',
          'sso:ListAccountAssignments',
          'sso:ListAccountAssignmentCreationStatus',
          'sso:ListAccountAssignmentDeletionStatus',
          'sso:ListPermissionSets',
          'sso:DescribePermissionSet',
          'sso:ListTagsForResource',
          'sso:ListAccountsForProvisionedPermissionSet',
        ],
        resources: [instanceArn, permissionSets, accounts],
      }),
      new PolicyStatement({
        sid: 'IdentityStoreUsers',
        actions: ['identitystore:GetUserId', 'identitystore:DescribeUser'],
        // The store's ARN names the account that owns it (the management account, not this one): any
        // account, this store id. Users have no store in their ARN.
        resources: [`arn:${Aws.PARTITION}:identitystore::*:identitystore/${identityStoreId}`, `arn:${Aws.PARTITION}:identitystore:::user/*`],
      }),
      new PolicyStatement({
        sid: 'OrganizationTree',
        actions: [
          'organizations:DescribeOrganization',
          'organizations:ListRoots',
          'organizations:ListParents',
          'organizations:ListChildren',
          'organizations:ListOrganizationalUnitsForParent',
          'organizations:ListAccountsForParent',
          'organizations:DescribeAccount',
        ],
        resources: ['*'],
      }),
    ];
    const assign = [
      // Each of the three resources an assignment names is authorized on its own. The tag condition goes
      // on the permission set alone: the instance and accounts have no tags, so the same condition on them
      // would refuse every call.
      new PolicyStatement({
        sid: 'AssignManagedPermissionSets',
        actions: ASSIGNMENT_WRITES,
        resources: [permissionSets],
        conditions: { StringEquals: { [`aws:ResourceTag/${MANAGED_TAG.key}`]: MANAGED_TAG.value } },
      }),
      new PolicyStatement({ sid: 'AssignInInstanceAndAccounts', actions: ASSIGNMENT_WRITES, resources: [instanceArn, accounts] }),
      new PolicyStatement({
        sid: 'NeverAssignInExcludedAccounts',
        effect: Effect.DENY,
        actions: ASSIGNMENT_WRITES,
        resources: this.deniedAccounts.map((account) => sso(`account/${account}`)),
      }),
      ...read,
    ];
    this.readPolicy = new ManagedPolicy(this, 'ReadPolicy', {
      description: 'Stint: reads IAM Identity Center assignments and permission sets, identity-store users and the organization tree',
      statements: read,
    });
    this.assignPolicy = new ManagedPolicy(this, 'AssignPolicy', {
      description: 'Stint: creates and deletes IAM Identity Center account assignments of stint:managed permission sets, and reads',
      statements: assign,
    });
    for (const policy of [this.readPolicy, this.assignPolicy]) {
      Validations.of(policy).acknowledge(
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'organizations:DescribeOrganization and ListRoots accept only "*"; the other organization reads name OUs and accounts by ARNs that hold the organization id, unknown at synth. All are reads of the tree.',
        },
        {
          id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sso:::account/*]',
          reason:
            'Assignments may go to any account of the organization that is not denied below (excluded accounts and this one); the eligibilities in Stint name which, and the reconciler checks each against its approval record.',
        },
        {
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sso:::permissionSet/${instanceId}/*]`,
          reason:
            'Permission sets of this instance only; writes are further limited to those tagged stint:managed=true (a condition IAM checks on the permission set), reads list them to find the tagged ones.',
        },
        {
          id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:identitystore:::user/*]',
          reason: 'Identity-store users are looked up by user name (GetUserId) to map each Stint user once; user ARNs have no store to narrow by.',
        },
        {
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:identitystore::*:identitystore/${identityStoreId}]`,
          reason: 'This identity store only; its ARN names the account that owns it (the management account), which the stack does not know.',
        },
      );
    }
  }

  /** Grants `fn` the policy of `level` and tells it the connection (shared/settings.ts, AwsAccessSettings). */
  attach(fn: LambdaFunction, level: AwsAccessLevel): void {
    if (!fn.role) throw new Error(`${fn.node.path} has no role to attach the AWS connector's policy to.`);
    (level === 'assign' ? this.assignPolicy : this.readPolicy).attachToRole(fn.role);
    const { instanceArn, identityStoreId, region, removeUnmanaged } = this.connection;
    fn.addEnvironment(SETTING.awsInstanceArn, instanceArn);
    fn.addEnvironment(SETTING.awsIdentityStoreId, identityStoreId);
    if (region) fn.addEnvironment(SETTING.awsRegion, region);
    // The runtime refuses what IAM would deny, with a clear reason instead of an AccessDenied.
    fn.addEnvironment(SETTING.awsExcludedAccounts, this.deniedAccounts.join(','));
    fn.addEnvironment(SETTING.awsRemoveUnmanaged, String(removeUnmanaged));
  }

  /** For the functions that grant and revoke (lifecycle, assignment sync, reconciler). */
  grantAssign(fn: LambdaFunction): void {
    this.attach(fn, 'assign');
  }

  /** For the API: list and describe only. */
  grantRead(fn: LambdaFunction): void {
    this.attach(fn, 'read');
  }
}
