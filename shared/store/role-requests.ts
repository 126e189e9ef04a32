/**
 * Schedule requests: one item each, listed by principal (gsi4), by role or group (gsi2), by status
 * (sharded gsi3) and overall (sharded gsi1), all in creation order; while one waits for approval it also
 * sits in the sparse gsi5 under the day its approval stage times out.
 */
import { pendingApprovalDeadline } from '../domain/approval-window.ts';
import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { roleRequestSchema, type RoleRequest } from '../contracts/role-requests.ts';
import { ConflictError } from '../domain/errors.ts';
import { groupAccessOf, isGroupAccess } from '../domain/group-access.ts';
import { keys, prefixes, type ListedType } from './keys.ts';
import { queryAll, queryIndexPartition } from './query-all.ts';
import { INDEXES } from './table-schema.ts';
import type { TableContext } from './table-context.ts';
import type { ConditionalWrite } from './transact.ts';

export interface StoredRequest {
  version: number;
  data: RoleRequest;
}

function listedType(r: RoleRequest): ListedType {
  if (isGroupAccess(r)) return r.kind === 'eligibility' ? 'groupEligibilityRequest' : 'groupAssignmentRequest';
  return r.kind === 'eligibility' ? 'eligibilityRequest' : 'assignmentRequest';
}

/**
 * Every index key of a request, derived from the request alone. Each write of a request (new, or a
 * transition) puts the whole item with these, so a status change moves it between status partitions
 * and leaves the deadline index as soon as it stops waiting, in the transition's own transaction.
 */
export function requestIndexKeys(r: RoleRequest) {
  const type = listedType(r);
  const sortKey = keys.requestSortKey(r.createdDateTime, r.id);
  const group = groupAccessOf(r);
  // The deadline a pending request is indexed under; none once it has left PendingApproval.
  const deadline = pendingApprovalDeadline(r);
  return {
    ...keys.requestByPrincipal(r.principalId, sortKey),
    ...keys.listing(type, r.id, sortKey),
    ...(group ? keys.requestByGroup(r.kind, group.groupId, sortKey) : keys.requestByRole(r.kind, r.roleDefinitionId, sortKey)),
    // Group requests are always listed by group or principal (Graph requires one), so a status index would go unread.
    ...(group ? {} : keys.requestByStatus(type, r.status, r.id, sortKey)),
    ...(deadline ? keys.approvalDeadline(deadline, r.id) : {}),
  };
}

/** The one place a request item is built. */
function item(r: RoleRequest, version: number) {
  return {
    ...keys.request(r.id),
    ...requestIndexKeys(r),
    type: 'request',
    version,
    requestId: r.id,
    data: r,
  };
}

export function parseRequest(raw: Record<string, unknown>): StoredRequest {
  const data = roleRequestSchema.safeParse(raw.data);
  if (!data.success) throw new Error(`Stored request ${String(raw.pk)} does not match its schema: ${data.error.message}`);
  return { version: Number(raw.version), data: data.data };
}

export function putNewRequest(r: RoleRequest): ConditionalWrite {
  return { put: { Item: item(r, 1), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** Moves a request from the status it was read in to the next, and nothing else may have moved it. */
export function transitionRequest(r: RoleRequest, expectedVersion: number, expectedStatus: string): ConditionalWrite {
  return {
    put: {
      Item: item(r, expectedVersion + 1),
      ConditionExpression: 'version = :v AND #data.#status = :status',
      ExpressionAttributeNames: { '#data': 'data', '#status': 'status' },
      ExpressionAttributeValues: { ':v': expectedVersion, ':status': expectedStatus },
    },
    onConditionFailed: () =>
      new ConflictError(`Request '${r.id}' is no longer ${expectedStatus}; it was changed by another request.`, 'Request_ConcurrentModification'),
  };
}

export async function getRequest(table: TableContext, id: string): Promise<StoredRequest | undefined> {
  const result = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.request(id), ConsistentRead: true }));
  return result.Item ? parseRequest(result.Item) : undefined;
}

export async function requestsOfPrincipal(table: TableContext, principalId: string): Promise<StoredRequest[]> {
  const items = await queryIndexPartition(table, 'gsi4', prefixes.requestsBy(principalId));
  return items.map(parseRequest);
}

