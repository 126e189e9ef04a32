import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../../shared/domain/clock.ts';

describe('retry back-offs on the injected clock', () => {
  it('a manual clock neither waits an hour of wall time nor moves its own time for a back-off', async () => {
    // Prepare
    const clock = new ManualClock('2025-01-15T10:00:00.000Z');

    // Act
    await clock.sleep(3_600_000);

    // Assess
    expect(clock.now().toISOString()).toBe('2025-01-15T10:00:00.000Z');
  });

  it('the system clock waits at least the back-off', async () => {
    // Prepare
    const started = performance.now();

    // Act
    await systemClock.sleep(30);

    // Assess
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
});
