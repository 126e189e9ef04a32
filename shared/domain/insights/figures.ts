/**
 * Discovery and insights (Entra's PIM "Discovery and insights" page): the figures and the classification
 * of standing access, computed from schedules and requests already read. Pure: no I/O, the clock passed in.
 */
import type { RoleRequest } from '../role-request.ts';
import { hasEnded, type Schedule } from '../schedule.ts';

/** How a principal holds a role, in the words of Entra's assignment lists. */
export type Standing = 'permanentActive' | 'timeBoundActive' | 'activated' | 'eligible';

export function standingOf(s: Pick<Schedule, 'kind' | 'assignmentType' | 'endDateTime'>): Standing {
  if (s.kind === 'eligibility') return 'eligible';
  if (s.assignmentType === 'Activated') return 'activated';
  return s.endDateTime === null ? 'permanentActive' : 'timeBoundActive';
}

/** A schedule that still counts: not ended and not processed as expired (one that starts later counts). */
export function isLive(s: Pick<Schedule, 'status' | 'endDateTime'>, now: Date): boolean {
  return s.status !== 'Expired' && !hasEnded(s, now);
}

/** Admin-made active access: what "Eliminate standing access" turns into eligibility. */
export function isStandingActive(s: Pick<Schedule, 'kind' | 'assignmentType'>): boolean {
  return s.kind === 'assignment' && s.assignmentType === 'Assigned';
}

export interface AssignmentCounts {
  /** Eligible assignments. */
  eligible: number;
  /** Admin-made active assignments, permanent or time-bound (activations are counted apart). */
  active: number;
  /** Of `active`, those with no end. */
  permanentActive: number;
  /** Activations of eligible assignments in force now. */
  activated: number;
}

export function countAssignments(schedules: readonly Pick<Schedule, 'kind' | 'assignmentType' | 'status' | 'endDateTime'>[], now: Date): AssignmentCounts {
  const counts: AssignmentCounts = { eligible: 0, active: 0, permanentActive: 0, activated: 0 };
  for (const s of schedules) {
    if (!isLive(s, now)) continue;
    const standing = standingOf(s);
    if (standing === 'eligible') counts.eligible++;
    else if (standing === 'activated') counts.activated++;
    else {
      counts.active++;
      if (standing === 'permanentActive') counts.permanentActive++;
    }
  }
  return counts;
}

/** Statuses of a request whose access was (or will be) given: granted, or provisioned since. */
const TOOK_EFFECT = new Set(['Granted', 'Provisioned', 'PendingProvisioning', 'ScheduleCreated']);

export function isActivation(r: Pick<RoleRequest, 'canonicalAction' | 'status'>): boolean {
  return r.canonicalAction === 'selfActivate' && TOOK_EFFECT.has(r.status);
}

/** An administrator's new eligible or active assignment that took effect (the request that made it). */
export function isNewAssignment(r: Pick<RoleRequest, 'canonicalAction' | 'status'>): boolean {
  return r.canonicalAction === 'adminAssign' && TOOK_EFFECT.has(r.status);
}

const DAY_MS = 86_400_000;

/** The UTC day (YYYY-MM-DD) of an instant. */
export function utcDay(at: Date | string): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Midnight UTC `days - 1` days before `now`'s day: the start of a window of `days` whole UTC days ending today. */
export function windowStart(now: Date, days: number): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today - (days - 1) * DAY_MS);
}

export interface DayCount {
  /** UTC day, YYYY-MM-DD. */
  date: string;
  count: number;
}

/** Counts per UTC day over the `days` days ending today, oldest first, every day present (zero when none). */
export function countByDay(instants: readonly string[], now: Date, days: number): DayCount[] {
  const start = windowStart(now, days).getTime();
  const result = Array.from({ length: days }, (_, i) => ({ date: utcDay(new Date(start + i * DAY_MS)), count: 0 }));
  for (const at of instants) {
    const index = Math.floor((Date.parse(at) - start) / DAY_MS);
    if (index >= 0 && index < days && Date.parse(at) <= now.getTime()) result[index]!.count++;
  }
  return result;
}
