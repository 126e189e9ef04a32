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

// Pure, so that domain code and its unit tests use them without React.
export { describeDuration, durationHours } from '../domain/duration.ts';
