/** Times in the person's own zone, with the UTC instant on hover; and a countdown to an end. */
import { useEffect, useState } from 'react';

const FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatTime(iso: string): string {
  return FORMAT.format(new Date(iso));
}

export function Time({ value, empty = 'Permanent' }: { value: string | null | undefined; empty?: string }) {
  if (!value) return <>{empty}</>;
  const utc = new Date(value).toISOString().replace('.000Z', 'Z');
  return (
    <time dateTime={value} title={`${utc} (UTC)`}>
      {formatTime(value)}
    </time>
  );
}

/** The current time, refreshed every `everyMs` while mounted. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** "3 d 4 h left", "23 h 53 m left", "4 m left". */
export function timeLeft(endIso: string, now: number): string {
  const ms = Date.parse(endIso) - now;
  if (ms <= 0) return 'Ended';
  const minutes = Math.ceil(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days} d ${hours} h left`;
  if (hours > 0) return `${hours} h ${mins} m left`;
  return `${mins} m left`;
}

export function Countdown({ end }: { end: string | null }) {
  const now = useNow(15_000);
  if (!end) return <>No end</>;
  return <span title={`Ends ${formatTime(end)}`}>{timeLeft(end, now)}</span>;
}

/** ISO 8601 durations as people say them: PT8H → "8 hours", P1D → "1 day". */
export function describeDuration(iso: string | undefined): string {
  if (!iso) return '';
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  if (!m) return iso;
  const parts: string[] = [];
  const [, d, h, min] = m;
  if (d) parts.push(`${d} day${d === '1' ? '' : 's'}`);
  if (h) parts.push(`${h} hour${h === '1' ? '' : 's'}`);
  if (min) parts.push(`${min} minute${min === '1' ? '' : 's'}`);
  return parts.join(' ') || iso;
}

export function durationHours(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0) + Number(m[3] ?? 0) / 60;
}
