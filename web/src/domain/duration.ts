/** ISO 8601 durations (PT8H, P1D, PT1H30M) in hours, and as people say them. */

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
