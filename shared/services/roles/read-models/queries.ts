/**
 * Reading schedules, instances, requests and role assignments, of PIM for roles and (with resource
 * 'group') of PIM for groups, which are stored alike. Readers (Global Administrator, Security
 * Administrator, Global Reader, Security Reader, Privileged Role Administrator) see everything; a
 * group's owners see its group's; anyone else sees what is theirs: `filterByCurrentUser(on='principal')`,
 * or a list filtered to their own id.
 */
import { requestView, type RoleRequest } from '../../../contracts/role-requests.ts';
import type { Caller } from '../../../domain/caller.ts';
import { isAllowed } from '../../../domain/authorization.ts';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../../domain/errors.ts';
import { groupScope, isGroupAccess } from '../../../domain/group-access.ts';
import { equalityOn, evaluateFilter, type FilterNode } from '../../../domain/odata/filter.ts';
import { hasEnded, isInForce, type Schedule, type ScheduleKind } from '../../../domain/schedule.ts';
import { listObjects } from '../../../store/directory-objects.ts';
import { allGroupIdsOf } from '../../../store/memberships.ts';
import { getRequest, requestsOfPrincipal } from '../../../store/role-requests.ts';
import { getSchedule, parseSchedule, schedulesOfGroup, schedulesOfPrincipal, schedulesOfRole } from '../../../store/role-schedules.ts';
import type { ShardCursor } from '../../../store/sharded-list.ts';
import type { Page, Services } from '../../context.ts';
import { parseODataFilter } from '../../directory/filter-query.ts';
import { pageInMemory } from '../../paging.ts';
import { expandItems, parseExpand } from './expand.ts';
import { GROUP_COLLECTIONS, GROUP_REQUEST_COLLECTIONS, groupRequestView, groupScheduleView } from './group-views.ts';
import { heldRoles, holdingInForce, holdingsOf } from '../holdings/principal-access.ts';
import { memberHoldings } from '../holdings/role-holders.ts';
import { readRequestPage } from './request-list.ts';
import { planRequestQuery } from './request-query.ts';
import type { RequestResource } from '../requests/request-context.ts';
import { COLLECTIONS, holdingView, instanceView, roleAssignmentView, scheduleView, type ViewKind } from './role-views.ts';

type RoleView = Record<string, unknown> & { id: string; principalId: string; roleDefinitionId: string };

export interface ListQuery {
  filter?: string;
  top?: number;
  skipToken?: string;
  expand?: string;
}

type View = Record<string, unknown> & { id: string; principalId: string };

/** How one API (roles, or groups) tells its items apart and shows them. */
interface Resource {
  name: RequestResource;
  owns: (target: { roleDefinitionId: string; directoryScopeId: string }) => boolean;
  schedule: (s: Schedule, view: ViewKind, memberType?: 'Direct' | 'Group', principalId?: string) => View;
  request: (r: RoleRequest) => View;
  collection: (kind: ScheduleKind, view: ViewKind | 'requests') => string;
}

const RESOURCES: Record<RequestResource, Resource> = {
  role: {
    name: 'role',
    owns: (t) => !isGroupAccess(t),
    schedule: (s, view, memberType, principalId) =>
      (view === 'schedules' ? scheduleView(s, memberType, principalId) : instanceView(s, memberType, principalId)) as View,
    request: (r) => requestView(r) as View,
    collection: (kind, view) =>
      view === 'requests' ? `role${kind === 'eligibility' ? 'Eligibility' : 'Assignment'}ScheduleRequests` : COLLECTIONS[kind][view],
  },
  group: {
    name: 'group',
    owns: isGroupAccess,
    schedule: groupScheduleView,
    request: groupRequestView,
    collection: (kind, view) => (view === 'requests' ? GROUP_REQUEST_COLLECTIONS[kind] : GROUP_COLLECTIONS[kind][view]),
  },
};

const DEFAULT_TOP = 100;

async function mayReadAll(svc: Services, caller: Caller): Promise<boolean> {
  return isAllowed(await heldRoles(svc, caller), 'roleAssignments.readAll');
}

