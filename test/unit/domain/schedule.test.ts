import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../../shared/domain/errors.ts';
import { hasEnded, isInForce, resolveWindow, scheduleInfoOf, windowLength, type ScheduleInfoInput, type Window } from '../../../shared/domain/schedule.ts';

const NOW = new Date('2030-01-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();
const H = 3_600_000;
const D = 24 * H;

describe('resolveWindow', () => {
  type Case = [
    name: string,
    info: ScheduleInfoInput | null | undefined,
    defaultType: Window['expirationType'],
    expected: { start: string; end: string | null; expirationType: string; duration: string | null },
  ];
  it.each<Case>([
    ['nothing, defaulting to noExpiration', undefined, 'noExpiration', { start: at(0), end: null, expirationType: 'noExpiration', duration: null }],
    ['null, defaulting to noExpiration', null, 'noExpiration', { start: at(0), end: null, expirationType: 'noExpiration', duration: null }],
    ['noExpiration', { expiration: { type: 'noExpiration' } }, 'afterDuration', { start: at(0), end: null, expirationType: 'noExpiration', duration: null }],
    [
      'afterDuration PT2H',
      { expiration: { type: 'afterDuration', duration: 'PT2H' } },
      'noExpiration',
      { start: at(0), end: at(2 * H), expirationType: 'afterDuration', duration: 'PT2H' },
    ],
    [
      'afterDuration normalised (PT90M → PT1H30M)',
      { expiration: { type: 'afterDuration', duration: 'PT90M' } },
      'noExpiration',
      { start: at(0), end: at(1.5 * H), expirationType: 'afterDuration', duration: 'PT1H30M' },
    ],
    [
      'afterDateTime',
      { expiration: { type: 'afterDateTime', endDateTime: at(D) } },
      'noExpiration',
      { start: at(0), end: at(D), expirationType: 'afterDateTime', duration: null },
    ],
    [
      'a start in the past, taken as now',
      { startDateTime: at(-D), expiration: { type: 'afterDuration', duration: 'PT1H' } },
      'noExpiration',
      { start: at(0), end: at(H), expirationType: 'afterDuration', duration: 'PT1H' },
    ],
    [
      'a future start, kept',
      { startDateTime: at(3 * H), expiration: { type: 'afterDuration', duration: 'PT1H' } },
      'noExpiration',
      { start: at(3 * H), end: at(4 * H), expirationType: 'afterDuration', duration: 'PT1H' },
    ],
    [
      'a null start, taken as now',
      { startDateTime: null, expiration: { type: 'afterDuration', duration: 'PT1H' } },
      'noExpiration',
      { start: at(0), end: at(H), expirationType: 'afterDuration', duration: 'PT1H' },
    ],
    [
      'notSpecified with a duration: afterDuration',
      { expiration: { type: 'notSpecified', duration: 'PT3H' } },
      'noExpiration',
      { start: at(0), end: at(3 * H), expirationType: 'afterDuration', duration: 'PT3H' },
    ],
    [
      'no type with an end: afterDateTime',
      { expiration: { endDateTime: at(2 * D) } },
      'noExpiration',
      { start: at(0), end: at(2 * D), expirationType: 'afterDateTime', duration: null },
    ],
    ['no type, nothing else: the default', { expiration: {} }, 'noExpiration', { start: at(0), end: null, expirationType: 'noExpiration', duration: null }],
    [
      'a future start with an end after it',
      { startDateTime: at(D), expiration: { type: 'afterDateTime', endDateTime: at(2 * D) } },
      'noExpiration',
      { start: at(D), end: at(2 * D), expirationType: 'afterDateTime', duration: null },
    ],
  ])('%s', (_name, info, defaultType, expected) => {
    const window = resolveWindow(info, NOW, defaultType);
    expect({
      start: window.start.toISOString(),
      end: window.end?.toISOString() ?? null,
      expirationType: window.expirationType,
      duration: window.duration,
    }).toEqual(expected);
  });

  it.each<[string, ScheduleInfoInput, Window['expirationType']]>([
    ['afterDuration without a duration', { expiration: { type: 'afterDuration' } }, 'noExpiration'],
    ['a default of afterDuration without a duration', { expiration: {} }, 'afterDuration'],
    ['afterDateTime without an end', { expiration: { type: 'afterDateTime' } }, 'noExpiration'],
    ['a default of afterDateTime without an end', {}, 'afterDateTime'],
    ['an end before the start', { expiration: { type: 'afterDateTime', endDateTime: at(-H) } }, 'noExpiration'],
    ['an end equal to the start', { expiration: { type: 'afterDateTime', endDateTime: at(0) } }, 'noExpiration'],
    ['an end before a future start', { startDateTime: at(2 * D), expiration: { type: 'afterDateTime', endDateTime: at(D) } }, 'noExpiration'],
    ['a zero duration', { expiration: { type: 'afterDuration', duration: 'PT0S' } }, 'noExpiration'],
    ['a duration in months', { expiration: { type: 'afterDuration', duration: 'P1M' } }, 'noExpiration'],
    ['a start that is not a date', { startDateTime: 'tomorrow', expiration: { type: 'noExpiration' } }, 'noExpiration'],
  ])('refuses %s with a 400', (_name, info, defaultType) => {
    expect(() => resolveWindow(info, NOW, defaultType)).toThrow(BadRequestError);
  });
});

describe('isInForce and hasEnded: start <= now < end', () => {
  const start = at(0);
  const end = at(H);
  it.each([
    ['before the start', -1, false, false],
    ['at the start', 0, true, false],
    ['in the middle', H / 2, true, false],
    ['1 ms before the end', H - 1, true, false],
    ['at the end', H, false, true],
    ['after the end', H + 1, false, true],
  ])('%s', (_name, offset, inForce, ended) => {
    const now = new Date(NOW.getTime() + offset);
    expect(isInForce({ startDateTime: start, endDateTime: end }, now)).toBe(inForce);
    expect(hasEnded({ endDateTime: end }, now)).toBe(ended);
  });

  it.each([
    [-1, false],
    [0, true],
    [100 * 365 * D, true],
  ])('a permanent schedule at %i ms from its start: in force %s, never ended', (offset, inForce) => {
    const now = new Date(NOW.getTime() + offset);
    expect(isInForce({ startDateTime: start, endDateTime: null }, now)).toBe(inForce);
    expect(hasEnded({ endDateTime: null }, now)).toBe(false);
  });
});

describe('windowLength', () => {
  it.each([
    [{ start: new Date(at(0)), end: new Date(at(H)), expirationType: 'afterDuration', duration: 'PT1H' } as Window, H],
    [{ start: new Date(at(0)), end: null, expirationType: 'noExpiration', duration: null } as Window, null],
  ])('%#', (window, length) => {
    expect(windowLength(window)).toBe(length);
  });
});

describe("scheduleInfoOf: Graph's scheduleInfo", () => {
  it.each([
    [
      { expirationType: 'noExpiration', endDateTime: null, duration: null },
      { type: 'noExpiration', endDateTime: null, duration: null },
    ],
    [
      { expirationType: 'afterDateTime', endDateTime: at(D), duration: null },
      { type: 'afterDateTime', endDateTime: at(D), duration: null },
    ],
    // afterDuration shows its duration, not the computed end, as Graph's requests do.
    [
      { expirationType: 'afterDuration', endDateTime: at(2 * H), duration: 'PT2H' },
      { type: 'afterDuration', endDateTime: null, duration: 'PT2H' },
    ],
  ] as const)('%j', (s, expiration) => {
    expect(scheduleInfoOf({ startDateTime: at(0), ...s })).toEqual({ startDateTime: at(0), recurrence: null, expiration });
  });
});
