/**
 * Access reviews in the table. A definition and its instances share a partition (instances in start
 * order); an instance's decision items and its reviewers share the instance's partition; each reviewer
 * item is also on gsi2 under the reviewing user, which is "my reviews". A definition with work due (an
 * instance to start, remind or end) carries a sparse key on the due index (gsi5), which the review job
 * reads. Writes of definitions and instances are versioned and go through commitChange with their audit
 * record; decision items and reviewer items of a starting instance are written in batches (see
 * shared/services/access-reviews/start-instance.ts for why that is safe).
 */
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { DecisionItem, ReviewerMode } from '../domain/access-reviews/decisions.ts';
import type { DefinitionData, InstanceData } from '../domain/access-reviews/model.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { batchGetAll } from './batch-get.ts';
import { keys, prefixes, usageSubjectOf } from './keys.ts';
import { queryAll, queryIndexPartition } from './query-all.ts';
import { backOff, type TableContext } from './table-context.ts';
import type { ConditionalWrite } from './transact.ts';

export interface Versioned<T> {
  version: number;
  data: T;
}

// Stored data is checked for its identity and shape on read; the rest is the Graph object as written.
const definitionSchema = z.looseObject({
  id: z.string(),
  displayName: z.string(),
  status: z.string(),
  nextOccurrence: z.number(),
  settings: z.looseObject({}),
});
const instanceSchema = z.looseObject({ id: z.string(), definitionId: z.string(), status: z.string(), startDateTime: z.string(), endDateTime: z.string() });
const decisionSchema = z.looseObject({
  id: z.string(),
  instanceId: z.string(),
  decision: z.string(),
  principal: z.looseObject({ id: z.string() }),
  access: z.looseObject({ kind: z.string() }),
});
const reviewerSchema = z.object({
  userId: z.string(),
  mode: z.enum(['reviewer', 'self', 'fallback']),
  definitionId: z.string(),
  instanceId: z.string(),
  lastDecisionAt: z.string().optional(),
});

export type ReviewerLink = z.output<typeof reviewerSchema>;

function reviewerKey(instanceId: string, userId: string) {
  const { pk, sk } = keys.reviewReviewer(instanceId, userId);
  return { pk, sk };
}

function versioned<T>(item: Record<string, unknown>, schema: z.ZodType): Versioned<T> {
  return { version: Number(item.version), data: schema.parse(item.data) as T };
}

function definitionItem(d: DefinitionData, version: number) {
  return {
    ...keys.reviewDefinition(d.id),
    ...keys.listing('accessReviewDefinition', d.id),
    ...(d.nextRunAt ? keys.reviewDue(d.nextRunAt, d.id) : {}),
    type: 'reviewDefinition',
    version,
    data: d,
  };
}

export function putNewDefinition(d: DefinitionData): ConditionalWrite {
  return { put: { Item: definitionItem(d, 1), ConditionExpression: 'attribute_not_exists(pk)' } };
}

const changedMeanwhile = (what: string) => () =>
  new ConflictError(`The ${what} was changed by another request; read it again and retry.`, 'Request_ConcurrentModification');

export function replaceDefinition(d: DefinitionData, expectedVersion: number): ConditionalWrite {
  return {
    put: { Item: definitionItem(d, expectedVersion + 1), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } },
    onConditionFailed: changedMeanwhile('access review'),
  };
}

/** Moves only the definition's due time (no audit: it records nothing anyone did). */
export async function moveDefinitionDue(table: TableContext, d: DefinitionData, expectedVersion: number): Promise<void> {
  await table.db.send(
    new PutCommand({
      TableName: table.tableName,
      Item: definitionItem(d, expectedVersion + 1),
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': expectedVersion },
    }),
  );
}

export function deleteDefinition(id: string, expectedVersion: number): ConditionalWrite {
  return {
    delete: { Key: keys.reviewDefinition(id), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } },
    onConditionFailed: changedMeanwhile('access review'),
  };
}

export async function getDefinition(table: TableContext, id: string): Promise<Versioned<DefinitionData> | undefined> {
  const { Item } = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.reviewDefinition(id), ConsistentRead: true }));
  return Item ? versioned(Item, definitionSchema) : undefined;
}

export async function requireDefinition(table: TableContext, id: string): Promise<Versioned<DefinitionData>> {
  const found = await getDefinition(table, id);
  if (!found) throw new NotFoundError(`Access review definition '${id}' does not exist.`);
  return found;
}