/**
 * PIM for groups: Graph requires every list to name a group or a principal. Whoever may manage the
 * group's assignments (its owners, role administrators) or read everything may list a group's.
 */
async function groupListScope(
  svc: Services,
  caller: Caller,
  collection: string,
  node: FilterNode | undefined,
): Promise<{ groupId?: string; principalId?: string }> {
  const groupId = node ? equalityOn(node, 'groupId') : undefined;
  const principalId = node ? equalityOn(node, 'principalId') : undefined;
  if (typeof groupId !== 'string' && typeof principalId !== 'string') {
    throw new BadRequestError(
      `Listing ${collection} requires $filter on groupId or principalId, as Graph does: $filter=groupId eq '{groupId}' or $filter=principalId eq '${caller.id}' (more conditions may be added with 'and'), or use ${collection}/filterByCurrentUser(on='principal').`,
    );
  }
  if (principalId === caller.id) return { principalId };
  const held = await heldRoles(svc, caller);
  const mayManageGroup = typeof groupId === 'string' && isAllowed(held, 'groupAccess.manage', groupScope(groupId));
  if (!mayManageGroup && !isAllowed(held, 'roleAssignments.readAll')) {
    throw new ForbiddenError(
      `Only the group's owners, Privileged Role Administrators and readers may list others' ${collection}. Use ${collection}/filterByCurrentUser(on='principal'), or $filter=principalId eq '${caller.id}'.`,
    );
  }
  return typeof groupId === 'string' ? { groupId } : { principalId: principalId as string };
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

const toView = (s: Schedule, view: ViewKind): View => RESOURCES.role.schedule(s, view);

export async function listScheduleViews(
  svc: Services,
  caller: Caller,
  kind: ScheduleKind,
  view: ViewKind,
  q: ListQuery,
  present?: (s: Schedule) => View,
  resource: RequestResource = 'role',
): Promise<Page<View>> {
  const node = q.filter ? parseODataFilter(q.filter) : undefined;
  if (resource === 'group') return listGroupScheduleViews(svc, caller, kind, view, q, node);
  const expand = parseExpand(q.expand);
  const show = present ?? ((s: Schedule) => toView(s, view));
  const principalId = node ? equalityOn(node, 'principalId') : undefined;
  const roleId = node ? equalityOn(node, 'roleDefinitionId') : undefined;
  if (principalId !== caller.id && !(await mayReadAll(svc, caller)))
    throw forbidOthers(caller, `role${kind === 'eligibility' ? 'Eligibility' : 'Assignment'}${view === 'schedules' ? 'Schedules' : 'ScheduleInstances'}`);
  const now = svc.clock.now();
  const top = q.top ?? DEFAULT_TOP;
  if (typeof principalId === 'string' || typeof roleId === 'string') {
    const stored =
      typeof principalId === 'string' ? await schedulesOfPrincipal(svc.table, principalId, kind) : await schedulesOfRole(svc.table, String(roleId), kind);
    const own = stored
      .map((s) => s.data)
      .filter((s) => RESOURCES.role.owns(s) && visible(s, view, now))
      .map(show);
    // Who holds a role, as Graph answers it: the groups' members too (roleAssignments stay direct only).
    const throughGroups = !present && view === 'instances' && typeof principalId !== 'string' ? await memberHoldings(svc, stored, now) : [];
    const members = throughGroups.map(({ memberId, holding }) => holdingView(holding, view, memberId, RESOURCES.role.schedule));
    const views = residual(node, [...own, ...members]).sort((a, b) => a.id.localeCompare(b.id) || a.principalId.localeCompare(b.principalId));
    const page = pageInMemory(svc, `${kind}:${view}:${q.filter}`, views, top, q.skipToken);
    return { ...page, items: await expandItems(svc, page.items as RoleView[], expand) };
  }
  const listing = `${kind}:${view}:all:${q.filter ?? ''}`;
  const cursor = q.skipToken ? svc.pageTokens.decode<ShardCursor>(listing, q.skipToken) : undefined;
  const page = await listObjects(svc.table, kind === 'eligibility' ? 'eligibilitySchedule' : 'assignmentSchedule', top, cursor);
  const views = residual(
    node,
    page.items
      .map((i) => parseSchedule(i).data)
      .filter((s) => visible(s, view, now))
      .map(show),
  );
  return { items: await expandItems(svc, views as RoleView[], expand), nextToken: page.next ? svc.pageTokens.encode(listing, page.next) : undefined };
}

/** A group's schedules, or a principal's group schedules (the `$filter` Graph requires names one). */
async function listGroupScheduleViews(
  svc: Services,
  caller: Caller,
  kind: ScheduleKind,
  view: ViewKind,
  q: ListQuery,
  node: FilterNode | undefined,
): Promise<Page<View>> {
  const { groupId, principalId } = await groupListScope(svc, caller, GROUP_COLLECTIONS[kind][view], node);
  const stored = groupId ? await schedulesOfGroup(svc.table, groupId, kind) : await schedulesOfPrincipal(svc.table, principalId!, kind);
  const now = svc.clock.now();
  const views = residual(
    node,
    stored
      .map((s) => s.data)
      .filter((s) => isGroupAccess(s) && visible(s, view, now))
      .map((s) => groupScheduleView(s, view)),
  ).sort((a, b) => a.id.localeCompare(b.id));
  return pageInMemory(svc, `group:${kind}:${view}:${q.filter}`, views, q.top ?? DEFAULT_TOP, q.skipToken);
}

/**
 * "My" schedules or instances: direct, and — unlike Entra — those reaching me through my groups
 * (standing memberships, and PIM for groups memberships while they are in force).
 */
export async function myScheduleViews(
  svc: Services,
  caller: Caller,
  kind: ScheduleKind,
  view: ViewKind,
  q: ListQuery,
  resource: RequestResource = 'role',
): Promise<Page<View>> {
  const node = q.filter ? parseODataFilter(q.filter) : undefined;
  const now = svc.clock.now();
  const r = RESOURCES[resource];
  const holdings = (await holdingsOf(svc, caller.id, kind, now)).filter(
    (h) => r.owns(h.schedule) && visible(h.schedule, view, now) && (view === 'schedules' || holdingInForce(h, now)),
  );
  const views = residual(
    node,
    holdings.map((h) => holdingView(h, view, caller.id, r.schedule)),
  ).sort((a, b) => a.id.localeCompare(b.id));
  const page = pageInMemory(svc, `my:${resource}:${kind}:${view}:${caller.id}:${q.filter ?? ''}`, views, q.top ?? DEFAULT_TOP, q.skipToken);
  return resource === 'role' ? { ...page, items: await expandItems(svc, page.items as RoleView[], parseExpand(q.expand)) } : page;
}

/**
 * Whether the caller may see something of this principal about this target: it is theirs, or their
 * group's, or they read all, or (group access) they manage that group's assignments.
 */
async function maySee(svc: Services, caller: Caller, target: { principalId: string; roleDefinitionId: string; directoryScopeId: string }): Promise<boolean> {
  if (target.principalId === caller.id) return true;
  if ((await allGroupIdsOf(svc.table, caller.id)).includes(target.principalId)) return true;
  const held = await heldRoles(svc, caller);
  return isAllowed(held, 'roleAssignments.readAll') || (isGroupAccess(target) && isAllowed(held, 'groupAccess.manage', target.directoryScopeId));
}

export async function getScheduleView(
  svc: Services,
  caller: Caller,
  kind: ScheduleKind,
  view: ViewKind,
  id: string,
  expand?: string,
  resource: RequestResource = 'role',
): Promise<View> {
  const found = await getSchedule(svc.table, id);
  const now = svc.clock.now();
  const r = RESOURCES[resource];
  if (!found || found.data.kind !== kind || !r.owns(found.data) || !visible(found.data, view, now) || !(await maySee(svc, caller, found.data))) {
    throw new NotFoundError(`No ${view === 'schedules' ? 'schedule' : 'instance'} '${id}' that you can see.`);
  }
  const item = r.schedule(found.data, view);
  return resource === 'role' ? (await expandItems(svc, [item as RoleView], parseExpand(expand)))[0]! : item;
}

/**
 * Schedule requests, read through the plan the filter allows (request-query.ts): by principal, role or
 * group, status or creation time from their indexes, whatever the tenant's size.
 */
export async function listRequestViews(
  svc: Services,
  caller: Caller,
  kind: ScheduleKind,
  q: ListQuery,
  resource: RequestResource = 'role',
): Promise<Page<View>> {
  const node = q.filter ? parseODataFilter(q.filter) : undefined;
  const top = q.top ?? DEFAULT_TOP;
  if (resource === 'group') {
    const scope = await groupListScope(svc, caller, GROUP_REQUEST_COLLECTIONS[kind], node);
    return readRequestPage(svc, planRequestQuery(node, q.filter, { kind, resource, ...scope }), top, q.skipToken, shownIf(kind, RESOURCES.group, node));
  }
  const expand = parseExpand(q.expand);
  const principalId = node ? equalityOn(node, 'principalId') : undefined;
  if (principalId !== caller.id && !(await mayReadAll(svc, caller)))
    throw forbidOthers(caller, `role${kind === 'eligibility' ? 'Eligibility' : 'Assignment'}ScheduleRequests`);
  const page = await readRequestPage(svc, planRequestQuery(node, q.filter, { kind, resource }), top, q.skipToken, shownIf(kind, RESOURCES.role, node));
  return { ...page, items: await expandItems(svc, page.items as RoleView[], expand) };
}

/** A request's view when it belongs in this list: its kind, its API (roles or groups), and the whole filter. */
function shownIf(kind: ScheduleKind, r: Resource, node: FilterNode | undefined): (request: RoleRequest) => View | undefined {
  return (request) => {
    if (request.kind !== kind || !r.owns(request)) return undefined;
    const view = r.request(request);
    return !node || evaluateFilter(node, view) ? view : undefined;
  };
}

export async function myRequestViews(svc: Services, caller: Caller, kind: ScheduleKind, q: ListQuery, resource: RequestResource = 'role'): Promise<Page<View>> {
  const node = q.filter ? parseODataFilter(q.filter) : undefined;
  const r = RESOURCES[resource];
  const requests = (await requestsOfPrincipal(svc.table, caller.id)).map((x) => x.data).filter((x) => x.kind === kind && r.owns(x));
  const views = residual(node, requests.map(r.request)).sort((a, b) => a.id.localeCompare(b.id));
  const page = pageInMemory(svc, `my-requests:${resource}:${kind}:${caller.id}:${q.filter ?? ''}`, views, q.top ?? DEFAULT_TOP, q.skipToken);
  return resource === 'role' ? { ...page, items: await expandItems(svc, page.items as RoleView[], parseExpand(q.expand)) } : page;
}

export async function getRequestView(
  svc: Services,
  caller: Caller,
  kind: ScheduleKind,
  id: string,
  expand?: string,
  resource: RequestResource = 'role',
): Promise<View> {
  const found = await getRequest(svc.table, id);
  const r = RESOURCES[resource];
  const mine = found && (found.data.principalId === caller.id || found.data.createdBy.user?.id === caller.id);
  if (!found || found.data.kind !== kind || !r.owns(found.data) || !(mine || (await maySee(svc, caller, found.data))))
    throw new NotFoundError(`No request '${id}' that you can see.`);
  const item = r.request(found.data);
  return resource === 'role' ? (await expandItems(svc, [item as RoleView], parseExpand(expand)))[0]! : item;
}

/** The plain `roleAssignments` view: active assignments in force now. */
export async function listRoleAssignmentViews(svc: Services, caller: Caller, q: ListQuery): Promise<Page<View>> {
  return listScheduleViews(svc, caller, 'assignment', 'instances', q, (s) => roleAssignmentView(s) as RoleView);
}
