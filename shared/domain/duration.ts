/**
 * ISO 8601 durations as Graph uses them (`PT8H`, `PT1H45M`, `P90D`, `P365D`). Years and months have no
 * fixed length, so they are refused rather than guessed.
 */
import { BadRequestError } from './errors.ts';

const PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

export function parseDuration(text: string, field = 'duration'): number {
  const match = PATTERN.exec(text.trim());
  if (!match || text.trim().toUpperCase() === 'P' || /T$/i.test(text.trim())) {
    throw new BadRequestError(
      `${field} '${text.slice(0, 40)}' is not an ISO 8601 duration such as 'PT8H' or 'P90D' (years and months are not accepted).`,
      'InvalidDuration',
    );
  }
  const [, w, d, h, m, s] = match;
  const ms = (((Number(w ?? 0) * 7 + Number(d ?? 0)) * 24 + Number(h ?? 0)) * 60 + Number(m ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
  return Math.round(ms);
}

/** The shortest ISO 8601 form of a whole number of seconds, e.g. 30600000 ms → 'PT8H30M'. */
export function formatDuration(ms: number): string {
  let seconds = Math.round(ms / 1000);
  const days = Math.floor(seconds / 86_400);
  seconds -= days * 86_400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  if (!days && !time) return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}
