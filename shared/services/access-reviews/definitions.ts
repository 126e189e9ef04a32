/**
 * Access review definitions: create, read, replace, delete, stop. A definition says what is reviewed, by
 * whom and when; the review job (run-due.ts) starts its instances when they fall due.
 */
import type { DefinitionInput, DefinitionUpdate } from '../../contracts/access-reviews.ts';
import type { Identity } from '../../domain/access-reviews/decisions.ts';
import { isOpen, nextRunAt, type DefinitionData, type ReviewSettings } from '../../domain/access-reviews/model.ts';
import { DEFAULT_INSTANCE_DAYS, nextOccurrence, validateRecurrence, type Recurrence } from '../../domain/access-reviews/recurrence.ts';
import { parseReviewScope, type QueryScope, type ReviewScope } from '../../domain/access-reviews/scope.ts';
import { isAllowed } from '../../domain/authorization.ts';
import type { Caller } from '../../domain/caller.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import {
  deleteDefinition,
  deleteInstanceItems,
  getDefinition,
  instancesOf,
  putNewDefinition,
  replaceDefinition,
  requireDefinition,
  reviewsOfUser,
  type Versioned,
} from '../../store/access-reviews.ts';
import { getObjectItem } from '../../store/directory-objects.ts';
import { filterPredicate } from '../directory/filter-query.ts';
import { LIST_SHARDS, listingPartition } from '../../store/keys.ts';
import { listSharded, type ShardCursor } from '../../store/sharded-list.ts';
import { commitChange } from '../../store/transact.ts';
import { auditOf } from '../audit-writer.ts';
import { requirePermission } from '../authorize.ts';
import type { Actor, Page, Services } from '../context.ts';
import { mapLimited } from '../map-limited.ts';
import { getRoleDefinitions } from '../role-definitions.ts';
import { heldRoles } from '../roles/holdings/principal-access.ts';
import { checkReviewersExist, parseReviewers } from './reviewers.ts';
import { definitionView } from './views.ts';

export function identityOf(caller: Caller): Identity {
  return { id: caller.id, displayName: caller.displayName ?? null, userPrincipalName: caller.userPrincipalName ?? null };
}

export function reviewTarget(d: Pick<DefinitionData, 'id' | 'displayName'>) {
  return { id: d.id, displayName: d.displayName, type: 'Other' as const, modifiedProperties: [] };
}

export function auditReview(
  svc: Services,
  actor: Actor,
  d: Pick<DefinitionData, 'id' | 'displayName'>,
  activity: string,
  operationType: 'Add' | 'Update' | 'Delete',
  details?: Record<string, string>,
) {
  return auditOf(svc, actor, { category: 'AccessReviews', activity, operationType, targets: [reviewTarget(d)], details });
}

async function checkScope(svc: Services, scope: ReviewScope): Promise<void> {
  if (scope.kind === 'roles') {
    const found = new Set(
      (
        await getRoleDefinitions(
          svc,
          scope.roles.map((r) => r.roleDefinitionId),
        )
      ).map((r) => r.id),
    );
    const missing = scope.roles.find((r) => !found.has(r.roleDefinitionId));
    if (missing) throw new BadRequestError(`scope: role definition '${missing.roleDefinitionId}' does not exist.`);
    return;
  }
  const group = await getObjectItem(svc.table, scope.groupId);
  if (group?.type !== 'group') throw new BadRequestError(`scope: group '${scope.groupId}' does not exist.`);
}

