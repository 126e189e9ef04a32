/**
 * Contracts of PIM for Microsoft Entra roles: eligibility and assignment schedule requests, schedules,
 * instances, and the plain role assignments view, under /v1.0/roleManagement/directory/.
 */
import * as z from 'zod';
import type { ScheduleKind } from '../../domain/schedule.ts';
import { route, type RouteSpec } from '../../http/route.ts';
import { collectionOf, collectionQuery, idParam } from '../common.ts';
import { roleRequestInputSchema, roleRequestSchema } from '../role-requests.ts';

export const BASE = '/v1.0/roleManagement/directory';

export const listQuery = collectionQuery.extend({ $expand: z.string().max(200).optional() });
const entityQuery = z.strictObject({ $select: z.string().max(1000).optional(), $expand: z.string().max(200).optional() });
const byId = z.strictObject({ id: idParam });
const onParam = z.strictObject({ on: z.enum(['principal', 'approver'], { error: "on must be 'principal' or 'approver'" }) });
const onPrincipal = z.strictObject({ on: z.literal('principal', { error: "on must be 'principal' for schedules and instances" }) });
const anyObject = z.looseObject({ id: z.string() });

const common = { lambda: 'roles' as const, tag: 'roleManagement' };

export const REQUEST_COLLECTION: Record<ScheduleKind, string> = {
  eligibility: 'roleEligibilityScheduleRequests',
  assignment: 'roleAssignmentScheduleRequests',
};

function requestRoutes(kind: ScheduleKind) {
  const c = REQUEST_COLLECTION[kind];
  const noun = kind === 'eligibility' ? 'role eligibility' : 'role assignment (activation)';
  return {
    create: route({
      ...common,
      id: `${c}.create`,
      method: 'POST',
      path: `${BASE}/${c}`,
      summary: `Request a ${noun} change: every action`,
      body: roleRequestInputSchema,
      response: roleRequestSchema,
      status: 201,
    }),
    list: route({
      ...common,
      id: `${c}.list`,
      method: 'GET',
      path: `${BASE}/${c}`,
      summary: `List ${noun} requests`,
      query: listQuery,
      response: collectionOf(anyObject),
      status: 200,
    }),
    mine: route({
      ...common,
      id: `${c}.filterByCurrentUser`,
      method: 'GET',
      path: `${BASE}/${c}/filterByCurrentUser(on='{on}')`,
      summary: `My ${noun} requests`,
      params: onParam,
      query: listQuery,
      response: collectionOf(anyObject),
      status: 200,
    }),
    get: route({
      ...common,
      id: `${c}.get`,
      method: 'GET',
      path: `${BASE}/${c}/{id}`,
      summary: `Get a ${noun} request`,
      params: byId,
      query: entityQuery,
      response: roleRequestSchema,
      status: 200,
    }),
    cancel: route({
      ...common,
      id: `${c}.cancel`,
      method: 'POST',
      path: `${BASE}/${c}/{id}/cancel`,
      summary: `Cancel a pending ${noun} request`,
      params: byId,
      status: 204,
    }),
  };
}

export const VIEW_COLLECTIONS = {
  roleEligibilitySchedules: { kind: 'eligibility', view: 'schedules' },
  roleEligibilityScheduleInstances: { kind: 'eligibility', view: 'instances' },
  roleAssignmentSchedules: { kind: 'assignment', view: 'schedules' },
  roleAssignmentScheduleInstances: { kind: 'assignment', view: 'instances' },
} as const;

function viewRoutes(collection: keyof typeof VIEW_COLLECTIONS) {
  return {
    list: route({
      ...common,
      id: `${collection}.list`,
      method: 'GET',
      path: `${BASE}/${collection}`,
      summary: `List ${collection}`,
      query: listQuery,
      response: collectionOf(anyObject),
      status: 200,
    }),
    mine: route({
      ...common,
      id: `${collection}.filterByCurrentUser`,
      method: 'GET',
      path: `${BASE}/${collection}/filterByCurrentUser(on='{on}')`,
      summary: `My ${collection}, direct and through my groups`,
      params: onPrincipal,
      query: listQuery,
      response: collectionOf(anyObject),
      status: 200,
    }),
    get: route({
      ...common,
      id: `${collection}.get`,
      method: 'GET',
      path: `${BASE}/${collection}/{id}`,
      summary: `Get one of ${collection}`,
      params: byId,
      query: entityQuery,
      response: anyObject,
      status: 200,
    }),
  };
}

export const roleScheduleRoutes = {
  eligibilityRequests: requestRoutes('eligibility'),
  assignmentRequests: requestRoutes('assignment'),
  roleEligibilitySchedules: viewRoutes('roleEligibilitySchedules'),
  roleEligibilityScheduleInstances: viewRoutes('roleEligibilityScheduleInstances'),
  roleAssignmentSchedules: viewRoutes('roleAssignmentSchedules'),
  roleAssignmentScheduleInstances: viewRoutes('roleAssignmentScheduleInstances'),
  roleAssignments: {
    list: route({
      ...common,
      id: 'roleAssignments.list',
      method: 'GET',
      path: `${BASE}/roleAssignments`,
      summary: 'List active role assignments in force now',
      query: listQuery,
      response: collectionOf(anyObject),
      status: 200,
    }),
  },
};

export const ROLE_SCHEDULE_ROUTES: RouteSpec[] = Object.values(roleScheduleRoutes).flatMap((group) => Object.values(group) as RouteSpec[]);
