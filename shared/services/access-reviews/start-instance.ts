/**
 * Starting an instance, in two steps. First, in one transaction with its audit record, the definition
 * takes the occurrence and the instance is put as `Starting`. Then the decision items (one per piece of
 * access in scope, with its recommendation) and the reviewer items are written in batches, and the
 * instance moves to `InProgress`. Nobody can see or decide a `Starting` instance, and the second step
 * writes the same ids and content each time, so if it is interrupted the review job simply runs it again.
 */
import { recommend, type DecisionItem } from '../../domain/access-reviews/decisions.ts';
import { lookBackDays, nextRunAt, reminderTime, type DefinitionData, type InstanceData } from '../../domain/access-reviews/model.ts';
import type { Occurrence } from '../../domain/access-reviews/recurrence.ts';
import { parseReviewScope } from '../../domain/access-reviews/scope.ts';
import { newId } from '../../domain/ids.ts';
import {
  newDecisionItem,
  newReviewerItem,
  putInBatches,
  putNewInstance,
  replaceDefinition,
  type ReviewerLink,
  type Versioned,
} from '../../store/access-reviews.ts';
import { commitChange } from '../../store/transact.ts';
import type { Actor, Services } from '../context.ts';
import { auditReview } from './definitions.ts';
import { decisionIdOf, enumerateScope, type ReviewedEntry } from './enumerate.ts';
import { moveTogether } from './move-together.ts';
import { parseReviewers, resolveReviewerIds } from './reviewers.ts';

export async function openInstance(
  svc: Services,
  actor: Actor,
  def: Versioned<DefinitionData>,
  occurrence: Occurrence,
): Promise<{ def: Versioned<DefinitionData>; instance: Versioned<InstanceData> }> {
  const now = svc.clock.now();
  const start = occurrence.start > now ? occurrence.start : now;
  const instance: InstanceData = {
    id: newId('reviewInstance', svc.clock),
    definitionId: def.data.id,
    occurrence: occurrence.index,
    startDateTime: start.toISOString(),
    endDateTime: occurrence.end.toISOString(),
    status: 'Starting',
    selfReview: def.data.reviewers.length === 0,
    reviewerCount: 0,
    fallbackReviewerCount: 0,
    decisionCount: 0,
    reminderAt: reminderTime(def.data.settings, start, occurrence.end),
    remindersSent: 0,
    completedDateTime: null,
    appliedDateTime: null,
    stoppedBy: null,
    summary: null,
  };
  const updated: DefinitionData = {
    ...def.data,
    status: 'InProgress',
    currentInstanceId: instance.id,
    nextOccurrence: occurrence.index + 1,
    nextRunAt: nextRunAt(instance, undefined, now),
  };
  await commitChange(
    svc.table,
    [replaceDefinition(updated, def.version), putNewInstance(instance)],
    auditReview(svc, actor, def.data, 'Start access review instance', 'Add', {
      instanceId: instance.id,
      startDateTime: instance.startDateTime,
      endDateTime: instance.endDateTime,
    }),
  );
  return { def: { version: def.version + 1, data: updated }, instance: { version: 1, data: instance } };
}

function decisionOf(entry: ReviewedEntry, def: DefinitionData, instance: InstanceData, now: Date): DecisionItem {
  const settings = def.settings;
  const recommendation = settings.recommendationsEnabled
    ? recommend(entry, { lastActivity: entry.lastActivity }, now, lookBackDays(settings))
    : {
        recommendation: 'NoInfoAvailable' as const,
        recommendationReason: 'Recommendations are turned off for this review.',
        lastActivityDateTime: entry.lastActivity?.toISOString() ?? null,
      };
  return {
    id: decisionIdOf(instance.id, entry.access, entry.principal.id),
    definitionId: def.id,
    instanceId: instance.id,
    principal: entry.principal,
    resource: entry.resource,
    access: entry.access,
    accessType: entry.accessType,
    accessSince: entry.accessSince,
    decision: 'NotReviewed',
    justification: null,
    reviewedBy: null,
    reviewedDateTime: null,
    ...recommendation,
    applyResult: 'New',
    applyDescription: null,
    appliedBy: null,
    appliedDateTime: null,
  };
}

/** Who reviews: named reviewers (users, group members now), else each user their own access; plus the fallback reviewers. */
async function reviewerLinks(svc: Services, def: DefinitionData, instance: InstanceData, decisions: DecisionItem[]): Promise<ReviewerLink[]> {
  const base = { definitionId: def.id, instanceId: instance.id };
  const links = new Map<string, ReviewerLink>();
  if (instance.selfReview) {
    for (const d of decisions) if (d.principal.type === 'user') links.set(d.principal.id, { ...base, userId: d.principal.id, mode: 'self' });
  } else {
    for (const id of await resolveReviewerIds(svc, parseReviewers(def.reviewers, 'reviewers'))) links.set(id, { ...base, userId: id, mode: 'reviewer' });
  }
  for (const id of await resolveReviewerIds(svc, parseReviewers(def.fallbackReviewers, 'fallbackReviewers'))) {
    if (!links.has(id)) links.set(id, { ...base, userId: id, mode: 'fallback' });
  }
  return [...links.values()];
}

export async function finishStart(
  svc: Services,
  actor: Actor,
  def: Versioned<DefinitionData>,
  instance: Versioned<InstanceData>,
): Promise<Versioned<InstanceData>> {
  const now = svc.clock.now();
  const entries = await enumerateScope(svc, parseReviewScope(def.data.scope), now);
  const decisions = entries.map((e) => decisionOf(e, def.data, instance.data, now));
  const links = await reviewerLinks(svc, def.data, instance.data, decisions);
  await putInBatches(svc.table, [...decisions.map(newDecisionItem), ...links.map(newReviewerItem)]);
  const started: InstanceData = {
    ...instance.data,
    status: 'InProgress',
    decisionCount: decisions.length,
    reviewerCount: links.filter((l) => l.mode === 'reviewer').length,
    fallbackReviewerCount: links.filter((l) => l.mode === 'fallback').length,
  };
  const updated: DefinitionData = { ...def.data, nextRunAt: nextRunAt(started, undefined, now) };
  const moved = await moveTogether(svc, actor, { def, instance }, { def: updated, instance: started }, 'Access review instance in progress', {
    decisions: String(decisions.length),
    reviewers: String(links.filter((l) => l.mode !== 'fallback').length),
    fallbackReviewers: String(started.fallbackReviewerCount),
  });
  return moved.instance;
}
