/**
 * Turns a schedule-request list's `$filter` into a read plan: the most selective index the filter's
 * top-level `and` conditions allow, with `createdDateTime` bounds as a key range on it, so that "requests
 * of principal P", "for role R" (or group G), "in status S" and "created between T1 and T2" are each a
 * query of those requests, never a read of all of them. The whole filter is still applied to each
 * request read; the plan only chooses what to read.
 *
 * Order of choice: principalId (REQBY, gsi4), then roleDefinitionId or groupId (gsi2), then status
 * (`eq`, or `in` with a few values; gsi3), else the sharded listing (gsi1). Requests stored before these
 * keys existed are read beside them (see shared/store/request-reads.ts, LEGACY_RANGE).
 */
import { conjuncts, type FilterNode, type Literal } from '../../../domain/odata/filter.ts';
import type { ScheduleKind } from '../../../domain/schedule.ts';
import { LEGACY_RANGE, requestSources, TIME_KEYS, type KeyRange, type RequestSource } from '../../../store/request-reads.ts';
import type { ListedType } from '../../../store/keys.ts';
import type { AccessKindName } from '../access-kinds/access-kind.ts';

export type RequestIndexChoice = 'principal' | 'role' | 'group' | 'status' | 'listing';

export interface RequestPlan {
  index: RequestIndexChoice;
  /** Empty when the time bounds exclude everything. */
  sources: RequestSource[];
  /** Binds paging positions to these sources (a token from another plan is refused). */
  listing: string;
}

export interface RequestScope {
  kind: ScheduleKind;
  resource: AccessKindName;
  /** PIM for groups: the group or principal authorization settled on, which the plan must read. */
  groupId?: string;
  principalId?: string;
}

/** More status partitions than this (each of four shards) cost more than the listing would save. */
const MAX_STATUS_VALUES = 3;

/** Stored creation times are `toISOString()` text, whose text order is time order. */
const STORED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The stored-form instant a literal bounds `createdDateTime` by, or undefined when it cannot narrow the
 * key safely: date-time literals compare by instant, quoted text compares as text, which agrees with the
 * key order only for text in the stored form.
 */
function boundOf(value: Literal): string | undefined {
  if (value.kind === 'string') return STORED_INSTANT.test(value.value) ? value.value : undefined;
  if (value.kind !== 'datetime') return undefined;
  const instant = Date.parse(value.value);
  return Number.isNaN(instant) ? undefined : new Date(instant).toISOString();
}

/** Folds one time comparison into the range. Keys of instant T lie between `T` and `T#\uffff`. */
function narrow(range: KeyRange, op: string, at: string): KeyRange {
  const upper = `${at}#\uffff`;
  const from = op === 'ge' || op === 'eq' ? at : op === 'gt' ? upper : undefined;
  const to = op === 'le' || op === 'eq' ? upper : op === 'lt' ? at : undefined;
  return { from: from !== undefined && from > range.from ? from : range.from, to: to !== undefined && to < range.to ? to : range.to };
}

const text = (value: Literal): string | undefined => (value.kind === 'string' || value.kind === 'guid' ? value.value : undefined);

interface Found {
  principalId?: string;
  roleId?: string;
  groupId?: string;
  statuses?: string[];
  range?: KeyRange;
}

function scan(node: FilterNode | undefined): Found {
  const found: Found = {};
  for (const part of node ? conjuncts(node) : []) {
    const path = part.type === 'compare' || part.type === 'in' ? part.path.join('/') : '';
    if (part.type === 'compare' && path === 'createdDateTime' && part.op !== 'ne') {
      const at = boundOf(part.value);
      if (at !== undefined) found.range = narrow(found.range ?? TIME_KEYS, part.op, at);
    } else if (part.type === 'compare' && part.op === 'eq' && text(part.value) !== undefined) {
      const value = text(part.value)!;
      if (path === 'principalId') found.principalId ??= value;
      if (path === 'roleDefinitionId') found.roleId ??= value;
      if (path === 'groupId') found.groupId ??= value;
      if (path === 'status') found.statuses ??= [value];
    } else if (part.type === 'in' && path === 'status' && part.values.length <= MAX_STATUS_VALUES && part.values.every((v) => text(v) !== undefined)) {
      found.statuses ??= [...new Set(part.values.map((v) => text(v)!))];
    }
  }
  return found;
}

export function listedTypeOf(kind: ScheduleKind, resource: AccessKindName): ListedType {
  if (resource === 'group') return kind === 'eligibility' ? 'groupEligibilityRequest' : 'groupAssignmentRequest';
  return kind === 'eligibility' ? 'eligibilityRequest' : 'assignmentRequest';
}

/** The plan for this filter; `filterText` is what the client sent, so that tokens name their filter. */
export function planRequestQuery(node: FilterNode | undefined, filterText: string | undefined, scope: RequestScope): RequestPlan {
  const found = scan(node);
  const type = listedTypeOf(scope.kind, scope.resource);
  const principalId = scope.resource === 'group' ? scope.principalId : found.principalId;
  const groupId = scope.resource === 'group' ? scope.groupId : undefined;
  const range = found.range;
  const { index, sources } = choose();
  const live = range && range.from > range.to ? [] : sources;
  const listing = `requests:${type}:${live.map((s) => `${s.index}:${s.partition}`).join(',')}:${filterText ?? ''}`;
  return { index, sources: live, listing };

  function choose(): { index: RequestIndexChoice; sources: RequestSource[] } {
    if (principalId !== undefined) {
      // The principal's partition holds its legacy requests too, under their ids.
      const legacy = range ? requestSources.byPrincipal(principalId, LEGACY_RANGE) : [];
      return { index: 'principal', sources: [...requestSources.byPrincipal(principalId, range), ...legacy] };
    }
    if (groupId !== undefined) return { index: 'group', sources: [...requestSources.byGroup(scope.kind, groupId, range), ...requestSources.legacy(type)] };
    if (found.roleId !== undefined && scope.resource === 'role') {
      return { index: 'role', sources: [...requestSources.byRole(scope.kind, found.roleId, range), ...requestSources.legacy(type)] };
    }
    if (found.statuses && scope.resource === 'role') {
      return { index: 'status', sources: [...found.statuses.flatMap((s) => requestSources.byStatus(type, s, range)), ...requestSources.legacy(type)] };
    }
    return { index: 'listing', sources: [...requestSources.all(type, range), ...(range ? requestSources.legacy(type) : [])] };
  }
}
