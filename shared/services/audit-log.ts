/**
 * Reading the audit log (`/auditLogs/directoryAudits`), newest first, with the `$filter`s of
 * audit-query.ts. Holders of a role granting 'audit.readAll' (shared/domain/authorization.ts) see every
 * record; anyone else sees their own history: what they initiated and what was done to them.
 */
import { directoryAuditSchema, DEFAULT_AUDIT_PAGE, type DirectoryAudit } from '../contracts/routes/audit.ts';
import { isAllowed } from '../domain/authorization.ts';
import type { Caller } from '../domain/caller.ts';
import { evaluateFilter } from '../domain/odata/filter.ts';
import { AuditRecordReader, type SourcePosition } from '../store/audit-reads.ts';
import type { Page, Services } from './context.ts';
import { planAuditQuery, type AuditPlan } from './audit-query.ts';
import { heldRoles } from './roles/holdings/principal-access.ts';

export interface AuditListOptions {
  filter?: string;
  top?: number;
  skipToken?: string;
}

/**
 * Records one request may read looking for matches. A selective filter over a long time range would
 * otherwise read without end inside one request; past this a page comes back short, with a nextLink
 * (Graph's pages may be short too).
 */
export const AUDIT_READ_BUDGET = 5_000;

export function parseRecord(item: Record<string, unknown>): DirectoryAudit {
  const parsed = directoryAuditSchema.safeParse(item.data);
  if (!parsed.success) throw new Error(`Stored audit record ${String(item.pk)} ${String(item.sk)} does not match its schema: ${parsed.error.message}`);
  return parsed.data;
}

/** The caller's view of the log and the plan for this filter in it. */
export async function auditPlanFor(svc: Services, caller: Caller, filter: string | undefined): Promise<AuditPlan> {
  const readsAll = isAllowed(await heldRoles(svc, caller), 'audit.readAll');
  return planAuditQuery(filter, { callerId: caller.id, readsAll });
}

/** Reads matching records from where `positions` left off until `enough` says stop or the budget is spent. */
export async function readMatching(
  svc: Services,
  plan: AuditPlan,
  positions: SourcePosition[] | undefined,
  enough: (records: number) => boolean,
  onRecord: (record: DirectoryAudit) => void,
  budget = AUDIT_READ_BUDGET,
  pageSize = 200,
): Promise<{ positions?: SourcePosition[] }> {
  const reader = new AuditRecordReader(svc.table, plan.sources, plan.range, positions, pageSize);
  let matched = 0;
  while (!enough(matched) && reader.itemsRead < budget) {
    const item = await reader.next();
    if (!item) return {};
    const record = parseRecord(item);
    if (plan.filter && !evaluateFilter(plan.filter, record)) continue;
    matched++;
    onRecord(record);
  }
  return (await reader.hasMore()) ? { positions: reader.positions() } : {};
}

export async function listDirectoryAudits(svc: Services, caller: Caller, options: AuditListOptions): Promise<Page<DirectoryAudit>> {
  const top = options.top ?? DEFAULT_AUDIT_PAGE;
  const plan = await auditPlanFor(svc, caller, options.filter);
  const start = options.skipToken ? svc.pageTokens.decode<SourcePosition[]>(plan.listing, options.skipToken) : undefined;
  const items: DirectoryAudit[] = [];
  // Small pages read small pages from each partition; a filter that drops records reads on in steps of 25 or more.
  const pageSize = Math.min(200, Math.max(top + 1, 25));
  const { positions } = await readMatching(
    svc,
    plan,
    start,
    (n) => n >= top,
    (record) => items.push(record),
    AUDIT_READ_BUDGET,
    pageSize,
  );
  return { items, nextToken: positions ? svc.pageTokens.encode(plan.listing, positions) : undefined };
}
