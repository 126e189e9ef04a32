/** Lambda: role definitions, PIM for roles (schedule requests, schedules, instances, assignments, approvals) and PIM for groups. */
import { createApiHandler } from '../../shared/http/api-handler.ts';
import type { Runtime } from '../../shared/runtime.ts';
import { approvalRouteImpls } from './routes/approvals.ts';
import { groupAccessRouteImpls } from './routes/group-access.ts';
import { roleDefinitionRoutes } from './routes/role-definitions.ts';
import { roleScheduleRouteImpls } from './routes/role-schedules.ts';

export const createHandler = (runtime?: () => Runtime) =>
  createApiHandler('roles', [...roleDefinitionRoutes, ...roleScheduleRouteImpls, ...approvalRouteImpls, ...groupAccessRouteImpls], runtime);

export const handler = createHandler();
