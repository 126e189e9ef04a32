/**
 * The SDK adapter of the Identity Center port over the wire, against moto_server (through the local
 * proxy, which adds the permission-set tag calls moto lacks), and the local AWS demo seed: idempotent,
 * and the same ids after the emulator restarts, as DynamoDB Local's stored ids need.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEmulator } from '../../../infra/local/aws-emulator.ts';
import { DEMO_ACCOUNTS, DEMO_PERMISSION_SETS, seedAwsDemo } from '../../../infra/local/aws-seed.ts';
import { StartupError } from '../../../infra/local/startup-error.ts';
import type { IdentityCenter, Organization, PermissionSet } from '../../../shared/services/aws/identity-center.ts';
import { startTestAwsEmulator, type TestAwsEmulator } from '../../helpers/aws-emulator.ts';

let aws: TestAwsEmulator;
let center: IdentityCenter;

beforeAll(async () => {
  aws = await startTestAwsEmulator();
  center = aws.center;
});
afterAll(() => aws?.emulator.stop());

const byName = (sets: PermissionSet[], name: string) => sets.find((s) => s.name === name)!;
const account = (organization: Organization, name: string) => organization.accounts.find((a) => a.name === name)!;

/** Every id the seed makes, to compare two emulators. */
async function demoIds(c: IdentityCenter) {
  const organization = await c.describeOrganization();
  return {
    instanceArn: c.instanceArn,
    identityStoreId: c.identityStoreId,
    permissionSets: (await c.listPermissionSets()).map((s) => [s.name, s.arn]).sort(),
    users: await Promise.all(['admin@contoso.test', 'sam.rivera@contoso.test', 'kai.tanaka@contoso.test'].map((u) => c.findUserIdByUserName(u))),
    organization,
  };
}

