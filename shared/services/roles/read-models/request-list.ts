/**
 * One page of a schedule-request list read by a plan (request-query.ts): requests are pulled oldest
 * first from the plan's partitions and kept when `show` keeps them (kind, resource, the whole filter),
 * until the page is full, the partitions are used up, or the read budget is spent.
 */
import type { RoleRequest } from '../../../contracts/role-requests.ts';
import { RequestReader, type SourcePosition } from '../../../store/request-reads.ts';
import type { Page, Services } from '../../context.ts';
import type { RequestPlan } from './request-query.ts';

/**
 * Requests one API call may read looking for matches. A filter the index cannot narrow (say, on
 * justification over a role's whole history) would otherwise read without end; past this the page
 * comes back short, with a nextLink, as Graph's pages may.
 */
export const REQUEST_READ_BUDGET = 2_000;

export async function readRequestPage<V>(
  svc: Services,
  plan: RequestPlan,
  top: number,
  skipToken: string | undefined,
  show: (r: RoleRequest) => V | undefined,
  budget = REQUEST_READ_BUDGET,
): Promise<Page<V>> {
  const start = skipToken ? svc.pageTokens.decode<SourcePosition[]>(plan.listing, skipToken) : undefined;
  // Small pages read small pages from each partition; a filter that drops requests reads on in steps of 25 or more.
  const reader = new RequestReader(svc.table, plan.sources, start, Math.min(200, Math.max(top + 1, 25)));
  const items: V[] = [];
  while (items.length < top && reader.itemsRead < budget) {
    const request = await reader.nextRequest();
    if (!request) return { items };
    const view = show(request);
    if (view !== undefined) items.push(view);
  }
  return { items, nextToken: (await reader.hasMore()) ? svc.pageTokens.encode(plan.listing, reader.positions()) : undefined };
}
