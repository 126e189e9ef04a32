/**
 * The IdentityCenter port on the AWS SDK v3: sso-admin, identitystore and organizations. The same code
 * talks to AWS and, locally, to moto_server (only the endpoint and the credentials differ). The SDK
 * modules are imported on first use, so a bundle that never calls AWS does not load them at cold start.
 * SDK errors propagate unrenamed: the state machines retry by their names (ThrottlingException, …).
 */
import type { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type {
  AssignmentOperation,
  AssignmentTarget,
  IdentityCenter,
  Organization,
  OrganizationAccount,
  OrganizationUnit,
  PermissionSet,
} from './identity-center.ts';

export interface SdkIdentityCenterSettings {
  instanceArn: string;
  identityStoreId: string;
  region: string;
  /** The local emulator (moto_server); the SDK's own endpoints and credentials when absent. */
  endpoint?: string;
}

/** The tag that lets the connector assign a permission set. */
export const MANAGED_TAG = { key: 'stint:managed', value: 'true' } as const;

type SsoAdmin = typeof import('@aws-sdk/client-sso-admin');
type IdentityStore = typeof import('@aws-sdk/client-identitystore');
type Organizations = typeof import('@aws-sdk/client-organizations');

interface Sdk {
  sso: { mod: SsoAdmin; client: SSOAdminClient };
  store: { mod: IdentityStore; client: IdentitystoreClient };
  org: { mod: Organizations; client: OrganizationsClient };
}

/** The three clients, built once on first use. */
function lazyClients(settings: SdkIdentityCenterSettings): () => Promise<Sdk> {
  let loading: Promise<Sdk> | undefined;
  const config = {
    region: settings.region,
    ...(settings.endpoint && { endpoint: settings.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  };
  return () => {
    loading ??= Promise.all([import('@aws-sdk/client-sso-admin'), import('@aws-sdk/client-identitystore'), import('@aws-sdk/client-organizations')]).then(
      ([sso, store, org]) => ({
        sso: { mod: sso, client: new sso.SSOAdminClient(config) },
        store: { mod: store, client: new store.IdentitystoreClient(config) },
        org: { mod: org, client: new org.OrganizationsClient(config) },
      }),
    );
    // A failed import is not cached: the next call tries again.
    loading.catch(() => (loading = undefined));
    return loading;
  };
}

interface SdkStatus {
  RequestId?: string;
  Status?: string;
  FailureReason?: string;
}

function operation(status: SdkStatus | undefined, call: string): AssignmentOperation {
  if (!status?.RequestId || !status.Status) throw new Error(`Identity Center answered ${call} without a request id or status.`);
  return {
    requestId: status.RequestId,
    status: status.Status as AssignmentOperation['status'],
    ...(status.FailureReason && { failureReason: status.FailureReason }),
  };
}

const isNotFound = (error: unknown) => error instanceof Error && error.name === 'ResourceNotFoundException';

export function createSdkIdentityCenter(settings: SdkIdentityCenterSettings): IdentityCenter {
  const sdk = lazyClients(settings);
  const { instanceArn, identityStoreId } = settings;

  async function isManaged(permissionSetArn: string): Promise<boolean> {
    const { sso } = await sdk();
    for await (const page of sso.mod.paginateListTagsForResource({ client: sso.client }, { InstanceArn: instanceArn, ResourceArn: permissionSetArn })) {
      if (page.Tags?.some((t) => t.Key === MANAGED_TAG.key && t.Value === MANAGED_TAG.value)) return true;
    }
    return false;
  }

  async function describe(arn: string): Promise<PermissionSet | undefined> {
    const { sso } = await sdk();
    let answer;
    try {
      answer = await sso.client.send(new sso.mod.DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const set = answer.PermissionSet;
    if (!set?.PermissionSetArn || !set.Name) return undefined;
    return {
      arn: set.PermissionSetArn,
      name: set.Name,
      ...(set.Description && { description: set.Description }),
      ...(set.SessionDuration && { sessionDuration: set.SessionDuration }),
      managed: await isManaged(set.PermissionSetArn),
    };
  }

  const assignment = (target: AssignmentTarget) => ({
    InstanceArn: instanceArn,
    TargetId: target.accountId,
    TargetType: 'AWS_ACCOUNT' as const,
    PermissionSetArn: target.permissionSetArn,
    PrincipalType: 'USER' as const,
    PrincipalId: target.userId,
  });

  return {
    instanceArn,
    identityStoreId,

    async createAssignment(target) {
      const { sso } = await sdk();
      const answer = await sso.client.send(new sso.mod.CreateAccountAssignmentCommand(assignment(target)));
      return operation(answer.AccountAssignmentCreationStatus, 'CreateAccountAssignment');
    },

    async deleteAssignment(target) {
      const { sso } = await sdk();
      const answer = await sso.client.send(new sso.mod.DeleteAccountAssignmentCommand(assignment(target)));
      return operation(answer.AccountAssignmentDeletionStatus, 'DeleteAccountAssignment');
    },

    async creationStatus(requestId) {
      const { sso } = await sdk();
      const answer = await sso.client.send(
        new sso.mod.DescribeAccountAssignmentCreationStatusCommand({ InstanceArn: instanceArn, AccountAssignmentCreationRequestId: requestId }),
      );
      return operation(answer.AccountAssignmentCreationStatus, 'DescribeAccountAssignmentCreationStatus');
    },

    async deletionStatus(requestId) {
      const { sso } = await sdk();
      const answer = await sso.client.send(
        new sso.mod.DescribeAccountAssignmentDeletionStatusCommand({ InstanceArn: instanceArn, AccountAssignmentDeletionRequestId: requestId }),
      );
      return operation(answer.AccountAssignmentDeletionStatus, 'DescribeAccountAssignmentDeletionStatus');
    },

    async listAssignments(accountId, permissionSetArn) {
      const { sso } = await sdk();
      const found: AssignmentTarget[] = [];
      const pages = sso.mod.paginateListAccountAssignments(
        { client: sso.client },
        { InstanceArn: instanceArn, AccountId: accountId, PermissionSetArn: permissionSetArn },
      );
      for await (const page of pages) {
        for (const a of page.AccountAssignments ?? []) {
          // Group assignments are not Stint's: it grants users only.
          if (a.PrincipalType === 'USER' && a.PrincipalId) {
            found.push({ accountId: a.AccountId ?? accountId, permissionSetArn: a.PermissionSetArn ?? permissionSetArn, userId: a.PrincipalId });
          }
        }
      }
      return found;
    },

    async listPermissionSets() {
      const { sso } = await sdk();
      const arns: string[] = [];
      for await (const page of sso.mod.paginateListPermissionSets({ client: sso.client }, { InstanceArn: instanceArn }))
        arns.push(...(page.PermissionSets ?? []));
      const sets: PermissionSet[] = [];
      // One at a time: Identity Center allows about 20 requests a second, and instances have few sets.
      for (const arn of arns) {
        const set = await describe(arn);
        if (set) sets.push(set);
      }
      return sets;
    },

    describePermissionSet: describe,

    async userNameOf(userId) {
      const { store } = await sdk();
      try {
        return (await store.client.send(new store.mod.DescribeUserCommand({ IdentityStoreId: identityStoreId, UserId: userId }))).UserName;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async findUserIdByUserName(userName) {
      const { store } = await sdk();
      try {
        const answer = await store.client.send(
          new store.mod.GetUserIdCommand({
            IdentityStoreId: identityStoreId,
            AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: userName } },
          }),
        );
        return answer.UserId;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },

    async describeOrganization() {
      const { org } = await sdk();
      const { client, mod } = org;
      const [described, roots] = await Promise.all([
        client.send(new mod.DescribeOrganizationCommand({})),
        (async () => {
          const ids: string[] = [];
          for await (const page of mod.paginateListRoots({ client }, {})) ids.push(...(page.Roots ?? []).flatMap((r) => (r.Id ? [r.Id] : [])));
          return ids;
        })(),
      ]);
      const rootId = roots[0];
      if (!rootId) throw new Error('The organization has no root.');
      const units: OrganizationUnit[] = [];
      const accounts: OrganizationAccount[] = [];
      // Depth first from the root; `above` is the chain of parents of `parentId`'s children, nearest first.
      const walk = async (parentId: string, above: string[]): Promise<void> => {
        for await (const page of mod.paginateListAccountsForParent({ client }, { ParentId: parentId })) {
          for (const a of page.Accounts ?? []) {
            if (a.Id) accounts.push({ id: a.Id, name: a.Name ?? a.Id, status: a.State ?? a.Status ?? 'ACTIVE', parents: above });
          }
        }
        const children: OrganizationUnit[] = [];
        for await (const page of mod.paginateListOrganizationalUnitsForParent({ client }, { ParentId: parentId })) {
          for (const ou of page.OrganizationalUnits ?? []) if (ou.Id) children.push({ id: ou.Id, name: ou.Name ?? ou.Id, parentId });
        }
        units.push(...children);
        for (const child of children) await walk(child.id, [child.id, ...above]);
      };
      await walk(rootId, [rootId]);
      const managementAccountId = described.Organization?.MasterAccountId;
      return { rootId, ...(managementAccountId && { managementAccountId }), units, accounts } satisfies Organization;
    },
  };
}
