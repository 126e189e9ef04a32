/**
 * Eligibility and assignment schedules, and the time window they are in force. Time is the truth: a
 * schedule is in force iff start <= now < end on the stored item, whatever any workflow has done.
 */
import { BadRequestError } from './errors.ts';
import { formatDuration, parseDuration } from './duration.ts';

export type ScheduleKind = 'eligibility' | 'assignment';
export type PrincipalType = 'user' | 'group' | 'servicePrincipal';
export type ExpirationType = 'noExpiration' | 'afterDateTime' | 'afterDuration' | 'notSpecified';

export interface ScheduleInfoInput {
  startDateTime?: string | null;
  expiration?: { type?: ExpirationType | null; endDateTime?: string | null; duration?: string | null } | null;
}

export interface Window {
  start: Date;
  /** null: no expiration. */
  end: Date | null;
  expirationType: Exclude<ExpirationType, 'notSpecified'>;
  /** As requested, for the response (`afterDuration` keeps its duration). */
  duration: string | null;
}

export interface Schedule {
  id: string;
  kind: ScheduleKind;
  principalId: string;
  principalType: PrincipalType;
  roleDefinitionId: string;
  directoryScopeId: string;
  appScopeId: null;
  memberType: 'Direct';
  assignmentType: 'Assigned' | 'Activated' | null;
  /** Granted until it starts, Provisioned while it may be in force, Expired once its end has been processed. */
  status: 'Provisioned' | 'Granted' | 'Expired';
  createdUsing: string;
  createdDateTime: string;
  modifiedDateTime: string | null;
  startDateTime: string;
  endDateTime: string | null;
  expirationType: Window['expirationType'];
  duration: string | null;
  /** For activations: the eligibility schedule that allowed it. */
  activatedUsing: string | null;
  /** Whether the last-administrator guard counts this schedule (set when it is written). */
  protectedHolder?: boolean;
  /**
   * The request whose workflow run times this schedule (its start and end); absent means createdUsing.
   * Only that run may act on the schedule's times, so an old run never touches newer access.
   */
  timedBy?: string;
  /** AWS access only: the account assignment behind an active assignment (shared/services/aws/). */
  aws?: AwsProvisioning;
}

export interface AwsProvisioning {
  state: 'provisioning' | 'provisioned' | 'failed' | 'revoked';
  /** When the assignment was confirmed in AWS, so sign-in to the account works. */
  usableDateTime?: string;
  failureReason?: string;
  /** When Stint confirmed the assignment deleted; sessions issued before may last a session duration longer. */
  revokedDateTime?: string;
  /** The permission set's session duration when it was granted. */
  sessionDuration?: string;
}

/** The request whose run times the schedule. */
export function timerOf(s: Pick<Schedule, 'timedBy' | 'createdUsing'>): string {
  return s.timedBy ?? s.createdUsing;
}

/**
 * Who times a schedule after request `requestId` changed it: a run that is still waiting on it keeps it
 * (an extension moves the end without a second run); a schedule with nothing left to wait for (permanent,
 * or already ended) is handed to the changing request, whose own run then starts.
 */
export function timedByAfterChange(before: Schedule, requestId: string, now: Date): string {
  const t = now.getTime();
  const waiting = before.status !== 'Expired' && (Date.parse(before.startDateTime) > t || (before.endDateTime !== null && Date.parse(before.endDateTime) > t));
  return waiting ? timerOf(before) : requestId;
}

const MAX_END = Date.parse('9999-12-31T00:00:00Z');

/**
 * The window a request asks for, from `now`. A start in the past means "now", as Graph returns it;
 * `notSpecified` or a missing expiration is left to `defaultType`.
 */
export function resolveWindow(info: ScheduleInfoInput | null | undefined, now: Date, defaultType: Window['expirationType']): Window {
  const requestedStart = info?.startDateTime ? Date.parse(info.startDateTime) : NaN;
  if (info?.startDateTime && Number.isNaN(requestedStart)) throw new BadRequestError('scheduleInfo.startDateTime is not a date-time.');
  const start = new Date(Number.isNaN(requestedStart) ? now.getTime() : Math.max(requestedStart, now.getTime()));
  const expiration = info?.expiration;
  const type = !expiration?.type || expiration.type === 'notSpecified' ? inferType(expiration, defaultType) : expiration.type;
  if (type === 'noExpiration') return { start, end: null, expirationType: type, duration: null };
  if (type === 'afterDuration') {
    if (!expiration?.duration) throw new BadRequestError("scheduleInfo.expiration.duration is required when the type is 'afterDuration'.");
    const ms = parseDuration(expiration.duration, 'scheduleInfo.expiration.duration');
    if (ms <= 0) throw new BadRequestError('scheduleInfo.expiration.duration must be longer than zero.');
    return { start, end: new Date(Math.min(start.getTime() + ms, MAX_END)), expirationType: type, duration: formatDuration(ms) };
  }
  const endMs = expiration?.endDateTime ? Date.parse(expiration.endDateTime) : NaN;
  if (Number.isNaN(endMs)) throw new BadRequestError("scheduleInfo.expiration.endDateTime is required when the type is 'afterDateTime'.");
  if (endMs <= start.getTime()) throw new BadRequestError('scheduleInfo.expiration.endDateTime must be after the start.');
  return { start, end: new Date(endMs), expirationType: 'afterDateTime', duration: null };
}

function inferType(expiration: ScheduleInfoInput['expiration'], fallback: Window['expirationType']): Window['expirationType'] {
  if (expiration?.duration) return 'afterDuration';
  if (expiration?.endDateTime) return 'afterDateTime';
  return fallback;
}

export function isInForce(schedule: Pick<Schedule, 'startDateTime' | 'endDateTime'>, now: Date): boolean {
  const t = now.getTime();
  return Date.parse(schedule.startDateTime) <= t && (schedule.endDateTime === null || t < Date.parse(schedule.endDateTime));
}

export function hasEnded(schedule: Pick<Schedule, 'endDateTime'>, now: Date): boolean {
  return schedule.endDateTime !== null && Date.parse(schedule.endDateTime) <= now.getTime();
}

export function windowLength(window: Window): number | null {
  return window.end ? window.end.getTime() - window.start.getTime() : null;
}

/** Graph's `scheduleInfo` of a schedule or request. */
export function scheduleInfoOf(s: Pick<Schedule, 'startDateTime' | 'endDateTime' | 'expirationType' | 'duration'>) {
  return {
    startDateTime: s.startDateTime,
    recurrence: null,
    expiration: {
      type: s.expirationType,
      endDateTime: s.expirationType === 'afterDateTime' ? s.endDateTime : null,
      duration: s.expirationType === 'afterDuration' ? s.duration : null,
    },
  };
}
