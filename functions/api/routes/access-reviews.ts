import { BadRequestError } from '../../../shared/domain/errors.ts';
import { accessReviewRoutes as r } from '../../../shared/contracts/routes/access-reviews.ts';
import { actorOf } from '../../../shared/http/actor.ts';
import { implement, type BoundRoute } from '../../../shared/http/api-handler.ts';
import { collection, created, entity, noContent, ok } from '../../../shared/http/responses.ts';
import {
  acceptRecommendations,
  batchRecordDecisions,
  getDecisionView,
  listDecisions,
  resetDecisions,
  recordDecision,
} from '../../../shared/services/access-reviews/decisions.ts';
import {
  createDefinition,
  deleteDefinitionById,
  getDefinitionView,
  listDefinitions,
  updateDefinition,
} from '../../../shared/services/access-reviews/definitions.ts';
import {
  applyDecisions,
  contactedReviewers,
  getInstanceView,
  listInstances,
  sendReminder,
  stopDefinition,
  stopInstance,
} from '../../../shared/services/access-reviews/instances.ts';

const DEFS = 'identityGovernance/accessReviews/definitions';
const TOP = 100;

export const accessReviewRouteImpls: BoundRoute[] = [
  implement(r.createDefinition, async (ctx) => {
    const view = await createDefinition(ctx.services, actorOf(ctx), ctx.body);
    return created({ '@odata.context': `${ctx.info.baseUrl}/v1.0/$metadata#${DEFS}/$entity`, ...view });
  }),
  implement(r.listDefinitions, async (ctx) =>
    collection(
      ctx.info,
      DEFS,
      await listDefinitions(ctx.services, ctx.caller, { mine: false, filter: ctx.query.$filter, top: ctx.query.$top ?? TOP, skipToken: ctx.query.$skiptoken }),
      ctx.query.$select,
    ),
  ),
  implement(r.myDefinitions, async (ctx) =>
    collection(
      ctx.info,
      DEFS,
      await listDefinitions(ctx.services, ctx.caller, { mine: true, filter: ctx.query.$filter, top: ctx.query.$top ?? TOP, skipToken: ctx.query.$skiptoken }),
      ctx.query.$select,
    ),
  ),
  implement(r.getDefinition, async (ctx) =>
    entity(ctx.info, `${DEFS}/$entity`, await getDefinitionView(ctx.services, ctx.caller, ctx.params.id), ctx.query.$select),
  ),
  implement(r.updateDefinition, async (ctx) => {
    await updateDefinition(ctx.services, actorOf(ctx), ctx.params.id, ctx.body);
    return noContent();
  }),
  implement(r.deleteDefinition, async (ctx) => {
    await deleteDefinitionById(ctx.services, actorOf(ctx), ctx.params.id);
    return noContent();
  }),
  implement(r.stopDefinition, async (ctx) => {
    await stopDefinition(ctx.services, actorOf(ctx), ctx.params.id);
    return noContent();
  }),
  implement(r.listInstances, async (ctx) =>
    collection(
      ctx.info,
      `${DEFS}('${ctx.params.id}')/instances`,
      { items: await listInstances(ctx.services, ctx.caller, ctx.params.id, false, ctx.query.$filter) },
      ctx.query.$select,
    ),
  ),
  implement(r.myInstances, async (ctx) =>
    collection(
      ctx.info,
      `${DEFS}('${ctx.params.id}')/instances`,
      { items: await listInstances(ctx.services, ctx.caller, ctx.params.id, true, ctx.query.$filter) },
      ctx.query.$select,
    ),
  ),
  implement(r.getInstance, async (ctx) =>
    entity(
      ctx.info,
      `${DEFS}('${ctx.params.id}')/instances/$entity`,
      await getInstanceView(ctx.services, ctx.caller, ctx.params.id, ctx.params.instanceId),
      ctx.query.$select,
    ),
  ),
  implement(r.stopInstance, async (ctx) => {
    await stopInstance(ctx.services, actorOf(ctx), ctx.params.id, ctx.params.instanceId);
    return noContent();
  }),
  implement(r.sendReminder, async (ctx) => {
    await sendReminder(ctx.services, actorOf(ctx), ctx.params.id, ctx.params.instanceId);
    return noContent();
  }),
  implement(r.applyDecisions, async (ctx) => {
    await applyDecisions(ctx.services, actorOf(ctx), ctx.params.id, ctx.params.instanceId);
    return noContent();
  }),
  implement(r.batchRecordDecisions, async (ctx) =>
    ok({ recorded: await batchRecordDecisions(ctx.services, actorOf(ctx), { definitionId: ctx.params.id, instanceId: ctx.params.instanceId }, ctx.body) }),
  ),
  implement(r.acceptRecommendations, async (ctx) =>
    ok({ recorded: await acceptRecommendations(ctx.services, actorOf(ctx), { definitionId: ctx.params.id, instanceId: ctx.params.instanceId }) }),
  ),
  implement(r.resetDecisions, async (ctx) =>
    ok({ recorded: await resetDecisions(ctx.services, actorOf(ctx), { definitionId: ctx.params.id, instanceId: ctx.params.instanceId }) }),
  ),
  implement(r.contactedReviewers, async (ctx) =>
    collection(
      ctx.info,
      `${DEFS}('${ctx.params.id}')/instances('${ctx.params.instanceId}')/contactedReviewers`,
      { items: await contactedReviewers(ctx.services, ctx.caller, ctx.params.id, ctx.params.instanceId, ctx.query.$filter) },
      ctx.query.$select,
    ),
  ),
  implement(r.listDecisions, async (ctx) => {
    const ids = { definitionId: ctx.params.id, instanceId: ctx.params.instanceId };
    return collection(
      ctx.info,
      `${DEFS}('${ids.definitionId}')/instances('${ids.instanceId}')/decisions`,
      await listDecisions(ctx.services, ctx.caller, ids, {
        mine: false,
        filter: ctx.query.$filter,
        top: ctx.query.$top ?? TOP,
        skipToken: ctx.query.$skiptoken,
        expand: decisionExpand(ctx.query.$expand),
      }),
      ctx.query.$select,
    );
  }),
  implement(r.myDecisions, async (ctx) => {
    const ids = { definitionId: ctx.params.id, instanceId: ctx.params.instanceId };
    return collection(
      ctx.info,
      `${DEFS}('${ids.definitionId}')/instances('${ids.instanceId}')/decisions`,
      await listDecisions(ctx.services, ctx.caller, ids, {
        mine: true,
        filter: ctx.query.$filter,
        top: ctx.query.$top ?? TOP,
        skipToken: ctx.query.$skiptoken,
        expand: decisionExpand(ctx.query.$expand),
      }),
      ctx.query.$select,
    );
  }),
  implement(r.getDecision, async (ctx) =>
    entity(
      ctx.info,
      `${DEFS}('${ctx.params.id}')/instances('${ctx.params.instanceId}')/decisions/$entity`,
      await getDecisionView(ctx.services, ctx.caller, ctx.params.id, ctx.params.instanceId, ctx.params.decisionId),
      ctx.query.$select,
    ),
  ),
  implement(r.recordDecision, async (ctx) => {
    await recordDecision(
      ctx.services,
      actorOf(ctx),
      { definitionId: ctx.params.id, instanceId: ctx.params.instanceId, decisionId: ctx.params.decisionId },
      ctx.body,
    );
    return noContent();
  }),
];

/** A decision item's one relationship Stint fills: `insights` (the principal's last sign-in). */
function decisionExpand(expand: string | undefined): { insights: boolean } {
  const names = (expand ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => n !== 'insights');
  if (unknown.length) throw new BadRequestError(`$expand on decision items supports insights; not ${unknown.join(', ')}.`, 'Request_UnsupportedQuery');
  return { insights: names.includes('insights') };
}
