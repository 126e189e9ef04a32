/** An AWS role as the API shows it: a unifiedRoleDefinition for an IAM Identity Center permission set, with Stint's two extensions. */
import * as z from 'zod';

export const awsRoleDefinitionSchema = z.object({
  id: z.string(),
  templateId: z.string(),
  displayName: z.string(),
  description: z.string(),
  isBuiltIn: z.literal(false),
  isEnabled: z.boolean(),
  isPrivileged: z.boolean(),
  version: z.string().nullable(),
  resourceScopes: z.array(z.string()),
  rolePermissions: z.array(z.object({ allowedResourceActions: z.array(z.string()), condition: z.string().nullable() })),
  /** Stint's extensions (README.md, "Extensions to Graph"). */
  permissionSetArn: z.string(),
  sessionDuration: z.string(),
});
export type AwsRoleDefinition = z.infer<typeof awsRoleDefinitionSchema>;
