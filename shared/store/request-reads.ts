/**
 * Reading requests oldest first from one or more index partitions at once: the listing shards (gsi1), a
 * role's or group's partition (gsi2), a status's shards (gsi3) or a principal's partition (gsi4). Each is
 * sorted by `{createdDateTime}#{id}`, so a creation-time range is a key condition on every one of them.
 *
 * Requests stored before those sort keys existed carry their bare id (`req_…`) as the gsi1 and gsi4 sort
 * key and have no gsi2 or gsi3 key at all; `LEGACY_RANGE` reads exactly them, so a plan can add them
 * (filtered in memory) and nothing stored earlier drops out of a filtered list.
 *
 * Memory is one DynamoDB page per partition: callers pull one request at a time and keep, per partition,
 * the key of the last one taken.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ID_PREFIXES } from '../domain/ids.ts';
import { LIST_SHARDS, listingPartition, prefixes, type ListedType } from './keys.ts';
import { INDEXES } from './table-schema.ts';
import type { TableContext } from './table-context.ts';

type Item = Record<string, unknown>;
type RequestIndex = 'gsi1' | 'gsi2' | 'gsi3' | 'gsi4';
type Kind = 'eligibility' | 'assignment';

/** Inclusive bounds on a sort key. */
export interface KeyRange {
  from: string;
  to: string;
}

export interface RequestSource {
  index: RequestIndex;
  partition: string;
  /** Absent: the whole partition. */
  range?: KeyRange;
}

/** The sort keys of requests stored before creation-time sort keys: their ids. */
export const LEGACY_RANGE: KeyRange = { from: `${ID_PREFIXES.request}_`, to: `${ID_PREFIXES.request}_\uffff` };

/**
 * Every creation-time sort key lies in ['0', ':'), since ':' follows '9'; a one-sided time bound is
 * closed with these so that it never reaches the legacy keys, which sort after every digit.
 */
export const TIME_KEYS: KeyRange = { from: '0', to: ':' };

/** Per source: 0 before its first request, the key of the last request taken from it, or null once used up. */
export type SourcePosition = 0 | Item | null;

const shards = (partition: (shard: number) => string, index: RequestIndex, range?: KeyRange): RequestSource[] =>
  Array.from({ length: LIST_SHARDS }, (_, shard) => ({ index, partition: partition(shard), ...(range ? { range } : {}) }));

export const requestSources = {
  all: (type: ListedType, range?: KeyRange) => shards((s) => listingPartition(type, s), 'gsi1', range),
  /** The listing's legacy requests: the fallback beside a gsi2 or gsi3 partition, which never holds them. */
  legacy: (type: ListedType) => shards((s) => listingPartition(type, s), 'gsi1', LEGACY_RANGE),
  byPrincipal: (principalId: string, range?: KeyRange): RequestSource[] => [{ index: 'gsi4', partition: prefixes.requestsBy(principalId), ...(range ? { range } : {}) }],
  byRole: (kind: Kind, roleId: string, range?: KeyRange): RequestSource[] => [{ index: 'gsi2', partition: prefixes.requestsForRole(kind, roleId), ...(range ? { range } : {}) }],
  byGroup: (kind: Kind, groupId: string, range?: KeyRange): RequestSource[] => [{ index: 'gsi2', partition: prefixes.requestsForGroup(kind, groupId), ...(range ? { range } : {}) }],
  byStatus: (type: ListedType, status: string, range?: KeyRange) => shards((s) => prefixes.requestsInStatus(type, status, s), 'gsi3', range),
};

interface SourceState {
  source: RequestSource;
  buffer: Item[];
  startKey?: Item;
  exhausted: boolean;
  position: SourcePosition;
}

/** Merge order: creation time, then id, read from the request itself (legacy sort keys lack the time). */
const orderOf = (item: Item) => {
  const data = item.data as { createdDateTime?: string; id?: string } | undefined;
  return `${data?.createdDateTime ?? ''}#${data?.id ?? ''}`;
};

export class RequestReader {
  private readonly states: SourceState[];
  /** Items read from DynamoDB so far, taken or not: what a caller budgets a request by. */
  itemsRead = 0;

  constructor(
    private readonly table: TableContext,
    sources: RequestSource[],
    positions: SourcePosition[] = [],
    private readonly pageSize = 100,
  ) {
    this.states = sources.map((source, i) => {
      const position = positions[i] === undefined ? 0 : positions[i]!;
      return { source, buffer: [], startKey: position === 0 || position === null ? undefined : position, exhausted: position === null, position };
    });
  }

  /** The next request item, oldest first, or undefined when every source is used up. */
  async next(): Promise<Item | undefined> {
    await this.fill();
    let first: SourceState | undefined;
    for (const state of this.states) {
      if (state.buffer[0] && (!first || orderOf(state.buffer[0]) < orderOf(first.buffer[0]!))) first = state;
    }
    if (!first) return undefined;
    const taken = first.buffer.shift()!;
    first.position = keyOf(first.source.index, taken);
    return taken;
  }

  /** True when another request follows (reads ahead if it must, so that a last page has no next link). */
  async hasMore(): Promise<boolean> {
    await this.fill();
    return this.states.some((s) => s.buffer.length > 0);
  }

  positions(): SourcePosition[] {
    return this.states.map((s) => (s.exhausted && s.buffer.length === 0 ? null : s.position));
  }

  private async fill(): Promise<void> {
    await Promise.all(this.states.filter((s) => s.buffer.length === 0 && !s.exhausted).map((s) => this.read(s)));
  }

  private async read(state: SourceState): Promise<void> {
    const { index, partition, range } = state.source;
    const { partition: pkName, sort: skName } = INDEXES[index];
    // An empty page with a LastEvaluatedKey can happen; read on until there is an item or the end.
    while (state.buffer.length === 0 && !state.exhausted) {
      const result = await this.table.db.send(
        new QueryCommand({
          TableName: this.table.tableName,
          IndexName: INDEXES[index].name,
          KeyConditionExpression: range ? '#pk = :pk AND #sk BETWEEN :from AND :to' : '#pk = :pk',
          ExpressionAttributeNames: range ? { '#pk': pkName, '#sk': skName } : { '#pk': pkName },
          ExpressionAttributeValues: range ? { ':pk': partition, ':from': range.from, ':to': range.to } : { ':pk': partition },
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
function keyOf(index: RequestIndex, item: Item): Item {
  const { partition, sort } = INDEXES[index];
  return { pk: item.pk, sk: item.sk, [partition]: item[partition], [sort]: item[sort] };
}
