/**
 * Reading schedules, instances, requests and role assignments, of PIM for roles and (with GROUP_ACCESS)
 * of PIM for groups, which are stored alike. Readers (Global Administrator, Security
 * Administrator, Global Reader, Security Reader, Privileged Role Administrator) see everything; a
 * group's owners see its group's; anyone else sees what is theirs: `filterByCurrentUser(on='principal')`,
 * or a list filtered to their own id.
 */
import type { RoleRequest } from '../../../contracts/role-requests.ts';
import type { Caller } from '../../../domain/caller.ts';
import { isAllowed } from '../../../domain/authorization.ts';
import { BadRequestError, ForbiddenError, NotFoundError } from '../../../domain/errors.ts';
import { groupScope, isGroupAccess } from '../../../domain/group-access.ts';
import { equalityOn, evaluateFilter, type FilterNode } from '../../../domain/odata/filter.ts';
import { hasEnded, isInForce, type Schedule, type ScheduleKind } from '../../../domain/schedule.ts';
import { allGroupIdsOf } from '../../../store/memberships.ts';
import { getRequest, requestsOfPrincipal } from '../../../store/role-requests.ts';
import { getSchedule, listSchedules, schedulesOfGroup, schedulesOfPrincipal, schedulesOfRole } from '../../../store/role-schedules.ts';
import type { ShardCursor } from '../../../store/sharded-list.ts';
import type { Page, Services } from '../../context.ts';
import { parseODataFilter } from '../../directory/filter-query.ts';
import { pageInMemory } from '../../paging.ts';
import { heldRoles, holdingInForce, holdingsOf } from '../holdings/principal-access.ts';
import { memberHoldings } from '../holdings/role-holders.ts';
import { readRequestPage } from './request-list.ts';
import { planRequestQuery } from './request-query.ts';
import type { AccessKind, AccessView } from '../access-kinds/access-kind.ts';
import { GROUP_ACCESS } from '../access-kinds/group-access.ts';
import { ROLE_ACCESS } from '../access-kinds/role-access.ts';
import { holdingView, roleAssignmentView, type ViewKind } from './role-views.ts';

export interface ListQuery {
  filter?: string;
  top?: number;
  skipToken?: string;
  expand?: string;
}

type View = AccessView;

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

/**
 * Graph lists only current and planned schedules. Asked for `status eq 'Expired'`, Stint lists the
 * schedules that have ended instead (kept in the table once ended): the portal's Expired assignments
 * and the admin's Renew need them. An ended schedule the sweeper has not reached yet shows as Expired too.
 */
function endedWanted(node: FilterNode | undefined, view: ViewKind): boolean {
  return view === 'schedules' && node !== undefined && equalityOn(node, 'status') === 'Expired';
}

function listed(s: Schedule, view: ViewKind, now: Date, ended: boolean): Schedule | undefined {
  if (!ended) return visible(s, view, now) ? s : undefined;
  return hasEnded(s, now) ? { ...s, status: 'Expired' } : undefined;
}

