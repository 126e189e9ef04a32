/**
 * A request's AWS access, as its lifecycle run sees it: the account assignment its schedule should hold
 * (or no longer hold), brought in line by syncAssignment, then the outcome written on the schedule and the
 * request with its audit record: usable (PendingProvisioning → Provisioned), failed (the activation ends,
 * the request is Failed with the reason), or revoked (when sessions issued before may still last).
 * Inspect asks `awsWork` (read-only) whether there is anything to do; the SyncAws step does it.
 */
import { holdsAssignment, isAwsScope, parseAwsScope, type AssignmentKey } from '../../domain/aws-access.ts';
import { ConflictError } from '../../domain/errors.ts';
import type { RoleRequest } from '../../domain/role-request.ts';
import { hasEnded, isInForce, type Schedule } from '../../domain/schedule.ts';
import { applyHolder, FINAL_VERSION, getAssignmentRecord, type AssignmentRecord } from '../../store/aws-assignments.ts';
import { getAwsRole, getAwsUserLink } from '../../store/aws-directory.ts';
import { getRequest, transitionRequest } from '../../store/role-requests.ts';
import { deleteSchedule, getSchedule, releaseSlot, replaceSchedule, type StoredSchedule } from '../../store/role-schedules.ts';
import { commitChange, type ConditionalWrite } from '../../store/transact.ts';
import type { Actor, Services } from '../context.ts';
import { scheduleAudit } from '../lifecycle/schedule-audit.ts';
import { isSettled, syncAssignment } from './sync-assignment.ts';

export interface RequestAssignment {
  key: AssignmentKey;
  permissionSetArn: string;
  sessionDuration: string;
  principalId: string;
}

type AccessRef = Pick<RoleRequest, 'kind' | 'principalId' | 'roleDefinitionId' | 'directoryScopeId'>;

/** The account assignment an active assignment at an account stands for; undefined for anything else. */
export async function assignmentOf(svc: Services, r: AccessRef): Promise<RequestAssignment | undefined> {
  if (r.kind !== 'assignment' || !isAwsScope(r.directoryScopeId)) return undefined;
  const scope = parseAwsScope(r.directoryScopeId);
  if (scope.type !== 'account') return undefined;
  const [link, role] = await Promise.all([getAwsUserLink(svc.table, r.principalId), getAwsRole(svc.table, r.roleDefinitionId)]);
  if (!link || !role) return undefined;
  return {
    key: { accountId: scope.id, permissionSetId: role.data.id, userId: link.identityStoreUserId },
    permissionSetArn: role.data.permissionSetArn,
    sessionDuration: role.data.sessionDuration,
    principalId: r.principalId,
  };
}

interface Situation {
  target: RequestAssignment;
  scheduleId: string;
  stored?: StoredSchedule;
  record?: AssignmentRecord;
  holdsNow: boolean;
  inHolders: boolean;
}

export type AwsWork = 'holder' | 'sync' | 'provisioned' | 'failed' | 'revoked';

async function situationOf(svc: Services, request: RoleRequest, stored?: StoredSchedule | null): Promise<Situation | undefined> {
  if (!svc.aws || !request.targetScheduleId) return undefined;
  const target = await assignmentOf(svc, request);
  if (!target) return undefined;
  const schedule = stored === undefined ? await getSchedule(svc.table, request.targetScheduleId) : (stored ?? undefined);
  const record = await getAssignmentRecord(svc.table, target.key);
  const s = schedule?.data;
  const holdsNow = !!s && holdsAssignment(s) && isInForce(s, svc.clock.now());
  return { target, scheduleId: request.targetScheduleId, stored: schedule, record, holdsNow, inHolders: !!record?.holders.includes(request.targetScheduleId) };
}

/** What is left to do for this request's AWS access, first thing first; undefined when AWS and the table agree. */
function workOf(x: Situation, now: Date): AwsWork | undefined {
  const s = x.stored?.data;
  if (x.holdsNow !== x.inHolders) return 'holder';
  if (!isSettled(x.record)) return 'sync';
  if (!s) return undefined;
  if (x.holdsNow && x.record?.state === 'failed' && x.record.failedHolders.includes(x.scheduleId)) return 'failed';
  if (x.holdsNow && x.record?.state === 'present' && s.aws?.state !== 'provisioned') return 'provisioned';
  if (!x.holdsNow && s.aws?.state === 'provisioned' && (s.status === 'Expired' || hasEnded(s, now))) return 'revoked';
  return undefined;
}

