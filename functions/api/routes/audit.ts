import { auditRoutes as r } from '../../../shared/contracts/routes/audit.ts';
import { implement, type BoundRoute } from '../../../shared/http/api-handler.ts';
import { collection } from '../../../shared/http/responses.ts';
import { listDirectoryAudits } from '../../../shared/services/audit-log.ts';

export const auditRouteImpls: BoundRoute[] = [
  implement(r.listDirectoryAudits, async (ctx) =>
    collection(
      ctx.info,
      'auditLogs/directoryAudits',
      await listDirectoryAudits(ctx.services, ctx.caller, { filter: ctx.query.$filter, top: ctx.query.$top, skipToken: ctx.query.$skiptoken }),
      ctx.query.$select,
    ),
  ),
];
