/** Lambda: the public routes — health, the OpenAPI description and the email-link landing pages. */
import { createApiHandler, type BoundRoute } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { metaRoutesImpl } from './routes/meta.ts';
import { portalRoutesImpl } from './routes/portal.ts';

/** The routes this function serves (the tests check they are exactly its contracts' routes). */
export const routes: BoundRoute[] = [...metaRoutesImpl, ...portalRoutesImpl];

export const createHandler = (runtime?: () => Runtime) => createApiHandler('meta', routes, runtime);

export const handler = createHandler();