function instanceItem(i: InstanceData, version: number) {
  return { ...keys.reviewInstance(i.definitionId, i.id), type: 'reviewInstance', version, data: i };
}

export function putNewInstance(i: InstanceData): ConditionalWrite {
  return { put: { Item: instanceItem(i, 1), ConditionExpression: 'attribute_not_exists(pk)' } };
}

export function replaceInstance(i: InstanceData, expectedVersion: number): ConditionalWrite {
  return {
    put: { Item: instanceItem(i, expectedVersion + 1), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } },
    onConditionFailed: changedMeanwhile('access review instance'),
  };
}

/** Every instance of a definition, oldest first (their ids are time-ordered). */
export async function instancesOf(table: TableContext, definitionId: string): Promise<Versioned<InstanceData>[]> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.reviewDefinition(definitionId).pk, ':prefix': prefixes.reviewInstances },
    ConsistentRead: true,
  });
  return items.map((i) => versioned<InstanceData>(i, instanceSchema));
}

export async function getInstance(table: TableContext, definitionId: string, instanceId: string): Promise<Versioned<InstanceData> | undefined> {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.tableName, Key: keys.reviewInstance(definitionId, instanceId), ConsistentRead: true }),
  );
  return Item ? versioned(Item, instanceSchema) : undefined;
}

export async function requireInstance(table: TableContext, definitionId: string, instanceId: string): Promise<Versioned<InstanceData>> {
  const found = await getInstance(table, definitionId, instanceId);
  if (!found) throw new NotFoundError(`Access review instance '${instanceId}' of definition '${definitionId}' does not exist.`);
  return found;
}

function decisionItem(d: DecisionItem, version: number) {
  return { ...keys.reviewDecision(d.instanceId, d.id), type: 'reviewDecision', version, data: d };
}

export function replaceDecision(d: DecisionItem, expectedVersion: number): ConditionalWrite {
  return {
    put: { Item: decisionItem(d, expectedVersion + 1), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } },
    onConditionFailed: changedMeanwhile('decision'),
  };
}

/** The instance's partition: its decision items and its reviewers, in one consistent read. */
export async function instanceContents(table: TableContext, instanceId: string): Promise<{ decisions: Versioned<DecisionItem>[]; reviewers: ReviewerLink[] }> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': prefixes.reviewInstance(instanceId) },
    ConsistentRead: true,
  });
  return {
    decisions: items.filter((i) => String(i.sk).startsWith(prefixes.reviewDecisions)).map((i) => versioned<DecisionItem>(i, decisionSchema)),
    reviewers: items.filter((i) => String(i.sk).startsWith(prefixes.reviewReviewers)).map((i) => reviewerSchema.parse(i.data)),
  };
}

export interface DecisionsPage {
  decisions: Versioned<DecisionItem>[];
  /** Where the next read starts; absent when the partition is used up. */
  next?: Record<string, unknown>;
}

/**
 * One DynamoDB page of an instance's decision items, in id order, from `start`. With `principalId` the
 * table filters to that principal's items (a self-reviewer's few), so only they cross the wire.
 */
export async function decisionsPage(
  table: TableContext,
  instanceId: string,
  o: { limit: number; start?: Record<string, unknown>; principalId?: string },
): Promise<DecisionsPage> {
  const result = await table.db.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ...(o.principalId ? { FilterExpression: '#d.#p.#id = :me', ExpressionAttributeNames: { '#d': 'data', '#p': 'principal', '#id': 'id' } } : {}),
      ExpressionAttributeValues: {
        ':pk': prefixes.reviewInstance(instanceId),
        ':prefix': prefixes.reviewDecisions,
        ...(o.principalId ? { ':me': o.principalId } : {}),
      },
      Limit: o.limit,
      ExclusiveStartKey: o.start,
      ConsistentRead: true,
    }),
  );
  return { decisions: (result.Items ?? []).map((i) => versioned<DecisionItem>(i, decisionSchema)), next: result.LastEvaluatedKey };
}

/** An instance's reviewers alone (few, unless every user in scope reviews themselves). */
export async function reviewersOf(table: TableContext, instanceId: string): Promise<ReviewerLink[]> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': prefixes.reviewInstance(instanceId), ':prefix': prefixes.reviewReviewers },
    ConsistentRead: true,
  });
  return items.map((i) => reviewerSchema.parse(i.data));
}

