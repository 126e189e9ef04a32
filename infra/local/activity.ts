/**
 * A process-wide pulse of the local stack: the stream poller beats after each batch it delivers and the
 * workflow engine after each state a run enters or ends. Whoever waits for asynchronous work to show
 * (tests, mostly) re-checks on a beat instead of hammering DynamoDB Local on a timer.
 */
let waiters: (() => void)[] = [];

export function signalLocalActivity(): void {
  const woken = waiters;
  waiters = [];
  for (const wake of woken) wake();
}

/** Resolves at the next beat. */
export function nextLocalActivity(): Promise<void> {
  return new Promise((resolve) => waiters.push(resolve));
}
