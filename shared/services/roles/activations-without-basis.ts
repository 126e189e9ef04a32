/**
 * Access derived from something ends when that thing ends (DESIGN.md §6): when a principal leaves a
 * group — removed, deleted, or its PIM for groups membership ends — the activations it made through
 * that group's eligibility end too. Reads already refuse them from that instant (an activation is in
 * force only while its basis is, principal-access.ts); this removes them, one transaction and audit
 * record each, the way an early deactivation does, so a member with many activations never outgrows a
 * transaction. Removing the schedule stops its lifecycle run (lifecycle-signals.ts). Idempotent: a
 * second call finds nothing left, so every path that ends a membership may call it.
 */
import { ConflictError } from '../../domain/errors.ts';
import { hasEnded } from '../../domain/schedule.ts';
import { deleteSchedule, releaseSlot } from '../../store/role-schedules.ts';
import { commitChange } from '../../store/transact.ts';
import { errorMessage, logger } from '../../observability/logger.ts';
import type { Actor, Services } from '../context.ts';
import { scheduleAudit } from '../lifecycle/schedule-audit.ts';
import { holdingsOf } from './principal-access.ts';

export const ENDED_WITH_MEMBERSHIP = 'Remove member from role completed (PIM activation ended: left the group)';

const ATTEMPTS = 3;

/** Ends the principal's activations whose eligibility it no longer holds; answers how many it ended. */
export async function endActivationsWithoutBasis(svc: Services, actor: Actor, principalId: string): Promise<number> {
  let ended = 0;
  for (let attempt = 1; ; attempt++) {
    const now = svc.clock.now();
    const orphans = (await holdingsOf(svc, principalId, 'assignment', now)).filter((h) => h.basis === null && !hasEnded(h.schedule, now));
    let raced = false;
    for (const { schedule: s, version } of orphans) {
      const audit = await scheduleAudit(svc, actor, s, ENDED_WITH_MEMBERSHIP, { oldValue: s.status, newValue: 'Revoked' }, now, 'Unassign');
      try {
        await commitChange(svc.table, [...deleteSchedule(s, version), releaseSlot(s, 'C')], audit);
        ended++;
      } catch (error) {
        // Changed meanwhile (an extension, a deactivation, another cleanup): read again and decide afresh.
        if (!(error instanceof ConflictError && error.code === 'Request_ConcurrentModification')) throw error;
        raced = true;
      }
    }
    if (!raced) return ended;
    if (attempt >= ATTEMPTS) throw new ConflictError(`The activations of '${principalId}' were changing while they were being ended; try again.`, 'Request_ConcurrentModification');
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
