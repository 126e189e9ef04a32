/**
 * Records that a user signed in (an authenticated API request), for the stale-account alert and the
 * user's `signInActivity`. At most one write an hour per user: this process skips a user it recorded
 * within the hour, and the write itself is conditioned on the stored time being an hour old, so many
 * processes still make one write. An hour is nothing beside the alert's days. Bookkeeping never fails a
 * request: a failed write is logged and tried again on the user's next request.
 */
import { errorMessage, logger } from '../../observability/logger.ts';
import { lastSignIns, recordSignIn } from '../../store/sign-ins.ts';
import { requirePermission } from '../authorize.ts';
import type { Actor, Services } from '../context.ts';
import { RecentNotes } from '../recent-notes.ts';

export const SIGN_IN_RECORD_INTERVAL_MS = 3600 * 1000;

const recorded = new RecentNotes(SIGN_IN_RECORD_INTERVAL_MS);

export async function noteSignIn(svc: Services, userId: string): Promise<void> {
  const now = svc.clock.now();
  const key = `${svc.table.tableName}|${userId}`;
  if (!recorded.take(key, now.getTime())) return;
  try {
    await recordSignIn(svc.table, userId, now, SIGN_IN_RECORD_INTERVAL_MS);
  } catch (error) {
    recorded.forget(key);
    logger.warn('recording a sign-in failed; the next request tries again', { userId, error: errorMessage(error) });
  }
}

/** Graph's `signInActivity` of a user: what Stint knows is its last (interactive, successful) sign-in. */
export interface SignInActivity {
  lastSignInDateTime: string | null;
  lastSignInRequestId: null;
  lastNonInteractiveSignInDateTime: null;
  lastNonInteractiveSignInRequestId: null;
  lastSuccessfulSignInDateTime: string | null;
  lastSuccessfulSignInRequestId: null;
}

/**
 * Adds `signInActivity` to users when `$select` names it, as Graph returns it only then: one batch read
 * per hundred users, paid only by those who ask. Graph asks for AuditLog.Read.All; here, a reader of the
 * audit log (who sees sign-in times there anyway).
 */
export async function withSignInActivity<T extends { id: string }>(
  svc: Services,
  actor: Actor,
  users: T[],
  select: string | undefined,
): Promise<(T & { signInActivity?: SignInActivity })[]> {
  const wanted = select?.split(',').some((name) => name.trim() === 'signInActivity');
  if (!wanted || users.length === 0) return users;
  await requirePermission(svc, actor, 'audit.readAll', {
    because: 'signInActivity says when users last signed in, which only readers of the audit log may see.',
  });
  const last = await lastSignIns(
    svc.table,
    users.map((u) => u.id),
  );
  return users.map((u) => {
    const at = last.get(u.id) ?? null;
    return {
      ...u,
      signInActivity: {
        lastSignInDateTime: at,
        lastSignInRequestId: null,
        lastNonInteractiveSignInDateTime: null,
        lastNonInteractiveSignInRequestId: null,
        lastSuccessfulSignInDateTime: at,
        lastSuccessfulSignInRequestId: null,
      },
    };
  });
}
