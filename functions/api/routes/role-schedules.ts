import { REQUEST_COLLECTION, roleScheduleRoutes as r, VIEW_COLLECTIONS } from '../../../shared/contracts/routes/role-schedules.ts';
import { requestView } from '../../../shared/contracts/role-requests.ts';
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
  myRequestViews,
  myScheduleViews,
} from '../../../shared/services/roles/read-models/queries.ts';
import { submitRoleRequest } from '../../../shared/services/roles/requests/submit-request.ts';

const prefix = 'roleManagement/directory';

function requestRouteImpls(kind: ScheduleKind, routes: typeof r.eligibilityRequests): BoundRoute[] {
  const c = REQUEST_COLLECTION[kind];
  return [
    implement(routes.create, async (ctx) => {
      const { request } = await submitRoleRequest(ctx.services, actorOf(ctx), kind, ctx.body);
      return created({ '@odata.context': contextUrl(ctx.info, `${prefix}/${c}/$entity`), ...requestView(request) });
    }),
    implement(routes.list, async (ctx) =>
      collection(ctx.info, `${prefix}/${c}`, await listRequestViews(ctx.services, ctx.caller, kind, listOptions(ctx.query)), ctx.query.$select),
    ),
    implement(routes.mine, async (ctx) => {
      const type = `Collection(unifiedRole${kind === 'eligibility' ? 'Eligibility' : 'Assignment'}ScheduleRequest)`;
      const page =
        ctx.params.on === 'approver'
          ? await approverRequestViews(ctx.services, ctx.caller, kind, listOptions(ctx.query))
          : await myRequestViews(ctx.services, ctx.caller, kind, listOptions(ctx.query));
      return collection(ctx.info, type, page, ctx.query.$select);
    }),
    implement(routes.get, async (ctx) =>
      entity(ctx.info, `${prefix}/${c}`, await getRequestView(ctx.services, ctx.caller, kind, ctx.params.id, ctx.query.$expand), ctx.query.$select),
    ),
    implement(routes.cancel, async (ctx) => {
      await cancelRoleRequest(ctx.services, actorOf(ctx), kind, ctx.params.id);
      return noContent();
    }),
  ];
}

function viewRouteImpls(name: keyof typeof VIEW_COLLECTIONS): BoundRoute[] {
  const { kind, view } = VIEW_COLLECTIONS[name];
  const routes = r[name];
  const type = `unifiedRole${kind === 'eligibility' ? 'Eligibility' : 'Assignment'}Schedule${view === 'instances' ? 'Instance' : ''}`;
  return [
    implement(routes.list, async (ctx) =>
      collection(ctx.info, `${prefix}/${name}`, await listScheduleViews(ctx.services, ctx.caller, kind, view, listOptions(ctx.query)), ctx.query.$select),
    ),
    implement(routes.mine, async (ctx) =>
      collection(ctx.info, `Collection(${type})`, await myScheduleViews(ctx.services, ctx.caller, kind, view, listOptions(ctx.query)), ctx.query.$select),
    ),
    implement(routes.get, async (ctx) =>
      entity(ctx.info, `${prefix}/${name}`, await getScheduleView(ctx.services, ctx.caller, kind, view, ctx.params.id, ctx.query.$expand), ctx.query.$select),
    ),
  ];
}

function listOptions(query: { $filter?: string; $top?: number; $skiptoken?: string; $expand?: string }) {
  return { filter: query.$filter, top: query.$top, skipToken: query.$skiptoken, expand: query.$expand };
}

export const roleScheduleRouteImpls: BoundRoute[] = [
  ...requestRouteImpls('eligibility', r.eligibilityRequests),
  ...requestRouteImpls('assignment', r.assignmentRequests),
  ...viewRouteImpls('roleEligibilitySchedules'),
  ...viewRouteImpls('roleEligibilityScheduleInstances'),
  ...viewRouteImpls('roleAssignmentSchedules'),
  ...viewRouteImpls('roleAssignmentScheduleInstances'),
  implement(r.roleAssignments.list, async (ctx) => {
    const page = await listRoleAssignmentViews(ctx.services, ctx.caller, listOptions(ctx.query));
    const expanded = ctx.query.$expand ? `roleAssignments(${ctx.query.$expand}())` : 'roleAssignments';
    return collection(ctx.info, `${prefix}/${expanded}`, page, ctx.query.$select);
  }),
];
