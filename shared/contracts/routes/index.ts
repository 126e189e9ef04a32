import type { RouteSpec } from '../../http/route.ts';
import { directoryRoutes } from './directory.ts';
import { metaRoutes } from './meta.ts';
import { accessRoutes } from './access.ts';
import { auditRoutes } from './audit.ts';
import { policiesRoutes } from './policies.ts';
import { APPROVAL_ROUTES } from './approvals.ts';
import { ROLE_SCHEDULE_ROUTES } from './role-schedules.ts';
import { GROUP_ACCESS_ROUTES } from './group-access.ts';
import { roleRoutes } from './roles.ts';
import { ACCESS_REVIEW_ROUTES } from './access-reviews.ts';
import { awsRoutes } from './aws.ts';
import { ALERT_ROUTES } from './alerts.ts';
import { INSIGHT_ROUTES } from './insights.ts';

/** Every route of the API, in one list: the source for handlers, the CDK API, the local adapter and OpenAPI. */
export const ALL_ROUTES: readonly RouteSpec[] = [
  ...Object.values(metaRoutes),
  ...Object.values(directoryRoutes),
  ...Object.values(roleRoutes),
  ...ROLE_SCHEDULE_ROUTES,
  ...Object.values<RouteSpec>(awsRoutes),
  ...APPROVAL_ROUTES,
  ...GROUP_ACCESS_ROUTES,
  ...Object.values<RouteSpec>(policiesRoutes),
  ...Object.values<RouteSpec>(accessRoutes),
  ...Object.values<RouteSpec>(auditRoutes),
  ...ACCESS_REVIEW_ROUTES,
  ...ALERT_ROUTES,
  ...INSIGHT_ROUTES,
];
