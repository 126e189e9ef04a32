import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { ID_PREFIXES, isStintId, kindOfId, newId, ulid, type IdKind } from '../../../shared/domain/ids.ts';

const CROCKFORD_26 = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Crockford base-32 digits back to the epoch milliseconds of a ULID's first ten characters. */
function timeOf(id: string): number {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return [...id.slice(0, 10)].reduce((n, ch) => n * 32 + alphabet.indexOf(ch), 0);
}

describe('ulid', () => {
  it('is 26 Crockford base-32 characters when given any time', () => {
    // Act
    const ids = [0, 1, 1_700_000_000_000, Date.parse('2099-12-31T23:59:59.999Z'), 2 ** 48 - 1].map((t) => ulid(t));

    // Assess
    for (const id of ids) expect(id).toMatch(CROCKFORD_26);
  });

  it('encodes the time in its first ten characters when decoded again', () => {
    // Prepare
    const times = [0, 1, 31, 32, 1_736_935_200_000, 2 ** 48 - 1];

    // Act
    const decoded = times.map((t) => timeOf(ulid(t)));

    // Assess
    expect(decoded).toEqual(times);
  });

  it('sorts by time when the times differ', () => {
    // Prepare
    const times = [1_736_935_200_000, 1_736_935_200_001, 1_736_935_200_999, 1_736_935_260_000, 1_800_000_000_000];

    // Act
    const ids = [...times].reverse().map((t) => ulid(t));

    // Assess
    expect([...ids].sort()).toEqual([...ids].reverse());
  });

  it('is strictly increasing when 1000 are made within one millisecond', () => {
    // Prepare
    const clock = new ManualClock('2025-01-15T10:00:00.000Z');

    // Act
    const ids = Array.from({ length: 1000 }, () => ulid(clock.now().getTime()));

    // Assess
    expect(new Set(ids).size).toBe(1000);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!, `${ids[i]} after ${ids[i - 1]}`).toBe(true);
    expect(new Set(ids.map((id) => id.slice(0, 10))).size).toBe(1);
  });

  it('starts a fresh random part when the millisecond changes', () => {
    // Prepare
    const first = ulid(1_736_935_300_000);

    // Act
    const second = ulid(1_736_935_300_001);

    // Assess
    expect(second > first).toBe(true);
    expect(second.slice(0, 10)).not.toBe(first.slice(0, 10));
  });
});

describe('newId', () => {
  it.each(Object.entries(ID_PREFIXES) as [IdKind, string][])('prefixes a %s id with %s_', (kind, prefix) => {
    // Prepare
    const clock = new ManualClock('2025-01-15T10:00:00.000Z');

    // Act
    const id = newId(kind, clock);

    // Assess
    expect(id.startsWith(`${prefix}_`)).toBe(true);
    expect(id.slice(prefix.length + 1)).toMatch(CROCKFORD_26);
    expect(timeOf(id.slice(prefix.length + 1))).toBe(clock.now().getTime());
  });

  it('uses a distinct three-letter prefix for every kind', () => {
    // Act
    const prefixes = Object.values(ID_PREFIXES);

    // Assess
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const prefix of prefixes) expect(prefix).toMatch(/^[a-z]{3}$/);
  });

  it('orders ids by creation time when the clock moves forward', () => {
    // Prepare
    const clock = new ManualClock('2025-01-15T10:00:00.000Z');

    // Act
    const ids = Array.from({ length: 50 }, () => {
      clock.advance(7);
      return newId('user', clock);
    });

    // Assess
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('kindOfId', () => {
  const clock = new ManualClock('2025-01-15T10:00:00.000Z');

  it.each(Object.keys(ID_PREFIXES) as IdKind[])('names %s when given an id that newId made for it', (kind) => {
    // Act
    const found = kindOfId(newId(kind, clock));

    // Assess
    expect(found).toBe(kind);
  });

  it.each([
    ['a built-in role template id', '62e90394-69f5-4237-9190-012177145e10'],
    ['an unknown prefix', 'xyz_01JHGZ3S8V0M5Q7R2T4W6Y8A0C'],
    ['an upper-case prefix', 'USR_01JHGZ3S8V0M5Q7R2T4W6Y8A0C'],
    ['an empty string', ''],
  ])('is undefined when given %s', (_, id) => {
    // Act
    const found = kindOfId(id);

    // Assess
    expect(found).toBeUndefined();
  });

  it('reads only the prefix when the rest is not a ULID, so isStintId is what validates', () => {
    // Prepare
    const id = 'grp_not-a-ulid';

    // Act
    const found = kindOfId(id);

    // Assess
    expect(found).toBe('group');
    expect(isStintId(id)).toBe(false);
  });
});

describe('isStintId', () => {
  it('accepts every id that newId makes', () => {
    // Prepare
    const clock = new ManualClock('2025-01-15T10:00:00.000Z');

    // Act
    const ids = (Object.keys(ID_PREFIXES) as IdKind[]).map((kind) => newId(kind, clock));

    // Assess
    for (const id of ids) expect(isStintId(id), id).toBe(true);
  });

  it.each([
    ['a GUID', '62e90394-69f5-4237-9190-012177145e10'],
    ['a ULID without prefix', '01JHGZ3S8V0M5Q7R2T4W6Y8A0C'],
    ['a short ULID', 'usr_01JHGZ3S8V0M5Q7R2T4W6Y8A0'],
    ['a long ULID', 'usr_01JHGZ3S8V0M5Q7R2T4W6Y8A0CD'],
    ['lower-case ULID digits', 'usr_01jhgz3s8v0m5q7r2t4w6y8a0c'],
    ['the excluded letter I', 'usr_01JHGZ3S8V0M5Q7R2T4W6Y8A0I'],
    ['the excluded letter L', 'usr_01JHGZ3S8V0M5Q7R2T4W6Y8A0L'],
    ['the excluded letter O', 'usr_01JHGZ3S8V0M5Q7R2T4W6Y8A0O'],
    ['the excluded letter U', 'usr_01JHGZ3S8V0M5Q7R2T4W6Y8A0U'],
    ['a path in disguise', 'usr_01JHGZ3S8V0M5Q7R2T4W6Y8A0C/../x'],
    ['a trailing newline', 'usr_01JHGZ3S8V0M5Q7R2T4W6Y8A0C\n'],
  ])('rejects %s', (_, id) => {
    // Act
    const valid = isStintId(id);

    // Assess
    expect(valid).toBe(false);
  });
});
