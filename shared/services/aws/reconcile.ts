/**
 * The AWS reconciler (every five minutes, and locally `POST /local/aws/reconcile`): makes IAM Identity
 * Center match the approvals Stint holds, whatever happened in between (a lost run, an assignment deleted
 * or made directly in AWS, the local emulator restarted empty). One pass:
 *
 * 1. discovery: the managed permission sets and the organization's tree;
 * 2. holders: a record's holder whose schedule no longer holds is dropped; an active schedule that holds
 *    but is missing from its record is added (the state machines normally do both; a lost run does not);
 * 3. what AWS has: every USER assignment of every managed permission set in every account Stint may assign;
 * 4. compare: present in the table but gone in AWS → marked absent (then granted again if held); wanted and
 *    absent → granted; unwanted and present → revoked; on a managed set and never granted by Stint →
 *    reported ("assigned outside Stint": audit, event, email to admins) and removed when the setting says so;
 * 5. operations in progress for too long → reported.
 *
 * Every repair is audited. Records and AWS are read in that order (records first), and each repair is
 * conditioned on the record's revision, so a grant or revoke that the lifecycle makes meanwhile is never
 * undone or reported as made outside Stint.
 */
import { assignmentKeyString, holdsAssignment, isAwsScope, type AssignmentKey } from '../../domain/aws-access.ts';
import type { TargetResource } from '../../domain/audit.ts';
import { ConflictError } from '../../domain/errors.ts';
import { hasEnded, isInForce } from '../../domain/schedule.ts';
import type { OutsideAssignmentItem } from '../../domain/notifications/types.ts';
import { logger } from '../../observability/logger.ts';
import {
  applyHolder,
  FINAL_VERSION,
  getAssignmentRecord,
  listAssignmentRecords,
  moveStateWrite,
  type AssignmentRecord,
  type StateMove,
} from '../../store/aws-assignments.ts';
import { findUniqueOwner } from '../../store/directory-objects.ts';
import { getAwsUserLink, getAwsUserOwner, listAwsAccounts, listAwsRoles, type StoredAwsRole } from '../../store/aws-directory.ts';
import { deleteOutsideAssignment, listOutsideAssignments, putOutsideAssignment } from '../../store/aws-outside.ts';
import { getSchedule, schedulesOfRole, type StoredSchedule } from '../../store/role-schedules.ts';
import { commitChange, type ConditionalWrite } from '../../store/transact.ts';
import { auditOf } from '../audit-writer.ts';
import type { Actor, AwsConnection, Services } from '../context.ts';
import { mapLimited } from '../map-limited.ts';
import { assignmentOf } from './request-access.ts';
import { discoverAws, type DiscoveryReport } from './discover.ts';
import type { AssignmentTarget } from './identity-center.ts';
import { AWS_METRIC, awsMetric } from './metrics.ts';
import { isSettled, requireAws, syncAssignment } from './sync-assignment.ts';

export interface ReconcileOptions {
  /** AWS list calls in flight at once (Identity Center allows about 20 requests a second). @default 8 */
  concurrency?: number;
  /** An operation in progress for longer is reported stuck. @default 15 minutes */
  stuckAfterMs?: number;
}

export interface OutsideAssignment extends AssignmentKey {
  permissionSetArn: string;
  /** The Stint user matched to the identity-store user, if any. */
  principalId: string | null;
  /** First found in this run (audited, emailed and published now); false: reported by an earlier run. */
  new: boolean;
  removed: boolean;
}

export interface ReconcileReport {
  durationMs: number;
  /** Where the time went: discovery, reading the records, checking holders, listing AWS, comparing and repairing. */
  phasesMs: { discovery: number; records: number; holders: number; aws: number; compare: number };
  roles: DiscoveryReport;
  /** Assignment records read. */
  records: number;
  /** Creates started or completed by this run (record keys: account#permissionSet#identityStoreUser). */
  granted: string[];
  /** Deletes started or completed by this run. */
  revoked: string[];
  /** Records that said present while AWS had no such assignment (marked absent, audited). */
  missingInAws: string[];
  outsideStint: OutsideAssignment[];
  removedOutside: number;
  /** Creates and deletes in progress for longer than stuckAfterMs. */
  stuck: { key: string; kind: 'create' | 'delete'; requestId: string; startedAt: string }[];
  /** Holders dropped because their schedule no longer holds. */
  staleHoldersFixed: number;
  /** Active schedules added to the record they hold. */
  missingHoldersAdded: number;
  errors: { step: string; key?: string; error: string }[];
}

