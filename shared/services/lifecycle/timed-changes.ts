/**
 * The changes time makes to a schedule: a scheduled start takes effect (Granted → Provisioned) and an
 * end is processed (→ Expired). Access itself never waits for these (an item is in force iff
 * start <= now < end); they make the status, the audit history and the notifications follow. Both are
 * conditional on the version read and idempotent, so the run, a late run and the sweeper can all try.
 */
import { ConflictError } from '../../domain/errors.ts';
import { startedStatus } from '../../domain/aws-access.ts';
import { isGroupMembership } from '../../domain/group-access.ts';
import { isEndDue, isStartDue } from '../../domain/lifecycle.ts';
import { timerOf, type Schedule } from '../../domain/schedule.ts';
import { getRequest, transitionRequest } from '../../store/role-requests.ts';
import { getSchedule, replaceSchedule, type StoredSchedule } from '../../store/role-schedules.ts';
import { commitChange, type ConditionalWrite } from '../../store/transact.ts';
import type { Actor, Services } from '../context.ts';
import { endActivationsAfterLeaving } from '../roles/holdings/activations-without-basis.ts';
import { scheduleAudit } from './schedule-audit.ts';

export type TimedResult = 'done' | 'notDue' | 'gone' | 'timedByAnother';

/** Only the run of the request that times a schedule acts on it; the sweeper passes no run. */
export interface TimedOptions {
  run?: string;
}

const ATTEMPTS = 3;

/** Re-reads and retries when the schedule moved between the read and the write (an extension, say). */
async function withFreshSchedule(
  svc: Services,
  scheduleId: string,
  options: TimedOptions,
  act: (found: StoredSchedule, now: Date) => Promise<TimedResult>,
): Promise<TimedResult> {
  for (let attempt = 1; ; attempt++) {
    const found = await getSchedule(svc.table, scheduleId);
    if (!found) return 'gone';
    if (options.run && timerOf(found.data) !== options.run) return 'timedByAnother';
    try {
      return await act(found, svc.clock.now());
    } catch (error) {
      const moved = error instanceof ConflictError && error.code === 'Request_ConcurrentModification';
      if (!moved || attempt >= ATTEMPTS) throw error;
    }
  }
}

function expiryActivity(s: Schedule): string {
  if (s.kind === 'eligibility') return 'Remove eligible member from role in PIM (expired)';
  return s.assignmentType === 'Activated' ? 'Remove member from role (PIM activation expired)' : 'Remove member from role in PIM (expired)';
}

export async function expireSchedule(svc: Services, actor: Actor, scheduleId: string, options: TimedOptions = {}): Promise<TimedResult> {
  return withFreshSchedule(svc, scheduleId, options, async ({ data: s, version }, now) => {
    if (!isEndDue(s, now)) return 'notDue';
    const after: Schedule = { ...s, status: 'Expired', modifiedDateTime: now.toISOString() };
    const audit = await scheduleAudit(svc, actor, s, expiryActivity(s), { oldValue: s.status, newValue: 'Expired' }, now);
    await commitChange(svc.table, [replaceSchedule(after, version)], audit);
    // Activations made through an ending PIM for groups membership end with it (those made since are capped to it).
    if (isGroupMembership(s)) await endActivationsAfterLeaving(svc, actor, s.principalId);
    return 'done';
  });
}

export async function startSchedule(svc: Services, actor: Actor, scheduleId: string, options: TimedOptions = {}): Promise<TimedResult> {
  return withFreshSchedule(svc, scheduleId, options, async ({ data: s, version }, now) => {
    if (!isStartDue(s, now)) return 'notDue';
    const after: Schedule = { ...s, status: 'Provisioned', modifiedDateTime: now.toISOString() };
    const writes: ConditionalWrite[] = [replaceSchedule(after, version)];
    // The request that planned it reports Granted until the start, as Graph does; now it is Provisioned.
    const request = await getRequest(svc.table, timerOf(s));
    if (request?.data.status === 'Granted' && request.data.targetScheduleId === s.id) {
      writes.push(transitionRequest({ ...request.data, status: startedStatus(s) }, request.version, 'Granted'));
    }
    const activity =
      s.assignmentType === 'Activated'
        ? 'Add member to role (PIM activation started as scheduled)'
        : `Add ${s.kind === 'eligibility' ? 'eligible ' : ''}member to role in PIM (scheduled start)`;
    const audit = await scheduleAudit(svc, actor, s, activity, { oldValue: 'Granted', newValue: 'Provisioned' }, now);
    await commitChange(svc.table, writes, audit);
    return 'done';
  });
}

/** The schedule a request's run times, for the run's StartAccess and Expire steps. */
export async function targetOf(svc: Services, requestId: string): Promise<string | undefined> {
  return (await getRequest(svc.table, requestId))?.data.targetScheduleId ?? undefined;
}
