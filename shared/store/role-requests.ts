/** Schedule requests: one item each, listed by principal (gsi4) and overall (sharded gsi1). */
import { BatchGetCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { roleRequestSchema, type RoleRequest } from '../contracts/role-requests.ts';
import { ConflictError } from '../domain/errors.ts';
import { keys, prefixes } from './keys.ts';
import { queryAll } from './query-all.ts';
import { INDEXES } from './table-schema.ts';
import type { TableContext } from './table-context.ts';
import type { ConditionalWrite } from './transact.ts';

export interface StoredRequest {
  version: number;
  data: RoleRequest;
}

const listedType = (r: RoleRequest): 'eligibilityRequest' | 'assignmentRequest' => (r.kind === 'eligibility' ? 'eligibilityRequest' : 'assignmentRequest');

function item(r: RoleRequest, version: number) {
  return { ...keys.request(r.id), ...keys.requestByPrincipal(r.principalId, r.id), ...keys.listing(listedType(r), r.id), type: 'request', version, data: r };
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
    onConditionFailed: () => new ConflictError(`Request '${r.id}' is no longer ${expectedStatus}; it was changed by another request.`, 'Request_ConcurrentModification'),
  };
}

export async function getRequest(table: TableContext, id: string): Promise<StoredRequest | undefined> {
  const result = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.request(id), ConsistentRead: true }));
  return result.Item ? parseRequest(result.Item) : undefined;
}

export async function requestsOfPrincipal(table: TableContext, principalId: string): Promise<StoredRequest[]> {
  const index = INDEXES.gsi4;
  const items = await queryAll(table, {
    IndexName: index.name,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': index.partition },
    ExpressionAttributeValues: { ':pk': prefixes.requestsBy(principalId) },
  });
  return items.map(parseRequest);
}

/** The approver entries of a pending request: one per approver, put with the request. */
export function putApproverEntries(requestId: string, approverIds: readonly string[]): ConditionalWrite[] {
  return approverIds.map((userId) => ({ put: { Item: { ...keys.approverEntry(userId, requestId), type: 'approverEntry', requestId } } }));
}

/** Removes the approver entries once the request leaves PendingApproval (same transaction). */
export function deleteApproverEntries(requestId: string, approverIds: readonly string[]): ConditionalWrite[] {
  return approverIds.map((userId) => ({ delete: { Key: keys.approverEntry(userId, requestId) } }));
}

/** Requests on which this user is (or was, until decided) an approver. */
export async function requestsAwaitingApprover(table: TableContext, userId: string): Promise<StoredRequest[]> {
  const entries = await queryAll(table, { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': prefixes.approver(userId) }, ConsistentRead: true });
  const ids = entries.map((e) => String(e.requestId));
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