const STUCK_AFTER_MS = 15 * 60_000;

const keyOf = (k: AssignmentKey): string => assignmentKeyString(k);
const message = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** Whether a schedule should hold its assignment now (an active, started, unended AWS assignment). */
const holdsNow = (s: StoredSchedule | undefined, now: Date) => !!s && holdsAssignment(s.data) && isInForce(s.data, now);

export async function reconcileAws(svc: Services, actor: Actor, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const aws = requireAws(svc);
  const started = Date.now();
  let mark = started;
  const lap = () => {
    const now = Date.now();
    const ms = now - mark;
    mark = now;
    return ms;
  };
  const report: ReconcileReport = {
    durationMs: 0,
    phasesMs: { discovery: 0, records: 0, holders: 0, aws: 0, compare: 0 },
    roles: await discoverAws(svc, actor),
    records: 0,
    granted: [],
    revoked: [],
    missingInAws: [],
    outsideStint: [],
    removedOutside: 0,
    stuck: [],
    staleHoldersFixed: 0,
    missingHoldersAdded: 0,
    errors: [],
  };
  report.phasesMs.discovery = lap();
  const attempt = async (step: string, key: string | undefined, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      report.errors.push({ step, ...(key && { key }), error: message(error) });
      logger.error('AWS reconcile step failed', { step, key, error: message(error) });
    }
  };

  const roles = await listAwsRoles(svc.table);
  // Records first, then AWS (see the header): a change made in between moves the record's revision.
  const records = new Map((await listAssignmentRecords(svc.table)).map((r) => [keyOf(r), r]));
  report.records = records.size;
  report.phasesMs.records = lap();
  const touched = await fixHolders(svc, roles, records, report, attempt);
  for (const key of touched) {
    const fresh = await getAssignmentRecord(svc.table, parseKey(key));
    if (fresh) records.set(key, fresh);
  }
  report.phasesMs.holders = lap();

  const { live, listed } = await readAws(svc, aws, roles, options.concurrency ?? 8, report);
  report.phasesMs.aws = lap();
  const outside: AssignmentTarget[] = [];
  for (const target of live.values()) {
    const record = records.get(keyOf(keyFromTarget(target)));
    if (!record || isOutside(record)) outside.push(target);
  }
  await mapLimited([...records.values()], options.concurrency ?? 8, (record) =>
    attempt('compare', keyOf(record), () => compare(svc, actor, record, live, listed, report, records)),
  );
  await reportOutside(svc, actor, aws, outside, listed, report, attempt);
  report.phasesMs.compare = lap();

  const now = svc.clock.now();
  const stuckAfter = options.stuckAfterMs ?? STUCK_AFTER_MS;
  for (const r of records.values()) {
    if ((r.state === 'creating' || r.state === 'deleting') && r.operation && now.getTime() - Date.parse(r.operation.startedAt) > stuckAfter) {
      report.stuck.push({ key: keyOf(r), kind: r.operation.kind, requestId: r.operation.requestId, startedAt: r.operation.startedAt });
    }
  }
  if (report.stuck.length > 0) logger.warn('AWS account assignment operations stuck in progress', { stuck: report.stuck });
  // Every run, zero included: the alarm sees "nothing found" as data, not as a gap.
  awsMetric(AWS_METRIC.assignmentsOutsideStint, report.outsideStint.length, now);
  awsMetric(AWS_METRIC.operationsStuck, report.stuck.length, now);
  report.durationMs = Date.now() - started;
  return report;
}

function parseKey(key: string): AssignmentKey {
  const [accountId, permissionSetId, userId] = key.split('#') as [string, string, string];
  return { accountId, permissionSetId, userId };
}

