/**
 * Reading audit records newest first from one or more partitions at once: the four shards of the time
 * listing (gsi1), an initiator's partition (gsi2), an object's chain partition (table) and the partition of
 * records it is the second target of (gsi3). Every one of them is sorted by `{activityDateTime}#{auditId}`,
 * so a time range is a key condition on each, and merging them is a merge of sorted lists. A record read
 * from two partitions (say, one I initiated about myself) has the same sort key in both and is returned once.
 *
 * Memory is one DynamoDB page per partition, however many records are read: callers pull records one at a
 * time and keep, as their position, the key of the last record taken from each partition.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { LIST_SHARDS, listingPartition, prefixes } from './keys.ts';
import { INDEXES } from './table-schema.ts';
import type { TableContext } from './table-context.ts';

type Item = Record<string, unknown>;

export interface AuditSource {
  index: 'table' | 'gsi1' | 'gsi2' | 'gsi3';
  partition: string;
}

/** Inclusive bounds on the sort key `{activityDateTime}#{auditId}`. */
export interface SortKeyRange {
  from?: string;
  to?: string;
}

/**
 * Per source: 0 before its first record, the key of the last record taken from it, or null once it is
 * used up. (Not undefined: positions travel as JSON, where undefined in an array turns into null.)
 */
export type SourcePosition = 0 | Item | null;

export const auditSources = {
  all: (): AuditSource[] => Array.from({ length: LIST_SHARDS }, (_, shard) => ({ index: 'gsi1', partition: listingPartition('audit', shard) })),
  byActor: (actorId: string): AuditSource[] => [{ index: 'gsi2', partition: prefixes.auditBy(actorId) }],
  /** Records about an object: those it is the first target of (its chain) and those it is the second target of. */
  about: (targetId: string): AuditSource[] => [
    { index: 'table', partition: prefixes.auditChain(targetId) },
    { index: 'gsi3', partition: prefixes.auditAbout(targetId) },
  ],
};

const SORT_ATTRIBUTE = { table: 'sk', gsi1: INDEXES.gsi1.sort, gsi2: INDEXES.gsi2.sort, gsi3: INDEXES.gsi3.sort } as const;
const PARTITION_ATTRIBUTE = { table: 'pk', gsi1: INDEXES.gsi1.partition, gsi2: INDEXES.gsi2.partition, gsi3: INDEXES.gsi3.partition } as const;

interface SourceState {
  source: AuditSource;
  buffer: Item[];
  /** Where the next query starts (DynamoDB's ExclusiveStartKey), undefined at the partition's start. */
  startKey?: Item;
  exhausted: boolean;
  position: SourcePosition;
}

export class AuditRecordReader {
  private readonly states: SourceState[];
  /** Items read from DynamoDB so far, taken or not: what a caller budgets a request by. */
  itemsRead = 0;

  constructor(
    private readonly table: TableContext,
    sources: AuditSource[],
    private readonly range: SortKeyRange,
    positions: SourcePosition[] = [],
    private readonly pageSize = 200,
  ) {
    this.states = sources.map((source, i) => {
      // null (used up) must survive: `?? 0` would restart a finished source from its beginning.
      const position = positions[i] === undefined ? 0 : positions[i]!;
      return { source, buffer: [], startKey: position === 0 || position === null ? undefined : position, exhausted: position === null, position };
    });
  }

  /** The next record (the stored item), newest first, or undefined when every source is used up. */
  async next(): Promise<Item | undefined> {
    await this.fill();
    let newest: string | undefined;
    for (const state of this.states) {
      const head = state.buffer[0];
      if (head && (newest === undefined || sortKeyOf(state, head) > newest)) newest = sortKeyOf(state, head);
    }
    if (newest === undefined) return undefined;
    let taken: Item | undefined;
    for (const state of this.states) {
      const head = state.buffer[0];
      if (head && sortKeyOf(state, head) === newest) {
        state.buffer.shift();
        state.position = keyOf(state, head);
        taken ??= head;
      }
    }
    return taken;
  }

  /** True when another record follows (reads ahead if it must, so that a last page has no next link). */
  async hasMore(): Promise<boolean> {
    await this.fill();
    return this.states.some((s) => s.buffer.length > 0);
  }

  /** Where each source stands; with these a new reader continues exactly after the last record taken. */
  positions(): SourcePosition[] {
    return this.states.map((s) => (s.exhausted && s.buffer.length === 0 ? null : s.position));
  }

  private async fill(): Promise<void> {
    await Promise.all(this.states.filter((s) => s.buffer.length === 0 && !s.exhausted).map((s) => this.read(s)));
  }

  private async read(state: SourceState): Promise<void> {
    // An empty page with a LastEvaluatedKey can happen; read on until there is an item or the end.
    while (state.buffer.length === 0 && !state.exhausted) {
      const { index, partition } = state.source;
      const sortName = SORT_ATTRIBUTE[index];
      const { from, to } = this.range;
      const rangeCondition = from !== undefined && to !== undefined ? ' AND #sk BETWEEN :from AND :to' : from !== undefined ? ' AND #sk >= :from' : to !== undefined ? ' AND #sk <= :to' : '';
      const result = await this.table.db.send(
        new QueryCommand({
          TableName: this.table.tableName,
          ...(index === 'table' ? {} : { IndexName: INDEXES[index].name }),
          KeyConditionExpression: `#pk = :pk${rangeCondition}`,
          ExpressionAttributeNames: { '#pk': PARTITION_ATTRIBUTE[index], ...(rangeCondition ? { '#sk': sortName } : {}) },
          ExpressionAttributeValues: { ':pk': partition, ...(from !== undefined ? { ':from': from } : {}), ...(to !== undefined && rangeCondition ? { ':to': to } : {}) },
          ScanIndexForward: false,
          Limit: this.pageSize,
          ExclusiveStartKey: state.startKey,
        }),
      );
      const items = result.Items ?? [];
      this.itemsRead += items.length;
      state.buffer.push(...items);
      state.startKey = result.LastEvaluatedKey;
      if (!result.LastEvaluatedKey) state.exhausted = true;
    }
  }
}

function sortKeyOf(state: SourceState, item: Item): string {
  return String(item[SORT_ATTRIBUTE[state.source.index]]);
}

/** The item's key as ExclusiveStartKey wants it for this source: the table's key plus the index's. */
function keyOf(state: SourceState, item: Item): Item {
  const { index } = state.source;
  const key: Item = { pk: item.pk, sk: item.sk };
  if (index !== 'table') {
    key[PARTITION_ATTRIBUTE[index]] = item[PARTITION_ATTRIBUTE[index]];
    key[SORT_ATTRIBUTE[index]] = item[SORT_ATTRIBUTE[index]];
  }
  return key;
}
