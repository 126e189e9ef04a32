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
/** Graph's options (roleAssignmentScheduleRequestFilterByCurrentUserOptions and kin), every one of them. */
const onParam = z.strictObject({ on: z.enum(['principal', 'createdBy', 'approver'], { error: "on must be 'principal', 'createdBy' or 'approver'" }) });
const onPrincipal = z.strictObject({ on: z.literal('principal', { error: "on must be 'principal' for schedules and instances" }) });
const anyObject = z.looseObject({ id: z.string() });

const common = { lambda: 'roles' as const, tag: 'roleManagement' };

export const REQUEST_COLLECTION: Record<ScheduleKind, string> = {
  eligibility: 'roleEligibilityScheduleRequests',
  assignment: 'roleAssignmentScheduleRequests',
};

function requestRoutes(kind: ScheduleKind, BASE: string, idPrefix: string, lambda: 'roles') {
  const c = REQUEST_COLLECTION[kind];
  const noun = kind === 'eligibility' ? 'role eligibility' : 'role assignment (activation)';
  return {
    create: route({
      ...common,
      lambda,
      id: `${idPrefix}${c}.create`,
      method: 'POST',
      path: `${BASE}/${c}`,
      summary: `Request a ${noun} change: every action`,
      body: roleRequestInputSchema,
      response: roleRequestSchema,
      status: 201,
    }),
    list: route({
      ...common,
      lambda,
      id: `${idPrefix}${c}.list`,
      method: 'GET',
      path: `${BASE}/${c}`,
      summary: `List ${noun} requests`,
      query: listQuery,
      response: collectionOf(anyObject),
      status: 200,
    }),
    mine: route({
      ...common,
      lambda,
      id: `${idPrefix}${c}.filterByCurrentUser`,
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
      lambda,
      id: `${idPrefix}${c}.get`,
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
      lambda,
      id: `${idPrefix}${c}.cancel`,
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

function viewRoutes(collection: keyof typeof VIEW_COLLECTIONS, BASE: string, idPrefix: string, lambda: 'roles') {
  return {
    list: route({
      ...common,
      lambda,
      id: `${idPrefix}${collection}.list`,
      method: 'GET',
      path: `${BASE}/${collection}`,
      summary: `List ${collection}`,
      query: listQuery,
      response: collectionOf(anyObject),
      status: 200,
    }),
    mine: route({
      ...common,
      lambda,
      id: `${idPrefix}${collection}.filterByCurrentUser`,
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
      lambda,
      id: `${idPrefix}${collection}.get`,
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

/** The schedule routes of one provider: directory roles at /roleManagement/directory, AWS roles at /roleManagement/aws. */
function scheduleRoutesAt(base: string, idPrefix: string, noun: string) {
  const lambda = 'roles' as const;
  return {
    eligibilityRequests: requestRoutes('eligibility', base, idPrefix, lambda),
    assignmentRequests: requestRoutes('assignment', base, idPrefix, lambda),
    roleEligibilitySchedules: viewRoutes('roleEligibilitySchedules', base, idPrefix, lambda),
    roleEligibilityScheduleInstances: viewRoutes('roleEligibilityScheduleInstances', base, idPrefix, lambda),
    roleAssignmentSchedules: viewRoutes('roleAssignmentSchedules', base, idPrefix, lambda),
    roleAssignmentScheduleInstances: viewRoutes('roleAssignmentScheduleInstances', base, idPrefix, lambda),
    roleAssignments: {
      list: route({
        ...common,
        lambda,
        id: `${idPrefix}roleAssignments.list`,
        method: 'GET',
        path: `${base}/roleAssignments`,
        summary: `List active ${noun} assignments in force now`,
        query: listQuery,
        response: collectionOf(anyObject),
        status: 200,
      }),
    },
  };
}

export type ScheduleRoutes = ReturnType<typeof scheduleRoutesAt>;

export const AWS_BASE = '/v1.0/roleManagement/aws';

export const roleScheduleRoutes = scheduleRoutesAt(BASE, '', 'role');

/** AWS access (IAM Identity Center permission sets at accounts and OUs), in the same shape. */
export const awsScheduleRoutes = scheduleRoutesAt(AWS_BASE, 'aws.', 'AWS role');

export const ROLE_SCHEDULE_ROUTES: RouteSpec[] = [roleScheduleRoutes, awsScheduleRoutes].flatMap((routes) =>
  Object.values(routes).flatMap((group) => Object.values(group) as RouteSpec[]),
);
