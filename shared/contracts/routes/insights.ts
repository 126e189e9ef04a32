/**
 * Discovery and insights and the weekly digest's settings, under
 * /beta/identityGovernance/roleManagementInsights: a Stint extension (Graph has no API for Entra's
 * "Discovery and insights" page). Served by the 'insights' Lambda beside the PIM alerts.
 */
import * as z from 'zod';
import { route, type RouteSpec } from '../../http/route.ts';
import { collectionOf } from '../common.ts';
import {
  actionOutcomesSchema,
  digestSettingsSchema,
  digestSettingsUpdateSchema,
  eliminateStandingAccessSchema,
  overviewSchema,
  privilegedAssignmentSchema,
  reduceGlobalAdministratorsSchema,
} from '../insights.ts';

export const INSIGHTS_BASE = '/beta/identityGovernance/roleManagementInsights';
const B = INSIGHTS_BASE;

const common = { lambda: 'insights' as const, tag: 'insights' };
const noQuery = z.strictObject({});

export const insightRoutes = {
  overview: route({
    ...common,
    id: 'insights.overview',
    method: 'GET',
    path: `${B}/overview`,
    summary: 'Stint extension: activations in the last 7 days by day, the split of directory-role assignments, new assignments in 30 days',
    query: noQuery,
    response: overviewSchema,
    status: 200,
  }),
  globalAdministrators: route({
    ...common,
    id: 'insights.globalAdministrators.list',
    method: 'GET',
    path: `${B}/globalAdministrators`,
    summary: 'Stint extension ("Reduce Global Administrators"): every eligible and active Global Administrator assignment',
    query: noQuery,
    response: collectionOf(privilegedAssignmentSchema),
    status: 200,
  }),
  reduceGlobalAdministrators: route({
    ...common,
    id: 'insights.reduceGlobalAdministrators',
    method: 'POST',
    path: `${B}/reduceGlobalAdministrators`,
    summary: 'Stint extension: remove, or convert to eligible, each selected Global Administrator assignment; the outcome of each',
    body: reduceGlobalAdministratorsSchema,
    response: actionOutcomesSchema,
    status: 200,
  }),
  standingAccess: route({
    ...common,
    id: 'insights.standingAccess.list',
    method: 'GET',
    path: `${B}/standingAccess`,
    summary: 'Stint extension ("Eliminate standing access"): permanent and time-bound active assignments of privileged directory roles',
    query: noQuery,
    response: collectionOf(privilegedAssignmentSchema),
    status: 200,
  }),
  eliminateStandingAccess: route({
    ...common,
    id: 'insights.eliminateStandingAccess',
    method: 'POST',
    path: `${B}/eliminateStandingAccess`,
    summary: 'Stint extension: convert each selected active assignment to an eligible one in one step; the outcome of each',
    body: eliminateStandingAccessSchema,
    response: actionOutcomesSchema,
    status: 200,
  }),
  privilegedServicePrincipals: route({
    ...common,
    id: 'insights.privilegedServicePrincipals.list',
    method: 'GET',
    path: `${B}/privilegedServicePrincipals`,
    summary: 'Stint extension ("Review service principals"): service principals eligible for or active in privileged directory roles',
    query: noQuery,
    response: collectionOf(privilegedAssignmentSchema),
    status: 200,
  }),
  getDigestSettings: route({
    ...common,
    id: 'insights.digestSettings.get',
    method: 'GET',
    path: `${B}/digestSettings`,
    summary: 'Stint extension: who gets the weekly PIM digest email',
    query: noQuery,
    response: digestSettingsSchema,
    status: 200,
  }),
  updateDigestSettings: route({
    ...common,
    id: 'insights.digestSettings.update',
    method: 'PATCH',
    path: `${B}/digestSettings`,
    summary: 'Stint extension: change who gets the weekly PIM digest email (audited)',
    body: digestSettingsUpdateSchema,
    response: digestSettingsSchema,
    status: 200,
  }),
};

export const INSIGHT_ROUTES: RouteSpec[] = Object.values<RouteSpec>(insightRoutes);