/** Inspect's question: has this request's run AWS work to do? Read-only. */
export async function awsWork(svc: Services, request: RoleRequest | undefined, stored?: StoredSchedule | null): Promise<AwsWork | undefined> {
  if (!request || request.status === 'PendingApproval') return undefined;
  const x = await situationOf(svc, request, stored);
  return x && workOf(x, svc.clock.now());
}

export interface AwsStepResult {
  settled: boolean;
  waitSeconds: number;
  attempt: number;
}

/** The SyncAws step: one pass of holder → sync → outcome; the state machine waits and calls again until settled. */
export async function syncRequestAccess(svc: Services, actor: Actor, requestId: string, attempt = 1): Promise<AwsStepResult> {
  const done = { settled: true, waitSeconds: 0, attempt };
  for (let pass = 0; pass < 4; pass++) {
    const request = (await getRequest(svc.table, requestId))?.data;
    const x = request && request.status !== 'PendingApproval' ? await situationOf(svc, request) : undefined;
    const work = x && workOf(x, svc.clock.now());
    if (!x || !work) return done;
    if (work === 'holder') await reflectHolder(svc, x);
    else if (work === 'sync') {
      const result = await syncAssignment(svc, x.target.key, attempt);
      if (!result.settled) return { settled: false, waitSeconds: result.waitSeconds, attempt: attempt + 1 };
    } else await writeOutcome(svc, actor, x, work);
  }
  return { settled: false, waitSeconds: 1, attempt: attempt + 1 };
}

async function reflectHolder(svc: Services, x: Situation): Promise<void> {
  const s = x.stored?.data;
  // An ended or removed schedule never holds again: FINAL shuts out any older read still on its way.
  const final = !s || s.status === 'Expired' || hasEnded(s, svc.clock.now());
  await applyHolder(svc.table, {
    key: x.target.key,
    permissionSetArn: x.target.permissionSetArn,
    principalId: x.target.principalId,
    scheduleId: x.scheduleId,
    version: final ? FINAL_VERSION : x.stored!.version,
    holds: x.holdsNow,
  });
}

async function writeOutcome(svc: Services, actor: Actor, x: Situation, work: 'provisioned' | 'failed' | 'revoked'): Promise<void> {
  const now = svc.clock.now();
  const { data: s, version } = x.stored!;
  const record = x.record!;
  const writes: ConditionalWrite[] = [];
  let activity: string;
  let change: { oldValue: string; newValue: string };
  const creator = await getRequest(svc.table, s.createdUsing);
  if (work === 'provisioned') {
    const since = Math.max(Date.parse(record.presentSince ?? now.toISOString()), Date.parse(s.startDateTime));
    const after: Schedule = { ...s, aws: { state: 'provisioned', usableDateTime: new Date(since).toISOString(), sessionDuration: x.target.sessionDuration } };
    writes.push(replaceSchedule(after, version));
    if (creator?.data.status === 'PendingProvisioning') {
      writes.push(transitionRequest({ ...creator.data, status: 'Provisioned', completedDateTime: now.toISOString() }, creator.version, 'PendingProvisioning'));
    }
    activity = 'Add member to role completed (AWS account assignment provisioned)';
    change = { oldValue: s.aws?.state ?? 'provisioning', newValue: 'provisioned' };
  } else if (work === 'failed') {
    const reason = record.failureReason ?? 'IAM Identity Center could not create the account assignment.';
    writes.push(...deleteSchedule(s, version), releaseSlot(s, s.assignmentType === 'Activated' ? 'C' : 'A'));
    if (creator && (creator.data.status === 'PendingProvisioning' || creator.data.status === 'Provisioned')) {
      writes.push(
        transitionRequest(
          { ...creator.data, status: 'Failed', completedDateTime: now.toISOString(), failureReason: reason },
          creator.version,
          creator.data.status,
        ),
      );
    }
    activity = 'Add member to role failed (AWS account assignment)';
    change = { oldValue: 'provisioning', newValue: `failed: ${reason}` };
  } else {
    const after: Schedule = { ...s, aws: { ...s.aws!, state: 'revoked', revokedDateTime: now.toISOString() } };
    writes.push(replaceSchedule(after, version));
    activity = 'Remove member from role completed (AWS account assignment removed)';
    change = { oldValue: 'provisioned', newValue: 'revoked' };
  }
  const audit = await scheduleAudit(svc, actor, s, activity, change, now, work === 'revoked' ? 'Unassign' : 'Assign');
  try {
    await commitChange(svc.table, writes, audit);
  } catch (error) {
    // Another run wrote the same outcome, or the schedule moved: the next pass reads again.
    if (!(error instanceof ConflictError)) throw error;
  }
}
