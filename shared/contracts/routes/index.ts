import type { RouteSpec } from '../../http/route.ts';
import { directoryRoutes } from './directory.ts';
import { metaRoutes } from './meta.ts';
import { roleRoutes } from './roles.ts';

/** Every route of the API, in one list: the source for handlers, the CDK API, the local adapter and OpenAPI. */
export const ALL_ROUTES: readonly RouteSpec[] = [...Object.values(metaRoutes), ...Object.values(directoryRoutes), ...Object.values(roleRoutes)];