/** A principal's requests that wait for approval: its request history, read on the server side of the filter only. */
export async function pendingRequestsOfPrincipal(table: TableContext, principalId: string): Promise<StoredRequest[]> {
  const index = INDEXES.gsi4;
  const items = await queryAll(table, {
    IndexName: index.name,
    KeyConditionExpression: '#pk = :pk',
    FilterExpression: '#data.#status = :pending',
    ExpressionAttributeNames: { '#pk': index.partition, '#data': 'data', '#status': 'status' },
    ExpressionAttributeValues: { ':pk': prefixes.requestsBy(principalId), ':pending': 'PendingApproval' },
  });
  return items.map(parseRequest);
}

/**
 * The approver entries of a pending request, put with the request: per approver, one that lasts while
 * the request waits (the approver's queue) and one that stays (the approver's history).
 */
export function putApproverEntries(requestId: string, approverIds: readonly string[]): ConditionalWrite[] {
  return approverIds.flatMap((userId): ConditionalWrite[] => [
    { put: { Item: { ...keys.approverEntry(userId, requestId), type: 'approverEntry', requestId } } },
    { put: { Item: { ...keys.approverHistory(userId, requestId), type: 'approverHistory', requestId } } },
  ]);
}

/** Removes the approver entries once the request leaves PendingApproval (same transaction). */
export function deleteApproverEntries(requestId: string, approverIds: readonly string[]): ConditionalWrite[] {
  return approverIds.map((userId) => ({ delete: { Key: keys.approverEntry(userId, requestId) } }));
}

/** Requests on which this user is (or was, until decided) an approver. */
export async function requestsAwaitingApprover(table: TableContext, userId: string): Promise<StoredRequest[]> {
  const entries = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': prefixes.approver(userId) },
    ConsistentRead: true,
  });
  return requestsByIds(
    table,
    entries.map((e) => String(e.requestId)),
  );
}

/** Every request this user was named an approver of (stored since approver history existed), whatever became of it. */
export async function requestsOfApprover(table: TableContext, userId: string): Promise<StoredRequest[]> {
  const [history, pending] = await Promise.all(
    [prefixes.approverHistory(userId), prefixes.approver(userId)].map((pk) =>
      queryAll(table, { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }),
    ),
  );
  return requestsByIds(table, [...new Set([...history!, ...pending!].map((e) => String(e.requestId)))]);
}

/**
 * Ids of the requests whose approval deadline is at or before `until`, from the sparse gsi5 partitions
 * of each day from `lookbackDays` before `until` to `until`'s day (the sweeper's query). The index is
 * eventually consistent: the caller re-reads each request before acting on it.
 */
export async function pendingApprovalsDueBy(table: TableContext, until: Date, lookbackDays: number): Promise<string[]> {
  const index = INDEXES.gsi5;
  const last = Date.UTC(until.getUTCFullYear(), until.getUTCMonth(), until.getUTCDate());
  const days = Array.from({ length: Math.max(0, Math.floor(lookbackDays)) + 1 }, (_, i) =>
    new Date(last - (lookbackDays - i) * 86_400_000).toISOString().slice(0, 10),
  );
  const max = `${until.toISOString()}#\uffff`;
  const pages = await Promise.all(
    days.map((day) =>
      queryAll(table, {
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk AND #sk <= :max',
        ExpressionAttributeNames: { '#pk': index.partition, '#sk': index.sort },
        ExpressionAttributeValues: { ':pk': prefixes.approvalsDueOn(day), ':max': max },
      }),
    ),
  );
  return pages.flat().map((i) => String(i.requestId ?? (i.data as { id: string }).id));
}

async function requestsByIds(table: TableContext, ids: string[]): Promise<StoredRequest[]> {
  const found: StoredRequest[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = ids.slice(i, i + 100).map((id) => keys.request(id));
    while (pending && pending.length > 0) {
      const result = await table.db.send(new BatchGetCommand({ RequestItems: { [table.tableName]: { Keys: pending, ConsistentRead: true } } }));
      found.push(...(result.Responses?.[table.tableName] ?? []).map(parseRequest));
      pending = result.UnprocessedKeys?.[table.tableName]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return found;
}