function keyFromTarget(t: AssignmentTarget & { permissionSetId?: string }): AssignmentKey {
  return { accountId: t.accountId, permissionSetId: t.permissionSetId ?? t.permissionSetArn.slice(t.permissionSetArn.lastIndexOf('/') + 1), userId: t.userId };
}

/** A record that does not explain an assignment in AWS: no one holds it, Stint never made it, and nothing is in flight. */
function isOutside(r: AssignmentRecord): boolean {
  return r.holders.length === 0 && !r.grantedByStint && (r.state === 'absent' || r.state === 'failed');
}

type Attempt = (step: string, key: string | undefined, work: () => Promise<void>) => Promise<void>;

/** Step 2: holders as the schedules say now. Returns the keys of the records it changed. */
async function fixHolders(
  svc: Services,
  roles: StoredAwsRole[],
  records: Map<string, AssignmentRecord>,
  report: ReconcileReport,
  attempt: Attempt,
): Promise<Set<string>> {
  const now = svc.clock.now();
  const touched = new Set<string>();
  const schedules = new Map<string, StoredSchedule>();
  for (const role of roles) {
    for (const s of await schedulesOfRole(svc.table, role.data.id, 'assignment')) if (isAwsScope(s.data.directoryScopeId)) schedules.set(s.data.id, s);
  }
  const held = new Set<string>();
  for (const record of records.values()) {
    for (const scheduleId of record.holders) {
      held.add(scheduleId);
      // The role's listing is an index (eventually consistent): a schedule it lacks is read by key before it is judged gone.
      const stored = schedules.get(scheduleId) ?? (await getSchedule(svc.table, scheduleId));
      if (holdsNow(stored, now)) continue;
      await attempt('holders', keyOf(record), async () => {
        const s = stored?.data;
        const final = !s || s.status === 'Expired' || hasEnded(s, now);
        const applied = await applyHolder(svc.table, {
          key: record,
          permissionSetArn: record.permissionSetArn,
          principalId: record.principalId,
          scheduleId,
          version: final ? FINAL_VERSION : stored!.version,
          holds: false,
        });
        if (applied) {
          report.staleHoldersFixed++;
          touched.add(keyOf(record));
          logger.info('AWS reconcile: dropped a holder whose schedule no longer holds', { key: keyOf(record), scheduleId });
        }
      });
    }
  }
  // A schedule already in some record's holders is in its own record: a schedule names one assignment.
  for (const stored of schedules.values()) {
    if (held.has(stored.data.id) || !holdsNow(stored, now)) continue;
    await attempt('holders', stored.data.id, async () => {
      const target = await assignmentOf(svc, stored.data);
      if (!target) return;
      const applied = await applyHolder(svc.table, {
        key: target.key,
        permissionSetArn: target.permissionSetArn,
        principalId: target.principalId,
        scheduleId: stored.data.id,
        version: stored.version,
        holds: true,
      });
      if (applied) {
        report.missingHoldersAdded++;
        touched.add(keyOf(target.key));
        logger.info('AWS reconcile: added an active schedule missing from its assignment record', { key: keyOf(target.key), scheduleId: stored.data.id });
      }
    });
  }
  return touched;
}

/** Step 3: every USER assignment of every managed permission set in every account Stint may assign, and which pairs were read. */
async function readAws(svc: Services, aws: AwsConnection, roles: StoredAwsRole[], concurrency: number, report: ReconcileReport) {
  const managed = roles.filter((r) => r.data.isEnabled);
  const accounts = (await listAwsAccounts(svc.table)).filter((a) => !aws.excludedAccounts.includes(a.id));
  const pairs = managed.flatMap((role) => accounts.map((account) => ({ role, accountId: account.id })));
  const live = new Map<string, AssignmentTarget & { permissionSetId: string }>();
  /** "account#permissionSetId" pairs that were read: presence is judged only there. */
  const listed = new Set<string>();
  await mapLimited(pairs, concurrency, async ({ role, accountId }) => {
    try {
      for (const a of await aws.center.listAssignments(accountId, role.data.permissionSetArn)) {
        const target = { ...a, permissionSetId: role.data.id };
        live.set(keyOf(target), target);
      }
      listed.add(`${accountId}#${role.data.id}`);
    } catch (error) {
      report.errors.push({ step: 'list', key: `${accountId}#${role.data.id}`, error: message(error) });
    }
  });
  return { live, listed };
}

