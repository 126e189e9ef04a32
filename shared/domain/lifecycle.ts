/**
 * The request lifecycle's decisions, as pure functions (docs/architecture.md §5): after every wait the workflow
 * run re-reads the request and the schedule it times, and this module says what to do next from what is
 * stored now. That is why an extension needs no second run (the next wait simply goes to the new end),
 * a cancel or removal ends the run, and an old run never acts on access that a newer request times.
 */
import { timerOf, type Schedule } from './schedule.ts';

/** Runs named `{requestId}-aws-…` only bring AWS in line after a change outside the timing run (lifecycle-signals.ts). */
export const AWS_RUN_MARK = '-aws-';

/** Longest single wait: timers in Node (and so the local engine) overflow past 2^31 ms (~24.8 days). */
export const MAX_WAIT_MS = 20 * 24 * 3600 * 1000;

/**
 * A Standard execution may run for one year; a run hands its schedule over to the sweeper (which
 * expires whatever is due, every minute) rather than wait past this age.
 */
export const MAX_RUN_AGE_MS = 360 * 24 * 3600 * 1000;

export type NextStep =
  | { phase: 'awaitApproval'; until: string; timeoutSeconds: number }
  | { phase: 'waitForStart'; until: string }
  | { phase: 'waitForEnd'; until: string }
  | { phase: 'syncAws'; attempt: number }
  | { phase: 'done'; reason: string };

export interface LifecycleView {
  request: { id: string; status: string; targetScheduleId: string | null; approvalDeadline?: string } | undefined;
  /** The schedule the request targets, if it still exists. */
  schedule: Schedule | undefined;
  now: Date;
  /** When this run started (a run never waits past MAX_RUN_AGE_MS). */
  runStartedAt: Date;
  /** AWS access: the account assignment behind the request's schedule is not yet as the table says it should be. */
  awsUnsettled?: boolean;
  /** A run that only brings AWS in line (started when access changed outside the timing run): it ends then. */
  syncOnly?: boolean;
}

const capped = (target: number, now: number): string => new Date(Math.min(target, now + MAX_WAIT_MS)).toISOString();

export function nextStep(v: LifecycleView): NextStep {
  const now = v.now.getTime();
  const r = v.request;
  if (!r) return { phase: 'done', reason: 'request not found' };
  if (r.status === 'PendingApproval') {
    const deadline = Date.parse(r.approvalDeadline ?? '');
    const until = Number.isNaN(deadline) ? now : deadline;
    // Step Functions wants whole seconds, at least one; a past deadline times out at once.
    const timeoutSeconds = Math.max(1, Math.ceil((Math.min(until, now + MAX_WAIT_MS) - now) / 1000));
    return { phase: 'awaitApproval', until: new Date(until).toISOString(), timeoutSeconds };
  }
  // Before any wait: an activation is usable only once AWS has it, and ended access is removed now.
  if (v.awsUnsettled) return { phase: 'syncAws', attempt: 1 };
  if (v.syncOnly) return { phase: 'done', reason: 'AWS access is in line' };
  if (r.status !== 'Granted' && r.status !== 'Provisioned' && r.status !== 'PendingProvisioning') return { phase: 'done', reason: `request is ${r.status}` };
  const s = v.schedule;
  if (!r.targetScheduleId || !s) return { phase: 'done', reason: 'no schedule to time' };
  if (timerOf(s) !== r.id) return { phase: 'done', reason: `schedule is timed by request ${timerOf(s)}` };
  if (s.status === 'Expired') return { phase: 'done', reason: 'schedule expired' };
  const start = Date.parse(s.startDateTime);
  const end = s.endDateTime === null ? null : Date.parse(s.endDateTime);
  let step: NextStep;
  if (end !== null && end <= now) step = { phase: 'waitForEnd', until: new Date(end).toISOString() };
  else if (start > now || s.status === 'Granted') step = { phase: 'waitForStart', until: capped(start, now) };
  else if (end === null) return { phase: 'done', reason: 'schedule has no end' };
  else step = { phase: 'waitForEnd', until: capped(end, now) };
  if (Date.parse(step.until) - v.runStartedAt.getTime() > MAX_RUN_AGE_MS) return { phase: 'done', reason: 'handed to the sweeper (beyond the longest run)' };
  return step;
}

/** Whether the schedule's start has come and it still reads Granted (the run's StartAccess step). */
export function isStartDue(s: Schedule, now: Date): boolean {
  return s.status === 'Granted' && Date.parse(s.startDateTime) <= now.getTime() && (s.endDateTime === null || Date.parse(s.endDateTime) > now.getTime());
}

/** Whether the schedule's end has come and not yet been processed (the run's Expire step, the sweeper). */
export function isEndDue(s: Schedule, now: Date): boolean {
  return s.status !== 'Expired' && s.endDateTime !== null && Date.parse(s.endDateTime) <= now.getTime();
}

/** Whether a change to a schedule leaves something for a run to wait for. */
export function hasFutureEvent(s: Schedule, now: Date): boolean {
  if (s.status === 'Expired') return false;
  return Date.parse(s.startDateTime) > now.getTime() || s.status === 'Granted' || s.endDateTime !== null;
}
