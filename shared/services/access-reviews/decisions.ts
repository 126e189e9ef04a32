/**
 * Decision items through the API. A reviewer sees and decides only the items they may decide (see
 * mayDecide); readers of reviews see every item and decide none that are not theirs to decide. A
 * decision is a conditional write with its audit record, and can be changed until the instance ends.
 */
import type { BatchDecisions, DecisionUpdate } from '../../contracts/access-reviews.ts';
import { mayDecide, type DecisionItem, type ReviewerFacts } from '../../domain/access-reviews/decisions.ts';
import type { DefinitionData, InstanceData } from '../../domain/access-reviews/model.ts';
import type { Caller } from '../../domain/caller.ts';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, UnsupportedQueryError } from '../../domain/errors.ts';
import {
  decisionsPage,
  getDecision,
  getReviewerLink,
  instanceContents,
  noteReviewerDecision,
  replaceDecision,
  reviewersOf,
  type ReviewerLink,
  type Versioned,
} from '../../store/access-reviews.ts';
import { commitChange } from '../../store/transact.ts';
import type { Actor, Page, Services } from '../context.ts';
import { auditDecision } from './decision-audit.ts';
import { identityOf, mayRead } from './definitions.ts';
import { readableInstance } from './instances.ts';
import { decisionView } from './views.ts';

interface Loaded {
  def: Versioned<DefinitionData>;
  instance: Versioned<InstanceData>;
  decisions: Versioned<DecisionItem>[];
  links: Map<string, ReviewerLink>;
}

async function load(svc: Services, caller: Caller, definitionId: string, instanceId: string): Promise<Loaded> {
  const { def, instance } = await readableInstance(svc, caller, definitionId, instanceId);
  const { decisions, reviewers } = await instanceContents(svc.table, instanceId);
  return { def, instance, decisions, links: new Map(reviewers.map((r) => [r.userId, r])) };
}

/** Just one item and the two reviewer entries that decide who may decide it: what a single decision reads, however big the instance. */
async function loadOne(svc: Services, caller: Caller, ids: { definitionId: string; instanceId: string; decisionId: string }): Promise<Loaded> {
  const { def, instance } = await readableInstance(svc, caller, ids.definitionId, ids.instanceId);
  const item = await getDecision(svc.table, ids.instanceId, ids.decisionId);
  if (!item) throw new NotFoundError(`Decision '${ids.decisionId}' does not exist in this instance.`);
  const links = await Promise.all([caller.id, item.data.principal.id].map((id) => getReviewerLink(svc.table, ids.instanceId, id)));
  return { def, instance, decisions: [item], links: new Map(links.filter((l): l is ReviewerLink => !!l).map((l) => [l.userId, l])) };
}

function factsFor(loaded: Loaded, callerId: string, principalId: string): ReviewerFacts {
  return {
    selfReview: loaded.instance.data.selfReview,
    reviewerCount: loaded.instance.data.reviewerCount,
    callerMode: loaded.links.get(callerId)?.mode,
    principalIsReviewer: loaded.links.get(principalId)?.mode === 'reviewer',
  };
}

const decidable = (loaded: Loaded, callerId: string) => (d: Versioned<DecisionItem>) =>
  mayDecide(d.data, callerId, factsFor(loaded, callerId, d.data.principal.id));

/** `$filter` on decision items: `decision`, `recommendation`, `applyResult`, `principal/id`, `resource/id` eq '…', joined by `and`. */
function filterOf(text: string | undefined): (d: DecisionItem) => boolean {
  if (!text?.trim()) return () => true;
  // A Map, not an object: `constructor eq 'x'` must find nothing rather than Object's constructor.
  const fields = new Map<string, (d: DecisionItem) => string>([
    ['decision', (d) => d.decision],
    ['recommendation', (d) => d.recommendation],
    ['applyresult', (d) => d.applyResult],
    ['principal/id', (d) => d.principal.id],
    ['resource/id', (d) => d.resource.id],
    ['accesstype', (d) => d.accessType],
  ]);
  const tests = text.split(/\s+and\s+/i).map((clause) => {
    const m = /^\(?\s*([A-Za-z/]+)\s+eq\s+'([^']*)'\s*\)?$/.exec(clause.trim());
    const field = m && fields.get(m[1]!.toLowerCase());
    if (!m || !field)
      throw new UnsupportedQueryError(
        `Unsupported $filter clause '${clause.trim()}': use decision, recommendation, applyResult, accessType, principal/id or resource/id eq '…', joined by 'and'.`,
      );
    return (d: DecisionItem) => field(d).toLowerCase() === m[2]!.toLowerCase();
  });
  return (d) => tests.every((t) => t(d));
}

