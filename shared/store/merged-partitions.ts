/**
 * Reading several sorted partitions as one list: each is queried a DynamoDB page at a time and the
 * lists are merged by an order the caller defines. The audit log (audit-reads.ts) and request lists
 * (request-reads.ts) read this way.
 *
 * Memory is one DynamoDB page per partition, however many items are read: callers pull items one at a
 * time and keep, as their position, the key of the last item taken from each partition.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { INDEXES, KEY, type IndexName } from './table-schema.ts';
import type { TableContext } from './table-context.ts';

type Item = Record<string, unknown>;

/** Inclusive bounds on a partition's sort key; either side may be open. */
export interface SortKeyRange {
  from?: string;
  to?: string;
}

export interface PartitionSource {
  index: 'table' | IndexName;
  partition: string;
  /** Absent: the whole partition. */
  range?: SortKeyRange;
}

/**
 * Per source: 0 before its first item, the key of the last item taken from it, or null once it is
 * used up. (Not undefined: positions travel as JSON, where undefined in an array turns into null.)
 * Issued paging tokens hold these, so the shape must not change.
 */
export type SourcePosition = 0 | Item | null;

export interface MergeOrder {
  direction: 'ascending' | 'descending';
  /** The string the merge compares items by. */
  orderOf: (item: Item, source: PartitionSource) => string;
  /** Whether heads of equal order are one item read from several partitions, to be returned once. */
  equalIsSame: boolean;
}

/** The key attributes of the table or of an index. */
export function keyAttributes(index: PartitionSource['index']): { partition: string; sort: string } {
  return index === 'table' ? KEY : INDEXES[index];
}

interface SourceState {
  source: PartitionSource;
  buffer: Item[];
  /** Where the next query starts (DynamoDB's ExclusiveStartKey), undefined at the partition's start. */
  startKey?: Item;
  exhausted: boolean;
  position: SourcePosition;
}

export class MergedPartitionReader {
  private readonly states: SourceState[];
  /** Items read from DynamoDB so far, taken or not: what a caller budgets a request by. */
  itemsRead = 0;

  constructor(
    private readonly table: TableContext,
    sources: PartitionSource[],
    positions: SourcePosition[],
    private readonly order: MergeOrder,
    private readonly pageSize: number,
  ) {
    this.states = sources.map((source, i) => {
      // null (used up) must survive: `?? 0` would restart a finished source from its beginning.
      const position = positions[i] === undefined ? 0 : positions[i]!;
      return { source, buffer: [], startKey: position === 0 || position === null ? undefined : position, exhausted: position === null, position };
    });
  }

  /** The next item in merge order, or undefined when every source is used up. */
  async next(): Promise<Item | undefined> {
    await this.fill();
    const { direction, orderOf, equalIsSame } = this.order;
    let first: string | undefined;
    for (const state of this.states) {
      const head = state.buffer[0];
      if (!head) continue;
      const order = orderOf(head, state.source);
      if (first === undefined || (direction === 'ascending' ? order < first : order > first)) first = order;
    }
    if (first === undefined) return undefined;
    // Of heads that are not the same item, the earliest source goes first; the others wait their turn.
    let taken: Item | undefined;
    for (const state of this.states) {
      const head = state.buffer[0];
      if (!head || orderOf(head, state.source) !== first || (taken && !equalIsSame)) continue;
      state.buffer.shift();
      state.position = keyOf(state.source.index, head);
      taken ??= head;
    }
    return taken;
  }

  /** True when another item follows (reads ahead if it must, so that a last page has no next link). */
  async hasMore(): Promise<boolean> {
    await this.fill();
    return this.states.some((s) => s.buffer.length > 0);
  }

  /** Where each source stands; with these a new reader continues exactly after the last item taken. */
  positions(): SourcePosition[] {
    return this.states.map((s) => (s.exhausted && s.buffer.length === 0 ? null : s.position));
  }

  private async fill(): Promise<void> {
    await Promise.all(this.states.filter((s) => s.buffer.length === 0 && !s.exhausted).map((s) => this.read(s)));
  }

  private async read(state: SourceState): Promise<void> {
    const { index, partition, range } = state.source;
    const { from, to } = range ?? {};
    const { partition: pkName, sort: skName } = keyAttributes(index);
    const rangeCondition =
      from !== undefined && to !== undefined
        ? ' AND #sk BETWEEN :from AND :to'
        : from !== undefined
          ? ' AND #sk >= :from'
          : to !== undefined
            ? ' AND #sk <= :to'
            : '';
    // An empty page with a LastEvaluatedKey can happen; read on until there is an item or the end.
    while (state.buffer.length === 0 && !state.exhausted) {
      const result = await this.table.db.send(
        new QueryCommand({
          TableName: this.table.tableName,
          ...(index === 'table' ? {} : { IndexName: INDEXES[index].name }),
          KeyConditionExpression: `#pk = :pk${rangeCondition}`,
          ExpressionAttributeNames: { '#pk': pkName, ...(rangeCondition ? { '#sk': skName } : {}) },
          ExpressionAttributeValues: { ':pk': partition, ...(from !== undefined ? { ':from': from } : {}), ...(to !== undefined ? { ':to': to } : {}) },
          ScanIndexForward: this.order.direction === 'ascending',
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

/** The item's key as ExclusiveStartKey wants it for this index: the table's key plus the index's. */
function keyOf(index: PartitionSource['index'], item: Item): Item {
  const key: Item = { pk: item.pk, sk: item.sk };
  if (index !== 'table') {
    const { partition, sort } = INDEXES[index];
    key[partition] = item[partition];
    key[sort] = item[sort];
  }
  return key;
}
