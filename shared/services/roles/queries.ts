/**
 * Reading schedules, instances, requests and role assignments. Readers (Global Administrator, Security
 * Administrator, Global Reader, Security Reader, Privileged Role Administrator) see everything; anyone
 * else sees what is theirs: `filterByCurrentUser(on='principal')`, or a list filtered to their own id.
 */
import { requestView, type RoleRequest } from '../../contracts/role-requests.ts';
import type { Caller } from '../../domain/caller.ts';
import { isAllowed } from '../../domain/authorization.ts';
import { ForbiddenError, NotFoundError } from '../../domain/errors.ts';
import { equalityOn, evaluateFilter, type FilterNode } from '../../domain/odata/filter.ts';
import { hasEnded, isInForce, type Schedule, type ScheduleKind } from '../../domain/schedule.ts';
import { listObjects } from '../../store/directory-objects.ts';
import { allGroupIdsOf } from '../../store/memberships.ts';
import { getRequest, parseRequest, requestsOfPrincipal } from '../../store/role-requests.ts';
import { getSchedule, parseSchedule, schedulesOfPrincipal, schedulesOfRole } from '../../store/role-schedules.ts';
import type { ShardCursor } from '../../store/sharded-list.ts';
import type { Page, Services } from '../context.ts';
import { parseODataFilter } from '../directory/filter-query.ts';
import { pageInMemory } from '../paging.ts';
import { expandItems, parseExpand } from './expand.ts';
import { heldRoles, holdingsOf } from './principal-access.ts';
import { holdingView, instanceView, roleAssignmentView, scheduleView, type ViewKind } from './views.ts';

export interface ListQuery {
  filter?: string;
  top?: number;
  skipToken?: string;
  expand?: string;
}

type View = Record<string, unknown> & { id: string; principalId: string; roleDefinitionId: string };

const DEFAULT_TOP = 100;

async function mayReadAll(svc: Services, caller: Caller): Promise<boolean> {
  return isAllowed(await heldRoles(svc, caller), 'roleAssignments.readAll');
}

function forbidOthers(caller: Caller, collection: string): ForbiddenError {
  return new ForbiddenError(
    `Only Global Administrators, Privileged Role Administrators, Security Administrators and readers may list everyone's ${collection}. Use ${collection}/filterByCurrentUser(on='principal'), or $filter=principalId eq '${caller.id}'.`,
  );
}

function residual(node: FilterNode | undefined, views: View[]): View[] {
  return node ? views.filter((v) => evaluateFilter(node, v)) : views;
}

function visible(s: Schedule, view: ViewKind, now: Date): boolean {
  return view === 'instances' ? isInForce(s, now) : !hasEnded(s, now);
}

const toView = (s: Schedule, view: ViewKind): View => (view === 'schedules' ? scheduleView(s) : instanceView(s)) as View;

export async function listScheduleViews(
  svc: Services,
  caller: Caller,
  kind: ScheduleKind,
  view: ViewKind,
  q: ListQuery,
  present: (s: Schedule) => View = (s) => toView(s, view),
): Promise<Page<View>> {
  const node = q.filter ? parseODataFilter(q.filter) : undefined;
  const expand = parseExpand(q.expand);
  const principalId = node ? equalityOn(node, 'principalId') : undefined;
  const roleId = node ? equalityOn(node, 'roleDefinitionId') : undefined;
  if (principalId !== caller.id && !(await mayReadAll(svc, caller))) throw forbidOthers(caller, `role${kind === 'eligibility' ? 'Eligibility' : 'Assignment'}${view === 'schedules' ? 'Schedules' : 'ScheduleInstances'}`);
  const now = svc.clock.now();
  const top = q.top ?? DEFAULT_TOP;
  if (typeof principalId === 'string' || typeof roleId === 'string') {
    const stored = typeof principalId === 'string' ? await schedulesOfPrincipal(svc.table, principalId, kind) : await schedulesOfRole(svc.table, String(roleId), kind);
    const views = residual(node, stored.map((s) => s.data).filter((s) => visible(s, view, now)).map(present)).sort((a, b) => a.id.localeCompare(b.id));
    const page = pageInMemory(svc, `${kind}:${view}:${q.filter}`, views, top, q.skipToken);
    return { ...page, items: await expandItems(svc, page.items, expand) };
  }
  const listing = `${kind}:${view}:all:${q.filter ?? ''}`;
  const cursor = q.skipToken ? svc.pageTokens.decode<ShardCursor>(listing, q.skipToken) : undefined;
  const page = await listObjects(svc.table, kind === 'eligibility' ? 'eligibilitySchedule' : 'assignmentSchedule', top, cursor);
  const views = residual(node, page.items.map((i) => parseSchedule(i).data).filter((s) => visible(s, view, now)).map(present));
  return { items: await expandItems(svc, views, expand), nextToken: page.next ? svc.pageTokens.encode(listing, page.next) : undefined };
}