/** How many items one page may read looking for matches before it answers short, with a nextLink. */
const READ_BUDGET = 2_000;

/**
 * A page of decisions read straight from the instance's partition: readers see every item, a named
 * reviewer everyone's but their own, a self-reviewer only theirs (filtered by the table), a fallback
 * reviewer what nobody else can decide. Only what a page needs is read, however big the instance.
 */
export async function listDecisions(
  svc: Services,
  caller: Caller,
  ids: { definitionId: string; instanceId: string },
  options: { mine: boolean; filter?: string; top: number; skipToken?: string; expand?: { insights: boolean } },
): Promise<Page<Record<string, unknown>>> {
  const { def, instance } = await readableInstance(svc, caller, ids.definitionId, ids.instanceId);
  const everything = !options.mine && (await mayRead(svc, caller));
  const own = everything ? undefined : await getReviewerLink(svc.table, ids.instanceId, caller.id);
  // Only a fallback reviewer of a named review needs to know who else reviews.
  const others = own?.mode === 'fallback' && !instance.data.selfReview ? await reviewersOf(svc.table, ids.instanceId) : own ? [own] : [];
  const loaded: Loaded = { def, instance, decisions: [], links: new Map(others.map((l) => [l.userId, l])) };
  const shows = (d: Versioned<DecisionItem>) => everything || decidable(loaded, caller.id)(d);
  const matches = filterOf(options.filter);
  const listing = `reviewDecisions:${ids.instanceId}:${everything ? 'all' : caller.id}:${options.filter ?? ''}`;
  let start = options.skipToken ? svc.pageTokens.decode<Record<string, unknown>>(listing, options.skipToken) : undefined;
  if (!everything && !own) return { items: [] };
  const items: Record<string, unknown>[] = [];
  let read = 0;
  while (items.length < options.top && read < READ_BUDGET) {
    const page = await decisionsPage(svc.table, ids.instanceId, {
      limit: options.top - items.length,
      start,
      principalId: own?.mode === 'self' ? caller.id : undefined,
    });
    read += options.top - items.length;
    for (const d of page.decisions) if (shows(d) && matches(d.data)) items.push(decisionView(d.data, options.expand));
    start = page.next;
    if (!start) break;
  }
  return { items, nextToken: start ? svc.pageTokens.encode(listing, start) : undefined };
}

export async function getDecisionView(
  svc: Services,
  caller: Caller,
  definitionId: string,
  instanceId: string,
  decisionId: string,
): Promise<Record<string, unknown>> {
  const loaded = await loadOne(svc, caller, { definitionId, instanceId, decisionId });
  const found = loaded.decisions[0]!;
  if (!((await mayRead(svc, caller)) || decidable(loaded, caller.id)(found)))
    throw new NotFoundError(`Decision '${decisionId}' does not exist in this instance, or is not yours to review.`);
  return decisionView(found.data);
}

function checkOpen(loaded: Loaded, now: Date): void {
  const i = loaded.instance.data;
  // Past its end an instance is closed, even before the review job has marked it so.
  if (i.status === 'InProgress' && now.getTime() >= Date.parse(i.endDateTime))
    throw new ConflictError(`The review ended at ${i.endDateTime}; decisions can no longer be changed.`, 'AccessReviewNotInProgress');
  if (i.status !== 'InProgress')
    throw new ConflictError(
      `The review ${i.status === 'Completed' || i.status === 'Applied' ? `ended at ${i.endDateTime}` : `is ${i.status}`}; decisions can no longer be changed.`,
      'AccessReviewNotInProgress',
    );
}

function checkJustification(loaded: Loaded, input: { decision: string; justification?: string | null }): void {
  if (input.decision === 'Approve' && loaded.def.data.settings.justificationRequiredOnApproval && !input.justification?.trim()) {
    throw new BadRequestError('This review requires a justification to approve access: say why the access is still needed.');
  }
}

