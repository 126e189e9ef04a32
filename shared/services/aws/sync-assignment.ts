/**
 * Makes AWS match one assignment record: create it while someone holds it, delete it once no one does,
 * and follow the asynchronous operation to its end. Idempotent and safe to run from several places at
 * once (each run of a request that holds it, the reconciler): every move is claimed on the record's
 * revision, so at most one create or delete is in flight per assignment, and a run that loses a claim
 * simply reads again. Errors of the calls themselves (ThrottlingException, ConflictException,
 * InternalServerException) are thrown unrenamed for the state machine's Retry to match.
 */
import type { AssignmentKey } from '../../domain/aws-access.ts';
import { getAssignmentRecord, moveState, type AssignmentRecord } from '../../store/aws-assignments.ts';
import { logger } from '../../observability/logger.ts';
import type { AwsConnection, Services } from '../context.ts';
import type { AssignmentOperation, AssignmentTarget } from './identity-center.ts';
import { AWS_METRIC, awsMetric } from './metrics.ts';

export interface SyncResult {
  /** Nothing is in flight and AWS matches the record (present with holders, absent without, or failed). */
  settled: boolean;
  /** When not settled: how long to wait before asking again. */
  waitSeconds: number;
  record?: AssignmentRecord;
}

/** A claim whose call never reported back (its caller died between the two) is given up after this. */
const CLAIM_TIMEOUT_MS = 60_000;
/** A delete that fails this often is left for the reconciler and an alarm. */
const MAX_DELETE_FAILURES = 3;
/** Moves per call: enough for claim → call → status → settle, then the caller waits or ends. */
const MOVES_PER_CALL = 6;

/** Back-off between status checks: 1, 2, 4, 8, 15, 15 … seconds. */
export function pollDelaySeconds(attempt: number): number {
  return Math.min(15, 2 ** Math.max(0, attempt - 1));
}

export function isSettled(record: AssignmentRecord | undefined): boolean {
  if (!record) return true;
  if (record.state === 'creating' || record.state === 'deleting') return false;
  const wanted = record.holders.length > 0;
  // A failure settles it for those it failed for; with no holders left, or a new one, it is tried afresh.
  if (record.state === 'failed') return wanted && record.holders.every((h) => record.failedHolders.includes(h));
  if (record.state === 'present') return wanted || record.deleteFailures >= MAX_DELETE_FAILURES;
  return !wanted;
}

const targetOf = (r: AssignmentRecord): AssignmentTarget => ({ accountId: r.accountId, permissionSetArn: r.permissionSetArn, userId: r.userId });

const errorName = (error: unknown) => (error instanceof Error ? error.name : '');

/** "The user is gone" at deletion: nothing is left to remove. */
function userGone(failure: string | undefined, error?: unknown): boolean {
  return errorName(error) === 'ResourceNotFoundException' || /user.*(not (be )?found|does not exist)|not found in directory/i.test(failure ?? '');
}

export async function syncAssignment(svc: Services, key: AssignmentKey, attempt = 1): Promise<SyncResult> {
  const aws = requireAws(svc);
  for (let move = 0; move < MOVES_PER_CALL; move++) {
    const record = await getAssignmentRecord(svc.table, key);
    if (isSettled(record)) return { settled: true, waitSeconds: 0, record };
    const now = svc.clock.now();
    const r = record!;
    const wanted = r.holders.length > 0;
    if (r.state === 'creating' || r.state === 'deleting') {
      const op = r.operation!;
      if (op.requestId === 'claimed') {
        if (now.getTime() - Date.parse(op.startedAt) < CLAIM_TIMEOUT_MS) return { settled: false, waitSeconds: pollDelaySeconds(attempt), record: r };
        await moveState(svc.table, { from: r, state: r.state === 'creating' ? 'absent' : 'present', operation: null }, now);
        continue;
      }
      const status = op.kind === 'create' ? await aws.center.creationStatus(op.requestId) : await aws.center.deletionStatus(op.requestId);
      if (status.status === 'IN_PROGRESS') return { settled: false, waitSeconds: pollDelaySeconds(attempt), record: r };
      await settleOperation(svc, r, status, now);
      continue;
    }
    if (r.state === 'absent' && wanted) await startOperation(svc, aws, r, 'create', now);
    else if (r.state === 'present' && !wanted) await startOperation(svc, aws, r, 'delete', now);
    else if (r.state === 'failed') await moveState(svc.table, { from: r, state: 'absent', failureReason: null, failedHolders: null }, now);
  }
  return { settled: false, waitSeconds: 1, record: await getAssignmentRecord(svc.table, key) };
}

