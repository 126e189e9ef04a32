/** The wire of PIM security alerts (Graph beta `unifiedRoleManagementAlert…`): bodies, queries and answers. */
import * as z from 'zod';
import { collectionOf } from './common.ts';

const scopeFields = { scopeId: z.string(), scopeType: z.string() };

export const alertDefinitionSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  description: z.string(),
  severityLevel: z.enum(['low', 'medium', 'high']),
  securityImpact: z.string(),
  mitigationSteps: z.string(),
  howToPrevent: z.string(),
  isConfigurable: z.boolean(),
  isRemediatable: z.boolean(),
  ...scopeFields,
});

export const alertConfigurationSchema = z.looseObject({
  '@odata.type': z.string(),
  id: z.string(),
  alertDefinitionId: z.string(),
  isEnabled: z.boolean(),
  ...scopeFields,
});

export const alertIncidentSchema = z.looseObject({ '@odata.type': z.string(), id: z.string() });

export const alertSchema = z.looseObject({
  id: z.string(),
  alertDefinitionId: z.string(),
  incidentCount: z.number(),
  isActive: z.boolean(),
  lastModifiedDateTime: z.string().nullable(),
  lastScannedDateTime: z.string().nullable(),
  ...scopeFields,
});

/** Graph requires every list to name the scope: `scopeId eq '/' and scopeType eq 'DirectoryRole'`. */
export const scopedListQuery = z.strictObject({
  $filter: z.string({ error: "$filter is required: scopeId eq '/' and scopeType eq 'DirectoryRole'" }).max(500),
  $expand: z.string().max(200).optional(),
  $select: z.string().max(1000).optional(),
});

export const alertEntityQuery = z.strictObject({
  $expand: z.string().max(200).optional(),
  $select: z.string().max(1000).optional(),
});

export const incidentListQuery = z.strictObject({
  $top: z.coerce.number().int().min(1).max(999).optional(),
  $skiptoken: z.string().max(4096).optional(),
  $select: z.string().max(1000).optional(),
});

/** Graph's update of an alert: only `isActive: false` (dismissing it) is a change an administrator makes. */
export const alertUpdateSchema = z.strictObject({
  '@odata.type': z.literal('#microsoft.graph.unifiedRoleManagementAlert').optional(),
  isActive: z.literal(false, { error: 'isActive can only be set to false (dismissing the alert); a scan makes an alert active' }),
});

export const refreshBodySchema = z.strictObject({
  scopeId: z.literal('/', { error: "scopeId must be '/'" }),
  scopeType: z.literal('DirectoryRole', { error: "scopeType must be 'DirectoryRole'" }),
});

const days = z.string().max(20);
/** A configuration's changes; which settings a type has is checked against the alert (domain/alerts/configuration.ts). */
export const configurationUpdateSchema = z.strictObject({
  '@odata.type': z.string().max(200).optional(),
  id: z.string().max(300).optional(),
  alertDefinitionId: z.string().max(300).optional(),
  scopeId: z.literal('/', { error: "scopeId must be '/'" }).optional(),
  scopeType: z.literal('DirectoryRole', { error: "scopeType must be 'DirectoryRole'" }).optional(),
  isEnabled: z.boolean().optional(),
  duration: days.optional(),
  globalAdminCountThreshold: z.number().optional(),
  percentageOfGlobalAdminsOutOfRolesThreshold: z.number().optional(),
  sequentialActivationCounterThreshold: z.number().optional(),
  timeIntervalBetweenActivations: z.string().max(20).optional(),
});
export type ConfigurationUpdate = z.infer<typeof configurationUpdateSchema>;

export const alertCollection = collectionOf(alertSchema);
export const alertDefinitionCollection = collectionOf(alertDefinitionSchema);
export const alertConfigurationCollection = collectionOf(alertConfigurationSchema);
export const alertIncidentCollection = collectionOf(alertIncidentSchema);
