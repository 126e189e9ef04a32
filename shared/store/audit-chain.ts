/**
 * The audit record's items in a change's transaction: the record, linked to its chain's last record, and
 * the chain's head moved from the position it was read at to the new one. The head's condition is what
 * keeps a chain from forking: of two writers that read the same head, one commits and the other's
 * transaction is cancelled as a whole (change included), reads the new head and tries again.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { nextLink, type ChainHead, type StoredRecord } from '../domain/audit-chain.ts';
import type { AuditRecord } from '../domain/audit.ts';
import { keys, LIST_SHARDS, listingPartition, prefixes } from './keys.ts';
import { listSharded, type ShardCursor } from './sharded-list.ts';
import type { TableContext } from './table-context.ts';

export async function readChainHead(table: TableContext, chainId: string): Promise<ChainHead | undefined> {
  const result = await table.db.send(new GetCommand({ TableName: table.tableName, Key: headKey(chainId), ConsistentRead: true }));
  const item = result.Item;
  return item ? { seq: Number(item.seq), hash: String(item.hash) } : undefined;
}

const headKey = (chainId: string) => {
  const { pk, sk } = keys.auditChainHead(chainId);
  return { pk, sk };
};

export function actorIdOf(record: AuditRecord): string {
  return record.initiatedBy.user?.id ?? record.initiatedBy.app?.servicePrincipalId ?? 'system';
}

/** The record's item, without its link: what every audit item holds. */
export function auditItem(record: AuditRecord, chainId: string, retentionDays?: number): Record<string, unknown> {
  const item: Record<string, unknown> = {
    ...keys.audit(chainId, actorIdOf(record), record.activityDateTime, record.id, record.targetResources[1]?.id),
    type: 'audit',
    chainId,
    data: record,
  };
  // Nothing expires unless retention is set; then DynamoDB's TTL removes the record after that many days.
  if (retentionDays !== undefined) item.expiresAt = Math.floor(Date.parse(record.activityDateTime) / 1000) + retentionDays * 86_400;
  return item;
}

export interface ChainedAudit {
  record: { Item: Record<string, unknown>; ConditionExpression: string };
  head: {
    Item: Record<string, unknown>;
    ConditionExpression: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  };
}

/** The two puts that append `record` to its chain after `head` (the head as just read). */
export function chainedAuditPuts(record: AuditRecord, chainId: string, head: ChainHead | undefined, retentionDays?: number): ChainedAudit {
  const link = nextLink(chainId, head, record);
  return {
    record: {
      Item: { ...auditItem(record, chainId, retentionDays), seq: link.seq, prevHash: link.prevHash, hash: link.hash },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
    head: {
      Item: {
        ...keys.auditChainHead(chainId),
        type: 'auditChain',
        chainId,
        seq: link.seq,
        hash: link.hash,
        lastRecordId: record.id,
        lastSortKey: `${record.activityDateTime}#${record.id}`,
      },
      ...(head
        ? { ConditionExpression: '#seq = :seq', ExpressionAttributeNames: { '#seq': 'seq' }, ExpressionAttributeValues: { ':seq': head.seq } }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  };
}

/** A chain's records as the verifier reads them, page by page in key order (one partition query). */
export async function* chainRecords(table: TableContext, chainId: string): AsyncGenerator<StoredRecord> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.db.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': prefixes.auditChain(chainId) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) yield storedRecordOf(item);
    start = page.LastEvaluatedKey;
  } while (start);
}

function storedRecordOf(item: Record<string, unknown>): StoredRecord {
  const data = (item.data ?? {}) as StoredRecord['record'];
  const hasLink = typeof item.seq === 'number' && typeof item.hash === 'string';
  return {
    id: String(data.id ?? item.sk),
    sortKey: String(item.sk),
    record: data,
    ...(hasLink ? { link: { seq: item.seq as number, prevHash: (item.prevHash as string | null | undefined) ?? null, hash: item.hash as string } } : {}),
  };
}

/** One page of chain ids, from the heads' sharded listing. */
export async function listChainIds(table: TableContext, limit: number, cursor?: ShardCursor): Promise<{ chainIds: string[]; next?: ShardCursor }> {
  const partitions = Array.from({ length: LIST_SHARDS }, (_, shard) => listingPartition('auditChain', shard));
  const page = await listSharded(table, partitions, limit, cursor);
  return { chainIds: page.items.map((item) => String(item.chainId)), next: page.next };
}
