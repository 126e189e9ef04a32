import { approvalsRoutes } from '../../../shared/contracts/routes/approvals.ts';
import { actorOf } from '../../../shared/http/actor.ts';
import { implement, type BoundRoute } from '../../../shared/http/api-handler.ts';
import { collection, entity, noContent, ok } from '../../../shared/http/responses.ts';
import { getApprovalView } from '../../../shared/services/roles/approvals/approval-views.ts';
import { batchRecordDecisions, decideApprovalStep } from '../../../shared/services/roles/approvals/decide.ts';

const prefix = 'roleManagement/directory/roleAssignmentApprovals';

function impls(routes: (typeof approvalsRoutes)['beta']): BoundRoute[] {
  return [
    implement(routes.get, async (ctx) => entity(ctx.info, prefix, await getApprovalView(ctx.services, ctx.caller, ctx.params.id), ctx.query.$select)),
    implement(routes.listSteps, async (ctx) => {
      const approval = await getApprovalView(ctx.services, ctx.caller, ctx.params.id);
      return collection(ctx.info, `${prefix}('${approval.id}')/steps`, { items: approval.steps });
    }),
    implement(routes.batch, async (ctx) => {
      const { approvalIds, ...decision } = ctx.body;
      return ok({ value: await batchRecordDecisions(ctx.services, actorOf(ctx), approvalIds, decision) });
    }),
    implement(routes.decide, async (ctx) => {
      await decideApprovalStep(ctx.services, actorOf(ctx), ctx.params.id, ctx.params.stepId, ctx.body);
      return noContent();
    }),
  ];
}

export const approvalRouteImpls: BoundRoute[] = [...impls(approvalsRoutes.beta), ...impls(approvalsRoutes.v1)];
