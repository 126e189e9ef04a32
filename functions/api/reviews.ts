/** Lambda: access reviews (definitions, instances, decision items). */
import { createApiHandler, type BoundRoute } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { accessReviewRouteImpls } from './routes/access-reviews.ts';

/** The routes this function serves (the tests check they are exactly its contracts' routes). */
export const routes: BoundRoute[] = accessReviewRouteImpls;

export const createHandler = (runtime?: () => Runtime) => createApiHandler('reviews', routes, runtime);

export const handler = createHandler();
