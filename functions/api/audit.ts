/** Lambda: audit. */
import { createApiHandler, type BoundRoute } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { auditRouteImpls } from './routes/audit.ts';

/** The routes this function serves (the tests check they are exactly its contracts' routes). */
export const routes: BoundRoute[] = auditRouteImpls;

export const createHandler = (runtime?: () => Runtime) => createApiHandler('audit', routes, runtime);

export const handler = createHandler();
