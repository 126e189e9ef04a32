/**
 * Access reviews recommend denying active access that allowed no access decision in the look-back.
 * Only decisions asked by an enforcing application (a registered service principal asking about someone
 * else; see access-decisions.ts) are use: asking about oneself would let anyone keep unused access.
 * Each such allowed decision notes its use — on the schedule that granted it, and on the membership it came
 * through — at most once an hour per process for the same thing, so the decision path stays one read
 * and the table sees a write an hour, not one per request. An hour is nothing beside a 30-day look-back.
 */
import type { AccessDecision } from '../../domain/access-decision.ts';
import { recordUse } from '../../store/access-reviews.ts';
import type { Services } from '../context.ts';
import { RecentNotes } from '../recent-notes.ts';
import { usageOfSchedule, usageThroughGroup } from './enumerate.ts';

const noted = new RecentNotes(3600 * 1000);

export async function noteUse(svc: Services, subjectId: string, decisions: readonly AccessDecision[]): Promise<void> {
  const now = svc.clock.now();
  const subjects = new Set<string>();
  for (const d of decisions) {
    if (!d.decision) continue;
    subjects.add(usageOfSchedule(d.context.grant.scheduleId));
    if (d.context.grant.viaGroup) subjects.add(usageThroughGroup(d.context.grant.viaGroup.id, subjectId));
  }
  const keyOf = (s: string) => `${svc.table.tableName}|${s}`;
  const due = [...subjects].filter((s) => noted.take(keyOf(s), now.getTime()));
  // A decision already made must not fail for bookkeeping: a lost note only weakens a recommendation.
  await Promise.all(due.map((s) => recordUse(svc.table, s, now).catch(() => noted.forget(keyOf(s)))));
}
