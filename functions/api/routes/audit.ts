import { auditRoutes as r, exportFormatQuery, verifyChainQuery } from '../../../shared/contracts/routes/audit.ts';
import { implement, type BoundRoute } from '../../../shared/http/api-handler.ts';
import { parseWith } from '../../../shared/http/request.ts';
import { collection, contextUrl, nextLink, type HttpResult } from '../../../shared/http/responses.ts';
import { exportChunk } from '../../../shared/services/audit-export.ts';
import { listDirectoryAudits } from '../../../shared/services/audit-log.ts';
import { verifyAuditChains } from '../../../shared/services/audit-verify.ts';

/** Plain (not $) query parameters, which the route's query schema does not see. */
const plain = (query: Record<string, string>, names: string[]) => Object.fromEntries(names.filter((n) => query[n] !== undefined).map((n) => [n, query[n]]));

export const auditRouteImpls: BoundRoute[] = [
  implement(r.listDirectoryAudits, async (ctx) =>
    collection(
      ctx.info,
      'auditLogs/directoryAudits',
      await listDirectoryAudits(ctx.services, ctx.caller, { filter: ctx.query.$filter, top: ctx.query.$top, skipToken: ctx.query.$skiptoken }),
      ctx.query.$select,
    ),
  ),
  implement(r.exportDirectoryAudits, async (ctx): Promise<HttpResult> => {
    const { format } = parseWith(exportFormatQuery, plain(ctx.info.query, ['format']), 'query')!;
    const chunk = await exportChunk(ctx.services, ctx.caller, {
      format,
      filter: ctx.query.$filter,
      skipToken: ctx.query.$skiptoken,
      chunkBytes: ctx.runtime.config.exportChunkBytes,
    });
    const headers: Record<string, string> = {
      'content-type': chunk.contentType,
      'content-disposition': `attachment; filename="directoryAudits.${format}"`,
      'stint-export-records': String(chunk.exported),
      'stint-export-complete': String(!chunk.nextToken),
      ...(chunk.reachedDateTime ? { 'stint-export-reached': chunk.reachedDateTime } : {}),
      ...(chunk.nextToken ? { link: `<${nextLink(ctx.info, chunk.nextToken)}>; rel="next"`, 'stint-export-next': chunk.nextToken } : {}),
    };
    return { status: 200, text: chunk.text, headers };
  }),
  implement(r.verifyDirectoryAudits, async (ctx): Promise<HttpResult> => {
    const { chainId } = parseWith(verifyChainQuery, plain(ctx.info.query, ['chainId']), 'query')!;
    const page = await verifyAuditChains(ctx.services, ctx.caller, { chainId, top: ctx.query.$top, skipToken: ctx.query.$skiptoken });
    const body: Record<string, unknown> = {
      '@odata.context': contextUrl(ctx.info, 'auditLogs/directoryAudits/verify'),
      intact: page.items.every((report) => report.firstFinding === null),
      value: page.items,
    };
    if (page.nextToken) body['@odata.nextLink'] = nextLink(ctx.info, page.nextToken);
    return { status: 200, body };
  }),
];
