import { metaRoutes as r } from '../../../shared/contracts/routes/meta.ts';
import { implement } from '../../../shared/http/api-handler.ts';
import { openApiDocument } from '../../../shared/http/openapi.ts';
import { ok } from '../../../shared/http/responses.ts';

export const metaRoutesImpl = [
  // Liveness only: a public route that read the table would let anyone on the internet spend its capacity
  // (and the public Lambda would need table access). Whether the table answers is what the alarms watch.
  implement(r.health, async () => ok({ status: 'ok' })),
  implement(r.openapi, async (ctx) => ok(openApiDocument(ctx.info.baseUrl))),
];
