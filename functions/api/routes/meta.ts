import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { metaRoutes as r } from '../../../shared/contracts/routes/meta.ts';
import { implement } from '../../../shared/http/api-handler.ts';
import { openApiDocument } from '../../../shared/http/openapi.ts';
import { ok } from '../../../shared/http/responses.ts';

export const metaRoutesImpl = [
  implement(r.health, async (ctx) => {
    const { db, tableName } = ctx.services.table;
    const table = await db
      .send(new DescribeTableCommand({ TableName: tableName }))
      .then((t) => t.Table?.TableStatus ?? 'unknown')
      .catch(() => 'unreachable');
    const healthy = table === 'ACTIVE';
    return { status: healthy ? 200 : 503, body: { status: healthy ? 'ok' : 'degraded', checks: { table } } };
  }),
  implement(r.openapi, async (ctx) => ok(openApiDocument(ctx.info.baseUrl))),
];
