/**
 * Approvals of PIM for roles: `roleAssignmentApprovals/{approvalId}` (the approval id is the request id),
 * its steps, and the decision (PATCH a step). Graph documents these in beta; Stint serves the same
 * shape under /v1.0 as well.
 */
import * as z from 'zod';
import { route, type RouteSpec } from '../../http/route.ts';
import { collectionOf, idParam } from '../common.ts';

const common = { lambda: 'roles' as const, tag: 'roleManagement' };
const byId = z.strictObject({ id: idParam });
const byStep = z.strictObject({ id: idParam, stepId: idParam });
/** `$expand=steps` (or `stages`) is accepted: the steps are always returned, as Graph's examples show. */
const entityQuery = z.strictObject({
  $select: z.string().max(1000).optional(),
  $expand: z
    .string()
    .max(100)
    .refine((v) => v.split(',').every((p) => ['steps', 'stages'].includes(p.trim().toLowerCase())), "$expand supports only 'steps'")
    .optional(),
});

export const approvalStepSchema = z.object({
  id: z.string(),
  displayName: z.string().nullable(),
  reviewedBy: z.array(z.object({ id: z.string(), displayName: z.string().nullable() })).nullable(),
  reviewedDateTime: z.string().nullable(),
  reviewResult: z.enum(['NotReviewed', 'Approved', 'Denied']),
  status: z.enum(['InProgress', 'Initializing', 'Completed', 'Expired']),
  justification: z.string().nullable(),
  assignedToMe: z.boolean(),
});

export const approvalSchema = z.object({ id: z.string(), steps: z.array(approvalStepSchema) });

const reviewResult = z
  .string()
  .max(16)
  .transform((v, ctx) => {
    const found = (['Approve', 'Deny'] as const).find((x) => x.toLowerCase() === v.toLowerCase());
    if (!found) ctx.addIssue({ code: 'custom', message: "reviewResult must be 'Approve' or 'Deny'" });
    return found as 'Approve' | 'Deny';
  });

export const approvalStepUpdateSchema = z.strictObject({
  '@odata.type': z.string().optional(),
  reviewResult,
  justification: z.string().max(500).nullable().optional(),
});

/** Bulk approval (beyond Graph): one decision for up to 100 approvals, each decided on its open stage. */
export const batchDecisionSchema = z.strictObject({
  approvalIds: z
    .array(idParam)
    .min(1, 'approvalIds must name at least one approval')
    .max(100, 'approvalIds may name at most 100 approvals')
    .refine((ids) => new Set(ids).size === ids.length, 'approvalIds must not repeat an id'),
  reviewResult,
  justification: z.string().max(500).nullable().optional(),
});

export const batchDecisionResultSchema = z.object({
  value: z.array(
    z.object({
      approvalId: z.string(),
      status: z.enum(['Approved', 'Denied', 'Failed']),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
});

export const APPROVAL_BASES = {
  beta: '/beta/roleManagement/directory/roleAssignmentApprovals',
  v1: '/v1.0/roleManagement/directory/roleAssignmentApprovals',
} as const;

function approvalRoutes(version: keyof typeof APPROVAL_BASES) {
  const base = APPROVAL_BASES[version];
  return {
    get: route({
      ...common,
      id: `roleAssignmentApprovals.${version}.get`,
      method: 'GET',
      path: `${base}/{id}`,
      summary: 'Get the approval of a role assignment request, with its steps',
      params: byId,
      query: entityQuery,
      response: approvalSchema,
      status: 200,
    }),
    listSteps: route({
      ...common,
      id: `roleAssignmentApprovals.${version}.steps.list`,
      method: 'GET',
      path: `${base}/{id}/steps`,
      summary: 'List the steps of an approval',
      params: byId,
      response: collectionOf(approvalStepSchema),
      status: 200,
    }),
    batch: route({
      ...common,
      id: `roleAssignmentApprovals.${version}.batchRecordDecisions`,
      method: 'POST',
      path: `${base}/batchRecordDecisions`,
      summary: 'Approve or deny many approvals at once (beyond Graph): each on its open step, each on its own, with a result per approval',
      body: batchDecisionSchema,
      response: batchDecisionResultSchema,
      status: 200,
    }),
    decide: route({
      ...common,
      id: `roleAssignmentApprovals.${version}.steps.update`,
      method: 'PATCH',
      path: `${base}/{id}/steps/{stepId}`,
      summary: 'Approve or deny a step of an approval',
      params: byStep,
      body: approvalStepUpdateSchema,
      status: 204,
    }),
  };
}

export const approvalsRoutes = { beta: approvalRoutes('beta'), v1: approvalRoutes('v1') };

export const APPROVAL_ROUTES: RouteSpec[] = Object.values(approvalsRoutes).flatMap((group) => Object.values(group) as RouteSpec[]);
