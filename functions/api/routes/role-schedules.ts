import {
  AWS_BASE,
  awsScheduleRoutes,
  BASE,
  REQUEST_COLLECTION,
  roleScheduleRoutes,
  VIEW_COLLECTIONS,
  type ScheduleRoutes,
} from '../../../shared/contracts/routes/role-schedules.ts';
import type { ScheduleKind } from '../../../shared/domain/schedule.ts';
import { actorOf } from '../../../shared/http/actor.ts';
import { implement, type BoundRoute } from '../../../shared/http/api-handler.ts';
import { collection, contextUrl, created, entity, noContent } from '../../../shared/http/responses.ts';
import { approverRequestViews } from '../../../shared/services/roles/approvals/approval-views.ts';
import { cancelRoleRequest } from '../../../shared/services/roles/requests/cancel-request.ts';
import {
  getRequestView,
  getScheduleView,
  listRequestViews,
  listRoleAssignmentViews,
  listScheduleViews,
  createdRequestViews,
  myRequestViews,
  myScheduleViews,
} from '../../../shared/services/roles/read-models/queries.ts';
import { submitRoleRequest } from '../../../shared/services/roles/requests/submit-request.ts';
import type { AccessKind } from '../../../shared/services/roles/access-kinds/access-kind.ts';
import { AWS_ACCESS } from '../../../shared/services/roles/access-kinds/aws-access.ts';
import { ROLE_ACCESS } from '../../../shared/services/roles/access-kinds/role-access.ts';

function requestRouteImpls(kind: ScheduleKind, routes: ScheduleRoutes['eligibilityRequests'], prefix: string, access: AccessKind): BoundRoute[] {
  const c = REQUEST_COLLECTION[kind];
  return [
    implement(routes.create, async (ctx) => {
      const { request } = await submitRoleRequest(ctx.services, actorOf(ctx), kind, ctx.body, { access });
      return created({ '@odata.context': contextUrl(ctx.info, `${prefix}/${c}/$entity`), ...access.requestView(request) });
    }),
    implement(routes.list, async (ctx) =>
      collection(ctx.info, `${prefix}/${c}`, await listRequestViews(ctx.services, ctx.caller, kind, listOptions(ctx.query), access), ctx.query.$select),
    ),
    implement(routes.mine, async (ctx) => {
      const type = `Collection(unifiedRole${kind === 'eligibility' ? 'Eligibility' : 'Assignment'}ScheduleRequest)`;
      const page =
        ctx.params.on === 'approver'
          ? await approverRequestViews(ctx.services, ctx.caller, kind, listOptions(ctx.query), access)
          : ctx.params.on === 'createdBy'
            ? await createdRequestViews(ctx.services, ctx.caller, kind, listOptions(ctx.query), access)
            : await myRequestViews(ctx.services, ctx.caller, kind, listOptions(ctx.query), access);
      return collection(ctx.info, type, page, ctx.query.$select);
    }),
    implement(routes.get, async (ctx) =>
      entity(ctx.info, `${prefix}/${c}`, await getRequestView(ctx.services, ctx.caller, kind, ctx.params.id, ctx.query.$expand, access), ctx.query.$select),
    ),
    implement(routes.cancel, async (ctx) => {
      await cancelRoleRequest(ctx.services, actorOf(ctx), kind, ctx.params.id, access);
      return noContent();
    }),
  ];
}

function viewRouteImpls(name: keyof typeof VIEW_COLLECTIONS, all: ScheduleRoutes, prefix: string, access: AccessKind): BoundRoute[] {
  const { kind, view } = VIEW_COLLECTIONS[name];
  const routes = all[name];
  const type = `unifiedRole${kind === 'eligibility' ? 'Eligibility' : 'Assignment'}Schedule${view === 'instances' ? 'Instance' : ''}`;
  return [
    implement(routes.list, async (ctx) =>
      collection(
        ctx.info,
        `${prefix}/${name}`,
        await listScheduleViews(ctx.services, ctx.caller, kind, view, listOptions(ctx.query), undefined, access),
        ctx.query.$select,
      ),
    ),
    implement(routes.mine, async (ctx) =>
      collection(
        ctx.info,
        `Collection(${type})`,
        await myScheduleViews(ctx.services, ctx.caller, kind, view, listOptions(ctx.query), access),
        ctx.query.$select,
      ),
    ),
    implement(routes.get, async (ctx) =>
      entity(
        ctx.info,
        `${prefix}/${name}`,
        await getScheduleView(ctx.services, ctx.caller, kind, view, ctx.params.id, ctx.query.$expand, access),
        ctx.query.$select,
      ),
    ),
  ];
}

function listOptions(query: { $filter?: string; $top?: number; $skiptoken?: string; $expand?: string }) {
  return { filter: query.$filter, top: query.$top, skipToken: query.$skiptoken, expand: query.$expand };
}

function scheduleRouteImpls(r: ScheduleRoutes, base: string, access: AccessKind): BoundRoute[] {
  const prefix = base.slice('/v1.0/'.length);
  return [
    ...requestRouteImpls('eligibility', r.eligibilityRequests, prefix, access),
    ...requestRouteImpls('assignment', r.assignmentRequests, prefix, access),
    ...viewRouteImpls('roleEligibilitySchedules', r, prefix, access),
    ...viewRouteImpls('roleEligibilityScheduleInstances', r, prefix, access),
    ...viewRouteImpls('roleAssignmentSchedules', r, prefix, access),
    ...viewRouteImpls('roleAssignmentScheduleInstances', r, prefix, access),
    implement(r.roleAssignments.list, async (ctx) => {
      const page = await listRoleAssignmentViews(ctx.services, ctx.caller, listOptions(ctx.query), access);
      const expanded = ctx.query.$expand ? `roleAssignments(${ctx.query.$expand}())` : 'roleAssignments';
      return collection(ctx.info, `${prefix}/${expanded}`, page, ctx.query.$select);
    }),
  ];
}

export const roleScheduleRouteImpls: BoundRoute[] = [
  ...scheduleRouteImpls(roleScheduleRoutes, BASE, ROLE_ACCESS),
  ...scheduleRouteImpls(awsScheduleRoutes, AWS_BASE, AWS_ACCESS),
];
