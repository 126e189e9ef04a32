/** Schedule requests: one item each, listed by principal (gsi4) and overall (sharded gsi1). */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
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
