/**
 * Instances through the API: list and read (readers, and the instance's own reviewers), stop, send a
 * reminder, apply decisions (administrators of reviews), and stopping a whole definition.
 */
import { isOpen, type DefinitionData, type InstanceData } from '../../domain/access-reviews/model.ts';
import type { Caller } from '../../domain/caller.ts';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import {
  getInstance,
  getReviewerLink,
  instancesOf,
  replaceDefinition,
  requireDefinition,
  requireInstance,
  reviewersOf,
  reviewsOfUser,
  type Versioned,
} from '../../store/access-reviews.ts';
import { getObjectItems } from '../../store/directory-objects.ts';
import { commitChange } from '../../store/transact.ts';
import { requirePermission } from '../authorize.ts';
import type { Actor, Services } from '../context.ts';
import { advanceDefinition, remind, stopNow } from './advance.ts';
import { beginApplying } from './apply-decisions.ts';
import { filterPredicate } from '../directory/filter-query.ts';
import { budgetOf } from './budget.ts';
import { auditReview, identityOf, mayRead, readableDefinition } from './definitions.ts';
import { instanceView } from './views.ts';

export async function listInstances(svc: Services, caller: Caller, definitionId: string, mine: boolean, filter?: string): Promise<Record<string, unknown>[]> {
  const matches = filterPredicate(filter);
  const def = await readableDefinition(svc, caller, definitionId);
  const all = await instancesOf(svc.table, definitionId);
  const visible = new Set(
    mine || !(await mayRead(svc, caller)) ? (await reviewsOfUser(svc.table, caller.id)).map((l) => l.instanceId) : all.map((i) => i.data.id),
  );
  // Newest first, as Entra's portal shows them; a Starting instance is not there yet for anyone.
  return all
    .filter((i) => visible.has(i.data.id) && i.data.status !== 'Starting')
    .reverse()
    .map((i) => instanceView(i.data, def.data))
    .filter(matches);
}

/** The instance, if the caller may read it: readers of reviews, and its reviewers. */
export async function readableInstance(
  svc: Services,
  caller: Caller,
  definitionId: string,
  instanceId: string,
): Promise<{ def: Versioned<DefinitionData>; instance: Versioned<InstanceData> }> {
  const def = await readableDefinition(svc, caller, definitionId);
  const instance = await getInstance(svc.table, definitionId, instanceId);
  const visible =
    instance && instance.data.status !== 'Starting' && ((await mayRead(svc, caller)) || (await getReviewerLink(svc.table, instanceId, caller.id)));
  if (!instance || !visible) throw new NotFoundError(`Access review instance '${instanceId}' does not exist, or you are not one of its reviewers.`);
  return { def, instance };
}

/** Graph's contactedReviewers (accessReviewReviewer: id, displayName, userPrincipalName, createdDateTime), with Stint's mode and last decision as annotations. */
export async function contactedReviewers(
  svc: Services,
  caller: Caller,
  definitionId: string,
  instanceId: string,
  filter?: string,
): Promise<Record<string, unknown>[]> {
  const matches = filterPredicate(filter);
  const { instance } = await readableInstance(svc, caller, definitionId, instanceId);
  const links = await reviewersOf(svc.table, instanceId);
  const users = new Map(
    (
      await getObjectItems(
        svc.table,
        links.map((l) => l.userId),
      )
    ).map((o) => [String((o.data as { id: string }).id), o.data as { displayName?: string; userPrincipalName?: string }]),
  );
  return links
    .map((l) => ({
      id: l.userId,
      displayName: users.get(l.userId)?.displayName ?? null,
      userPrincipalName: users.get(l.userId)?.userPrincipalName ?? null,
      createdDateTime: instance.data.startDateTime,
      '@stint.mode': l.mode,
      '@stint.lastDecisionDateTime': l.lastDecisionAt ?? null,
    }))
    .filter(matches);
}

export async function getInstanceView(svc: Services, caller: Caller, definitionId: string, instanceId: string): Promise<Record<string, unknown>> {
  const { def, instance } = await readableInstance(svc, caller, definitionId, instanceId);
  return instanceView(instance.data, def.data);
}

async function managed(svc: Services, actor: Actor, definitionId: string, instanceId: string) {
  await requirePermission(svc, actor, 'accessReviews.manage');
  const def = await requireDefinition(svc.table, definitionId);
  return { def, instance: await requireInstance(svc.table, definitionId, instanceId) };
}

/**
 * What an API call may spend working through items before it answers; the review job does the rest.
 * Well inside API Gateway's 29 seconds.
 */
const API_BUDGET_MS = 10_000;

export async function stopInstance(svc: Services, actor: Actor, definitionId: string, instanceId: string): Promise<void> {
  const { def, instance } = await managed(svc, actor, definitionId, instanceId);
  if (instance.data.status !== 'InProgress')
    throw new ConflictError(`The instance is ${instance.data.status}; only an instance in progress can be stopped.`, 'AccessReviewNotInProgress');
  await stopNow(svc, actor, def, instance, identityOf(actor.caller), false, budgetOf(API_BUDGET_MS));
}

export async function sendReminder(svc: Services, actor: Actor, definitionId: string, instanceId: string): Promise<void> {
  const { def, instance } = await managed(svc, actor, definitionId, instanceId);
  if (instance.data.status !== 'InProgress')
    throw new ConflictError(`The instance is ${instance.data.status}; reminders go out only while it is in progress.`, 'AccessReviewNotInProgress');
  await remind(svc, actor, def.data, instance);
}

export async function applyDecisions(svc: Services, actor: Actor, definitionId: string, instanceId: string): Promise<void> {
  const { def, instance } = await managed(svc, actor, definitionId, instanceId);
  await beginApplying(svc, actor, def, instance);
  await advanceDefinition(svc, { ...actor }, definitionId, budgetOf(API_BUDGET_MS));
}

/** Stops the instance under way (its unanswered items take the default decision) and every future one. */
export async function stopDefinition(svc: Services, actor: Actor, definitionId: string): Promise<void> {
  await requirePermission(svc, actor, 'accessReviews.manage');
  const def = await requireDefinition(svc.table, definitionId);
  if (def.data.status === 'Completed') throw new ConflictError('This access review has already ended.', 'AccessReviewNotInProgress');
  const current = def.data.currentInstanceId ? await getInstance(svc.table, definitionId, def.data.currentInstanceId) : undefined;
  if (current && current.data.status === 'InProgress') {
    await stopNow(svc, actor, def, current, identityOf(actor.caller), true, budgetOf(API_BUDGET_MS));
    return;
  }
  if (current && isOpen(current.data))
    throw new ConflictError('The current instance is still starting; try again in a moment.', 'Request_ConcurrentModification');
  const stopped: DefinitionData = { ...def.data, status: 'Completed', nextRunAt: null, currentInstanceId: null };
  await commitChange(svc.table, [replaceDefinition(stopped, def.version)], auditReview(svc, actor, def.data, 'Stop access review', 'Update'));
}
