/**
 * Bookkeeping noted at most once per interval per thing, per process (a last sign-in, a use of access):
 * what this process noted lately is skipped, so the table sees a write per interval, not one per request.
 */
export class RecentNotes {
  private readonly noted = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly remembered = 50_000,
  ) {}

  /** Whether `key` is due at `now`; if so it counts as noted from now. A clock moved backwards (tests) makes it due. */
  take(key: string, now: number): boolean {
    const last = this.noted.get(key);
    if (last !== undefined && now - last < this.intervalMs && now >= last) return false;
    if (this.noted.size >= this.remembered) this.noted.clear();
    this.noted.set(key, now);
    return true;
  }

  /** The note was not written after all: the next request tries again. */
  forget(key: string): void {
    this.noted.delete(key);
  }
}
