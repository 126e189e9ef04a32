import { describe, expect, it } from 'vitest';
import { extendsBeyond, extensionWindowRefusal, extensionWindowToCheck } from '../../../shared/domain/extension-window.ts';
import type { Window } from '../../../shared/domain/schedule.ts';

const NOW = new Date('2026-03-15T00:00:00.000Z');
const DAY = 86_400_000;
const days = (n: number) => new Date(NOW.getTime() + n * DAY);

describe('extensionWindowRefusal', () => {
  it('opens selfExtend from 14 days before the end until the end', () => {
    expect(extensionWindowRefusal('selfExtend', days(14), NOW)).toBeUndefined();
    expect(extensionWindowRefusal('selfExtend', days(0.001), NOW)).toBeUndefined();
    expect(extensionWindowRefusal('selfExtend', days(14.001), NOW)?.code).toBe('ExtensionNotAllowed');
    expect(extensionWindowRefusal('selfExtend', days(0), NOW)?.code).toBe('ExtensionNotAllowed');
    expect(extensionWindowRefusal('selfExtend', days(-1), NOW)?.message).toMatch(/renew it once it has expired/);
  });

  it('opens selfRenew from the end until 30 days after it', () => {
    expect(extensionWindowRefusal('selfRenew', days(0), NOW)).toBeUndefined();
    expect(extensionWindowRefusal('selfRenew', days(-30), NOW)).toBeUndefined();
    expect(extensionWindowRefusal('selfRenew', days(-30.001), NOW)?.code).toBe('RenewalNotAllowed');
    expect(extensionWindowRefusal('selfRenew', days(1), NOW)?.code).toBe('RenewalNotAllowed');
  });
});

describe('extensionWindowToCheck', () => {
  const requested: Window = { start: NOW, end: days(20), expirationType: 'afterDateTime', duration: null };

  it("judges an extension from the assignment's start, so repeated extensions cannot outgrow the maximum", () => {
    expect(extensionWindowToCheck('selfExtend', days(-100), requested)).toEqual({ ...requested, start: days(-100) });
    // A start after the requested one never narrows it.
    expect(extensionWindowToCheck('selfExtend', days(1), requested)).toEqual(requested);
  });

  it('judges a renewal by the new window alone', () => {
    expect(extensionWindowToCheck('selfRenew', days(-100), requested)).toBe(requested);
  });
});

describe('extendsBeyond', () => {
  it('needs a new end later than the current one', () => {
    expect(extendsBeyond(days(5).toISOString(), days(6))).toBe(true);
    expect(extendsBeyond(days(5).toISOString(), days(5))).toBe(false);
    expect(extendsBeyond(days(5).toISOString(), days(4))).toBe(false);
  });

  it('has nothing to compare when either end is open', () => {
    expect(extendsBeyond(null, days(1))).toBe(true);
    expect(extendsBeyond(days(5).toISOString(), null)).toBe(true);
  });
});
