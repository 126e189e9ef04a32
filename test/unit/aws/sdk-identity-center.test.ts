/**
 * The SDK adapter of the Identity Center port with the clients mocked: every list is followed to its
 * last page, and AWS's errors reach the caller under their own names (the state machines retry by them).
 * moto answers every page at once and never throttles; test/integration/aws covers the wire.
 */
import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListPermissionSetsCommand,
  ListTagsForResourceCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { GetUserIdCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import {
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSdkIdentityCenter } from '../../../shared/services/aws/sdk-identity-center.ts';

const sso = mockClient(SSOAdminClient);
const store = mockClient(IdentitystoreClient);
const org = mockClient(OrganizationsClient);

const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const PS = (n: number) => `${INSTANCE}/ps-000000000000000${n}`;
const TARGET = { accountId: '111111111111', permissionSetArn: PS(1), userId: 'user-1' };
const awsError = (name: string, message = name) => Object.assign(new Error(message), { name, $fault: 'client', $metadata: {} });

function center() {
  return createSdkIdentityCenter({ instanceArn: INSTANCE, identityStoreId: 'd-1234567890', region: 'eu-west-1' });
}

beforeEach(() => {
  sso.reset();
  store.reset();
  org.reset();
});

describe('the SDK Identity Center adapter', () => {
  it('creates a USER assignment on an AWS_ACCOUNT and reports the operation as Identity Center does', async () => {
    sso.on(CreateAccountAssignmentCommand).resolves({ AccountAssignmentCreationStatus: { RequestId: 'req-1', Status: 'IN_PROGRESS' } });
    await expect(center().createAssignment(TARGET)).resolves.toEqual({ requestId: 'req-1', status: 'IN_PROGRESS' });
    expect(sso).toHaveReceivedCommandWith(CreateAccountAssignmentCommand, {
      InstanceArn: INSTANCE,
      TargetId: '111111111111',
      TargetType: 'AWS_ACCOUNT',
      PermissionSetArn: PS(1),
      PrincipalType: 'USER',
      PrincipalId: 'user-1',
    });
  });

  it('keeps the failure reason of a failed operation', async () => {
    sso.on(DescribeAccountAssignmentCreationStatusCommand).resolves({
      AccountAssignmentCreationStatus: { RequestId: 'req-1', Status: 'FAILED', FailureReason: 'Quota exceeded for IAM roles' },
    });
    await expect(center().creationStatus('req-1')).resolves.toEqual({ requestId: 'req-1', status: 'FAILED', failureReason: 'Quota exceeded for IAM roles' });
  });

  it.each(['ThrottlingException', 'ConflictException', 'InternalServerException', 'AccessDeniedException'])(
    'lets %s through under its own name',
    async (name) => {
      sso.on(CreateAccountAssignmentCommand).rejects(awsError(name));
      sso.on(DeleteAccountAssignmentCommand).rejects(awsError(name));
      await expect(center().createAssignment(TARGET)).rejects.toMatchObject({ name });
      await expect(center().deleteAssignment(TARGET)).rejects.toMatchObject({ name });
    },
  );

  it('follows every page of permission sets and of their tags', async () => {
    sso
      .on(ListPermissionSetsCommand, { InstanceArn: INSTANCE, NextToken: undefined })
      .resolves({ PermissionSets: [PS(1)], NextToken: 'p2' })
      .on(ListPermissionSetsCommand, { InstanceArn: INSTANCE, NextToken: 'p2' })
      .resolves({ PermissionSets: [PS(2)] });
    sso
      .on(DescribePermissionSetCommand, { PermissionSetArn: PS(1) })
      .resolves({ PermissionSet: { PermissionSetArn: PS(1), Name: 'ReadOnlyAccess', SessionDuration: 'PT1H' } })
      .on(DescribePermissionSetCommand, { PermissionSetArn: PS(2) })
      .resolves({ PermissionSet: { PermissionSetArn: PS(2), Name: 'Billing' } });
    // The managed tag sits on the second page of PS(1)'s tags; PS(2) has none.
    sso
      .on(ListTagsForResourceCommand, { ResourceArn: PS(1), NextToken: undefined })
      .resolves({ Tags: [{ Key: 'team', Value: 'platform' }], NextToken: 't2' })
      .on(ListTagsForResourceCommand, { ResourceArn: PS(1), NextToken: 't2' })
      .resolves({ Tags: [{ Key: 'stint:managed', Value: 'true' }] })
      .on(ListTagsForResourceCommand, { ResourceArn: PS(2) })
      .resolves({ Tags: [{ Key: 'stint:managed', Value: 'false' }] });
    await expect(center().listPermissionSets()).resolves.toEqual([
      { arn: PS(1), name: 'ReadOnlyAccess', sessionDuration: 'PT1H', managed: true },
      { arn: PS(2), name: 'Billing', managed: false },
    ]);
  });

  it('answers undefined for a permission set that does not exist, and throws on anything else', async () => {
    sso.on(DescribePermissionSetCommand).rejectsOnce(awsError('ResourceNotFoundException')).rejectsOnce(awsError('ThrottlingException'));
    await expect(center().describePermissionSet(PS(9))).resolves.toBeUndefined();
    await expect(center().describePermissionSet(PS(9))).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  it('lists the USER assignments of every page, leaving groups out', async () => {
    sso
      .on(ListAccountAssignmentsCommand, { NextToken: undefined })
      .resolves({
        AccountAssignments: [
          { AccountId: '111111111111', PermissionSetArn: PS(1), PrincipalType: 'USER', PrincipalId: 'user-1' },
          { AccountId: '111111111111', PermissionSetArn: PS(1), PrincipalType: 'GROUP', PrincipalId: 'group-1' },
        ],
        NextToken: 'a2',
      })
      .on(ListAccountAssignmentsCommand, { NextToken: 'a2' })
      .resolves({ AccountAssignments: [{ AccountId: '111111111111', PermissionSetArn: PS(1), PrincipalType: 'USER', PrincipalId: 'user-2' }] });
    await expect(center().listAssignments('111111111111', PS(1))).resolves.toEqual([
      { accountId: '111111111111', permissionSetArn: PS(1), userId: 'user-1' },
      { accountId: '111111111111', permissionSetArn: PS(1), userId: 'user-2' },
    ]);
    expect(sso).toHaveReceivedCommandWith(ListAccountAssignmentsCommand, { InstanceArn: INSTANCE, AccountId: '111111111111', PermissionSetArn: PS(1) });
  });

  it('finds an identity-store user by its exact userName, or none', async () => {
    store
      .on(GetUserIdCommand)
      .resolvesOnce({ UserId: 'user-1', IdentityStoreId: 'd-1234567890' })
      .rejectsOnce(awsError('ResourceNotFoundException'))
      .rejectsOnce(awsError('ThrottlingException'));
    await expect(center().findUserIdByUserName('sam@contoso.test')).resolves.toBe('user-1');
    expect(store).toHaveReceivedCommandWith(GetUserIdCommand, {
      IdentityStoreId: 'd-1234567890',
      AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'sam@contoso.test' } },
    });
    await expect(center().findUserIdByUserName('nobody@contoso.test')).resolves.toBeUndefined();
    await expect(center().findUserIdByUserName('sam@contoso.test')).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  it('walks the organization through every page, each account with its parents nearest first', async () => {
    org.on(DescribeOrganizationCommand).resolves({ Organization: { MasterAccountId: '999999999999' } });
    org.on(ListRootsCommand).resolves({ Roots: [{ Id: 'r-ab12' }] });
    // The catch-all first: aws-sdk-client-mock lets later, narrower matchers win.
    org
      .on(ListOrganizationalUnitsForParentCommand)
      .resolves({ OrganizationalUnits: [] })
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'r-ab12', NextToken: undefined })
      .resolves({ OrganizationalUnits: [{ Id: 'ou-ab12-aaaaaaaa', Name: 'Workloads' }], NextToken: 'o2' })
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'r-ab12', NextToken: 'o2' })
      .resolves({ OrganizationalUnits: [{ Id: 'ou-ab12-cccccccc', Name: 'Sandbox' }] })
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-ab12-aaaaaaaa' })
      .resolves({ OrganizationalUnits: [{ Id: 'ou-ab12-bbbbbbbb', Name: 'Prod' }] });
    org
      .on(ListAccountsForParentCommand)
      .resolves({ Accounts: [] })
      .on(ListAccountsForParentCommand, { ParentId: 'r-ab12' })
      .resolves({ Accounts: [{ Id: '999999999999', Name: 'management', State: 'ACTIVE' }] })
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-bbbbbbbb', NextToken: undefined })
      .resolves({ Accounts: [{ Id: '111111111111', Name: 'prod', State: 'ACTIVE' }], NextToken: 'x2' })
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-bbbbbbbb', NextToken: 'x2' })
      .resolves({ Accounts: [{ Id: '222222222222', Name: 'prod-eu', State: 'SUSPENDED' }] });
    const organization = await center().describeOrganization();
    expect(organization.rootId).toBe('r-ab12');
    expect(organization.managementAccountId).toBe('999999999999');
    expect(organization.units).toEqual(
      expect.arrayContaining([
        { id: 'ou-ab12-aaaaaaaa', name: 'Workloads', parentId: 'r-ab12' },
        { id: 'ou-ab12-cccccccc', name: 'Sandbox', parentId: 'r-ab12' },
        { id: 'ou-ab12-bbbbbbbb', name: 'Prod', parentId: 'ou-ab12-aaaaaaaa' },
      ]),
    );
    expect(organization.units).toHaveLength(3);
    expect(organization.accounts).toEqual([
      { id: '999999999999', name: 'management', status: 'ACTIVE', parents: ['r-ab12'] },
      { id: '111111111111', name: 'prod', status: 'ACTIVE', parents: ['ou-ab12-bbbbbbbb', 'ou-ab12-aaaaaaaa', 'r-ab12'] },
      { id: '222222222222', name: 'prod-eu', status: 'SUSPENDED', parents: ['ou-ab12-bbbbbbbb', 'ou-ab12-aaaaaaaa', 'r-ab12'] },
    ]);
  });
});