describe('the Identity Center adapter against moto_server', () => {
  it('lists the seeded permission sets with their session durations, managed when tagged stint:managed=true', async () => {
    const sets = await center.listPermissionSets();
    expect(sets.map((s) => s.name).sort()).toEqual(DEMO_PERMISSION_SETS.map((s) => s.name).sort());
    expect(byName(sets, 'ReadOnlyAccess')).toMatchObject({ sessionDuration: 'PT1H', managed: true });
    expect(byName(sets, 'AdministratorAccess')).toMatchObject({ sessionDuration: 'PT4H', managed: true });
    expect(byName(sets, 'BillingReadOnly')).toMatchObject({ managed: false });
    for (const set of sets) expect(set.arn).toMatch(new RegExp(`^${center.instanceArn}/ps-[a-z0-9]{16}$`));
    await expect(center.describePermissionSet(byName(sets, 'AdministratorAccess').arn)).resolves.toEqual(byName(sets, 'AdministratorAccess'));
  });

  it('answers undefined for a permission set that does not exist', async () => {
    await expect(center.describePermissionSet(`${center.instanceArn}/ps-0000000000000000`)).resolves.toBeUndefined();
  });

  it('finds identity-store users by exact userName, and none for an unknown one', async () => {
    const id = await center.findUserIdByUserName('sam.rivera@contoso.test');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await expect(center.findUserIdByUserName('nobody@contoso.test')).resolves.toBeUndefined();
  });

  it('describes the organization: OUs under Workloads, each account with its parents nearest first', async () => {
    const organization = await center.describeOrganization();
    expect(organization.rootId).toMatch(/^r-/);
    expect(organization.managementAccountId).toMatch(/^\d{12}$/);
    const unit = (name: string) => organization.units.find((u) => u.name === name)!;
    expect(unit('Workloads').parentId).toBe(organization.rootId);
    expect(unit('NonProd').parentId).toBe(unit('Workloads').id);
    expect(unit('Prod').parentId).toBe(unit('Workloads').id);
    expect(account(organization, 'dev').parents).toEqual([unit('NonProd').id, unit('Workloads').id, organization.rootId]);
    expect(account(organization, 'staging').parents).toEqual([unit('NonProd').id, unit('Workloads').id, organization.rootId]);
    expect(account(organization, 'prod').parents).toEqual([unit('Prod').id, unit('Workloads').id, organization.rootId]);
    expect(organization.accounts.find((a) => a.id === organization.managementAccountId)?.parents).toEqual([organization.rootId]);
    for (const a of organization.accounts) expect(a).toMatchObject({ id: expect.stringMatching(/^\d{12}$/), status: 'ACTIVE' });
  });

  it('creates, reads the status of, lists and deletes an account assignment', async () => {
    const organization = await center.describeOrganization();
    const set = byName(await center.listPermissionSets(), 'ReadOnlyAccess');
    const userId = (await center.findUserIdByUserName('mei.chen@contoso.test'))!;
    const target = { accountId: account(organization, 'staging').id, permissionSetArn: set.arn, userId };

    const created = await center.createAssignment(target);
    expect(created).toEqual({ requestId: expect.any(String), status: 'SUCCEEDED' });
    await expect(center.creationStatus(created.requestId)).resolves.toEqual(created);
    await expect(center.listAssignments(target.accountId, set.arn)).resolves.toEqual([target]);
    await expect(center.listAssignments(account(organization, 'prod').id, set.arn)).resolves.toEqual([]);

    const deleted = await center.deleteAssignment(target);
    expect(deleted.status).toBe('SUCCEEDED');
    await expect(center.deletionStatus(deleted.requestId)).resolves.toMatchObject({ status: 'SUCCEEDED' });
    await expect(center.listAssignments(target.accountId, set.arn)).resolves.toEqual([]);
  });

  it('lets an unknown operation fail with AWS’s error name', async () => {
    await expect(center.creationStatus('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ name: expect.stringMatching(/Exception$/) });
  });
});

describe('the local AWS demo seed', () => {
  it('is idempotent: a second run finds everything and adds nothing', async () => {
    const before = await demoIds(center);
    await expect(seedAwsDemo(aws.emulator.endpoint)).resolves.toEqual(aws.demo);
    const after = await demoIds(center);
    expect(after).toEqual(before);
    expect(after.organization.accounts.filter((a) => DEMO_ACCOUNTS.some((d) => d.name === a.name))).toHaveLength(3);
  });

  it('makes the same ids in a restarted emulator', async () => {
    const first = await demoIds(center);
    const again = await startTestAwsEmulator();
    try {
      expect(again.demo.endpoint).not.toBe(aws.demo.endpoint);
      expect(await demoIds(again.center)).toEqual(first);
    } finally {
      await again.emulator.stop();
    }
  });

  it('refuses a port that is taken, saying which', async () => {
    const taken: Server = createServer();
    const port = await new Promise<number>((resolve) => taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)));
    try {
      const error = await startAwsEmulator({ port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StartupError);
      expect((error as StartupError).message).toContain(`Port ${port} (the local AWS emulator, moto_server)`);
    } finally {
      taken.close();
    }
  });

  it('is not started when moto_server is not on PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(startAwsEmulator({ port: 0 })).resolves.toBeUndefined();
    } finally {
      process.env.PATH = path;
    }
  });
});

// Last: it adds a permission set, which the seed's comparisons above must not see.
describe('the emulator’s proxy in front of moto', () => {
  it('keeps permission-set tags (TagResource, UntagResource) and answers AWS’s ISO session duration', async () => {
    const { SSOAdminClient, CreatePermissionSetCommand, TagResourceCommand, UntagResourceCommand } = await import('@aws-sdk/client-sso-admin');
    const client = new SSOAdminClient({ endpoint: aws.demo.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const created = await client.send(new CreatePermissionSetCommand({ InstanceArn: center.instanceArn, Name: 'NoDuration' }));
      const arn = created.PermissionSet!.PermissionSetArn!;
      await expect(center.describePermissionSet(arn)).resolves.toEqual({ arn, name: 'NoDuration', sessionDuration: 'PT1H', managed: false });
      await client.send(new TagResourceCommand({ InstanceArn: center.instanceArn, ResourceArn: arn, Tags: [{ Key: 'stint:managed', Value: 'true' }] }));
      await expect(center.describePermissionSet(arn)).resolves.toMatchObject({ managed: true });
      await client.send(new UntagResourceCommand({ InstanceArn: center.instanceArn, ResourceArn: arn, TagKeys: ['stint:managed'] }));
      await expect(center.describePermissionSet(arn)).resolves.toMatchObject({ managed: false });
    } finally {
      client.destroy();
    }
  });
});
