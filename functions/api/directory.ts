/** Lambda: users, groups and their members, service principals. */
import { createApiHandler, type BoundRoute } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { groupRoutes } from './routes/groups.ts';
import { servicePrincipalRoutes } from './routes/service-principals.ts';
import { userRoutes } from './routes/users.ts';

/** The routes this function serves (the tests check they are exactly its contracts' routes). */
export const routes: BoundRoute[] = [...userRoutes, ...groupRoutes, ...servicePrincipalRoutes];

export const createHandler = (runtime?: () => Runtime) => createApiHandler('directory', routes, runtime);

export const handler = createHandler();
