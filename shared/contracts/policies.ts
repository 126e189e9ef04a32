import * as z from 'zod';
import { policyRuleSchema } from './policy-rules.ts';

export const policySchema = z.object({
  id: z.string(),
  displayName: z.string(),
  description: z.string(),
  isOrganizationDefault: z.boolean(),
  scopeId: z.string(),
  scopeType: z.enum(['Directory', 'DirectoryRole', 'Group']),
  lastModifiedDateTime: z.string().nullable(),
  lastModifiedBy: z.object({ displayName: z.string().nullable(), id: z.string().nullable() }),
  rules: z.array(policyRuleSchema),
});
export type Policy = z.output<typeof policySchema>;

export const policyAssignmentSchema = z.object({
  id: z.string(),
  policyId: z.string(),
  scopeId: z.string(),
  scopeType: z.enum(['Directory', 'DirectoryRole', 'Group']),
  roleDefinitionId: z.string(),
});
