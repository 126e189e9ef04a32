/**
 * Access reviews in Graph's shape (`accessReviewScheduleDefinition`, `accessReviewInstance`,
 * `accessReviewInstanceDecisionItem`). Enum values are accepted in any casing and stored in Graph's.
 */
import * as z from 'zod';

const caseless = <T extends string>(values: readonly T[], field: string) =>
  z
    .string()
    .max(64)
    .transform((v, ctx) => {
      const found = values.find((x) => x.toLowerCase() === v.toLowerCase());
      if (!found) ctx.addIssue({ code: 'custom', message: `${field} must be one of ${values.join(', ')}` });
      return found as T;
    });

const text = (max: number) => z.string().max(max, `must be at most ${max} characters`);

export const querySchema = z.strictObject({
  '@odata.type': z.string().max(100).optional(),
  query: text(2000),
  queryType: z.string().max(32).optional(),
  queryRoot: z.string().max(200).nullable().optional(),
});

export const scopeSchema = z.strictObject({
  '@odata.type': z.string().max(100).optional(),
  query: text(2000).optional(),
  queryType: z.string().max(32).optional(),
  queryRoot: z.string().max(200).nullable().optional(),
  principalScopes: z.array(querySchema).max(3).optional(),
  resourceScopes: z.array(querySchema).max(20).optional(),
});

export const recurrenceSchema = z.strictObject({
  pattern: z
    .strictObject({
      type: caseless(['weekly', 'absoluteMonthly'] as const, 'recurrence.pattern.type'),
      interval: z.number().int().min(1, 'recurrence.pattern.interval must be at least 1').max(52),
      month: z.number().int().optional(),
      dayOfMonth: z.number().int().optional(),
      daysOfWeek: z.array(z.string().max(16)).max(7).optional(),
      firstDayOfWeek: z.string().max(16).optional(),
      index: z.string().max(16).optional(),
    })
    .nullable()
    .optional(),
  range: z.strictObject({
    type: caseless(['noEnd', 'endDate', 'numbered'] as const, 'recurrence.range.type'),
    startDate: text(40),
    endDate: text(40).nullable().optional(),
    numberOfOccurrences: z.number().int().min(0).max(1000).nullable().optional(),
    recurrenceTimeZone: z.string().max(64).nullable().optional(),
  }),
});

export const DEFAULT_DECISIONS = ['None', 'Approve', 'Deny', 'Recommendation'] as const;

export const settingsSchema = z.strictObject({
  mailNotificationsEnabled: z.boolean().default(true),
  reminderNotificationsEnabled: z.boolean().default(true),
  justificationRequiredOnApproval: z.boolean().default(false),
  defaultDecisionEnabled: z.boolean().default(false),
  defaultDecision: caseless(DEFAULT_DECISIONS, 'settings.defaultDecision').default('None'),
  instanceDurationInDays: z.number().int().min(1, 'settings.instanceDurationInDays must be at least 1').max(365).nullable().optional(),
  autoApplyDecisionsEnabled: z.boolean().default(false),
  recommendationsEnabled: z.boolean().default(true),
  recommendationLookBackDuration: z
    .string()
    .max(16)
    .regex(/^P\d{1,3}D$/i, "recommendationLookBackDuration must be whole days, such as 'P30D'")
    .nullable()
    .optional(),
  decisionHistoriesForReviewersEnabled: z.boolean().optional(),
  recommendationInsightSettings: z.array(z.record(z.string(), z.unknown())).max(5).optional(),
  applyActions: z
    .array(z.strictObject({ '@odata.type': z.string().max(100) }))
    .max(2)
    .optional(),
  recurrence: recurrenceSchema.nullable().optional(),
});

const definitionFields = {
  '@odata.type': z.string().max(100).optional(),
  displayName: z.string().trim().min(1, 'displayName must not be empty').max(256),
  descriptionForAdmins: text(1024).default(''),
  // Entra puts this in the reviewers' emails, where it keeps 256 characters.
  descriptionForReviewers: text(256).default(''),
  scope: scopeSchema,
  instanceEnumerationScope: scopeSchema.nullable().optional(),
  reviewers: z.array(querySchema).max(25).default([]),
  fallbackReviewers: z.array(querySchema).max(25).default([]),
  additionalNotificationRecipients: z
    .array(
      z.strictObject({
        notificationTemplateType: z.string().max(32).optional(),
        notificationRecipientScope: z.strictObject({
          '@odata.type': z.string().max(100).optional(),
          notificationRecipients: querySchema.optional(),
          query: text(2000).optional(),
          queryType: z.string().max(32).optional(),
        }),
      }),
    )
    .max(10)
    .default([]),
  stageSettings: z.array(z.unknown()).max(0, 'multi-stage reviews are not supported: leave stageSettings empty').optional(),
  settings: settingsSchema.default(() => settingsSchema.parse({})),
};

export const definitionInputSchema = z.strictObject(definitionFields);
export type DefinitionInput = z.output<typeof definitionInputSchema>;

/** PUT replaces the definition's editable properties; the scope stays what it was created with, as in Graph. */
export const definitionUpdateSchema = z.strictObject({ ...definitionFields, id: z.string().max(256).optional(), scope: scopeSchema.optional() });
export type DefinitionUpdate = z.output<typeof definitionUpdateSchema>;

export const decisionUpdateSchema = z.strictObject({
  '@odata.type': z.string().max(100).optional(),
  decision: caseless(['Approve', 'Deny', 'DontKnow', 'NotReviewed'] as const, 'decision'),
  justification: text(500).nullable().optional(),
});
export type DecisionUpdate = z.output<typeof decisionUpdateSchema>;

export const batchDecisionsSchema = z.strictObject({
  decision: caseless(['Approve', 'Deny', 'DontKnow'] as const, 'decision'),
  justification: text(500).nullable().optional(),
  principalId: z.string().max(256).nullable().optional(),
  resourceId: z.string().max(256).nullable().optional(),
});
export type BatchDecisions = z.output<typeof batchDecisionsSchema>;

const identityView = z.object({ id: z.string(), displayName: z.string().nullable(), userPrincipalName: z.string().nullable().optional() }).nullable();

export const definitionViewSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  descriptionForAdmins: z.string(),
  descriptionForReviewers: z.string(),
  status: z.string(),
  createdBy: identityView,
  createdDateTime: z.string(),
  lastModifiedDateTime: z.string(),
  scope: z.record(z.string(), z.unknown()),
  instanceEnumerationScope: z.unknown().nullable(),
  reviewers: z.array(z.record(z.string(), z.unknown())),
  fallbackReviewers: z.array(z.record(z.string(), z.unknown())),
  additionalNotificationRecipients: z.array(z.unknown()),
  settings: z.record(z.string(), z.unknown()),
});

export const instanceViewSchema = z.object({
  id: z.string(),
  startDateTime: z.string(),
  endDateTime: z.string(),
  status: z.string(),
  scope: z.record(z.string(), z.unknown()),
  reviewers: z.array(z.record(z.string(), z.unknown())),
  fallbackReviewers: z.array(z.record(z.string(), z.unknown())),
});

export const decisionViewSchema = z.object({
  id: z.string(),
  accessReviewId: z.string(),
  decision: z.string(),
  justification: z.string().nullable(),
  recommendation: z.string(),
  applyResult: z.string(),
  reviewedBy: identityView,
  reviewedDateTime: z.string().nullable(),
  appliedBy: identityView,
  appliedDateTime: z.string().nullable(),
  principal: z.record(z.string(), z.unknown()),
  resource: z.record(z.string(), z.unknown()),
});
