/**
 * The AWS demo in the local emulator: moto's Identity Center instance, identity-store users for the demo
 * directory users (userName = userPrincipalName), an organization with `dev` and `staging` under
 * Workloads/NonProd and `prod` under Workloads/Prod, and three permission sets: ReadOnlyAccess (1 h) and
 * AdministratorAccess (4 h, to show the long-session warning) tagged stint:managed=true, BillingReadOnly
 * untagged (not Stint's). Idempotent: what exists is found by name and kept. Run against a freshly
 * seeded moto, the same calls in the same order make the same ids every time.
 */
import { MANAGED_TAG } from '../../shared/services/aws/sdk-identity-center.ts';
import { demoPeople } from './seed.ts';

export interface AwsDemo {
  instanceArn: string;
  identityStoreId: string;
  endpoint: string;
  /** The organization's management account: Stint never assigns into it (STINT_AWS_EXCLUDED_ACCOUNTS). */
  managementAccountId: string;
}

export const DEMO_OUS = [
  { name: 'Workloads', parent: undefined },
  { name: 'NonProd', parent: 'Workloads' },
  { name: 'Prod', parent: 'Workloads' },
] as const;

export const DEMO_ACCOUNTS = [
  { name: 'dev', ou: 'NonProd' },
  { name: 'staging', ou: 'NonProd' },
  { name: 'prod', ou: 'Prod' },
] as const;

export const DEMO_PERMISSION_SETS = [
  { name: 'ReadOnlyAccess', description: 'Read-only access to the account.', sessionDuration: 'PT1H', managed: true },
  { name: 'AdministratorAccess', description: 'Full access to the account.', sessionDuration: 'PT4H', managed: true },
  { name: 'BillingReadOnly', description: 'Billing reports (not managed by Stint).', sessionDuration: 'PT1H', managed: false },
] as const;

const isNamed = (error: unknown, ...names: string[]) => error instanceof Error && names.includes(error.name);

export async function seedAwsDemo(endpoint: string): Promise<AwsDemo> {
  // Imported here: a stack without the emulator never loads these clients.
  const [sso, ids, orgs] = await Promise.all([
    import('@aws-sdk/client-sso-admin'),
    import('@aws-sdk/client-identitystore'),
    import('@aws-sdk/client-organizations'),
  ]);
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const admin = new sso.SSOAdminClient(config);
  const store = new ids.IdentitystoreClient(config);
  const org = new orgs.OrganizationsClient(config);
  try {
    const instance = (await admin.send(new sso.ListInstancesCommand({}))).Instances?.[0];
    if (!instance?.InstanceArn || !instance.IdentityStoreId) throw new Error(`The emulator at ${endpoint} has no Identity Center instance.`);
    const { InstanceArn: instanceArn, IdentityStoreId: identityStoreId } = instance;

    for (const person of demoPeople()) {
      const [givenName = person.displayName, familyName = person.displayName] = person.displayName.split(' ');
      try {
        await store.send(
          new ids.CreateUserCommand({
            IdentityStoreId: identityStoreId,
            UserName: person.userPrincipalName,
            DisplayName: person.displayName,
            Name: { GivenName: givenName, FamilyName: familyName },
            Emails: [{ Value: person.mail, Type: 'work', Primary: true }],
          }),
        );
      } catch (error) {
        if (!isNamed(error, 'ConflictException')) throw error; // already there
      }
    }

    try {
      await org.send(new orgs.DescribeOrganizationCommand({}));
    } catch (error) {
      if (!isNamed(error, 'AWSOrganizationsNotInUseException')) throw error;
      await org.send(new orgs.CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    }
    const managementAccountId = (await org.send(new orgs.DescribeOrganizationCommand({}))).Organization?.MasterAccountId ?? '';
    const rootId = (await org.send(new orgs.ListRootsCommand({}))).Roots?.[0]?.Id;
    if (!rootId) throw new Error(`The emulator's organization has no root.`);
    const ouIds = new Map<string, string>();
    for (const ou of DEMO_OUS) {
      const parentId = ou.parent ? ouIds.get(ou.parent)! : rootId;
      const existing = (await org.send(new orgs.ListOrganizationalUnitsForParentCommand({ ParentId: parentId }))).OrganizationalUnits?.find(
        (u) => u.Name === ou.name,
      );
      const id = existing?.Id ?? (await org.send(new orgs.CreateOrganizationalUnitCommand({ ParentId: parentId, Name: ou.name }))).OrganizationalUnit?.Id;
      if (!id) throw new Error(`The emulator did not create the OU ${ou.name}.`);
      ouIds.set(ou.name, id);
    }
    const accounts = (await org.send(new orgs.ListAccountsCommand({}))).Accounts ?? [];
    for (const account of DEMO_ACCOUNTS) {
      if (accounts.some((a) => a.Name === account.name)) continue;
      const created = await org.send(new orgs.CreateAccountCommand({ AccountName: account.name, Email: `aws-${account.name}@contoso.test` }));
      // moto creates accounts at once; AWS would need polling, which this local-only seed never meets.
      const status = await org.send(new orgs.DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created.CreateAccountStatus!.Id! }));
      const accountId = status.CreateAccountStatus?.AccountId;
      if (status.CreateAccountStatus?.State !== 'SUCCEEDED' || !accountId) throw new Error(`The emulator did not create the account ${account.name}.`);
      await org.send(new orgs.MoveAccountCommand({ AccountId: accountId, SourceParentId: rootId, DestinationParentId: ouIds.get(account.ou)! }));
    }

    const names = new Set<string>();
    for await (const page of sso.paginateListPermissionSets({ client: admin }, { InstanceArn: instanceArn })) {
      for (const arn of page.PermissionSets ?? []) {
        const described = await admin.send(new sso.DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }));
        if (described.PermissionSet?.Name) names.add(described.PermissionSet.Name);
      }
    }
    for (const set of DEMO_PERMISSION_SETS) {
      if (names.has(set.name)) continue;
      await admin.send(
        new sso.CreatePermissionSetCommand({
          InstanceArn: instanceArn,
          Name: set.name,
          Description: set.description,
          SessionDuration: set.sessionDuration,
          ...(set.managed && { Tags: [{ Key: MANAGED_TAG.key, Value: MANAGED_TAG.value }] }),
        }),
      );
    }
    return { instanceArn, identityStoreId, endpoint, managementAccountId };
  } finally {
    admin.destroy();
    store.destroy();
    org.destroy();
  }
}
