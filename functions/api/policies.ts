/** Lambda: policies. */
import { createApiHandler, type BoundRoute } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { policiesRouteImpls } from './routes/policies.ts';

/** The routes this function serves (the tests check they are exactly its contracts' routes). */
export const routes: BoundRoute[] = policiesRouteImpls;

export const createHandler = (runtime?: () => Runtime) => createApiHandler('policies', routes, runtime);

export const handler = createHandler();
