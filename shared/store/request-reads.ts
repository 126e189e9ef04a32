/**
 * Reading requests oldest first from one or more index partitions at once: the listing shards (gsi1), a
 * role's or group's partition (gsi2), a status's shards (gsi3) or a principal's partition (gsi4). Each is
 * sorted by `{createdDateTime}#{id}`, so a creation-time range is a key condition on every one of them.
 *
 * Requests stored before those sort keys existed carry their bare id (`req_…`) as the gsi1 and gsi4 sort
 * key and have no gsi2 or gsi3 key at all; `LEGACY_RANGE` reads exactly them, so a plan can add them
 * (filtered in memory) and nothing stored earlier drops out of a filtered list.
 */
import type { RoleRequest } from '../contracts/role-requests.ts';
import { ID_PREFIXES } from '../domain/ids.ts';
import { LIST_SHARDS, listingPartition, prefixes, type ListedType } from './keys.ts';
import { MergedPartitionReader, type MergeOrder, type SourcePosition } from './merged-partitions.ts';
import { parseRequest } from './role-requests.ts';
import type { TableContext } from './table-context.ts';

export type { SourcePosition };

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

const shards = (partition: (shard: number) => string, index: RequestIndex, range?: KeyRange): RequestSource[] =>
  Array.from({ length: LIST_SHARDS }, (_, shard) => ({ index, partition: partition(shard), ...(range ? { range } : {}) }));

export const requestSources = {
  all: (type: ListedType, range?: KeyRange) => shards((s) => listingPartition(type, s), 'gsi1', range),
  /** The listing's legacy requests: the fallback beside a gsi2 or gsi3 partition, which never holds them. */
  legacy: (type: ListedType) => shards((s) => listingPartition(type, s), 'gsi1', LEGACY_RANGE),
  byPrincipal: (principalId: string, range?: KeyRange): RequestSource[] => [
    { index: 'gsi4', partition: prefixes.requestsBy(principalId), ...(range ? { range } : {}) },
  ],
  byRole: (kind: Kind, roleId: string, range?: KeyRange): RequestSource[] => [
    { index: 'gsi2', partition: prefixes.requestsForRole(kind, roleId), ...(range ? { range } : {}) },
  ],
  byGroup: (kind: Kind, groupId: string, range?: KeyRange): RequestSource[] => [
    { index: 'gsi2', partition: prefixes.requestsForGroup(kind, groupId), ...(range ? { range } : {}) },
  ],
  byStatus: (type: ListedType, status: string, range?: KeyRange) => shards((s) => prefixes.requestsInStatus(type, status, s), 'gsi3', range),
};

/** Merge order: creation time, then id, read from the request itself (legacy sort keys lack the time). */
const OLDEST_FIRST: MergeOrder = {
  direction: 'ascending',
  orderOf: (item) => {
    const data = item.data as { createdDateTime?: string; id?: string } | undefined;
    return `${data?.createdDateTime ?? ''}#${data?.id ?? ''}`;
  },
  equalIsSame: false,
};

export class RequestReader extends MergedPartitionReader {
  constructor(table: TableContext, sources: RequestSource[], positions: SourcePosition[] = [], pageSize = 100) {
    super(table, sources, positions, OLDEST_FIRST, pageSize);
  }

  /** The next request in merge order, parsed; undefined once every source is used up. */
  async nextRequest(): Promise<RoleRequest | undefined> {
    const item = await this.next();
    return item ? parseRequest(item).data : undefined;
  }
}