const auditTargets = async (svc: Services, key: AssignmentKey & { permissionSetArn: string }, principalId: string | null): Promise<TargetResource[]> => {
  const link = principalId ? await getAwsUserLink(svc.table, principalId) : undefined;
  const account = { displayName: 'accountId', oldValue: null, newValue: key.accountId };
  const user: TargetResource = principalId
    ? {
        id: principalId,
        displayName: link?.userName ?? null,
        type: 'User',
        userPrincipalName: link?.userName ?? null,
        modifiedProperties: [account, { displayName: 'identityStoreUserId', oldValue: null, newValue: key.userId }],
      }
    : { id: key.userId, displayName: `Identity Center user ${key.userId}`, type: 'Other', modifiedProperties: [account] };
  return [user, { id: key.permissionSetId, displayName: key.permissionSetArn, type: 'Role', modifiedProperties: [] }];
};

async function audited(
  svc: Services,
  actor: Actor,
  record: AssignmentRecord,
  activity: string,
  operationType: 'Assign' | 'Unassign' | 'Update',
  writes: ConditionalWrite[],
  details: Record<string, string>,
): Promise<boolean> {
  const audit = auditOf(svc, actor, {
    category: 'RoleManagement',
    activity,
    operationType,
    targets: await auditTargets(svc, record, record.principalId),
    details,
  });
  try {
    await commitChange(svc.table, writes, audit);
    return true;
  } catch (error) {
    // The record moved meanwhile (a run of the lifecycle): nothing to repair from this read.
    if (error instanceof ConflictError && error.code === 'AwsAssignmentMoved') return false;
    throw error;
  }
}

/** Step 4 for one record: repair what AWS and the record disagree on, then let sync make AWS match. */
async function compare(
  svc: Services,
  actor: Actor,
  record: AssignmentRecord,
  live: Map<string, AssignmentTarget>,
  listed: Set<string>,
  report: ReconcileReport,
  records: Map<string, AssignmentRecord>,
): Promise<void> {
  const key = keyOf(record);
  const known = listed.has(`${record.accountId}#${record.permissionSetId}`);
  const inAws = live.has(key);
  const now = svc.clock.now();
  let r = record;
  const move = async (m: Omit<StateMove, 'from'>, activity: string, why: string) => {
    const ok = await audited(svc, actor, r, activity, 'Update', [moveStateWrite({ from: r, ...m }, now)], { reason: why, key });
    if (ok) r = { ...r, state: m.state, rev: r.rev + 1, ...(m.grantedByStint !== undefined && { grantedByStint: m.grantedByStint }) };
    return ok;
  };
  if (known && r.state === 'present' && !inAws) {
    if (!(await move({ state: 'absent' }, 'AWS account assignment missing in AWS', 'The record said present; Identity Center has no such assignment.'))) return;
    report.missingInAws.push(key);
  } else if (known && r.state === 'absent' && inAws && r.holders.length > 0) {
    // Wanted and already there: take it as present rather than create a second one.
    if (
      !(await move(
        { state: 'present', presentSince: now.toISOString() },
        'AWS account assignment found in AWS',
        'Held by an active assignment and present in Identity Center.',
      ))
    )
      return;
  } else if (known && r.state === 'absent' && inAws && r.grantedByStint) {
    // Stint made it, no one holds it, and it is still there (a delete that never took): present, so the delete can be claimed.
    if (!(await move({ state: 'present' }, 'AWS account assignment still in AWS', 'Granted by Stint, no longer held, still present in Identity Center.')))
      return;
  }
  if (isSettled(r)) {
    records.set(key, r);
    return;
  }
  const before = r.state;
  const result = await syncAssignment(svc, r);
  const after = result.record;
  if (after) records.set(key, after);
  const wanted = r.holders.length > 0;
  if (wanted && before !== 'present' && before !== 'creating' && (after?.state === 'present' || after?.state === 'creating')) {
    report.granted.push(key);
    await audited(svc, actor, after, 'AWS account assignment granted by the reconciler', 'Assign', [], {
      reason: 'Held by an active assignment and missing in Identity Center.',
      key,
      holders: after.holders.join(','),
    });
  } else if (!wanted && before === 'present' && (after?.state === 'absent' || after?.state === 'deleting')) {
    report.revoked.push(key);
    await audited(svc, actor, after, 'AWS account assignment revoked by the reconciler', 'Unassign', [], {
      reason: 'No active assignment holds it any more.',
      key,
    });
  }
}

