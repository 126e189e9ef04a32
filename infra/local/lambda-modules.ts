/**
 * The API's Lambda entry modules, loaded exactly as Lambda loads them. `createHandler` builds the same
 * handler with a runtime of the caller's choosing (tests give each file its own table and clock).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { LambdaName } from '../../shared/http/route.ts';
import type { Runtime } from '../../shared/runtime.ts';

export type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

interface LambdaModule {
  handler: ApiHandler;
  createHandler(runtime?: () => Runtime): ApiHandler;
}

const loaders: Record<LambdaName, () => Promise<LambdaModule>> = {
  meta: () => import('../../functions/api/meta.ts'),
  directory: () => import('../../functions/api/directory.ts'),
  roles: () => import('../../functions/api/roles.ts'),
  policies: () => import('../../functions/api/policies.ts'),
  access: () => import('../../functions/api/access.ts'),
  audit: () => import('../../functions/api/audit.ts'),
  reviews: () => import('../../functions/api/reviews.ts'),
  insights: () => import('../../functions/api/insights.ts'),
};

export async function loadHandlers(runtime?: () => Runtime): Promise<Record<LambdaName, ApiHandler>> {
  const entries = await Promise.all(
    (Object.keys(loaders) as LambdaName[]).map(async (name) => {
      const module = await loaders[name]();
      return [name, runtime ? module.createHandler(runtime) : module.handler] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<LambdaName, ApiHandler>;
}
