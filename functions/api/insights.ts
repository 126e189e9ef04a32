/** Lambda: PIM's security alerts (and, with them, what administrators watch privilege drift with). */
import { createApiHandler, type BoundRoute } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { alertRouteImpls } from './routes/alerts.ts';

/** The routes this function serves (the tests check they are exactly its contracts' routes). */
export const routes: BoundRoute[] = alertRouteImpls;

export const createHandler = (runtime?: () => Runtime) => createApiHandler('insights', routes, runtime);

export const handler = createHandler();
