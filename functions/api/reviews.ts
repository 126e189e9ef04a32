/** Lambda: access reviews (definitions, instances, decision items). */
import { createApiHandler } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { accessReviewRouteImpls } from './routes/access-reviews.ts';

export const createHandler = (runtime?: () => Runtime) => createApiHandler('reviews', accessReviewRouteImpls, runtime);

export const handler = createHandler();
