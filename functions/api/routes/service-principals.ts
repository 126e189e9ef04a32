import { servicePrincipalView } from '../../../shared/contracts/directory.ts';
import type { Services } from '../../../shared/services/context.ts';
import { directoryRoutes as r } from '../../../shared/contracts/routes/directory.ts';
import { actorOf } from '../../../shared/http/actor.ts';
import { implement } from '../../../shared/http/api-handler.ts';
import { collection, contextUrl, created, entity, noContent } from '../../../shared/http/responses.ts';
import {
  createServicePrincipal,
  deleteServicePrincipal,
  getServicePrincipal,
  listServicePrincipals,
  updateServicePrincipal,
} from '../../../shared/services/directory/service-principals.ts';

async function list(services: Services, query: { $filter?: string; $top?: number; $skiptoken?: string }) {
  const page = await listServicePrincipals(services, { filter: query.$filter, top: query.$top, skipToken: query.$skiptoken });
  return { ...page, items: page.items.map(servicePrincipalView) };
}

export const servicePrincipalRoutes = [
  implement(r.listServicePrincipals, async (ctx) => collection(ctx.info, 'servicePrincipals', await list(ctx.services, ctx.query), ctx.query.$select)),
  implement(r.createServicePrincipal, async (ctx) => {
    const sp = await createServicePrincipal(ctx.services, actorOf(ctx), ctx.body);
    return created(
      { '@odata.context': contextUrl(ctx.info, 'servicePrincipals/$entity'), ...servicePrincipalView(sp) },
      `${ctx.info.baseUrl}/v1.0/servicePrincipals/${sp.id}`,
    );
  }),
  implement(r.getServicePrincipal, async (ctx) =>
    entity(ctx.info, 'servicePrincipals', servicePrincipalView(await getServicePrincipal(ctx.services, ctx.params.id)), ctx.query.$select),
  ),
  implement(r.updateServicePrincipal, async (ctx) => {
    await updateServicePrincipal(ctx.services, actorOf(ctx), ctx.params.id, ctx.body);
    return noContent();
  }),
  implement(r.deleteServicePrincipal, async (ctx) => {
    await deleteServicePrincipal(ctx.services, actorOf(ctx), ctx.params.id);
    return noContent();
  }),
];
