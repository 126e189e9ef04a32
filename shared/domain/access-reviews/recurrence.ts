/**
 * When each instance of an access review runs. Graph's recurrence knows two patterns — weekly and
 * absoluteMonthly, each with an interval (quarterly is absoluteMonthly every 3 months, semi-annually 6,
 * annually 12) — and three ranges: noEnd, endDate and numbered. No pattern means a one-time review.
 * Occurrence k starts k periods after the range's start; it lasts instanceDurationInDays.
 */
import { BadRequestError } from '../errors.ts';

const DAY_MS = 24 * 3600 * 1000;

export interface Recurrence {
  pattern?: { type: 'weekly' | 'absoluteMonthly'; interval: number } | null;
  range: { type: 'noEnd' | 'endDate' | 'numbered'; startDate: string; endDate?: string | null; numberOfOccurrences?: number | null };
}

export interface Occurrence {
  index: number;
  start: Date;
  end: Date;
}

/** A date ("2026-12-01", midnight UTC) or a date and time. */
export function parseDateOrTime(value: string, field: string): Date {
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(t)) throw new BadRequestError(`${field} must be a date (2026-12-01) or a date and time (2026-12-01T09:00:00Z).`);
  return new Date(t);
}

function addMonths(start: Date, months: number): Date {
  const d = new Date(start);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  // The 31st of a month without one runs on its last day, as calendars do.
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** The shortest a period of the pattern can be, in days: an instance must end before the next starts. */
export function shortestPeriodDays(pattern: NonNullable<Recurrence['pattern']>): number {
  return pattern.type === 'weekly' ? 7 * pattern.interval : 28 * pattern.interval;
}

export function occurrenceStart(r: Recurrence, index: number): Date {
  const first = parseDateOrTime(r.range.startDate, 'recurrence.range.startDate');
  if (!r.pattern || index === 0) return first;
  return r.pattern.type === 'weekly' ? new Date(first.getTime() + index * 7 * r.pattern.interval * DAY_MS) : addMonths(first, index * r.pattern.interval);
}

/** Whether occurrence `index` is inside the range. */
function inRange(r: Recurrence, index: number, start: Date): boolean {
  if (!r.pattern) return index === 0;
  if (r.range.type === 'numbered') return index < (r.range.numberOfOccurrences ?? 0);
  if (r.range.type === 'endDate' && r.range.endDate) {
    // The end date is a whole day: an occurrence may start on it.
    const endOfRange = parseDateOrTime(r.range.endDate, 'recurrence.range.endDate').getTime() + (/^\d{4}-\d{2}-\d{2}$/.test(r.range.endDate) ? DAY_MS : 0);
    return start.getTime() < endOfRange;
  }
  return true;
}

/** The length of every instance: instanceDurationInDays, or for a one-time review the range's own end. */
export function instanceLengthMs(r: Recurrence, instanceDurationInDays: number | null | undefined): number {
  if (instanceDurationInDays) return instanceDurationInDays * DAY_MS;
  if (!r.pattern && r.range.endDate) {
    const start = parseDateOrTime(r.range.startDate, 'recurrence.range.startDate').getTime();
    const end = parseDateOrTime(r.range.endDate, 'recurrence.range.endDate').getTime() + (/^\d{4}-\d{2}-\d{2}$/.test(r.range.endDate) ? DAY_MS : 0);
    if (end > start) return end - start;
  }
  return DEFAULT_INSTANCE_DAYS * DAY_MS;
}

/** Entra's default when a definition names no duration. */
export const DEFAULT_INSTANCE_DAYS = 3;

/**
 * The first occurrence from `fromIndex` on that has not already ended at `now`, or undefined when the
 * range has none left. Occurrences missed entirely (a review created with a start weeks ago) are skipped.
 */
export function nextOccurrence(r: Recurrence, instanceDurationInDays: number | null | undefined, fromIndex: number, now: Date): Occurrence | undefined {
  const length = instanceLengthMs(r, instanceDurationInDays);
  // A weekly review over a century is about 5,200 occurrences: a bound, not a loop without end.
  for (let index = fromIndex; index < fromIndex + 10_000; index++) {
    const start = occurrenceStart(r, index);
    if (!inRange(r, index, start)) return undefined;
    const end = new Date(start.getTime() + length);
    if (end.getTime() > now.getTime()) return { index, start, end };
  }
  return undefined;
}

/** Checks a recurrence a person wrote, with messages that say what to change. */
export function validateRecurrence(r: Recurrence, instanceDurationInDays: number | null | undefined): void {
  parseDateOrTime(r.range.startDate, 'recurrence.range.startDate');
  if (r.range.endDate) {
    const end = parseDateOrTime(r.range.endDate, 'recurrence.range.endDate');
    if (end < parseDateOrTime(r.range.startDate, 'recurrence.range.startDate'))
      throw new BadRequestError('recurrence.range.endDate must not be before its startDate.');
  }
  if (!r.pattern) return;
  if (r.range.type === 'numbered' && !(r.range.numberOfOccurrences && r.range.numberOfOccurrences > 0)) {
    throw new BadRequestError("A 'numbered' recurrence range needs numberOfOccurrences of at least 1.");
  }
  if (r.range.type === 'endDate' && !r.range.endDate) throw new BadRequestError("An 'endDate' recurrence range needs its endDate.");
  const period = shortestPeriodDays(r.pattern);
  if (instanceDurationInDays && instanceDurationInDays > period) {
    throw new BadRequestError(
      `instanceDurationInDays (${instanceDurationInDays}) must not be longer than the recurrence period (${period} days): an instance must end before the next one starts.`,
    );
  }
}
