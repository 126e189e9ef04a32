/**
 * The AWS reconciler against moto_server's Identity Center, with the whole local stack (lifecycle, stream,
 * outbox, SES inbox): assignments made outside Stint are audited, emailed once and removed when the setting
 * says so; an assignment deleted behind Stint's back is granted again; one that no one holds is revoked; a
 * holder whose schedule is gone is dropped; and after a restart (the emulator empty, the table not) the
 * first reconcile grants again what is held.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { assignmentKeyString, type AssignmentKey } from '../../../shared/domain/aws-access.ts';
import { applyHolder, getAssignmentRecord, moveState } from '../../../shared/store/aws-assignments.ts';
import { getAwsUserLink, listAwsRoles } from '../../../shared/store/aws-directory.ts';
import { listOutsideAssignments } from '../../../shared/store/aws-outside.ts';
import type { ReconcileReport } from '../../../shared/services/aws/reconcile.ts';
import type { Services } from '../../../shared/services/context.ts';
import { auditTrail } from '../api/support.ts';
import { ADMIN_UPN, startRolesStack, type Ctx } from '../roles/helpers.ts';
import { eventually } from '../workflow/support.ts';

const AWS = '/v1.0/roleManagement/aws';

interface World {
  ctx: Ctx;
  svc: Services;
  roles: Record<string, { id: string; permissionSetArn: string }>;
  accounts: Record<string, string>;
}

async function world(ctx: Ctx): Promise<World> {
  const svc = ctx.stack.runtime.services;
  const roles = Object.fromEntries(
    (await listAwsRoles(svc.table)).map((r) => [r.data.displayName, { id: r.data.id, permissionSetArn: r.data.permissionSetArn }]),
  );
  const listed = await ctx.api.call('GET', `${AWS}/accounts`, { token: await ctx.admin() });
  const accounts = Object.fromEntries(listed.body.value.map((a: any) => [a.displayName, a.id as string]));
  return { ctx, svc, roles, accounts };
}

const userId = async (ctx: Ctx, upn: string) => (await ctx.api.call('GET', `/v1.0/users/${upn}`, { token: await ctx.admin() })).body.id as string;

async function eligible(w: World, principalId: string, role: string, account: string) {
  const created = await w.ctx.api.call('POST', `${AWS}/roleEligibilityScheduleRequests`, {
    token: await w.ctx.admin(),
    body: {
      action: 'adminAssign',
      principalId,
      roleDefinitionId: w.roles[role]!.id,
      directoryScopeId: `/accounts/${w.accounts[account]}`,
      justification: 'test',
      scheduleInfo: { expiration: { type: 'noExpiration' } },
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
}

async function activate(w: World, upn: string, principalId: string, role: string, account: string): Promise<string> {
  const started = await w.ctx.api.call('POST', `${AWS}/roleAssignmentScheduleRequests`, {
    token: await w.ctx.api.token(upn),
    body: {
      action: 'selfActivate',
      principalId,
      roleDefinitionId: w.roles[role]!.id,
      directoryScopeId: `/accounts/${w.accounts[account]}`,
      justification: 'deploy',
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
    },
  });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const id = started.body.id as string;
  await eventually(
    async () => (await w.ctx.api.call('GET', `${AWS}/roleAssignmentScheduleRequests/${id}`, { token: await w.ctx.admin() })).body.status === 'Provisioned',
    'the activation is provisioned',
  );
  return id;
}

const reconcile = async (ctx: Ctx): Promise<ReconcileReport> => {
  const answer = await ctx.api.call('POST', '/local/aws/reconcile');
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
};

const inEmulator = async (w: World, key: AssignmentKey) =>
  (
    await w.svc.aws!.center.listAssignments(key.accountId, w.roles[Object.keys(w.roles).find((n) => w.roles[n]!.id === key.permissionSetId)!]!.permissionSetArn)
  ).some((a) => a.userId === key.userId);

async function keyFor(w: World, principalId: string, role: string, account: string): Promise<AssignmentKey> {
  const link = await getAwsUserLink(w.svc.table, principalId);
  if (!link) throw new Error(`${principalId} is not linked to an Identity Center user`);
  return { accountId: w.accounts[account]!, permissionSetId: w.roles[role]!.id, userId: link.identityStoreUserId };
}

describe('the AWS reconciler (emulator)', () => {
  const clock = new ManualClock('2031-11-01T08:00:00.000Z');
  let ctx: Ctx;
  let w: World;
  let sam: { id: string; upn: string };
  let kai: { id: string; upn: string };

  beforeAll(async () => {
    ctx = await startRolesStack({ clock, background: true, awsPort: 0 });
    w = await world(ctx);
    sam = { id: await userId(ctx, 'sam.rivera@contoso.test'), upn: 'sam.rivera@contoso.test' };
    kai = { id: await userId(ctx, 'kai.tanaka@contoso.test'), upn: 'kai.tanaka@contoso.test' };
    // Eligibilities link both to their Identity Center users.
    await eligible(w, sam.id, 'ReadOnlyAccess', 'dev');
    await eligible(w, sam.id, 'ReadOnlyAccess', 'staging');
    await eligible(w, kai.id, 'AdministratorAccess', 'prod');
  });
  afterAll(() => ctx?.stop());

  it('reports an assignment made outside Stint once (audit, event, one email to admins), and removes it when removeUnmanaged is set', async () => {
    const key = await keyFor(w, sam.id, 'AdministratorAccess', 'dev');
    await w.svc.aws!.center.createAssignment({ accountId: key.accountId, permissionSetArn: w.roles.AdministratorAccess!.permissionSetArn, userId: key.userId });

    const first = await reconcile(ctx);
    expect(first.outsideStint).toEqual([expect.objectContaining({ ...key, principalId: sam.id, new: true, removed: false })]);
    expect(first.errors).toEqual([]);
    const trail = await auditTrail(ctx.stack, sam.id);
    expect(trail.map((a) => a.activityDisplayName)).toContain('AWS account assignment made outside Stint');
    const emails = async () => (await ctx.stack.inbox!.messages()).filter((m) => /outside Stint/.test(m.subject));
    await eventually(async () => (await emails()).some((m) => m.destination.to.includes(ADMIN_UPN)), 'the admins are emailed');

    const second = await reconcile(ctx);
    expect(second.outsideStint).toEqual([expect.objectContaining({ ...key, new: false })]);
    await ctx.stack.background!.settle();
    expect((await emails()).filter((m) => m.destination.to.includes(ADMIN_UPN))).toHaveLength(1);
    expect(await inEmulator(w, key)).toBe(true);

    w.svc.aws!.removeUnmanaged = true;
    try {
      const third = await reconcile(ctx);
      expect(third.removedOutside).toBe(1);
      expect(await inEmulator(w, key)).toBe(false);
    } finally {
      w.svc.aws!.removeUnmanaged = false;
    }
    expect((await auditTrail(ctx.stack, sam.id)).map((a) => a.activityDisplayName)).toContain('Remove AWS account assignment made outside Stint');
    const after = await reconcile(ctx);
    expect(after.outsideStint).toEqual([]);
    // Gone, so no longer kept as reported: a new one later is news again.
    expect((await listOutsideAssignments(w.svc.table)).map(assignmentKeyString)).not.toContain(assignmentKeyString(key));
  });

  it('grants again an assignment deleted in AWS behind Stint’s back while an activation holds it', async () => {
    await activate(w, sam.upn, sam.id, 'ReadOnlyAccess', 'staging');
    const key = await keyFor(w, sam.id, 'ReadOnlyAccess', 'staging');
    expect(await inEmulator(w, key)).toBe(true);
    await w.svc.aws!.center.deleteAssignment({ accountId: key.accountId, permissionSetArn: w.roles.ReadOnlyAccess!.permissionSetArn, userId: key.userId });
    expect(await inEmulator(w, key)).toBe(false);

    const report = await reconcile(ctx);
    expect(report.missingInAws).toContain(assignmentKeyString(key));
    expect(report.granted).toContain(assignmentKeyString(key));
    expect(report.outsideStint).toEqual([]);
    expect(await inEmulator(w, key)).toBe(true);
    expect((await getAssignmentRecord(w.svc.table, key))?.state).toBe('present');
    const activities = (await auditTrail(ctx.stack, sam.id)).map((a) => a.activityDisplayName);
    expect(activities).toEqual(expect.arrayContaining(['AWS account assignment missing in AWS', 'AWS account assignment granted by the reconciler']));

    // In line now: the next run changes nothing.
    const again = await reconcile(ctx);
    expect([again.granted, again.revoked, again.missingInAws]).toEqual([[], [], []]);
  });

  it('revokes a record left present with no holders, and drops a holder whose schedule is gone', async () => {
    const table = w.svc.table;
    const center = w.svc.aws!.center;
    const arn = w.roles.AdministratorAccess!.permissionSetArn;
    const key = await keyFor(w, kai.id, 'AdministratorAccess', 'prod');
    const staleKey = await keyFor(w, sam.id, 'AdministratorAccess', 'staging');
    // Both as a lost run would leave them: granted by Stint, present in AWS; one with no holder, one held by a schedule that no longer exists.
    for (const [k, principalId, scheduleId] of [
      [key, kai.id, `gone-${randomBytes(4).toString('hex')}`],
      [staleKey, sam.id, `gone-${randomBytes(4).toString('hex')}`],
    ] as const) {
      await applyHolder(table, { key: k, permissionSetArn: arn, principalId, scheduleId, version: 1, holds: true });
      await moveState(
        table,
        { from: (await getAssignmentRecord(table, k))!, state: 'present', grantedByStint: true, presentSince: clock.now().toISOString() },
        clock.now(),
      );
      await center.createAssignment({ accountId: k.accountId, permissionSetArn: arn, userId: k.userId });
      if (k === key) await applyHolder(table, { key: k, permissionSetArn: arn, principalId, scheduleId, version: 2, holds: false });
    }

    const report = await reconcile(ctx);
    expect(report.staleHoldersFixed).toBe(1);
    expect(report.revoked.sort()).toEqual([assignmentKeyString(key), assignmentKeyString(staleKey)].sort());
    expect(report.outsideStint).toEqual([]);
    expect(await inEmulator(w, key)).toBe(false);
    expect(await inEmulator(w, staleKey)).toBe(false);
    expect(await getAssignmentRecord(table, staleKey)).toMatchObject({ holders: [], state: 'absent' });
    expect((await auditTrail(ctx.stack, kai.id)).map((a) => a.activityDisplayName)).toContain('AWS account assignment revoked by the reconciler');
  });

  it('answers 404 for the reconcile endpoint when AWS access is not connected', async () => {
    const plain = await startRolesStack({ background: false });
    try {
      const answer = await plain.api.call('POST', '/local/aws/reconcile');
      expect(answer.status).toBe(404);
    } finally {
      await plain.stop();
    }
  });
});

describe('the AWS reconciler after a restart', () => {
  it('grants again at start-up what the table remembers and the fresh emulator lost', async () => {
    const clock = new ManualClock('2031-11-02T08:00:00.000Z');
    const tableName = `test-${randomBytes(6).toString('hex')}`;
    const first = await startRolesStack({ clock, background: true, awsPort: 0, tableName });
    let key: AssignmentKey;
    let w: World;
    try {
      w = await world(first);
      const sam = await userId(first, 'sam.rivera@contoso.test');
      await eligible(w, sam, 'ReadOnlyAccess', 'dev');
      await activate(w, 'sam.rivera@contoso.test', sam, 'ReadOnlyAccess', 'dev');
      key = await keyFor(w, sam, 'ReadOnlyAccess', 'dev');
      expect(await inEmulator(w, key)).toBe(true);
    } finally {
      await first.stop();
    }

    // A new emulator (moto keeps nothing) over the same table; the reconciler's timer is on, so it runs once at start.
    const second = await startRolesStack({ clock, background: true, awsPort: 0, tableName, awsReconcileIntervalMs: 3_600_000 });
    try {
      const w2 = await world(second);
      expect(w2.roles.ReadOnlyAccess!.id).toBe(key.permissionSetId);
      await eventually(() => inEmulator(w2, key), 'the start-up reconcile grants it again');
    } finally {
      await second.stop();
    }
  });
});
