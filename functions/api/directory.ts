/** Lambda: users, groups and their members, service principals. */
import { createApiHandler } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { groupRoutes } from './routes/groups.ts';
import { servicePrincipalRoutes } from './routes/service-principals.ts';
import { userRoutes } from './routes/users.ts';

export const createHandler = (runtime?: () => Runtime) => createApiHandler('directory', [...userRoutes, ...groupRoutes, ...servicePrincipalRoutes], runtime);

export const handler = createHandler();