function settingsOf(input: DefinitionInput['settings'], now: Date): ReviewSettings {
  const recurrence: Recurrence = input.recurrence
    ? {
        pattern: input.recurrence.pattern ? { type: input.recurrence.pattern.type, interval: input.recurrence.pattern.interval } : null,
        range: { ...input.recurrence.range, startDate: input.recurrence.range.startDate },
      }
    : { pattern: null, range: { type: 'numbered', startDate: now.toISOString(), numberOfOccurrences: 1 } };
  validateRecurrence(recurrence, input.instanceDurationInDays);
  if (input.defaultDecisionEnabled && input.defaultDecision === 'None') {
    throw new BadRequestError("settings.defaultDecisionEnabled is true but settings.defaultDecision is 'None': choose 'Approve', 'Deny' or 'Recommendation'.");
  }
  return {
    mailNotificationsEnabled: input.mailNotificationsEnabled,
    reminderNotificationsEnabled: input.reminderNotificationsEnabled,
    justificationRequiredOnApproval: input.justificationRequiredOnApproval,
    defaultDecisionEnabled: input.defaultDecisionEnabled,
    defaultDecision: input.defaultDecision,
    instanceDurationInDays: input.instanceDurationInDays ?? DEFAULT_INSTANCE_DAYS,
    autoApplyDecisionsEnabled: input.autoApplyDecisionsEnabled,
    recommendationsEnabled: input.recommendationsEnabled,
    recommendationLookBackDuration: (input.recommendationLookBackDuration ?? 'P30D').toUpperCase(),
    decisionHistoriesForReviewersEnabled: input.decisionHistoriesForReviewersEnabled ?? false,
    applyActions: input.applyActions ?? [{ '@odata.type': '#microsoft.graph.removeAccessApplyAction' }],
    recurrence: { ...recurrence, pattern: recurrence.pattern ?? null },
  };
}

async function checkDefinition(svc: Services, input: Pick<DefinitionInput, 'reviewers' | 'fallbackReviewers'>, scope: QueryScope): Promise<void> {
  const parsed = parseReviewScope(scope);
  const reviewers = parseReviewers(input.reviewers, 'reviewers');
  const fallback = parseReviewers(input.fallbackReviewers, 'fallbackReviewers');
  await Promise.all([checkScope(svc, parsed), checkReviewersExist(svc, reviewers, 'reviewers'), checkReviewersExist(svc, fallback, 'fallbackReviewers')]);
}

/** The next occurrence a definition can start, from its recurrence; none left: undefined. */
export function upcoming(d: Pick<DefinitionData, 'settings' | 'nextOccurrence'>, now: Date) {
  return nextOccurrence(d.settings.recurrence, d.settings.instanceDurationInDays, d.nextOccurrence, now);
}

export async function createDefinition(svc: Services, actor: Actor, input: DefinitionInput): Promise<Record<string, unknown>> {
  await requirePermission(svc, actor, 'accessReviews.manage');
  const now = svc.clock.now();
  await checkDefinition(svc, input, input.scope);
  const settings = settingsOf(input.settings, now);
  const first = nextOccurrence(settings.recurrence, settings.instanceDurationInDays, 0, now);
  if (!first)
    throw new BadRequestError('The review would never run: every occurrence of its recurrence ends before now. Move recurrence.range.startDate or endDate.');
  const at = now.toISOString();
  const data: DefinitionData = {
    id: newId('accessReview', svc.clock),
    displayName: input.displayName,
    descriptionForAdmins: input.descriptionForAdmins,
    descriptionForReviewers: input.descriptionForReviewers,
    createdBy: identityOf(actor.caller),
    createdDateTime: at,
    lastModifiedDateTime: at,
    status: 'NotStarted',
    scope: input.scope,
    instanceEnumerationScope: input.instanceEnumerationScope ?? null,
    reviewers: input.reviewers,
    fallbackReviewers: input.fallbackReviewers,
    additionalNotificationRecipients: input.additionalNotificationRecipients,
    settings,
    nextOccurrence: first.index,
    currentInstanceId: null,
    nextRunAt: nextRunAt(undefined, first.start, now),
  };
  await commitChange(
    svc.table,
    [putNewDefinition(data)],
    auditReview(svc, actor, data, 'Create access review', 'Add', { firstInstanceStart: first.start.toISOString(), scope: JSON.stringify(input.scope) }),
  );
  return definitionView(data);
}

/** Readers of the tenant's reviews see every definition; a reviewer sees those they review. */
export async function mayRead(svc: Services, caller: Caller): Promise<boolean> {
  return isAllowed(await heldRoles(svc, caller), 'accessReviews.readAll');
}

async function reviewedDefinitionIds(svc: Services, caller: Caller): Promise<Set<string>> {
  return new Set((await reviewsOfUser(svc.table, caller.id)).map((l) => l.definitionId));
}

