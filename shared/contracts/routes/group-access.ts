/**
 * Contracts of PIM for groups, under /v1.0/identityGovernance/privilegedAccess/group/: eligibility and
 * assignment schedule requests, schedules, instances, and the approvals of assignment requests.
 */
import * as z from 'zod';
import type { ScheduleKind } from '../../domain/schedule.ts';
import { route, type RouteSpec } from '../../http/route.ts';
import { collectionOf, idParam } from '../common.ts';
import { groupRequestInputSchema } from '../group-requests.ts';
import { approvalSchema, approvalStepSchema, approvalStepUpdateSchema } from './approvals.ts';
import { listQuery } from './role-schedules.ts';

export const GROUP_BASE = '/v1.0/identityGovernance/privilegedAccess/group';

const entityQuery = z.strictObject({ $select: z.string().max(1000).optional(), $expand: z.string().max(200).optional() });
const byId = z.strictObject({ id: idParam });
const onPrincipal = z.strictObject({ on: z.literal('principal', { error: "on must be 'principal'" }) });
/** Graph's options (roleAssignmentScheduleRequestFilterByCurrentUserOptions and kin), every one of them. */
const onParam = z.strictObject({ on: z.enum(['principal', 'createdBy', 'approver'], { error: "on must be 'principal', 'createdBy' or 'approver'" }) });
/** Graph's approvalFilterByCurrentUserOptions. */
const onApprover = z.strictObject({ on: z.enum(['target', 'createdBy', 'approver'], { error: "on must be 'target', 'createdBy' or 'approver'" }) });
const anyObject = z.looseObject({ id: z.string() });

const common = { lambda: 'roles' as const, tag: 'privilegedAccessGroup' };

export const GROUP_REQUEST_PATHS: Record<ScheduleKind, string> = { eligibility: 'eligibilityScheduleRequests', assignment: 'assignmentScheduleRequests' };

function requestRoutes(kind: ScheduleKind) {
  const c = GROUP_REQUEST_PATHS[kind];
  const noun = kind === 'eligibility' ? 'group eligibility' : 'group assignment (activation)';
  const id = (name: string) => `group.${c}.${name}`;
  return {
    create: route({
      ...common,
      id: id('create'),
      method: 'POST',
      path: `${GROUP_BASE}/${c}`,
      summary: `Request a ${noun} change (member or owner)`,
      body: groupRequestInputSchema,
      response: anyObject,
      status: 201,
    }),
    list: route({
      ...common,
      id: id('list'),
      method: 'GET',
      path: `${GROUP_BASE}/${c}`,
      summary: `List ${noun} requests ($filter on groupId or principalId required)`,
      query: listQuery,
      response: collectionOf(anyObject),
      status: 200,
    }),
    mine: route({
      ...common,
      id: id('filterByCurrentUser'),
      method: 'GET',
      path: `${GROUP_BASE}/${c}/filterByCurrentUser(on='{on}')`,
      summary: `My ${noun} requests, or those I approve`,
      params: onParam,
      query: listQuery,
      response: collectionOf(anyObject),
      status: 200,
    }),
    get: route({
      ...common,
      id: id('get'),
      method: 'GET',
      path: `${GROUP_BASE}/${c}/{id}`,
      summary: `Get a ${noun} request`,
      params: byId,
      query: entityQuery,
      response: anyObject,
      status: 200,
    }),
    cancel: route({
      ...common,
      id: id('cancel'),
      method: 'POST',
      path: `${GROUP_BASE}/${c}/{id}/cancel`,
      summary: `Cancel a pending ${noun} request`,
      params: byId,
      status: 204,
    }),
  };
}

export const GROUP_VIEW_COLLECTIONS = {
  eligibilitySchedules: { kind: 'eligibility', view: 'schedules' },
  eligibilityScheduleInstances: { kind: 'eligibility', view: 'instances' },
  assignmentSchedules: { kind: 'assignment', view: 'schedules' },
  assignmentScheduleInstances: { kind: 'assignment', view: 'instances' },
} as const;

