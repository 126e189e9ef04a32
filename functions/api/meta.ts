/** Lambda: the public routes — health and the OpenAPI description (email links land in the portal, a site of its own). */
import { createApiHandler, type BoundRoute } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { metaRoutesImpl } from './routes/meta.ts';

/** The routes this function serves (the tests check they are exactly its contracts' routes). */
export const routes: BoundRoute[] = [...metaRoutesImpl];

export const createHandler = (runtime?: () => Runtime) => createApiHandler('meta', routes, runtime);

export const handler = createHandler();
