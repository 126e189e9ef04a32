/** Lambda: access. */
import { createApiHandler } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { accessRouteImpls } from './routes/access.ts';

export const createHandler = (runtime?: () => Runtime) => createApiHandler('access', accessRouteImpls, runtime);

export const handler = createHandler();
