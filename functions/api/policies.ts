/** Lambda: policies. */
import { createApiHandler } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { policiesRouteImpls } from './routes/policies.ts';

export const createHandler = (runtime?: () => Runtime) => createApiHandler('policies', policiesRouteImpls, runtime);

export const handler = createHandler();
