/** Lambda: the public routes — health, the OpenAPI description and the email-link landing pages. */
import { createApiHandler } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { metaRoutesImpl } from './routes/meta.ts';
import { portalRoutesImpl } from './routes/portal.ts';

export const createHandler = (runtime?: () => Runtime) => createApiHandler('meta', [...metaRoutesImpl, ...portalRoutesImpl], runtime);

export const handler = createHandler();
