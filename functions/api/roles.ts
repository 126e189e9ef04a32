/** Lambda: role definitions (and, later, role assignment schedules). */
import { createApiHandler } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { roleDefinitionRoutes } from './routes/role-definitions.ts';

export const createHandler = (runtime?: () => Runtime) => createApiHandler('roles', roleDefinitionRoutes, runtime);

export const handler = createHandler();