export async function getDecision(table: TableContext, instanceId: string, decisionId: string): Promise<Versioned<DecisionItem> | undefined> {
  const { Item } = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.reviewDecision(instanceId, decisionId), ConsistentRead: true }));
  return Item ? versioned(Item, decisionSchema) : undefined;
}

export async function getReviewerLink(table: TableContext, instanceId: string, userId: string): Promise<ReviewerLink | undefined> {
  const { Item } = await table.db.send(new GetCommand({ TableName: table.tableName, Key: reviewerKey(instanceId, userId), ConsistentRead: true }));
  return Item ? reviewerSchema.parse(Item.data) : undefined;
}

/** A reviewer's first (and latest) decision is noted on their reviewer item: reminders skip those who answered. */
export function noteReviewerDecision(instanceId: string, userId: string, at: string): ConditionalWrite {
  return {
    update: {
      Key: reviewerKey(instanceId, userId),
      UpdateExpression: 'SET #data.lastDecisionAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#data': 'data' },
      ExpressionAttributeValues: { ':at': at },
    },
  };
}

/** The instances a user reviews (any mode), newest first. */
export async function reviewsOfUser(table: TableContext, userId: string): Promise<ReviewerLink[]> {
  const items = await queryIndexPartition(table, 'gsi2', prefixes.reviewsOf(userId), 'descending');
  return items.map((i) => reviewerSchema.parse(i.data));
}

/**
 * Puts items 25 at a time, retrying what DynamoDB leaves unprocessed. Not a transaction: used only for
 * the items of an instance that is still Starting, which nobody can see or decide yet, and whose
 * writing is repeated whole (same ids, same content) if it is interrupted.
 */
export async function putInBatches(table: TableContext, items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error('DynamoDB kept items of a batch unprocessed; the review job will try again.');
      if (attempt > 0) await backOff(table, Math.min(50 * 2 ** attempt, 2_000));
      const result = await table.db.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: requests } }));
      requests = (result.UnprocessedItems?.[table.tableName] ?? []) as typeof requests;
    }
  }
}

export function newDecisionItem(d: DecisionItem): Record<string, unknown> {
  return decisionItem(d, 1);
}

export function newReviewerItem(link: ReviewerLink & { mode: ReviewerMode }): Record<string, unknown> {
  return { ...keys.reviewReviewer(link.instanceId, link.userId), type: 'reviewReviewer', data: link };
}

/** When some access last allowed an access decision (see shared/services/access-reviews/usage.ts). */
export async function lastUsed(table: TableContext, subjects: string[]): Promise<Map<string, Date>> {
  const items = await batchGetAll(
    table,
    [...new Set(subjects)].map((s) => keys.usage(s)),
  );
  const found = new Map<string, Date>();
  for (const item of items) if (typeof item.lastUsedDateTime === 'string') found.set(usageSubjectOf(String(item.pk)), new Date(item.lastUsedDateTime));
  return found;
}

export async function recordUse(table: TableContext, subject: string, at: Date): Promise<void> {
  await table.db
    .send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.usage(subject),
        UpdateExpression: 'SET #t = :t, #type = :type',
        ConditionExpression: 'attribute_not_exists(#t) OR #t < :t',
        ExpressionAttributeNames: { '#t': 'lastUsedDateTime', '#type': 'type' },
        ExpressionAttributeValues: { ':t': at.toISOString(), ':type': 'usage' },
      }),
    )
    .catch((error: unknown) => {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    });
}

/** Deletes a deleted definition's instances, their decision items and reviewer items. */
export async function deleteInstanceItems(table: TableContext, definitionId: string, instanceIds: string[]): Promise<void> {
  const keysToDelete: Record<string, unknown>[] = instanceIds.map((id) => keys.reviewInstance(definitionId, id));
  for (const id of instanceIds) {
    const items = await queryAll(table, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': prefixes.reviewInstance(id) },
      ProjectionExpression: 'pk, sk',
    });
    keysToDelete.push(...items);
  }
  for (let i = 0; i < keysToDelete.length; i += 25) {
    let requests = keysToDelete.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key: { pk: Key.pk, sk: Key.sk } } }));
    for (let attempt = 0; requests.length > 0 && attempt < 10; attempt++) {
      if (attempt > 0) await backOff(table, Math.min(50 * 2 ** attempt, 2_000));
      const result = await table.db.send(new BatchWriteCommand({ RequestItems: { [table.tableName]: requests } }));
      requests = (result.UnprocessedItems?.[table.tableName] ?? []) as typeof requests;
    }
  }
}
