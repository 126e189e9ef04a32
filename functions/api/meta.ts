/** Lambda: health and the OpenAPI description; both are public. */
import { createApiHandler } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { metaRoutesImpl } from './routes/meta.ts';

export const createHandler = (runtime?: () => Runtime) => createApiHandler('meta', metaRoutesImpl, runtime);

export const handler = createHandler();