async function startOperation(svc: Services, aws: AwsConnection, r: AssignmentRecord, kind: 'create' | 'delete', now: Date): Promise<void> {
  if (kind === 'create' && aws.excludedAccounts.includes(r.accountId)) {
    await moveState(
      svc.table,
      {
        from: r,
        state: 'failed',
        failureReason: `Account ${r.accountId} is excluded from AWS access (STINT_AWS_EXCLUDED_ACCOUNTS).`,
        failedHolders: r.holders,
      },
      now,
    );
    return;
  }
  const claimed = { kind, requestId: 'claimed', startedAt: now.toISOString() };
  const state = kind === 'create' ? 'creating' : 'deleting';
  if (!(await moveState(svc.table, { from: r, state, operation: claimed, holders: kind === 'create' ? 'some' : 'none' }, now))) return;
  const afterClaim: AssignmentRecord = { ...r, state, operation: claimed, rev: r.rev + 1 };
  let op: AssignmentOperation;
  try {
    op = kind === 'create' ? await aws.center.createAssignment(targetOf(r)) : await aws.center.deleteAssignment(targetOf(r));
  } catch (error) {
    if (kind === 'delete' && userGone(undefined, error)) {
      logger.warn('AWS assignment delete: the identity-store user is gone; counted as deleted', { key: r, error: errorName(error) });
      await moveState(svc.table, { from: afterClaim, state: 'absent', operation: null }, now);
      return;
    }
    // Give the claim back so the retry (the state machine's, by the error's name) can claim again.
    await moveState(svc.table, { from: afterClaim, state: r.state, operation: null }, now);
    throw error;
  }
  if (op.status === 'IN_PROGRESS') {
    await moveState(svc.table, { from: afterClaim, state, operation: { ...claimed, requestId: op.requestId } }, now);
    return;
  }
  await settleOperation(svc, { ...afterClaim, operation: { ...claimed, requestId: op.requestId } }, op, now);
}

async function settleOperation(svc: Services, r: AssignmentRecord, status: AssignmentOperation, now: Date): Promise<void> {
  const kind = r.operation!.kind;
  if (status.status === 'SUCCEEDED') {
    await moveState(
      svc.table,
      kind === 'create'
        ? { from: r, state: 'present', operation: null, presentSince: now.toISOString(), failureReason: null, deleteFailures: 0, grantedByStint: true }
        : { from: r, state: 'absent', operation: null, failureReason: null, deleteFailures: 0 },
      now,
    );
    return;
  }
  if (kind === 'delete' && userGone(status.failureReason)) {
    logger.warn('AWS assignment delete failed because the user is gone; counted as deleted', { key: r, reason: status.failureReason });
    await moveState(svc.table, { from: r, state: 'absent', operation: null }, now);
    return;
  }
  const reason = status.failureReason ?? 'Identity Center reported FAILED without a reason.';
  if (kind === 'create') {
    awsMetric(AWS_METRIC.provisioningFailed, 1, now, { accountId: r.accountId, permissionSetId: r.permissionSetId, operation: 'create' });
    logger.error('AWS account assignment failed', { key: r, reason });
    await moveState(svc.table, { from: r, state: 'failed', operation: null, failureReason: reason, failedHolders: r.holders }, now);
  } else {
    awsMetric(AWS_METRIC.provisioningFailed, 1, now, { accountId: r.accountId, permissionSetId: r.permissionSetId, operation: 'delete' });
    logger.error('AWS account assignment delete failed', { key: r, reason });
    await moveState(svc.table, { from: r, state: 'present', operation: null, failureReason: reason, deleteFailures: r.deleteFailures + 1 }, now);
  }
}

export function requireAws(svc: Services): AwsConnection {
  if (!svc.aws) throw new Error('AWS access is not connected (STINT_AWS_INSTANCE_ARN is not set).');
  return svc.aws;
}
