/**
 * Ending an instance, in resumable steps. At its end time (the review job) or when an administrator
 * stops it, it becomes `Completing` — from then on nobody can decide. Then its unanswered items take the
 * default decision, if the review has one, one conditional write each, as far as the time budget goes;
 * the next run carries on from the items still unanswered. Once all are done the instance is `Completed`
 * (or `Applying`, with auto-apply: apply-decisions.ts), with its summary, and the definition moves on to
 * its next occurrence (or ends).
 */
import { defaultDecisionFor, REVIEW_SYSTEM, type DecisionItem, type Identity } from '../../domain/access-reviews/decisions.ts';
import { nextRunAt, type DefinitionData, type InstanceData, type ReviewSummary } from '../../domain/access-reviews/model.ts';
import { ConflictError } from '../../domain/errors.ts';
import { instanceContents, replaceDecision, type Versioned } from '../../store/access-reviews.ts';
import { commitChange } from '../../store/transact.ts';
import type { Actor, Services } from '../context.ts';
import type { Budget } from './budget.ts';
import { auditDecision } from './decision-audit.ts';
import { moveTogether } from './move-together.ts';
import { upcoming } from './definitions.ts';

export function summarize(decisions: DecisionItem[]): ReviewSummary {
  const count = (f: (d: DecisionItem) => boolean) => decisions.filter(f).length;
  return {
    total: decisions.length,
    approved: count((d) => d.decision === 'Approve'),
    denied: count((d) => d.decision === 'Deny'),
    dontKnow: count((d) => d.decision === 'DontKnow'),
    notReviewed: count((d) => d.decision === 'NotReviewed'),
    removed: count((d) => d.decision === 'Deny' && (d.applyResult === 'AppliedSuccessfully' || d.applyResult === 'AppliedSuccessfullyButObjectNotFound')),
    failed: count((d) => d.decision === 'Deny' && d.applyResult === 'AppliedWithUnknownFailure'),
  };
}

/**
 * InProgress → Completing, with the definition due at once. Stopping early ends the instance now, and
 * `endDefinition` (stopping the whole review) starts no further instance.
 */
export async function markEnding(
  svc: Services,
  actor: Actor,
  def: Versioned<DefinitionData>,
  instance: Versioned<InstanceData>,
  options: { stoppedBy?: Identity; endDefinition?: boolean } = {},
): Promise<{ def: Versioned<DefinitionData>; instance: Versioned<InstanceData> }> {
  if (instance.data.status !== 'InProgress')
    throw new ConflictError(`The access review instance is ${instance.data.status}, not in progress.`, 'AccessReviewNotInProgress');
  const now = svc.clock.now();
  const ending: InstanceData = {
    ...instance.data,
    status: 'Completing',
    endDateTime: options.stoppedBy && now.getTime() < Date.parse(instance.data.endDateTime) ? now.toISOString() : instance.data.endDateTime,
    stoppedBy: options.stoppedBy ?? null,
  };
  const updated: DefinitionData = { ...def.data, status: options.endDefinition ? 'Completed' : def.data.status, nextRunAt: nextRunAt(ending, undefined, now) };
  const activity = options.endDefinition ? 'Stop access review' : options.stoppedBy ? 'Stop access review instance' : 'End access review instance';
  return moveTogether(svc, actor, { def, instance }, { def: updated, instance: ending }, activity, { endDateTime: ending.endDateTime });
}

/** The default decisions still to take; false if the budget ran out before all were taken. */
async function takeDefaults(
  svc: Services,
  actor: Actor,
  def: DefinitionData,
  instanceId: string,
  budget: Budget,
): Promise<{ done: boolean; decisions: DecisionItem[] }> {
  const { decisions } = await instanceContents(svc.table, instanceId);
  const at = svc.clock.now().toISOString();
  const result: DecisionItem[] = [];
  for (const d of decisions) {
    const fallback = defaultDecisionFor(d.data, def.settings.defaultDecisionEnabled, def.settings.defaultDecision);
    if (!fallback) {
      result.push(d.data);
      continue;
    }
    if (!budget.left()) return { done: false, decisions: result };
    const decided: DecisionItem = { ...d.data, ...fallback, reviewedBy: REVIEW_SYSTEM, reviewedDateTime: at };
    await commitChange(svc.table, [replaceDecision(decided, d.version)], auditDecision(svc, actor, def, decided, 'default'));
    result.push(decided);
  }
  return { done: true, decisions: result };
}

/** Completing → Completed (or Applying, with auto-apply) once every default is taken; unchanged if the budget ran out first. */
export async function finishEnding(
  svc: Services,
  actor: Actor,
  def: Versioned<DefinitionData>,
  instance: Versioned<InstanceData>,
  budget: Budget,
): Promise<{ def: Versioned<DefinitionData>; instance: Versioned<InstanceData> } | undefined> {
  const { done, decisions } = await takeDefaults(svc, actor, def.data, instance.data.id, budget);
  if (!done) return undefined;
  const now = svc.clock.now();
  const autoApply = def.data.settings.autoApplyDecisionsEnabled;
  const completed: InstanceData = {
    ...instance.data,
    status: autoApply ? 'Applying' : 'Completed',
    completedDateTime: now.toISOString(),
    summary: summarize(decisions),
  };
  const next = def.data.status === 'Completed' ? undefined : upcoming(def.data, now);
  const updated: DefinitionData = {
    ...def.data,
    currentInstanceId: null,
    status: next ? 'InProgress' : 'Completed',
    nextOccurrence: next ? next.index : def.data.nextOccurrence,
    // With auto-apply the job has work right away; otherwise the next start is what is due.
    nextRunAt: autoApply ? now.toISOString() : nextRunAt(undefined, next?.start, now),
  };
  const s = completed.summary!;
  return moveTogether(svc, actor, { def, instance }, { def: updated, instance: completed }, 'Complete access review instance', {
    approved: String(s.approved),
    denied: String(s.denied),
    dontKnow: String(s.dontKnow),
    notReviewed: String(s.notReviewed),
    nextInstanceStart: next ? next.start.toISOString() : 'none',
  });
}
