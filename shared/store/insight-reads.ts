/**
 * Tenant-wide reads for Discovery and insights and the weekly digest (every role schedule comes from
 * schedule-summaries.ts): the role requests created since an instant, those waiting for approval since
 * before one, and the access reviews under way. Each reads a sharded partition whole, the shards in
 * parallel: these are aggregates over the tenant, read by an administrator's page or a weekly job, not on
 * any access path.
 */
import type { RoleRequest } from '../contracts/role-requests.ts';
import type { ScheduleKind } from '../domain/schedule.ts';
import type { DefinitionData } from '../domain/access-reviews/model.ts';
import { LIST_SHARDS, listingPartition, prefixes } from './keys.ts';
import { queryAll, queryIndexPartition } from './query-all.ts';
import { TIME_KEYS } from './request-reads.ts';
import { parseRequest } from './role-requests.ts';
import { INDEXES } from './table-schema.ts';
import type { TableContext } from './table-context.ts';

const shards = Array.from({ length: LIST_SHARDS }, (_, shard) => shard);

/** The items of one index's sharded partitions whose sort keys lie from `from` to `to`, the shards read in parallel. */
async function shardedRange(table: TableContext, index: (typeof INDEXES)['gsi1' | 'gsi3'], partitionOf: (shard: number) => string, from: string, to: string) {
  const pages = await Promise.all(
    shards.map((shard) =>
      queryAll(table, {
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': index.partition, '#sk': index.sort },
        ExpressionAttributeValues: { ':pk': partitionOf(shard), ':from': from, ':to': to },
      }),
    ),
  );
  return pages.flat();
}

const requestType = (kind: ScheduleKind) => (kind === 'eligibility' ? 'eligibilityRequest' : 'assignmentRequest');

/** The role requests of a kind created at or after `since` (requests stored before creation-time keys are left out). */
export async function roleRequestsCreatedSince(table: TableContext, kind: ScheduleKind, since: Date): Promise<RoleRequest[]> {
  const items = await shardedRange(table, INDEXES.gsi1, (shard) => listingPartition(requestType(kind), shard), since.toISOString(), TIME_KEYS.to);
  return items.map((item) => parseRequest(item).data);
}

/** Role requests of a kind waiting for approval that were created before `before` (the status index's shards). */
export async function pendingRoleRequestsCreatedBefore(table: TableContext, kind: ScheduleKind, before: Date): Promise<RoleRequest[]> {
  const partitionOf = (shard: number) => prefixes.requestsInStatus(requestType(kind), 'PendingApproval', shard);
  const items = await shardedRange(table, INDEXES.gsi3, partitionOf, TIME_KEYS.from, before.toISOString());
  // The index is eventually consistent: keep only what the item itself says is still pending.
  return items.map((item) => parseRequest(item).data).filter((r) => r.status === 'PendingApproval');
}

/** Every access review definition with an instance under way (the data as stored; tenants have tens of definitions). */
export async function reviewDefinitionsUnderWay(table: TableContext): Promise<Pick<DefinitionData, 'id' | 'displayName' | 'currentInstanceId'>[]> {
  const pages = await Promise.all(shards.map((shard) => queryIndexPartition(table, 'gsi1', listingPartition('accessReviewDefinition', shard))));
  return pages
    .flat()
    .map((item) => item.data as DefinitionData)
    .filter((d) => typeof d?.currentInstanceId === 'string' && d.currentInstanceId.length > 0)
    .map((d) => ({ id: d.id, displayName: d.displayName, currentInstanceId: d.currentInstanceId }));
}
