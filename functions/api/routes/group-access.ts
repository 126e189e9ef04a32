import { BadRequestError } from '../../../shared/domain/errors.ts';
import { GROUP_REQUEST_PATHS, GROUP_VIEW_COLLECTIONS, groupAccessRoutes as r } from '../../../shared/contracts/routes/group-access.ts';
import type { ScheduleKind } from '../../../shared/domain/schedule.ts';
import { actorOf } from '../../../shared/http/actor.ts';
import { implement, type BoundRoute } from '../../../shared/http/api-handler.ts';
import { collection, contextUrl, created, entity, noContent } from '../../../shared/http/responses.ts';
import { approverRequestViews, getApprovalView } from '../../../shared/services/roles/approvals/approval-views.ts';
import { decideApprovalStep } from '../../../shared/services/roles/approvals/decide.ts';
import { cancelRoleRequest } from '../../../shared/services/roles/requests/cancel-request.ts';
import { GROUP_ACCESS } from '../../../shared/services/roles/access-kinds/group-access.ts';
import { groupRequestView, groupViewType } from '../../../shared/services/roles/read-models/group-views.ts';
import {
  getRequestView,
  getScheduleView,
  listRequestViews,
  listScheduleViews,
  createdRequestViews,
  myRequestViews,
  myScheduleViews,
} from '../../../shared/services/roles/read-models/queries.ts';
import { submitRoleRequest } from '../../../shared/services/roles/requests/submit-request.ts';

const prefix = 'identityGovernance/privilegedAccess/group';

function listOptions(query: { $filter?: string; $top?: number; $skiptoken?: string; $expand?: string }) {
  return { filter: query.$filter, top: query.$top, skipToken: query.$skiptoken, expand: query.$expand };
}

function requestRouteImpls(kind: ScheduleKind, routes: typeof r.eligibilityRequests): BoundRoute[] {
  const c = GROUP_REQUEST_PATHS[kind];
  const type = `Collection(privilegedAccessGroup${kind === 'eligibility' ? 'Eligibility' : 'Assignment'}ScheduleRequest)`;
  return [
    implement(routes.create, async (ctx) => {
      const { request } = await submitRoleRequest(ctx.services, actorOf(ctx), kind, ctx.body, { access: GROUP_ACCESS });
      return created({ '@odata.context': contextUrl(ctx.info, `${prefix}/${c}/$entity`), ...groupRequestView(request) });
    }),
    implement(routes.list, async (ctx) =>
      collection(ctx.info, `${prefix}/${c}`, await listRequestViews(ctx.services, ctx.caller, kind, listOptions(ctx.query), GROUP_ACCESS), ctx.query.$select),
    ),
    implement(routes.mine, async (ctx) => {
      const page =
        ctx.params.on === 'approver'
          ? await approverRequestViews(ctx.services, ctx.caller, kind, listOptions(ctx.query), GROUP_ACCESS)
          : ctx.params.on === 'createdBy'
            ? await createdRequestViews(ctx.services, ctx.caller, kind, listOptions(ctx.query), GROUP_ACCESS)
            : await myRequestViews(ctx.services, ctx.caller, kind, listOptions(ctx.query), GROUP_ACCESS);
      return collection(ctx.info, type, page, ctx.query.$select);
    }),
    implement(routes.get, async (ctx) =>
      entity(
        ctx.info,
        `${prefix}/${c}`,
        await getRequestView(ctx.services, ctx.caller, kind, ctx.params.id, ctx.query.$expand, GROUP_ACCESS),
        ctx.query.$select,
      ),
    ),
    implement(routes.cancel, async (ctx) => {
      await cancelRoleRequest(ctx.services, actorOf(ctx), kind, ctx.params.id, GROUP_ACCESS);
      return noContent();
    }),
  ];
}

