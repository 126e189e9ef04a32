/**
 * Retries with exponential backoff and full jitter, for calls to services that throttle (SES,
 * EventBridge). The sleep and the randomness are injected so that tests neither wait nor guess.
 */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1). */
  random: () => number;
  isRetryable: (error: unknown) => boolean;
}

/** Full jitter: a random wait up to the exponential step, so that throttled senders spread out. */
export function backoffDelay(attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.floor(options.random() * step);
}

export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt + 1 >= options.maxAttempts || !options.isRetryable(error)) throw error;
      await options.sleep(backoffDelay(attempt, options));
    }
  }
}

const THROTTLING = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalServerError',
]);

/**
 * Throttling and server faults (5xx) pass with time; anything else (a rejected message, a paused
 * account, a bad address) will fail the same way again. Errors without an HTTP status (the connection
 * dropped, a timeout) are retried too.
 */
export function isTransientAwsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown; $fault?: string };
  if (e.name && THROTTLING.has(e.name)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status === undefined) return e.$fault !== 'client';
  return status === 429 || status >= 500;
}
