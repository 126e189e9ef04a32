import { describe, expect, it } from 'vitest';
import { nextOccurrence, occurrenceStart, validateRecurrence, type Recurrence } from '../../../../shared/domain/access-reviews/recurrence.ts';

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);
const monthly = (interval: number, startDate: string, range: Partial<Recurrence['range']> = {}): Recurrence => ({
  pattern: { type: 'absoluteMonthly', interval },
  range: { type: 'noEnd', startDate, ...range },
});

describe('occurrences', () => {
  it('weekly every two weeks', () => {
    const r: Recurrence = { pattern: { type: 'weekly', interval: 2 }, range: { type: 'noEnd', startDate: '2030-01-07' } };
    expect([0, 1, 2].map((i) => occurrenceStart(r, i).toISOString())).toEqual([
      '2030-01-07T00:00:00.000Z',
      '2030-01-21T00:00:00.000Z',
      '2030-02-04T00:00:00.000Z',
    ]);
  });

  it('quarterly, semi-annually and annually are absoluteMonthly every 3, 6 and 12 months', () => {
    expect(occurrenceStart(monthly(3, '2030-01-15'), 1).toISOString()).toBe('2030-04-15T00:00:00.000Z');
    expect(occurrenceStart(monthly(6, '2030-01-15'), 1).toISOString()).toBe('2030-07-15T00:00:00.000Z');
    expect(occurrenceStart(monthly(12, '2030-01-15'), 2).toISOString()).toBe('2032-01-15T00:00:00.000Z');
  });

  it('the 31st runs on the last day of shorter months, and back on the 31st after', () => {
    const r = monthly(1, '2030-01-31');
    expect([1, 2, 3].map((i) => occurrenceStart(r, i).toISOString().slice(0, 10))).toEqual(['2030-02-28', '2030-03-31', '2030-04-30']);
  });

  it('keeps the time of day a start date-time gives', () => {
    expect(occurrenceStart(monthly(1, '2030-01-10T09:30:00Z'), 1).toISOString()).toBe('2030-02-10T09:30:00.000Z');
  });

  it('skips occurrences that ended before now, and takes one under way', () => {
    const r = monthly(3, '2030-01-01');
    const next = nextOccurrence(r, 7, 0, at('2030-04-03T00:00:00Z'));
    expect(next).toMatchObject({ index: 1, start: at('2030-04-01T00:00:00Z'), end: at('2030-04-08T00:00:00Z') });
    expect(nextOccurrence(r, 7, 0, at('2030-04-09T00:00:00Z'))?.index).toBe(2);
  });

  it('numbered ranges stop after their count; endDate ranges after the end day', () => {
    expect(nextOccurrence(monthly(1, '2030-01-01', { type: 'numbered', numberOfOccurrences: 2 }), 3, 2, at('2030-01-01T00:00:00Z'))).toBeUndefined();
    const ending = monthly(1, '2030-01-01', { type: 'endDate', endDate: '2030-03-01' });
    expect(nextOccurrence(ending, 3, 2, at('2030-01-01T00:00:00Z'))?.start).toEqual(at('2030-03-01T00:00:00Z'));
    expect(nextOccurrence(ending, 3, 3, at('2030-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('a one-time review has one occurrence, as long as its duration or its range', () => {
    const once: Recurrence = { pattern: null, range: { type: 'numbered', startDate: '2030-05-01', endDate: '2030-05-10' } };
    expect(nextOccurrence(once, null, 0, at('2030-05-02T00:00:00Z'))).toMatchObject({ index: 0, end: at('2030-05-11T00:00:00Z') });
    expect(nextOccurrence(once, 2, 0, at('2030-05-02T00:00:00Z'))?.end.getTime()).toBe(at('2030-05-01T00:00:00Z').getTime() + 2 * DAY);
    expect(nextOccurrence(once, 2, 1, at('2030-05-02T00:00:00Z'))).toBeUndefined();
  });
});

describe('validation', () => {
  it('an instance may not outlast its period', () => {
    expect(() => validateRecurrence({ pattern: { type: 'weekly', interval: 1 }, range: { type: 'noEnd', startDate: '2030-01-01' } }, 8)).toThrow(
      /must not be longer than the recurrence period \(7 days\)/,
    );
    expect(() => validateRecurrence(monthly(3, '2030-01-01'), 30)).not.toThrow();
  });

  it('refuses dates that are not dates, ends before starts, and ranges missing their end', () => {
    expect(() => validateRecurrence(monthly(1, 'soon'), 3)).toThrow(/must be a date/);
    expect(() => validateRecurrence(monthly(1, '2030-02-01', { type: 'endDate', endDate: '2030-01-01' }), 3)).toThrow(/must not be before/);
    expect(() => validateRecurrence(monthly(1, '2030-02-01', { type: 'endDate' }), 3)).toThrow(/needs its endDate/);
    expect(() => validateRecurrence(monthly(1, '2030-02-01', { type: 'numbered', numberOfOccurrences: 0 }), 3)).toThrow(/numberOfOccurrences/);
  });
});
