/**
 * Access derived from something ends when that thing ends (docs/architecture.md §4): when a principal leaves a
 * group — removed, deleted, or its PIM for groups membership ends — the activations it made through
 * that group's eligibility end too, and one still held only through a PIM membership is cut to that
 * membership's end. Reads already refuse them from that instant (an activation is in force only while
 * its basis is, principal-access.ts); this makes the stored schedules agree, one transaction and audit
 * record each, the way an early deactivation does, so a member with many activations never outgrows a
 * transaction. Removing a schedule stops its lifecycle run (lifecycle-signals.ts); a cut one is expired
 * at its new end by the sweeper. Idempotent: a second call finds nothing to do, so every path that ends
 * a membership may call it.
 */
import { ConflictError } from '../../../domain/errors.ts';
import { hasEnded, type Schedule } from '../../../domain/schedule.ts';
import { deleteSchedule, releaseSlot, replaceSchedule, updateSlot } from '../../../store/role-schedules.ts';
import { commitChange, type ConditionalWrite } from '../../../store/transact.ts';
import { errorMessage, logger } from '../../../observability/logger.ts';
import type { Actor, Services } from '../../context.ts';
import { scheduleAudit } from '../../lifecycle/schedule-audit.ts';
import { heldUntil, holdingsOf, type Holding } from './principal-access.ts';

export const ENDED_WITH_MEMBERSHIP = 'Remove member from role completed (PIM activation ended: left the group)';
export const CUT_TO_MEMBERSHIP = "Update member in PIM completed (PIM activation cut to the group membership's end)";

const ATTEMPTS = 3;

/** What to do with one activation now: end it (its basis is gone), cut it (its basis ends sooner), or nothing. */
async function fitting(
  svc: Services,
  actor: Actor,
  h: Holding,
  now: Date,
): Promise<{ writes: ConditionalWrite[]; audit: Awaited<ReturnType<typeof scheduleAudit>> } | undefined> {
  const s = h.schedule;
  if (h.basis === undefined || hasEnded(s, now)) return undefined;
  if (h.basis === null) {
    const audit = await scheduleAudit(svc, actor, s, ENDED_WITH_MEMBERSHIP, { oldValue: s.status, newValue: 'Revoked' }, now, 'Unassign');
    return { writes: [...deleteSchedule(s, h.version), releaseSlot(s, 'C')], audit };
  }
  const until = heldUntil(h.basis);
  if (until === null || (s.endDateTime !== null && Date.parse(s.endDateTime) <= Date.parse(until))) return undefined;
  const cut: Schedule = { ...s, endDateTime: until, expirationType: 'afterDateTime', duration: null, modifiedDateTime: now.toISOString() };
  const audit = await scheduleAudit(svc, actor, cut, CUT_TO_MEMBERSHIP, { property: 'endDateTime', oldValue: s.endDateTime ?? '', newValue: until }, now);
  return { writes: [replaceSchedule(cut, h.version), updateSlot(cut, 'C')], audit };
}

/** Ends (or cuts) the principal's activations that outlast the eligibility they came from as it holds it now; answers how many it changed. */
export async function endActivationsWithoutBasis(svc: Services, actor: Actor, principalId: string): Promise<number> {
  let changed = 0;
  for (let attempt = 1; ; attempt++) {
    const now = svc.clock.now();
    let raced = false;
    for (const h of await holdingsOf(svc, principalId, 'assignment', now)) {
      const change = await fitting(svc, actor, h, now);
      if (!change) continue;
      try {
        await commitChange(svc.table, change.writes, change.audit);
        changed++;
      } catch (error) {
        // Changed meanwhile (an extension, a deactivation, another cleanup): read again and decide afresh.
        if (!(error instanceof ConflictError && error.code === 'Request_ConcurrentModification')) throw error;
        raced = true;
      }
    }
    if (!raced) return changed;
    if (attempt >= ATTEMPTS)
      throw new ConflictError(`The activations of '${principalId}' were changing while they were being ended; try again.`, 'Request_ConcurrentModification');
  }
}

/**
 * After a change that ended a membership: ends what came through it now, so the caller's answer already
 * shows it gone. A failure here is logged, not raised — the membership change stands, reads already
 * refuse the activations, and the table stream calls endActivationsWithoutBasis again until it succeeds.
 */
export async function endActivationsAfterLeaving(svc: Services, actor: Actor, principalId: string): Promise<void> {
  try {
    await endActivationsWithoutBasis(svc, actor, principalId);
  } catch (error) {
    logger.error('ending activations after leaving a group failed; the stream retries', { principalId, error: errorMessage(error) });
  }
}
