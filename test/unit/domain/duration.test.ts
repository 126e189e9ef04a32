import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../shared/domain/duration.ts';
import { BadRequestError } from '../../../shared/domain/errors.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseDuration', () => {
  it.each([
    ['PT8H', 8 * H],
    ['PT5H', 5 * H],
    ['PT1H45M', H + 45 * M],
    ['PT30M', 30 * M],
    ['PT90S', 90 * S],
    ['PT0.5S', 500],
    ['P90D', 90 * D],
    ['P365D', 365 * D],
    ['P180D', 180 * D],
    ['P1W', 7 * D],
    ['P1W2D', 9 * D],
    ['P1DT12H', D + 12 * H],
    ['pt8h', 8 * H],
    [' PT8H ', 8 * H],
    ['PT0S', 0],
  ])('%j → %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'P', 'PT', 'P1DT', 'P1M', 'P1Y', 'P1Y2M', '8H', 'PT-1H', 'PT1.5H', 'P1.5D', 'PT8H30', 'forever', 'PT1H1H'])(
    'refuses %j with InvalidDuration',
    (text) => {
      expect(() => parseDuration(text)).toThrow(BadRequestError);
      try {
        parseDuration(text, 'scheduleInfo.expiration.duration');
      } catch (error) {
        expect((error as BadRequestError).code).toBe('InvalidDuration');
        expect((error as BadRequestError).message).toContain('scheduleInfo.expiration.duration');
      }
    },
  );
});

describe('formatDuration', () => {
  it.each([
    [0, 'PT0S'],
    [400, 'PT0S'],
    [S, 'PT1S'],
    [8 * H, 'PT8H'],
    [8 * H + 30 * M, 'PT8H30M'],
    [H + M + S, 'PT1H1M1S'],
    [D, 'P1D'],
    [90 * D, 'P90D'],
    [D + H + M + S, 'P1DT1H1M1S'],
    [7 * D, 'P7D'],
  ])('%i ms → %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each(['PT8H', 'PT1H45M', 'P90D', 'P1DT12H', 'PT30S', 'P365DT23H59M59S'])('round-trips %j', (text) => {
    expect(formatDuration(parseDuration(text))).toBe(text);
  });
});