export async function readableDefinition(svc: Services, caller: Caller, id: string): Promise<Versioned<DefinitionData>> {
  const found = await getDefinition(svc.table, id);
  if (found && ((await mayRead(svc, caller)) || (await reviewedDefinitionIds(svc, caller)).has(id))) return found;
  if (found) throw new NotFoundError(`Access review definition '${id}' does not exist, or you are not one of its reviewers.`);
  throw new NotFoundError(`Access review definition '${id}' does not exist.`);
}

export async function getDefinitionView(svc: Services, caller: Caller, id: string): Promise<Record<string, unknown>> {
  return definitionView((await readableDefinition(svc, caller, id)).data);
}

/** A $filter applies to each page read: a page may come back short, with a nextLink, as Graph's may. */
export async function listDefinitions(
  svc: Services,
  caller: Caller,
  options: { mine: boolean; top: number; skipToken?: string; filter?: string },
): Promise<Page<Record<string, unknown>>> {
  const matches = filterPredicate(options.filter);
  if (options.mine || !(await mayRead(svc, caller))) {
    if (!options.mine) await requirePermission(svc, { caller, correlationId: '' }, 'accessReviews.readAll');
    const ids = [...(await reviewedDefinitionIds(svc, caller))];
    const found = (await mapLimited(ids, 16, (id) => getDefinition(svc.table, id))).filter((d): d is Versioned<DefinitionData> => !!d);
    return { items: found.map((d) => definitionView(d.data)).filter(matches) };
  }
  const listing = 'accessReviewDefinitions';
  const cursor = options.skipToken ? svc.pageTokens.decode<ShardCursor>(listing, options.skipToken) : undefined;
  const partitions = Array.from({ length: LIST_SHARDS }, (_, shard) => listingPartition('accessReviewDefinition', shard));
  const page = await listSharded(svc.table, partitions, options.top, cursor, 'descending');
  return {
    items: page.items.map((item) => definitionView((item as { data: DefinitionData }).data)).filter(matches),
    nextToken: page.next ? svc.pageTokens.encode(listing, page.next) : undefined,
  };
}

export async function updateDefinition(svc: Services, actor: Actor, id: string, input: DefinitionUpdate): Promise<void> {
  await requirePermission(svc, actor, 'accessReviews.manage');
  const current = await requireDefinition(svc.table, id);
  if (input.scope && JSON.stringify(parseReviewScope(input.scope)) !== JSON.stringify(parseReviewScope(current.data.scope))) {
    throw new BadRequestError("An access review's scope cannot be changed; create a new review for a different scope.");
  }
  await checkDefinition(svc, input, current.data.scope);
  const now = svc.clock.now();
  const settings = settingsOf(input.settings, now);
  const changed: DefinitionData = {
    ...current.data,
    displayName: input.displayName,
    descriptionForAdmins: input.descriptionForAdmins,
    descriptionForReviewers: input.descriptionForReviewers,
    reviewers: input.reviewers,
    fallbackReviewers: input.fallbackReviewers,
    additionalNotificationRecipients: input.additionalNotificationRecipients,
    settings,
    lastModifiedDateTime: now.toISOString(),
  };
  if (!changed.currentInstanceId && changed.status !== 'Completed') {
    const next = upcoming(changed, now);
    changed.nextRunAt = nextRunAt(undefined, next?.start, now);
    if (next) changed.nextOccurrence = next.index;
  }
  await commitChange(svc.table, [replaceDefinition(changed, current.version)], auditReview(svc, actor, changed, 'Update access review', 'Update'));
}

export async function deleteDefinitionById(svc: Services, actor: Actor, id: string): Promise<void> {
  await requirePermission(svc, actor, 'accessReviews.manage');
  const current = await requireDefinition(svc.table, id);
  const instances = await instancesOf(svc.table, id);
  if (instances.some((i) => isOpen(i.data))) {
    throw new ConflictError(
      `Access review '${current.data.displayName}' has an instance in progress: stop it first (POST …/definitions/${id}/stop), then delete it.`,
      'AccessReviewInProgress',
    );
  }
  await commitChange(
    svc.table,
    [deleteDefinition(id, current.version)],
    auditReview(svc, actor, current.data, 'Delete access review', 'Delete', { instances: String(instances.length) }),
  );
  // The audit history keeps what was decided; the items themselves go with the definition.
  await deleteInstanceItems(
    svc.table,
    id,
    instances.map((i) => i.data.id),
  );
}
