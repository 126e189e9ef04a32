/**
 * Reading the audit log (`/auditLogs/directoryAudits`), newest first.
 *
 * Who sees what: holders of a role granting 'audit.readAll' (shared/domain/authorization.ts) see every
 * record; anyone else sees only the records they initiated. For them the initiatedBy filter is forced to
 * their own id, and a filter naming someone else is refused (403) rather than quietly answered with
 * nothing.
 *
 * Only what an index answers is supported: no filter (the sharded listing index, gsi1) or one equality on
 * the initiator (the by-actor index, gsi2). Anything else is a 400 that names what is supported; a filter
 * is never applied to a scanned page.
 */
import { directoryAuditSchema, DEFAULT_AUDIT_PAGE, type DirectoryAudit } from '../contracts/routes/audit.ts';
import { isAllowed, roleNamesGranting } from '../domain/authorization.ts';
import type { Caller } from '../domain/caller.ts';
import { ForbiddenError, UnsupportedQueryError } from '../domain/errors.ts';
import { conjuncts, evaluateFilter, type FilterNode } from '../domain/odata/filter.ts';
import { listObjects } from '../store/directory-objects.ts';
import type { ShardCursor } from '../store/sharded-list.ts';
import { auditRecordsByActor } from '../store/audit.ts';
import type { Page, Services } from './context.ts';
import { parseODataFilter } from './directory/filter-query.ts';
import { heldRoles } from './roles/principal-access.ts';

export interface AuditListOptions {
  filter?: string;
  top?: number;
  skipToken?: string;
}

/** The initiator paths the by-actor index answers (it is keyed by user id or service principal id). */
const BY_ACTOR = ['initiatedBy/user/id', 'initiatedBy/app/servicePrincipalId'];

interface ActorFilter {
  actorId: string;
  node: FilterNode;
}

/** The one supported shape: `<initiator path> eq '<id>'`. */
function planFilter(text: string): ActorFilter {
  const node = parseODataFilter(text);
  const parts = conjuncts(node);
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only?.type === 'compare' && only.op === 'eq' && BY_ACTOR.includes(only.path.join('/')) && (only.value.kind === 'string' || only.value.kind === 'guid')) {
    return { actorId: only.value.value, node };
  }
  throw new UnsupportedQueryError(
    `This $filter is not supported on directoryAudits yet. Use ${BY_ACTOR.map((p) => `${p} eq '…'`).join(' or ')}, on its own.`,
  );
}

function parseRecord(item: Record<string, unknown>): DirectoryAudit {
  const parsed = directoryAuditSchema.safeParse(item.data);
  if (!parsed.success) throw new Error(`Stored audit record ${String(item.pk)} ${String(item.sk)} does not match its schema: ${parsed.error.message}`);
  return parsed.data;
}

export async function listDirectoryAudits(svc: Services, caller: Caller, options: AuditListOptions): Promise<Page<DirectoryAudit>> {
  const top = options.top ?? DEFAULT_AUDIT_PAGE;
  const filter = options.filter ? planFilter(options.filter) : undefined;
  // One's own records need no role, so asking only for them skips reading the caller's roles.
  if (filter?.actorId === caller.id) return listByActor(svc, caller.id, top, options.skipToken, filter);
  const readsAll = isAllowed(await heldRoles(svc, caller), 'audit.readAll');
  if (!readsAll && filter) {
    const readers = roleNamesGranting('audit.readAll');
    throw new ForbiddenError(`You may read only the audit records you initiated (initiator id '${caller.id}'); reading others' needs one of these roles, active at '/': ${readers.join(', ')}.`);
  }
  if (filter) return listByActor(svc, filter.actorId, top, options.skipToken, filter);
  if (!readsAll) return listByActor(svc, caller.id, top, options.skipToken);
  return listAll(svc, top, options.skipToken);
}

async function listAll(svc: Services, top: number, skipToken: string | undefined): Promise<Page<DirectoryAudit>> {
  const listing = 'audit:all';
  const cursor = skipToken ? svc.pageTokens.decode<ShardCursor>(listing, skipToken) : undefined;
  const page = await listObjects(svc.table, 'audit', top, cursor, 'descending');
  return { items: page.items.map(parseRecord), nextToken: page.next ? svc.pageTokens.encode(listing, page.next) : undefined };
}

/**
 * One page of an initiator's records. The index holds a user's and a service principal's records under
 * their id alike, so an explicit filter is applied to what it returns (ids never collide, so this drops
 * nothing in practice).
 */
async function listByActor(svc: Services, actorId: string, top: number, skipToken: string | undefined, filter?: ActorFilter): Promise<Page<DirectoryAudit>> {
  const listing = `audit:by:${actorId}:${filter ? JSON.stringify(filter.node) : ''}`;
  const start = skipToken ? svc.pageTokens.decode<Record<string, unknown>>(listing, skipToken) : undefined;
  const { items, next } = await auditRecordsByActor(svc.table, actorId, top, start);
  const records = items.map(parseRecord).filter((record) => !filter || evaluateFilter(filter.node, record));
  return { items: records, nextToken: next ? svc.pageTokens.encode(listing, next) : undefined };
}
