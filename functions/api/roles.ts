/** Lambda: role definitions, PIM for roles (schedule requests, schedules, instances, assignments, approvals), PIM for groups and AWS access. */
import { createApiHandler, type BoundRoute } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { approvalRouteImpls } from './routes/approvals.ts';
import { awsRouteImpls } from './routes/aws.ts';
import { groupAccessRouteImpls } from './routes/group-access.ts';
import { roleDefinitionRoutes } from './routes/role-definitions.ts';
import { roleScheduleRouteImpls } from './routes/role-schedules.ts';

/** The routes this function serves (the tests check they are exactly its contracts' routes). */
export const routes: BoundRoute[] = [...roleDefinitionRoutes, ...roleScheduleRouteImpls, ...approvalRouteImpls, ...groupAccessRouteImpls, ...awsRouteImpls];

export const createHandler = (runtime?: () => Runtime) => createApiHandler('roles', routes, runtime);

export const handler = createHandler();
