/**
 * Ending an instance — at its end time (the review job) or when an administrator stops it: unanswered
 * items take the default decision if the review has one, the instance is Completed with its summary,
 * the definition moves on to its next occurrence (or is Completed), and, with auto-apply, the decisions
 * are applied at once (apply-decisions.ts).
 */
import { defaultDecisionFor, REVIEW_SYSTEM, type DecisionItem, type Identity } from '../../domain/access-reviews/decisions.ts';
import { nextRunAt, type DefinitionData, type InstanceData, type ReviewSummary } from '../../domain/access-reviews/model.ts';
import { ConflictError } from '../../domain/errors.ts';
import { instanceContents, replaceDecision, replaceDefinition, replaceInstance, type Versioned } from '../../store/access-reviews.ts';
import { commitChange } from '../../store/transact.ts';
import type { Actor, Services } from '../context.ts';
import { auditDecision } from './decision-audit.ts';
import { auditReview, upcoming } from './definitions.ts';

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

async function takeDefaults(svc: Services, actor: Actor, def: DefinitionData, instanceId: string): Promise<DecisionItem[]> {
  const { decisions } = await instanceContents(svc.table, instanceId);
  const at = svc.clock.now().toISOString();
  const result: DecisionItem[] = [];
  for (const d of decisions) {
    const fallback = defaultDecisionFor(d.data, def.settings.defaultDecisionEnabled, def.settings.defaultDecision);
    if (!fallback) {
      result.push(d.data);
      continue;
    }
    const decided: DecisionItem = { ...d.data, ...fallback, reviewedBy: REVIEW_SYSTEM, reviewedDateTime: at };
    await commitChange(svc.table, [replaceDecision(decided, d.version)], auditDecision(svc, actor, def, decided, 'default'));
    result.push(decided);
  }
  return result;
}

export async function completeInstance(
  svc: Services,
  actor: Actor,
  def: Versioned<DefinitionData>,
  instance: Versioned<InstanceData>,
  options: { stoppedBy?: Identity; endDefinition?: boolean } = {},
): Promise<{ def: Versioned<DefinitionData>; instance: Versioned<InstanceData> }> {
  if (instance.data.status !== 'InProgress') throw new ConflictError(`The access review instance is ${instance.data.status}, not in progress.`, 'AccessReviewNotInProgress');
  const now = svc.clock.now();
  const decisions = await takeDefaults(svc, actor, def.data, instance.data.id);
  const completed: InstanceData = {
    ...instance.data,
    status: 'Completed',
    // A stopped instance ends when it was stopped.
    endDateTime: options.stoppedBy && now.getTime() < Date.parse(instance.data.endDateTime) ? now.toISOString() : instance.data.endDateTime,
    completedDateTime: now.toISOString(),
    stoppedBy: options.stoppedBy ?? null,
    summary: summarize(decisions),
  };
  const next = options.endDefinition ? undefined : upcoming(def.data, now);
  const updated: DefinitionData = {
    ...def.data,
    currentInstanceId: null,
    status: next ? 'InProgress' : 'Completed',
    nextOccurrence: next ? next.index : def.data.nextOccurrence,
    nextRunAt: nextRunAt(undefined, next?.start),
  };
  const s = completed.summary!;
  await commitChange(
    svc.table,
    [replaceInstance(completed, instance.version), replaceDefinition(updated, def.version)],
    auditReview(svc, actor, def.data, options.stoppedBy ? 'Stop access review instance' : 'Complete access review instance', 'Update', {
      instanceId: completed.id,
      approved: String(s.approved),
      denied: String(s.denied),
      dontKnow: String(s.dontKnow),
      notReviewed: String(s.notReviewed),
      nextInstanceStart: next ? next.start.toISOString() : 'none',
    }),
  );
  return { def: { version: def.version + 1, data: updated }, instance: { version: instance.version + 1, data: completed } };
}
