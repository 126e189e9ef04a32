/**
 * The 17 role management policy rules in Graph's shape. PATCH bodies must carry the rule's
 * `@odata.type`, as Graph requires; enum values are accepted in any casing and stored in Graph's.
 */
import * as z from 'zod';
import { ENABLED_RULES } from '../domain/policy/rules.ts';
import type * as domain from '../domain/policy/rules.ts';
import type { Same } from './same-type.ts';

const caseless = <T extends string>(values: readonly T[]) =>
  z.string().transform((v, ctx) => {
    const found = values.find((x) => x.toLowerCase() === v.toLowerCase());
    if (!found) ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}` });
    return found as T;
  });

const OPERATIONS = ['all', 'activate', 'deactivate', 'assign', 'update', 'remove', 'extend', 'renew'] as const;

export const ruleTargetSchema = z.object({
  '@odata.type': z.string().optional(),
  caller: caseless(['None', 'Admin', 'EndUser'] as const),
  operations: z.array(caseless(OPERATIONS)).min(1).max(8),
  level: caseless(['Eligibility', 'Assignment'] as const),
  inheritableSettings: z.array(z.string().max(64)).max(20).default([]),
  enforcedSettings: z.array(z.string().max(64)).max(20).default([]),
});

const durationText = z.string().max(32).regex(/^P/i, "must be an ISO 8601 duration such as 'PT8H'");

export const expirationRuleSchema = z.strictObject({
  '@odata.type': z.literal('#microsoft.graph.unifiedRoleManagementPolicyExpirationRule'),
  id: z.string(),
  isExpirationRequired: z.boolean(),
  maximumDuration: durationText,
  target: ruleTargetSchema,
});

export { ENABLED_RULES };

export const enablementRuleSchema = z.strictObject({
  '@odata.type': z.literal('#microsoft.graph.unifiedRoleManagementPolicyEnablementRule'),
  id: z.string(),
  enabledRules: z.array(caseless(ENABLED_RULES)).max(3),
  /** Stint's addition: how recent the MFA sign-in must be for an activation (default 15 minutes). */
  maximumAuthenticationAge: durationText.optional(),
  target: ruleTargetSchema,
});

const subjectSet = z.union([
  z.strictObject({
    '@odata.type': z.literal('#microsoft.graph.singleUser'),
    userId: z.string().min(1).max(256),
    description: z.string().max(256).nullable().optional(),
  }),
  z.strictObject({
    '@odata.type': z.literal('#microsoft.graph.groupMembers'),
    groupId: z.string().min(1).max(256),
    description: z.string().max(256).nullable().optional(),
  }),
]);

const approvalStage = z.strictObject({
  approvalStageTimeOutInDays: z.number().int().min(1).max(14),
  isApproverJustificationRequired: z.boolean(),
  escalationTimeInMinutes: z.number().int().min(0).max(10_080),
  isEscalationEnabled: z.boolean(),
  primaryApprovers: z.array(subjectSet).max(50),
  escalationApprovers: z.array(subjectSet).max(50).default([]),
  /** Stint's addition: how many distinct approvers must approve at this stage (Entra: 1). */
  requiredApproverCount: z.number().int().min(1).max(50).optional(),
});

export const approvalRuleSchema = z.strictObject({
  '@odata.type': z.literal('#microsoft.graph.unifiedRoleManagementPolicyApprovalRule'),
  id: z.string(),
  setting: z.strictObject({
    '@odata.type': z.string().optional(),
    isApprovalRequired: z.boolean(),
    isApprovalRequiredForExtension: z.boolean(),
    isRequestorJustificationRequired: z.boolean(),
    approvalMode: caseless(['SingleStage', 'Serial', 'Parallel', 'NoApproval'] as const),
    approvalStages: z.array(approvalStage).max(5),
  }),
  target: ruleTargetSchema,
});

export const authenticationContextRuleSchema = z.strictObject({
  '@odata.type': z.literal('#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule'),
  id: z.string(),
  isEnabled: z.boolean(),
  claimValue: z.string().max(64).nullable(),
  target: ruleTargetSchema,
});

export const notificationRuleSchema = z.strictObject({
  '@odata.type': z.literal('#microsoft.graph.unifiedRoleManagementPolicyNotificationRule'),
  id: z.string(),
  notificationType: caseless(['Email'] as const),
  recipientType: caseless(['Requestor', 'Approver', 'Admin'] as const),
  notificationLevel: caseless(['None', 'Critical', 'All'] as const),
  isDefaultRecipientsEnabled: z.boolean(),
  notificationRecipients: z
    .array(
      z
        .string()
        .max(256)
        .regex(/^[^\s@;]+@[^\s@;]+$/, 'must be an email address'),
    )
    .max(1000),
  target: ruleTargetSchema,
});

export const policyRuleSchema = z.discriminatedUnion('@odata.type', [
  expirationRuleSchema,
  enablementRuleSchema,
  approvalRuleSchema,
  authenticationContextRuleSchema,
  notificationRuleSchema,
]);

export type { PolicyRule, ExpirationRule, EnablementRule, ApprovalRule, NotificationRule } from '../domain/policy/rules.ts';

// The domain owns these types; the schemas must produce exactly them.
const _rulesMatchDomain: [
  Same<z.output<typeof policyRuleSchema>, domain.PolicyRule>,
  Same<z.output<typeof expirationRuleSchema>, domain.ExpirationRule>,
  Same<z.output<typeof enablementRuleSchema>, domain.EnablementRule>,
  Same<z.output<typeof approvalRuleSchema>, domain.ApprovalRule>,
  Same<z.output<typeof notificationRuleSchema>, domain.NotificationRule>,
] = [true, true, true, true, true];
void _rulesMatchDomain;

/**
 * Stint's read-only extension on the rules of a group's member or owner policy (never sent back: PATCH
 * ignores it): the settings that roles the group holds or is eligible for make stricter than the rule's
 * own values, as activation applies them, and which roles impose each (see effectiveRules).
 */
export const ruleStintSchema = z.object({
  groupRoleRules: z.array(
    z.object({
      setting: z.enum([
        'maximumDuration',
        'MultiFactorAuthentication',
        'maximumAuthenticationAge',
        'Justification',
        'Ticketing',
        'isApprovalRequired',
        'isApprovalRequiredForExtension',
      ]),
      value: z.union([z.string(), z.boolean()]),
      imposedBy: z.array(
        z.object({
          roleDefinitionId: z.string(),
          displayName: z.string(),
          directoryScopeId: z.string(),
          assignmentType: z.enum(['Active', 'Eligible']),
          policyId: z.string(),
        }),
      ),
    }),
  ),
});

/** A rule as GET returns it: Graph's rule, with Stint's annotation `@stint.groupRoleRules` where it applies. */
export const policyRuleViewSchema = z.discriminatedUnion('@odata.type', [
  expirationRuleSchema.extend({ '@stint.groupRoleRules': ruleStintSchema.shape.groupRoleRules.optional() }),
  enablementRuleSchema.extend({ '@stint.groupRoleRules': ruleStintSchema.shape.groupRoleRules.optional() }),
  approvalRuleSchema.extend({ '@stint.groupRoleRules': ruleStintSchema.shape.groupRoleRules.optional() }),
  authenticationContextRuleSchema.extend({ '@stint.groupRoleRules': ruleStintSchema.shape.groupRoleRules.optional() }),
  notificationRuleSchema.extend({ '@stint.groupRoleRules': ruleStintSchema.shape.groupRoleRules.optional() }),
]);
