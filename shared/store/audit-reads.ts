/**
 * Reading audit records newest first from one or more partitions at once: the four shards of the time
 * listing (gsi1), an initiator's partition (gsi2), an object's chain partition (table) and the partition of
 * records it is the second target of (gsi3). Every one of them is sorted by `{activityDateTime}#{auditId}`,
 * so a time range is a key condition on each, and merging them is a merge of sorted lists. A record read
 * from two partitions (say, one I initiated about myself) has the same sort key in both and is returned once.
 */
import { LIST_SHARDS, listingPartition, prefixes } from './keys.ts';
import { keyAttributes, MergedPartitionReader, type MergeOrder, type SortKeyRange, type SourcePosition } from './merged-partitions.ts';
import type { TableContext } from './table-context.ts';

export type { SortKeyRange, SourcePosition };

export interface AuditSource {
  index: 'table' | 'gsi1' | 'gsi2' | 'gsi3';
  partition: string;
}

export const auditSources = {
  all: (): AuditSource[] => Array.from({ length: LIST_SHARDS }, (_, shard) => ({ index: 'gsi1', partition: listingPartition('audit', shard) })),
  byActor: (actorId: string): AuditSource[] => [{ index: 'gsi2', partition: prefixes.auditBy(actorId) }],
  /** Records about an object: those it is the first target of (its chain) and those it is the second target of. */
  about: (targetId: string): AuditSource[] => [
    { index: 'table', partition: prefixes.auditChain(targetId) },
    { index: 'gsi3', partition: prefixes.auditAbout(targetId) },
  ],
};

const NEWEST_FIRST: MergeOrder = {
  direction: 'descending',
  orderOf: (item, source) => String(item[keyAttributes(source.index).sort]),
  equalIsSame: true,
};

export class AuditRecordReader extends MergedPartitionReader {
  /** `range` bounds `{activityDateTime}#{auditId}` in every source alike. */
  constructor(table: TableContext, sources: AuditSource[], range: SortKeyRange, positions: SourcePosition[] = [], pageSize = 200) {
    super(
      table,
      sources.map((source) => ({ ...source, range })),
      positions,
      NEWEST_FIRST,
      pageSize,
    );
  }
}