export async function listScheduleViews(
  svc: Services,
  caller: Caller,
  kind: ScheduleKind,
  view: ViewKind,
  q: ListQuery,
  present?: (s: Schedule) => View,
  access: AccessKind = ROLE_ACCESS,
): Promise<Page<View>> {
  const node = q.filter ? parseODataFilter(q.filter) : undefined;
  const expand = access.expander(q.expand);
  if (access === GROUP_ACCESS) {
    const page = await listGroupScheduleViews(svc, caller, kind, view, q, node);
    return { ...page, items: await expand(svc, page.items) };
  }
  const show = present ?? ((s: Schedule) => access.scheduleView(s, view));
  const principalId = node ? equalityOn(node, 'principalId') : undefined;
  const roleId = node ? equalityOn(node, 'roleDefinitionId') : undefined;
  if (principalId !== caller.id && !(await mayReadAll(svc, caller))) throw forbidOthers(caller, access.collection(kind, view));
  const now = svc.clock.now();
  const top = q.top ?? DEFAULT_TOP;
  const ended = endedWanted(node, view);
  const shown = (s: Schedule) => listed(s, view, now, ended);
  if (typeof principalId === 'string' || typeof roleId === 'string') {
    const stored =
      typeof principalId === 'string' ? await schedulesOfPrincipal(svc.table, principalId, kind) : await schedulesOfRole(svc.table, String(roleId), kind);
    const own = stored
      .map((s) => s.data)
      .filter((s) => access.owns(s))
      .flatMap((s) => shown(s) ?? [])
      .map(show);
    // Who holds a role, as Graph answers it: the groups' members too (roleAssignments stay direct only).
    const throughGroups = !present && view === 'instances' && typeof principalId !== 'string' ? await memberHoldings(svc, stored, now) : [];
    const members = throughGroups.map(({ memberId, holding }) => holdingView(holding, view, memberId, access.scheduleView));
    const views = residual(node, [...own, ...members]).sort((a, b) => a.id.localeCompare(b.id) || a.principalId.localeCompare(b.principalId));
    const page = pageInMemory(svc, `${kind}:${view}:${q.filter}`, views, top, q.skipToken);
    return { ...page, items: await expand(svc, page.items) };
  }
  const listing = `${kind}:${view}:all:${q.filter ?? ''}`;
  const cursor = q.skipToken ? svc.pageTokens.decode<ShardCursor>(listing, q.skipToken) : undefined;
  const page = await listSchedules(svc.table, kind, top, cursor);
  // Directory roles and AWS roles share the listing; each API shows its own.
  const views = residual(
    node,
    page.items
      .filter((s) => access.owns(s))
      .flatMap((s) => shown(s) ?? [])
      .map(show),
  );
  return { items: await expand(svc, views), nextToken: page.next ? svc.pageTokens.encode(listing, page.next) : undefined };
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
  const { groupId, principalId } = await groupListScope(svc, caller, GROUP_ACCESS.collection(kind, view), node);
  const stored = groupId ? await schedulesOfGroup(svc.table, groupId, kind) : await schedulesOfPrincipal(svc.table, principalId!, kind);
  const now = svc.clock.now();
  const views = residual(
    node,
    stored
      .map((s) => s.data)
      .filter((s) => GROUP_ACCESS.owns(s) && visible(s, view, now))
      .map((s) => GROUP_ACCESS.scheduleView(s, view)),
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
  access: AccessKind = ROLE_ACCESS,
): Promise<Page<View>> {
  const node = q.filter ? parseODataFilter(q.filter) : undefined;
  const now = svc.clock.now();
  const holdings = (await holdingsOf(svc, caller.id, kind, now)).filter(
    (h) => access.owns(h.schedule) && visible(h.schedule, view, now) && (view === 'schedules' || holdingInForce(h, now)),
  );
  const views = residual(
    node,
    holdings.map((h) => holdingView(h, view, caller.id, access.scheduleView)),
  ).sort((a, b) => a.id.localeCompare(b.id));
  const page = pageInMemory(svc, `my:${access.name}:${kind}:${view}:${caller.id}:${q.filter ?? ''}`, views, q.top ?? DEFAULT_TOP, q.skipToken);
  return { ...page, items: await access.expander(q.expand)(svc, page.items) };
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
  access: AccessKind = ROLE_ACCESS,
): Promise<View> {
  const found = await getSchedule(svc.table, id);
  const now = svc.clock.now();
  if (!found || found.data.kind !== kind || !access.owns(found.data) || !visible(found.data, view, now) || !(await maySee(svc, caller, found.data))) {
    throw new NotFoundError(`No ${view === 'schedules' ? 'schedule' : 'instance'} '${id}' that you can see.`);
  }
  return (await access.expander(expand)(svc, [access.scheduleView(found.data, view)]))[0]!;
}

/**
 * Schedule requests, read through the plan the filter allows (request-query.ts): by principal, role or
 * group, status or creation time from their indexes, whatever the tenant's size.
 */
export async function listRequestViews(svc: Services, caller: Caller, kind: ScheduleKind, q: ListQuery, access: AccessKind = ROLE_ACCESS): Promise<Page<View>> {
  const node = q.filter ? parseODataFilter(q.filter) : undefined;
  const top = q.top ?? DEFAULT_TOP;
  const expand = access.expander(q.expand);
  if (access === GROUP_ACCESS) {
    const scope = await groupListScope(svc, caller, GROUP_ACCESS.collection(kind, 'requests'), node);
    const page = await readRequestPage(
      svc,
      planRequestQuery(node, q.filter, { kind, resource: 'group', ...scope }),
      top,
      q.skipToken,
      shownIf(kind, GROUP_ACCESS, node),
    );
    return { ...page, items: await expand(svc, page.items) };
  }
  const principalId = node ? equalityOn(node, 'principalId') : undefined;
  if (principalId !== caller.id && !(await mayReadAll(svc, caller))) throw forbidOthers(caller, access.collection(kind, 'requests'));
  const page = await readRequestPage(svc, planRequestQuery(node, q.filter, { kind, resource: 'role' }), top, q.skipToken, shownIf(kind, access, node));
  return { ...page, items: await expand(svc, page.items) };
}

/**
 * `filterByCurrentUser(on='createdBy')`: the requests the caller made, for themselves or as an
 * administrator for others. No index holds requests by creator, so the listing is read in order and
 * filtered; each is the caller's own doing, so no further permission is needed to see it.
 */
export async function createdRequestViews(
  svc: Services,
  caller: Caller,
  kind: ScheduleKind,
  q: ListQuery,
  access: AccessKind = ROLE_ACCESS,
): Promise<Page<View>> {
  const node = q.filter ? parseODataFilter(q.filter) : undefined;
  const expand = access.expander(q.expand);
  const plan = planRequestQuery(node, q.filter, { kind, resource: access.name });
  const shown = shownIf(kind, access, node);
  const page = await readRequestPage(svc, { ...plan, listing: `created:${caller.id}:${plan.listing}` }, q.top ?? DEFAULT_TOP, q.skipToken, (request) =>
    request.createdBy.user?.id === caller.id || request.createdBy.application?.id === caller.id ? shown(request) : undefined,
  );
  return { ...page, items: await expand(svc, page.items) };
}

/** A request's view when it belongs in this list: its kind, its API (roles or groups), and the whole filter. */
function shownIf(kind: ScheduleKind, access: AccessKind, node: FilterNode | undefined): (request: RoleRequest) => View | undefined {
  return (request) => {
    if (request.kind !== kind || !access.owns(request)) return undefined;
    const view = access.requestView(request);
    return !node || evaluateFilter(node, view) ? view : undefined;
  };
}

export async function myRequestViews(svc: Services, caller: Caller, kind: ScheduleKind, q: ListQuery, access: AccessKind = ROLE_ACCESS): Promise<Page<View>> {
  const node = q.filter ? parseODataFilter(q.filter) : undefined;
  const requests = (await requestsOfPrincipal(svc.table, caller.id)).map((x) => x.data).filter((x) => x.kind === kind && access.owns(x));
  const views = residual(node, requests.map(access.requestView)).sort((a, b) => a.id.localeCompare(b.id));
  const page = pageInMemory(svc, `my-requests:${access.name}:${kind}:${caller.id}:${q.filter ?? ''}`, views, q.top ?? DEFAULT_TOP, q.skipToken);
  return { ...page, items: await access.expander(q.expand)(svc, page.items) };
}

export async function getRequestView(
  svc: Services,
  caller: Caller,
  kind: ScheduleKind,
  id: string,
  expand?: string,
  access: AccessKind = ROLE_ACCESS,
): Promise<View> {
  const found = await getRequest(svc.table, id);
  const mine = found && (found.data.principalId === caller.id || found.data.createdBy.user?.id === caller.id);
  if (!found || found.data.kind !== kind || !access.owns(found.data) || !(mine || (await maySee(svc, caller, found.data))))
    throw new NotFoundError(`No request '${id}' that you can see.`);
  return (await access.expander(expand)(svc, [access.requestView(found.data)]))[0]!;
}

/** The plain `roleAssignments` view: active assignments in force now. */
export async function listRoleAssignmentViews(svc: Services, caller: Caller, q: ListQuery, access: AccessKind = ROLE_ACCESS): Promise<Page<View>> {
  return listScheduleViews(svc, caller, 'assignment', 'instances', q, (s) => roleAssignmentView(s) as View, access);
}
