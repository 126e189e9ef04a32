/**
 * Overlapping holders of one account assignment, in parallel, against moto_server: twenty schedules hold
 * and let go of the same (user, permission set, account) while syncs run at the same time. Whatever the
 * order, AWS ends with exactly one assignment while anyone holds it and none once the last has let go
 * (TEAM #279: the first session to end must not revoke the other's).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { permissionSetIdOf, type AssignmentKey } from '../../../shared/domain/aws-access.ts';
import type { Services } from '../../../shared/services/context.ts';
import { syncAssignment } from '../../../shared/services/aws/sync-assignment.ts';
import { applyHolder, FINAL_VERSION, getAssignmentRecord } from '../../../shared/store/aws-assignments.ts';
import { startTestStack } from '../../helpers/stack.ts';

describe('twenty overlapping holders of one assignment', () => {
  let stack: LocalStack;
  let svc: Services;
  let key: AssignmentKey;
  let permissionSetArn: string;

  beforeAll(async () => {
    stack = await startTestStack({ awsPort: 0, seed: false });
    svc = stack.runtime.services;
    const center = svc.aws!.center;
    const [sets, org, userId] = await Promise.all([
      center.listPermissionSets(),
      center.describeOrganization(),
      center.findUserIdByUserName('sam.rivera@contoso.test'),
    ]);
    permissionSetArn = sets.find((s) => s.name === 'ReadOnlyAccess')!.arn;
    key = { accountId: org.accounts.find((a) => a.name === 'dev')!.id, permissionSetId: permissionSetIdOf(permissionSetArn), userId: userId! };
  });
  afterAll(() => stack?.stop());

  const hold = (scheduleId: string, holds: boolean, version: number) =>
    applyHolder(svc.table, { key, permissionSetArn, principalId: 'usr_race', scheduleId, version, holds });
  /** Syncs until settled, as the runs do (each run loops until its sync settles). */
  const settle = async () => {
    for (let attempt = 1; attempt < 50; attempt++) if ((await syncAssignment(svc, key, attempt)).settled) return;
    throw new Error('never settled');
  };
  const inAws = async () => (await svc.aws!.center.listAssignments(key.accountId, permissionSetArn)).filter((a) => a.userId === key.userId);

  it('ends with one assignment while some hold it, and none after the last lets go', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `sch_race${String(i).padStart(2, '0')}`);
    const center = svc.aws!.center;
    const calls = { create: 0, delete: 0 };
    const { createAssignment, deleteAssignment } = center;
    center.createAssignment = (t) => ((calls.create += 1), createAssignment.call(center, t));
    center.deleteAssignment = (t) => ((calls.delete += 1), deleteAssignment.call(center, t));
    // Every schedule holds; then, all in parallel, each syncs and the odd ones let go. Someone holds throughout.
    await Promise.all(ids.map((id) => hold(id, true, 1)));
    await Promise.all(
      ids.map(async (id, i) => {
        await settle();
        if (i % 2 === 1) {
          await hold(id, false, FINAL_VERSION);
          await settle();
        }
      }),
    );
    await settle();
    expect((await getAssignmentRecord(svc.table, key))?.holders).toEqual(ids.filter((_, i) => i % 2 === 0));
    expect(await inAws()).toHaveLength(1);
    // One create for twenty holders, and never a delete while anyone held it.
    expect(calls).toEqual({ create: 1, delete: 0 });

    // A stale "holds" (an older version) arriving after a schedule let go changes nothing.
    expect(await hold(ids[1]!, true, 1)).toBe(false);

    // The rest let go in parallel, racing new syncs: the last one out removes it, exactly once.
    await Promise.all(ids.filter((_, i) => i % 2 === 0).map(async (id) => Promise.all([hold(id, false, FINAL_VERSION).then(settle), settle()])));
    await settle();
    const record = await getAssignmentRecord(svc.table, key);
    expect(record).toMatchObject({ holders: [], state: 'absent' });
    expect(await inAws()).toEqual([]);
    expect(calls).toEqual({ create: 1, delete: 1 });
  });
});
