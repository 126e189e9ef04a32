/** Lambda: access. */
import { createApiHandler, type BoundRoute } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { accessRouteImpls } from './routes/access.ts';

/** The routes this function serves (the tests check they are exactly its contracts' routes). */
export const routes: BoundRoute[] = accessRouteImpls;

export const createHandler = (runtime?: () => Runtime) => createApiHandler('access', routes, runtime);

export const handler = createHandler();
