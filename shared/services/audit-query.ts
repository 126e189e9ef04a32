/**
 * Turns a directoryAudits `$filter` into a read plan: which partitions to read (so that a filter by
 * target, by initiator or by time is a query of those records, never a scan of all of them), the time
 * range as a key condition, and the filter itself, applied to each record read.
 *
 * Supported, joined with `and`:
 *   activityDateTime ge|le|gt|lt|eq <date-time>
 *   category | activityDisplayName | result | operationType | loggedByService | correlationId | id  eq '…' (or in (…))
 *   startswith(activityDisplayName, '…')
 *   initiatedBy/user/id | initiatedBy/app/servicePrincipalId | initiatedBy/user/userPrincipalName  eq '…'
 *   targetResources/any(t: t/id eq '…')   (and t/type, t/displayName, t/userPrincipalName eq, joined with and)
 *
 * Who reads what: a reader (audit.readAll) reads every record; anyone else reads their own history, the
 * records they initiated and the records about them, and the filter narrows that.
 */
import { SUPPORTED_AUDIT_FILTERS } from '../contracts/routes/audit.ts';
import { canonicalJson } from '../domain/audit-chain.ts';
import { UnsupportedQueryError } from '../domain/errors.ts';
import { conjuncts, type FilterNode, type Literal } from '../domain/odata/filter.ts';
import { auditSources, type AuditSource, type SortKeyRange } from '../store/audit-reads.ts';
import { parseODataFilter } from './directory/filter-query.ts';

export interface AuditPlan {
  sources: AuditSource[];
  range: SortKeyRange;
  /** Applied to every record read; undefined when there is no filter. */
  filter?: FilterNode;
  /** Binds paging tokens to this plan: a token from another filter or another caller's view is refused. */
  listing: string;
}

export interface AuditViewer {
  callerId: string;
  readsAll: boolean;
}

const EQUALITY_FIELDS = ['category', 'activityDisplayName', 'result', 'operationType', 'loggedByService', 'correlationId', 'id'];
const ACTOR_PATHS = ['initiatedBy/user/id', 'initiatedBy/app/servicePrincipalId'];
const INITIATOR_FIELDS = [...ACTOR_PATHS, 'initiatedBy/user/userPrincipalName'];
const TARGET_FIELDS = ['id', 'type', 'displayName', 'userPrincipalName'];
const TIME = 'activityDateTime';

function unsupported(what: string): never {
  throw new UnsupportedQueryError(`${what} is not supported on directoryAudits. Supported: ${SUPPORTED_AUDIT_FILTERS}.`);
}

const isText = (value: Literal): value is { kind: 'string' | 'guid'; value: string } => value.kind === 'string' || value.kind === 'guid';

/** The instant a date-time literal names, as the sort keys write it (toISOString). */
function instantOf(value: Literal): string {
  const text = value.kind === 'datetime' || value.kind === 'string' ? value.value : undefined;
  const instant = text && /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(instant)) unsupported(`activityDateTime compared with something that is not a date-time with a time zone`);
  return new Date(instant).toISOString();
}

/** Folds one time comparison into the key range (the filter still checks each record exactly). */
function narrow(range: SortKeyRange, op: string, at: string): SortKeyRange {
  // Sort keys are `{time}#{id}`: every key of instant T lies between `T` and `T#\uffff`.
  const upper = `${at}#\uffff`;
  const from = op === 'ge' || op === 'eq' ? at : op === 'gt' ? upper : undefined;
  const to = op === 'le' || op === 'eq' ? upper : op === 'lt' ? at : undefined;
  if (op === 'ne') unsupported('activityDateTime ne');
  return {
    from: from !== undefined && (range.from === undefined || from > range.from) ? from : range.from,
    to: to !== undefined && (range.to === undefined || to < range.to) ? to : range.to,
  };
}

interface Keys {
  targetId?: string;
  actorId?: string;
  range: SortKeyRange;
}

function checkTargetPredicate(node: FilterNode, variable: string, keys: Keys): void {
  for (const part of conjuncts(node)) {
    const field = part.type === 'compare' ? part.path.slice(1).join('/') : '';
    if (part.type !== 'compare' || part.op !== 'eq' || part.path[0] !== variable || !TARGET_FIELDS.includes(field) || !isText(part.value)) {
      unsupported('This condition inside targetResources/any');
    }
    if (field === 'id') keys.targetId ??= part.value.value;
  }
}

function checkConjunct(part: FilterNode, keys: Keys): void {
  if (part.type === 'compare') {
    const path = part.path.join('/');
    if (path === TIME) {
      keys.range = narrow(keys.range, part.op, instantOf(part.value));
      return;
    }
    if (part.op === 'eq' && isText(part.value) && (EQUALITY_FIELDS.includes(path) || INITIATOR_FIELDS.includes(path))) {
      if (ACTOR_PATHS.includes(path)) keys.actorId ??= part.value.value;
      return;
    }
    unsupported(`'${path} ${part.op}'`);
  }
  if (part.type === 'in' && EQUALITY_FIELDS.includes(part.path.join('/')) && part.values.every(isText)) return;
  if (part.type === 'function' && part.name === 'startswith' && part.path.join('/') === 'activityDisplayName') return;
  if (part.type === 'lambda' && part.quantifier === 'any' && part.path.join('/') === 'targetResources') {
    checkTargetPredicate(part.predicate, part.variable, keys);
    return;
  }
  unsupported(part.type === 'or' ? "'or'" : part.type === 'not' ? "'not'" : 'This condition');
}

export function planAuditQuery(filterText: string | undefined, viewer: AuditViewer): AuditPlan {
  const filter = filterText ? parseODataFilter(filterText) : undefined;
  const keys: Keys = { range: {} };
  for (const part of filter ? conjuncts(filter) : []) checkConjunct(part, keys);
  const listing = `audit:${viewer.readsAll ? 'all' : `own:${viewer.callerId}`}:${filter ? canonicalJson(filter) : ''}`;
  return { sources: sourcesFor(keys, viewer), range: keys.range, filter, listing };
}

function sourcesFor(keys: Keys, viewer: AuditViewer): AuditSource[] {
  // One's own history is bounded by what one did and had done to one: read all of it, and filter.
  if (!viewer.readsAll) {
    if (keys.actorId === viewer.callerId) return auditSources.byActor(viewer.callerId);
    if (keys.targetId === viewer.callerId) return auditSources.about(viewer.callerId);
    return [...auditSources.byActor(viewer.callerId), ...auditSources.about(viewer.callerId)];
  }
  if (keys.targetId !== undefined) return auditSources.about(keys.targetId);
  if (keys.actorId !== undefined) return auditSources.byActor(keys.actorId);
  return auditSources.all();
}
