/**
 * Role eligibility and assignment schedule requests, in Graph's shape: what a client sends, and what is
 * stored and returned. Enum values are accepted in any casing (the docs send both `selfActivate` and
 * `SelfActivate`); `action` is echoed as sent, as Graph does, and `expiration.type` is normalised.
 */
import * as z from 'zod';
import { ACTIONS, REQUEST_STATUSES, type Action, type RoleRequest as DomainRoleRequest } from '../domain/role-request.ts';
import type { Same } from './same-type.ts';

export { ACTIONS, REQUEST_STATUSES, type Action };

const EXPIRATION_TYPES = ['noExpiration', 'afterDateTime', 'afterDuration', 'notSpecified'] as const;

const caselessEnum = <T extends string>(values: readonly T[], what: string) =>
  z.string().transform((v, ctx) => {
    const found = values.find((x) => x.toLowerCase() === v.toLowerCase());
    if (!found) ctx.addIssue({ code: 'custom', message: `${what} must be one of ${values.join(', ')}` });
    return found as T;
  });

const dateTime = z
  .string()
  .max(40)
  .refine((v) => !Number.isNaN(Date.parse(v)) && /\d{4}-\d{2}-\d{2}T/.test(v), 'must be an ISO 8601 date-time such as 2025-01-31T09:00:00Z');

export const scheduleInfoInputSchema = z.strictObject({
  startDateTime: dateTime.nullable().optional(),
  expiration: z
    .strictObject({
      '@odata.type': z.string().optional(),
      type: caselessEnum(EXPIRATION_TYPES, 'expiration.type').nullable().optional(),
      endDateTime: dateTime.nullable().optional(),
      duration: z.string().max(32).nullable().optional(),
    })
    .nullable()
    .optional(),
  recurrence: z.null().optional(),
});

export const ticketInfoSchema = z.strictObject({
  '@odata.type': z.string().optional(),
  ticketNumber: z.string().max(128).nullable().optional(),
  ticketSystem: z.string().max(128).nullable().optional(),
});

export const roleRequestInputSchema = z.strictObject({
  '@odata.type': z.string().optional(),
  action: z
    .string()
    .max(32)
    .transform((v, ctx) => {
      const canonical = ACTIONS.find((a) => a.toLowerCase() === v.toLowerCase());
      if (!canonical) ctx.addIssue({ code: 'custom', message: `action must be one of ${ACTIONS.join(', ')}` });
      return { sent: v, canonical: canonical as Action };
    }),
  principalId: z.string().min(1).max(256),
  roleDefinitionId: z.string().min(1).max(256),
  directoryScopeId: z.string().min(1).max(1024).nullable().optional(),
  appScopeId: z.string().max(1024).nullable().optional(),
  justification: z.string().max(500).nullable().optional(),
  scheduleInfo: scheduleInfoInputSchema.nullable().optional(),
  ticketInfo: ticketInfoSchema.nullable().optional(),
  isValidationOnly: z.boolean().optional(),
  customData: z.string().max(1024).nullable().optional(),
});
export type RoleRequestInput = z.output<typeof roleRequestInputSchema>;

const identitySet = z.object({
  application: z.object({ id: z.string().nullable(), displayName: z.string().nullable() }).nullable(),
  device: z.null(),
  user: z.object({ id: z.string().nullable(), displayName: z.string().nullable() }).nullable(),
});

const approvalDecisionSchema = z.object({
  approverId: z.string(),
  approverName: z.string().nullable(),
  result: z.enum(['Approve', 'Deny']),
  justification: z.string().nullable(),
  at: z.string(),
});

export const approvalStateSchema = z.object({
  stages: z.array(
    z.object({
      id: z.string(),
      approverIds: z.array(z.string()),
      fallback: z.boolean(),
      fallbackApproverIds: z.array(z.string()).optional(),
      requiredCount: z.number().int(),
      isApproverJustificationRequired: z.boolean(),
      decisions: z.array(approvalDecisionSchema),
      timeoutInDays: z.number().int().optional(),
      openedDateTime: z.string().optional(),
      expiredDateTime: z.string().optional(),
    }),
  ),
});

export const roleRequestSchema = z.object({
  id: z.string(),
  kind: z.enum(['eligibility', 'assignment']),
  action: z.string(),
  canonicalAction: z.enum(ACTIONS),
  status: z.enum(REQUEST_STATUSES),
  createdDateTime: z.string(),
  completedDateTime: z.string().nullable(),
  approvalId: z.string().nullable(),
  customData: z.string().nullable(),
  principalId: z.string(),
  roleDefinitionId: z.string(),
  directoryScopeId: z.string(),
  appScopeId: z.string().nullable(),
  isValidationOnly: z.boolean(),
  targetScheduleId: z.string().nullable(),
  justification: z.string().nullable(),
  createdBy: identitySet,
  scheduleInfo: z
    .object({
      startDateTime: z.string().nullable(),
      recurrence: z.null(),
      expiration: z.object({ type: z.string(), endDateTime: z.string().nullable(), duration: z.string().nullable() }),
    })
    .nullable(),
  ticketInfo: z.object({ ticketNumber: z.string().nullable(), ticketSystem: z.string().nullable() }),
  activatedUsing: z.string().nullable().optional(),
  /** Hash of what was asked, so an identical retry returns this request instead of failing. */
  fingerprint: z.string().optional(),
  /** Internal: the approval snapshotted when the request became PendingApproval (shared/domain/approval.ts). */
  approval: approvalStateSchema.optional(),
  failureReason: z.string().optional(),
});
export type RoleRequest = DomainRoleRequest;
const _roleRequestMatchesDomain: Same<z.output<typeof roleRequestSchema>, DomainRoleRequest> = true;
void _roleRequestMatchesDomain;

/** The Graph object a client sees: internal fields left out. */
export function requestView(request: RoleRequest): Record<string, unknown> {
  const {
    kind: _kind,
    canonicalAction: _canonical,
    fingerprint: _fingerprint,
    approval: _approval,
    failureReason: _failure,
    activatedUsing: _activatedUsing,
    ...graph
  } = request;
  // `activatedUsing` is a relationship in Graph: shown only when expanded (shared/services/roles/read-models/activated-using.ts).
  return graph;
}
