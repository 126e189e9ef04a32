/** Time is injected everywhere so that expiry and ordering can be tested at exact instants. */
export interface Clock {
  now(): Date;
  /**
   * Resolves once the clock reads `at` or later (at once if it already does, or when `signal` aborts).
   * The local workflow engine waits on this, so a test's clock drives the state machine's waits.
   */
  until(at: Date, signal?: AbortSignal): Promise<void>;
  /**
   * A retry's back-off. It is the clock's too, so a test on a manual clock never waits wall time for a
   * retry; it still yields, so the writers it races get their turn.
   */
  sleep(ms: number): Promise<void>;
}

/** setTimeout overflows past 2^31 − 1 ms (about 24.8 days); longer waits are taken in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  until(at, signal) {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const step = () => {
        const left = at.getTime() - Date.now();
        if (left <= 0 || signal?.aborted) return done();
        timer = setTimeout(step, Math.min(left, LONGEST_TIMER_MS));
      };
      signal?.addEventListener('abort', done, { once: true });
      step();
    });
  },
};

/** A clock that stands still until moved; for tests. Waiters wake when it is moved past their time. */
export class ManualClock implements Clock {
  private current: number;
  private waiters = new Set<{ at: number; wake: () => void }>();

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
    this.wakeDue();
  }
  advance(ms: number): void {
    this.current += ms;
    this.wakeDue();
  }
  until(at: Date, signal?: AbortSignal): Promise<void> {
    if (at.getTime() <= this.current || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        at: at.getTime(),
        wake: () => {
          this.waiters.delete(waiter);
          signal?.removeEventListener('abort', waiter.wake);
          resolve();
        },
      };
      this.waiters.add(waiter);
      signal?.addEventListener('abort', waiter.wake, { once: true });
    });
  }
  sleep(_ms: number): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }
  /** How many waits are pending (a test can tell that a run has reached its wait). */
  get pendingWaits(): number {
    return this.waiters.size;
  }
  private wakeDue(): void {
    for (const w of [...this.waiters]) if (w.at <= this.current) w.wake();
  }
}