function viewRoutes(collection: keyof typeof GROUP_VIEW_COLLECTIONS) {
  const id = (name: string) => `group.${collection}.${name}`;
  return {
    list: route({
      ...common,
      id: id('list'),
      method: 'GET',
      path: `${GROUP_BASE}/${collection}`,
      summary: `List group ${collection} ($filter on groupId or principalId required)`,
      query: listQuery,
      response: collectionOf(anyObject),
      status: 200,
    }),
    mine: route({
      ...common,
      id: id('filterByCurrentUser'),
      method: 'GET',
      path: `${GROUP_BASE}/${collection}/filterByCurrentUser(on='{on}')`,
      summary: `My group ${collection}`,
      params: onPrincipal,
      query: listQuery,
      response: collectionOf(anyObject),
      status: 200,
    }),
    get: route({
      ...common,
      id: id('get'),
      method: 'GET',
      path: `${GROUP_BASE}/${collection}/{id}`,
      summary: `Get one of group ${collection}`,
      params: byId,
      query: entityQuery,
      response: anyObject,
      status: 200,
    }),
  };
}

const APPROVALS = `${GROUP_BASE}/assignmentApprovals`;
const byStep = z.strictObject({ id: idParam, stepId: idParam });
const approvalQuery = z.strictObject({ $select: z.string().max(1000).optional(), $expand: z.string().max(100).optional() });

export const groupAccessRoutes = {
  eligibilityRequests: requestRoutes('eligibility'),
  assignmentRequests: requestRoutes('assignment'),
  eligibilitySchedules: viewRoutes('eligibilitySchedules'),
  eligibilityScheduleInstances: viewRoutes('eligibilityScheduleInstances'),
  assignmentSchedules: viewRoutes('assignmentSchedules'),
  assignmentScheduleInstances: viewRoutes('assignmentScheduleInstances'),
  approvals: {
    mine: route({
      ...common,
      id: 'group.assignmentApprovals.filterByCurrentUser',
      method: 'GET',
      path: `${APPROVALS}/filterByCurrentUser(on='{on}')`,
      summary: 'Approvals of group assignment requests that await me (or that I decided)',
      params: onApprover,
      query: listQuery,
      response: collectionOf(anyObject),
      status: 200,
    }),
    get: route({
      ...common,
      id: 'group.assignmentApprovals.get',
      method: 'GET',
      path: `${APPROVALS}/{id}`,
      summary: 'Get the approval of a group assignment request, with its stages',
      params: byId,
      query: approvalQuery,
      response: approvalSchema.extend({ stages: z.array(approvalStepSchema) }),
      status: 200,
    }),
    listStages: route({
      ...common,
      id: 'group.assignmentApprovals.stages.list',
      method: 'GET',
      path: `${APPROVALS}/{id}/stages`,
      summary: 'List the stages of an approval',
      params: byId,
      response: collectionOf(approvalStepSchema),
      status: 200,
    }),
    decide: route({
      ...common,
      id: 'group.assignmentApprovals.stages.update',
      method: 'PATCH',
      path: `${APPROVALS}/{id}/stages/{stepId}`,
      summary: 'Approve or deny a stage of an approval',
      params: byStep,
      body: approvalStepUpdateSchema,
      status: 204,
    }),
    decideStep: route({
      ...common,
      id: 'group.assignmentApprovals.steps.update',
      method: 'PATCH',
      path: `${APPROVALS}/{id}/steps/{stepId}`,
      summary: 'Approve or deny a step of an approval (the beta name of stages)',
      params: byStep,
      body: approvalStepUpdateSchema,
      status: 204,
    }),
  },
};

export const GROUP_ACCESS_ROUTES: RouteSpec[] = Object.values(groupAccessRoutes).flatMap((group) => Object.values(group) as RouteSpec[]);