async function record(
  svc: Services,
  actor: Actor,
  loaded: Loaded,
  item: Versioned<DecisionItem>,
  input: { decision: DecisionItem['decision']; justification?: string | null },
  how: 'reviewer' | 'recommendation',
): Promise<void> {
  const now = svc.clock.now().toISOString();
  const reset = input.decision === 'NotReviewed';
  const decided: DecisionItem = {
    ...item.data,
    decision: input.decision,
    justification: reset ? null : (input.justification ?? null),
    reviewedBy: reset ? null : identityOf(actor.caller),
    reviewedDateTime: reset ? null : now,
  };
  await commitChange(
    svc.table,
    [replaceDecision(decided, item.version), noteReviewerDecision(item.data.instanceId, actor.caller.id, now)],
    auditDecision(svc, actor, loaded.def.data, decided, how),
  );
}

export async function recordDecision(
  svc: Services,
  actor: Actor,
  ids: { definitionId: string; instanceId: string; decisionId: string },
  input: DecisionUpdate,
): Promise<void> {
  const loaded = await loadOne(svc, actor.caller, ids);
  const item = loaded.decisions[0]!;
  if (!decidable(loaded, actor.caller.id)(item)) {
    const own = item.data.principal.id === actor.caller.id && !loaded.instance.data.selfReview;
    throw new ForbiddenError(
      own ? 'You cannot review your own access; another reviewer or a fallback reviewer decides it.' : 'Only the reviewers of this item may decide it.',
    );
  }
  checkOpen(loaded, svc.clock.now());
  checkJustification(loaded, input);
  await record(svc, actor, loaded, item, input, 'reviewer');
}

/** Graph's batchRecordDecisions: one decision for every item the caller may decide (optionally of one principal or resource). */
export async function batchRecordDecisions(
  svc: Services,
  actor: Actor,
  ids: { definitionId: string; instanceId: string },
  input: BatchDecisions,
): Promise<number> {
  const loaded = await load(svc, actor.caller, ids.definitionId, ids.instanceId);
  checkOpen(loaded, svc.clock.now());
  checkJustification(loaded, input);
  const items = loaded.decisions.filter(
    (d) =>
      decidable(loaded, actor.caller.id)(d) &&
      (!input.principalId || d.data.principal.id === input.principalId) &&
      (!input.resourceId || d.data.resource.id === input.resourceId),
  );
  if (items.length === 0)
    throw new ForbiddenError(
      'There is nothing in this instance for you to decide' + (input.principalId || input.resourceId ? ' that matches principalId/resourceId.' : '.'),
    );
  for (const item of items) await record(svc, actor, loaded, item, input, 'reviewer');
  return items.length;
}

/** Graph's acceptRecommendations: the caller's unanswered items take their recommendation (where there is one). */
export async function acceptRecommendations(svc: Services, actor: Actor, ids: { definitionId: string; instanceId: string }): Promise<number> {
  const loaded = await load(svc, actor.caller, ids.definitionId, ids.instanceId);
  checkOpen(loaded, svc.clock.now());
  const items = loaded.decisions.filter(
    (d) => decidable(loaded, actor.caller.id)(d) && d.data.decision === 'NotReviewed' && d.data.recommendation !== 'NoInfoAvailable',
  );
  for (const item of items) {
    const decision = item.data.recommendation as 'Approve' | 'Deny';
    await record(svc, actor, loaded, item, { decision, justification: `Recommendation accepted: ${item.data.recommendationReason}` }, 'recommendation');
  }
  return items.length;
}

/** Graph's resetDecisions: the caller's decisions go back to NotReviewed. */
export async function resetDecisions(svc: Services, actor: Actor, ids: { definitionId: string; instanceId: string }): Promise<number> {
  const loaded = await load(svc, actor.caller, ids.definitionId, ids.instanceId);
  checkOpen(loaded, svc.clock.now());
  const items = loaded.decisions.filter((d) => decidable(loaded, actor.caller.id)(d) && d.data.decision !== 'NotReviewed');
  for (const item of items) await record(svc, actor, loaded, item, { decision: 'NotReviewed' }, 'reviewer');
  return items.length;
}
