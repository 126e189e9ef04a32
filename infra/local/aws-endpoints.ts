/**
 * The local AWS endpoints. GET /local/aws/assignments: what the local AWS emulator holds, as the AWS
 * console would show it: every USER account assignment of every Stint-managed permission set in every
 * account, with names. POST /local/aws/reconcile: runs the AWS reconciler now and answers its report.
 */
import { SYSTEM_CALLER } from '../../shared/domain/caller.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import type { IdentityCenter } from '../../shared/services/aws/identity-center.ts';
import { reconcileAws, type ReconcileReport } from '../../shared/services/aws/reconcile.ts';
import type { Services } from '../../shared/services/context.ts';
import type { AwsDemo } from './aws-seed.ts';
import type { Background } from './background.ts';

const notConnected = () =>
  new DomainError(
    'notFound',
    'Request_ResourceNotFound',
    "AWS access is not connected to the local emulator: moto_server was not found on PATH, or STINT_AWS_PORT is 'off'.",
  );

/** Through the background when it runs, so a request never overlaps the timer's run. */
export async function reconcileNow(services: Services, background: Background | undefined): Promise<ReconcileReport> {
  if (!services.aws) throw notConnected();
  if (background) return background.reconcileAws();
  const at = services.clock.now().toISOString();
  return reconcileAws(services, { caller: SYSTEM_CALLER, correlationId: `aws-reconcile:${at}`, system: true });
}

export interface EmulatorAssignment {
  accountId: string;
  accountName: string;
  permissionSetArn: string;
  permissionSetName: string;
  /** The identity-store user id. */
  principalId: string;
  userName: string | null;
}

/** Identity-store user id → userName, from the emulator (the port has no user lookup by id). */
async function userNames(demo: AwsDemo): Promise<Map<string, string>> {
  const { IdentitystoreClient, paginateListUsers } = await import('@aws-sdk/client-identitystore');
  const client = new IdentitystoreClient({ endpoint: demo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const names = new Map<string, string>();
    for await (const page of paginateListUsers({ client }, { IdentityStoreId: demo.identityStoreId })) {
      for (const u of page.Users ?? []) if (u.UserId && u.UserName) names.set(u.UserId, u.UserName);
    }
    return names;
  } finally {
    client.destroy();
  }
}

export async function emulatorAssignments(center: IdentityCenter | undefined, demo: AwsDemo | undefined): Promise<EmulatorAssignment[]> {
  if (!center || !demo) throw notConnected();
  const [organization, sets, names] = await Promise.all([center.describeOrganization(), center.listPermissionSets(), userNames(demo)]);
  const found: EmulatorAssignment[] = [];
  for (const set of sets.filter((s) => s.managed)) {
    for (const account of organization.accounts) {
      for (const a of await center.listAssignments(account.id, set.arn)) {
        found.push({
          accountId: account.id,
          accountName: account.name,
          permissionSetArn: set.arn,
          permissionSetName: set.name,
          principalId: a.userId,
          userName: names.get(a.userId) ?? null,
        });
      }
    }
  }
  return found;
}