/** Step 4, the rest: assignments on managed permission sets that no record explains. */
async function reportOutside(
  svc: Services,
  actor: Actor,
  aws: AwsConnection,
  found: AssignmentTarget[],
  listed: Set<string>,
  report: ReconcileReport,
  attempt: Attempt,
): Promise<void> {
  const reported = new Map((await listOutsideAssignments(svc.table)).map((o) => [keyOf(o), o]));
  const now = svc.clock.now();
  const seen = new Set<string>();
  for (const target of found) {
    const key = keyFromTarget(target);
    const k = keyOf(key);
    await attempt('outside', k, async () => {
      // Read again: a grant that started after the records were read is Stint's, not an outsider's.
      const fresh = await getAssignmentRecord(svc.table, key);
      if (fresh && !isOutside(fresh)) return;
      seen.add(k);
      const principalId = (await getAwsUserOwner(svc.table, key.userId)) ?? (await directoryUserOf(svc, key.userId));
      const entry: OutsideAssignment = { ...key, permissionSetArn: target.permissionSetArn, principalId, new: !reported.has(k), removed: false };
      report.outsideStint.push(entry);
      const about = { ...key, permissionSetArn: target.permissionSetArn };
      if (entry.new) {
        const item: OutsideAssignmentItem = { ...about, principalId, at: now.toISOString() };
        const audit = auditOf(svc, actor, {
          category: 'RoleManagement',
          activity: 'AWS account assignment made outside Stint',
          operationType: 'Assign',
          targets: await auditTargets(svc, about, principalId),
          details: { key: k, removeUnmanaged: String(aws.removeUnmanaged) },
        });
        try {
          await commitChange(svc.table, [putOutsideAssignment(item)], audit);
          logger.warn('AWS account assignment made outside Stint', { key: k, principalId });
        } catch (error) {
          if (!(error instanceof ConflictError && error.code === 'AwsOutsideKnown')) throw error;
          entry.new = false;
        }
      }
      if (aws.removeUnmanaged) {
        const op = await aws.center.deleteAssignment(target);
        const audit = auditOf(svc, actor, {
          category: 'RoleManagement',
          activity: 'Remove AWS account assignment made outside Stint',
          operationType: 'Unassign',
          targets: await auditTargets(svc, about, principalId),
          details: { key: k, requestId: op.requestId, status: op.status, reason: 'STINT_AWS_REMOVE_UNMANAGED is true' },
        });
        await commitChange(svc.table, [], audit);
        entry.removed = true;
        report.removedOutside++;
      }
    });
  }
  // Gone since it was reported (removed, or adopted by a grant): a new one later is news again.
  for (const [k, item] of reported) {
    if (seen.has(k) || !listed.has(`${item.accountId}#${item.permissionSetId}`)) continue;
    await attempt('outside', k, () => deleteOutsideAssignment(svc.table, item));
  }
}

/** The Stint user whose userPrincipalName is the identity-store user's userName, never matched before: named, not linked. */
async function directoryUserOf(svc: Services, identityStoreUserId: string): Promise<string | null> {
  const userName = await svc.aws!.center.userNameOf(identityStoreUserId);
  return (userName && (await findUniqueOwner(svc.table, 'UPN', userName))) || null;
}
