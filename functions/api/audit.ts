/** Lambda: audit. */
import { createApiHandler } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { auditRouteImpls } from './routes/audit.ts';

export const createHandler = (runtime?: () => Runtime) => createApiHandler('audit', auditRouteImpls, runtime);

export const handler = createHandler();
