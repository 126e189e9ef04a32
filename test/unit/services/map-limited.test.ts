import { describe, expect, it } from 'vitest';
import { mapLimited } from '../../../shared/services/map-limited.ts';

describe('mapLimited', () => {
  it('keeps the results in order and never has more than the limit in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapLimited([50, 10, 30, 0, 20, 5], 2, async (ms) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      return ms * 2;
    });
    expect(results).toEqual([100, 20, 60, 0, 40, 10]);
    expect(most).toBe(2);
  });

  it('does nothing for nothing', async () => {
    expect(await mapLimited([], 4, async () => 1)).toEqual([]);
  });
});
