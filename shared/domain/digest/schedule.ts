/**
 * When the weekly digest goes out: once per ISO week (Monday to Sunday, UTC), from Monday 08:00 UTC. The
 * job runs hourly; the first run at or after that time in the week sends it, and the week's id makes
 * every later run of the week (or a retry, or a second run at the same time) a no-op.
 */

const DAY_MS = 86_400_000;
/** Monday 08:00 UTC. */
const SEND_FROM_MS = 8 * 3_600_000;

export interface IsoWeek {
  /** e.g. '2026-W49' */
  id: string;
  /** Monday 00:00 UTC of the week. */
  start: Date;
}

export function isoWeekOf(at: Date): IsoWeek {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const monday = day - weekday * DAY_MS;
  // The ISO year is the year of the week's Thursday.
  const thursday = new Date(monday + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return { id: `${year}-W${String(week).padStart(2, '0')}`, start: new Date(monday) };
}

/** When the digest of `at`'s week may first be sent. */
export function digestSendTime(at: Date): Date {
  return new Date(isoWeekOf(at).start.getTime() + SEND_FROM_MS);
}

export function isDigestDue(at: Date): boolean {
  return at.getTime() >= digestSendTime(at).getTime();
}