function viewRouteImpls(name: keyof typeof GROUP_VIEW_COLLECTIONS): BoundRoute[] {
  const { kind, view } = GROUP_VIEW_COLLECTIONS[name];
  const routes = r[name];
  return [
    implement(routes.list, async (ctx) =>
      collection(
        ctx.info,
        `${prefix}/${name}`,
        await listScheduleViews(ctx.services, ctx.caller, kind, view, listOptions(ctx.query), undefined, GROUP_ACCESS),
        ctx.query.$select,
      ),
    ),
    implement(routes.mine, async (ctx) =>
      collection(
        ctx.info,
        `Collection(${groupViewType(kind, view)})`,
        await myScheduleViews(ctx.services, ctx.caller, kind, view, listOptions(ctx.query), GROUP_ACCESS),
        ctx.query.$select,
      ),
    ),
    implement(routes.get, async (ctx) =>
      entity(
        ctx.info,
        `${prefix}/${name}`,
        await getScheduleView(ctx.services, ctx.caller, kind, view, ctx.params.id, ctx.query.$expand, GROUP_ACCESS),
        ctx.query.$select,
      ),
    ),
  ];
}

/** Graph's v1.0 approval: its steps are the relationship `stages`, shown under `$expand=stages` (and at `/stages`). */
async function groupApproval(
  ctx: { services: Parameters<typeof getApprovalView>[0]; caller: Parameters<typeof getApprovalView>[1] },
  id: string,
  expand?: string,
) {
  const names = (expand ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => n !== 'stages');
  if (unknown.length) throw new BadRequestError(`$expand on approvals supports stages; not ${unknown.join(', ')}.`, 'Request_UnsupportedQuery');
  const approval = await getApprovalView(ctx.services, ctx.caller, id, GROUP_ACCESS);
  return names.includes('stages') ? { id: approval.id, stages: approval.steps } : { id: approval.id };
}

export const groupAccessRouteImpls: BoundRoute[] = [
  ...requestRouteImpls('eligibility', r.eligibilityRequests),
  ...requestRouteImpls('assignment', r.assignmentRequests),
  ...viewRouteImpls('eligibilitySchedules'),
  ...viewRouteImpls('eligibilityScheduleInstances'),
  ...viewRouteImpls('assignmentSchedules'),
  ...viewRouteImpls('assignmentScheduleInstances'),
  implement(r.approvals.mine, async (ctx) => {
    // Graph's approvalFilterByCurrentUserOptions: approvals I decide, of requests for me, or of requests I made.
    const q = { ...listOptions(ctx.query), expand: undefined };
    const page =
      ctx.params.on === 'approver'
        ? await approverRequestViews(ctx.services, ctx.caller, 'assignment', q, GROUP_ACCESS)
        : ctx.params.on === 'target'
          ? await myRequestViews(ctx.services, ctx.caller, 'assignment', q, GROUP_ACCESS)
          : await createdRequestViews(ctx.services, ctx.caller, 'assignment', q, GROUP_ACCESS);
    const withApproval = page.items.filter((request) => request.approvalId);
    const approvals = await Promise.all(withApproval.map((request) => groupApproval(ctx, String(request.id), ctx.query.$expand)));
    return collection(
      ctx.info,
      `Collection(approval)`,
      { ...page, items: approvals.map((a) => ({ '@odata.type': '#microsoft.graph.approval', ...a })) },
      ctx.query.$select,
    );
  }),
  implement(r.approvals.get, async (ctx) =>
    entity(ctx.info, `${prefix}/assignmentApprovals`, await groupApproval(ctx, ctx.params.id, ctx.query.$expand), ctx.query.$select),
  ),
  implement(r.approvals.listStages, async (ctx) => {
    const approval = await groupApproval(ctx, ctx.params.id, 'stages');
    return collection(ctx.info, `${prefix}/assignmentApprovals('${approval.id}')/stages`, { items: approval.stages ?? [] });
  }),
  ...[r.approvals.decide, r.approvals.decideStep].map((spec) =>
    implement(spec, async (ctx) => {
      await decideApprovalStep(ctx.services, actorOf(ctx), ctx.params.id, ctx.params.stepId, ctx.body);
      return noContent();
    }),
  ),
];
