/**
 * Discovery and insights, and the weekly digest's settings: Stint's extension under
 * /beta/identityGovernance/roleManagementInsights (Graph has no API for Entra's "Discovery and insights"
 * page). Shapes follow Graph's habits: camelCase, ISO date-times, collections under `value`.
 */
import * as z from 'zod';
import { emailAddress, idParam } from './common.ts';

const assignmentCounts = z.object({
  eligible: z.number().int(),
  active: z.number().int(),
  permanentActive: z.number().int(),
  activated: z.number().int(),
});

export const overviewSchema = z.object({
  '@odata.context': z.string(),
  generatedDateTime: z.string(),
  activationsLast7Days: z.array(z.object({ date: z.string(), count: z.number().int() })),
  directoryRoleAssignments: assignmentCounts,
  privilegedRoleAssignments: assignmentCounts,
  newAssignmentsLast30Days: z.object({ eligible: z.number().int(), active: z.number().int() }),
  globalAdministrators: assignmentCounts,
  privilegedServicePrincipalCount: z.number().int(),
});

export const privilegedAssignmentSchema = z.object({
  id: z.string(),
  scheduleKind: z.enum(['eligibility', 'assignment']),
  standing: z.enum(['permanentActive', 'timeBoundActive', 'activated', 'eligible']),
  principalId: z.string(),
  principalType: z.enum(['user', 'group', 'servicePrincipal']),
  principalDisplayName: z.string().nullable(),
  userPrincipalName: z.string().nullable(),
  appId: z.string().nullable(),
  roleDefinitionId: z.string(),
  roleDisplayName: z.string(),
  isPrivileged: z.boolean(),
  directoryScopeId: z.string(),
  createdDateTime: z.string(),
  startDateTime: z.string(),
  endDateTime: z.string().nullable(),
  lastActivationDateTime: z.string().nullable(),
  lastSignInDateTime: z.string().nullable(),
});

const justification = z.string().trim().min(1).max(500).optional();
/** A selection is acted on one item after another within one API call: keep it to what that allows. */
const MAX_SELECTION = 50;

export const eliminateStandingAccessSchema = z.strictObject({
  scheduleIds: z.array(idParam).min(1, 'select at least one assignment').max(MAX_SELECTION, `select at most ${MAX_SELECTION} assignments at a time`),
  justification,
});

export const insightActionSchema = z.enum(['remove', 'convertToEligible'], { error: "action must be 'remove' or 'convertToEligible'" });

export const reduceGlobalAdministratorsSchema = z.strictObject({
  assignments: z
    .array(z.strictObject({ scheduleId: idParam, action: insightActionSchema }))
    .min(1, 'select at least one assignment')
    .max(MAX_SELECTION, `select at most ${MAX_SELECTION} assignments at a time`),
  justification,
});

export const actionOutcomesSchema = z.object({
  '@odata.context': z.string(),
  value: z.array(
    z.object({
      scheduleId: z.string(),
      action: insightActionSchema,
      status: z.enum(['succeeded', 'failed']),
      eligibilityScheduleId: z.string().nullable(),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
    }),
  ),
});

/** Who gets the weekly digest: a user id, or a mail address outside the directory. */
const recipient = z.union([emailAddress, idParam]);

export const digestSettingsSchema = z.object({
  '@odata.context': z.string(),
  isEnabled: z.boolean(),
  sendToAdministrators: z.boolean(),
  additionalRecipients: z.array(z.string()),
  excludedUserIds: z.array(z.string()),
  lastModifiedDateTime: z.string().nullable(),
  lastModifiedBy: z.object({ id: z.string().nullable(), displayName: z.string().nullable() }),
});

export const digestSettingsUpdateSchema = z
  .strictObject({
    isEnabled: z.boolean().optional(),
    sendToAdministrators: z.boolean().optional(),
    additionalRecipients: z.array(recipient).max(50, 'at most 50 additional recipients').optional(),
    excludedUserIds: z.array(idParam).max(200, 'at most 200 excluded users').optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'name at least one setting to change');
export type DigestSettingsUpdate = z.output<typeof digestSettingsUpdateSchema>;
