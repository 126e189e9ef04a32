import { insightRoutes as r } from '../../../shared/contracts/routes/insights.ts';
import { actorOf } from '../../../shared/http/actor.ts';
import { implement, type BoundRoute } from '../../../shared/http/api-handler.ts';
import { ok, type RequestInfo } from '../../../shared/http/responses.ts';
import { readDigestSettings, updateDigestSettings } from '../../../shared/services/digest/settings.ts';
import { eliminateStandingAccess, reduceGlobalAdministrators } from '../../../shared/services/insights/bulk-actions.ts';
import { insightsOverview } from '../../../shared/services/insights/overview.ts';
import { listGlobalAdministrators, listPrivilegedServicePrincipals, listStandingAccess } from '../../../shared/services/insights/privileged-lists.ts';

const BASE = 'identityGovernance/roleManagementInsights';
const context = (info: RequestInfo, fragment: string) => `${info.baseUrl}/beta/$metadata#${BASE}/${fragment}`;
const items = (info: RequestInfo, fragment: string, value: object[]) => ok({ '@odata.context': context(info, fragment), value });

export const insightRouteImpls: BoundRoute[] = [
  implement(r.overview, async (ctx) =>
    ok({ '@odata.context': context(ctx.info, 'overview/$entity'), ...(await insightsOverview(ctx.services, actorOf(ctx))) }),
  ),
  implement(r.globalAdministrators, async (ctx) => items(ctx.info, 'globalAdministrators', await listGlobalAdministrators(ctx.services, actorOf(ctx)))),
  implement(r.reduceGlobalAdministrators, async (ctx) =>
    items(ctx.info, 'actionOutcomes', await reduceGlobalAdministrators(ctx.services, actorOf(ctx), ctx.body.assignments, ctx.body.justification)),
  ),
  implement(r.standingAccess, async (ctx) => items(ctx.info, 'standingAccess', await listStandingAccess(ctx.services, actorOf(ctx)))),
  implement(r.eliminateStandingAccess, async (ctx) =>
    items(ctx.info, 'actionOutcomes', await eliminateStandingAccess(ctx.services, actorOf(ctx), ctx.body.scheduleIds, ctx.body.justification)),
  ),
  implement(r.privilegedServicePrincipals, async (ctx) =>
    items(ctx.info, 'privilegedServicePrincipals', await listPrivilegedServicePrincipals(ctx.services, actorOf(ctx))),
  ),
  implement(r.getDigestSettings, async (ctx) =>
    ok({ '@odata.context': context(ctx.info, 'digestSettings/$entity'), ...(await readDigestSettings(ctx.services, actorOf(ctx))) }),
  ),
  implement(r.updateDigestSettings, async (ctx) =>
    ok({ '@odata.context': context(ctx.info, 'digestSettings/$entity'), ...(await updateDigestSettings(ctx.services, actorOf(ctx), ctx.body)) }),
  ),
];
