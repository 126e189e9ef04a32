/**
 * Records that a user signed in (an authenticated API request), for the stale-account alert and the
 * user's `signInActivity`. At most one write an hour per user: this process skips a user it recorded
 * within the hour, and the write itself is conditioned on the stored time being an hour old, so many
 * processes still make one write. An hour is nothing beside the alert's days. Bookkeeping never fails a
 * request: a failed write is logged and tried again on the user's next request.
 */
import { errorMessage, logger } from '../../observability/logger.ts';
import { recordSignIn } from '../../store/sign-ins.ts';
import type { Services } from '../context.ts';

export const SIGN_IN_RECORD_INTERVAL_MS = 3600 * 1000;

const recorded = new Map<string, number>();
const REMEMBERED = 50_000;

export async function noteSignIn(svc: Services, userId: string): Promise<void> {
  const now = svc.clock.now();
  const key = `${svc.table.tableName}|${userId}`;
  const last = recorded.get(key);
  // A clock moved backwards (tests) records again rather than waiting for the past.
  if (last !== undefined && now.getTime() - last < SIGN_IN_RECORD_INTERVAL_MS && now.getTime() >= last) return;
  if (recorded.size >= REMEMBERED) recorded.clear();
  recorded.set(key, now.getTime());
  try {
    await recordSignIn(svc.table, userId, now, SIGN_IN_RECORD_INTERVAL_MS);
  } catch (error) {
    recorded.delete(key);
    logger.warn('recording a sign-in failed; the next request tries again', { userId, error: errorMessage(error) });
  }
}