/** "My" schedules or instances: direct, and — unlike Entra — those reaching me through my groups. */
export async function myScheduleViews(svc: Services, caller: Caller, kind: ScheduleKind, view: ViewKind, q: ListQuery): Promise<Page<View>> {
  const node = q.filter ? parseODataFilter(q.filter) : undefined;
  const now = svc.clock.now();
  const holdings = (await holdingsOf(svc, caller.id, kind)).filter((h) => visible(h.schedule, view, now));
  const views = residual(node, holdings.map((h) => holdingView(h, view, caller.id) as View)).sort((a, b) => a.id.localeCompare(b.id));
  const page = pageInMemory(svc, `my:${kind}:${view}:${caller.id}:${q.filter ?? ''}`, views, q.top ?? DEFAULT_TOP, q.skipToken);
  return { ...page, items: await expandItems(svc, page.items, parseExpand(q.expand)) };
}

/** Whether the caller may see something of this principal: it is theirs, or their group's, or they read all. */
async function maySee(svc: Services, caller: Caller, principalId: string): Promise<boolean> {
  if (principalId === caller.id) return true;
  if ((await allGroupIdsOf(svc.table, caller.id)).includes(principalId)) return true;
  return mayReadAll(svc, caller);
}

export async function getScheduleView(svc: Services, caller: Caller, kind: ScheduleKind, view: ViewKind, id: string, expand?: string): Promise<View> {
  const found = await getSchedule(svc.table, id);
  const now = svc.clock.now();
  if (!found || found.data.kind !== kind || !visible(found.data, view, now) || !(await maySee(svc, caller, found.data.principalId))) {
    throw new NotFoundError(`No ${view === 'schedules' ? 'schedule' : 'instance'} '${id}' that you can see.`);
  }
  const [item] = await expandItems(svc, [toView(found.data, view)], parseExpand(expand));
  return item!;
}

const requestViewOf = (r: RoleRequest) => requestView(r) as View;

export async function listRequestViews(svc: Services, caller: Caller, kind: ScheduleKind, q: ListQuery): Promise<Page<View>> {
  const node = q.filter ? parseODataFilter(q.filter) : undefined;
  const expand = parseExpand(q.expand);
  const principalId = node ? equalityOn(node, 'principalId') : undefined;
  if (principalId !== caller.id && !(await mayReadAll(svc, caller))) throw forbidOthers(caller, `role${kind === 'eligibility' ? 'Eligibility' : 'Assignment'}ScheduleRequests`);
  const top = q.top ?? DEFAULT_TOP;
  if (typeof principalId === 'string') {
    const requests = (await requestsOfPrincipal(svc.table, principalId)).map((r) => r.data).filter((r) => r.kind === kind);
    const views = residual(node, requests.map(requestViewOf)).sort((a, b) => a.id.localeCompare(b.id));
    const page = pageInMemory(svc, `requests:${kind}:${q.filter}`, views, top, q.skipToken);
    return { ...page, items: await expandItems(svc, page.items, expand) };
  }
  const listing = `requests:${kind}:all:${q.filter ?? ''}`;
  const cursor = q.skipToken ? svc.pageTokens.decode<ShardCursor>(listing, q.skipToken) : undefined;
  const page = await listObjects(svc.table, kind === 'eligibility' ? 'eligibilityRequest' : 'assignmentRequest', top, cursor);
  const views = residual(node, page.items.map((i) => requestViewOf(parseRequest(i).data)));
  return { items: await expandItems(svc, views, expand), nextToken: page.next ? svc.pageTokens.encode(listing, page.next) : undefined };
}

export async function myRequestViews(svc: Services, caller: Caller, kind: ScheduleKind, q: ListQuery): Promise<Page<View>> {
  const node = q.filter ? parseODataFilter(q.filter) : undefined;
  const requests = (await requestsOfPrincipal(svc.table, caller.id)).map((r) => r.data).filter((r) => r.kind === kind);
  const views = residual(node, requests.map(requestViewOf)).sort((a, b) => a.id.localeCompare(b.id));
  const page = pageInMemory(svc, `my-requests:${kind}:${caller.id}:${q.filter ?? ''}`, views, q.top ?? DEFAULT_TOP, q.skipToken);
  return { ...page, items: await expandItems(svc, page.items, parseExpand(q.expand)) };
}

export async function getRequestView(svc: Services, caller: Caller, kind: ScheduleKind, id: string, expand?: string): Promise<View> {
  const found = await getRequest(svc.table, id);
  const mine = found && (found.data.principalId === caller.id || found.data.createdBy.user?.id === caller.id);
  if (!found || found.data.kind !== kind || !(mine || (await mayReadAll(svc, caller)))) throw new NotFoundError(`No request '${id}' that you can see.`);
  const [item] = await expandItems(svc, [requestViewOf(found.data)], parseExpand(expand));
  return item!;
}

/** The plain `roleAssignments` view: active assignments in force now. */
export async function listRoleAssignmentViews(svc: Services, caller: Caller, q: ListQuery): Promise<Page<View>> {
  return listScheduleViews(svc, caller, 'assignment', 'instances', q, (s) => roleAssignmentView(s) as View);
}
