import * as z from 'zod';
import { nonEmpty, odataType } from './common.ts';

export const rolePermissionSchema = z.object({
  allowedResourceActions: z.array(z.string()),
  /** Actions taken back out of a wildcard grant (Contributor: everything but authorization). */
  excludedResourceActions: z.array(z.string()).optional(),
  condition: z.string().nullable(),
});

/** What Stint keeps: Graph's properties, Graph beta's `isPrivileged`, and which provider the role is of. */
export const storedRoleDefinitionSchema = z.object({
  id: z.string(),
  templateId: z.string(),
  displayName: z.string(),
  description: z.string(),
  isBuiltIn: z.boolean(),
  isEnabled: z.boolean(),
  isPrivileged: z.boolean(),
  version: z.string().nullable(),
  resourceScopes: z.array(z.string()),
  rolePermissions: z.array(rolePermissionSchema),
  kind: z.enum(['directory', 'resource', 'aws']),
  inheritsPermissionsFrom: z.array(z.object({ id: z.string() })).optional(),
});

/** As v1.0 answers: Graph's v1.0 unifiedRoleDefinition, no more. */
export const roleDefinitionSchema = storedRoleDefinitionSchema.omit({ isPrivileged: true, kind: true });
/** As beta answers: with `isPrivileged`, as Graph beta has it. */
export const betaRoleDefinitionSchema = storedRoleDefinitionSchema.omit({ kind: true });

/** A role definition as the API version answers it. */
export function roleDefinitionView(
  role: StoredRoleDefinition,
  version: 'v1.0' | 'beta' = 'v1.0',
): z.infer<typeof betaRoleDefinitionSchema> | z.infer<typeof roleDefinitionSchema> {
  const { kind: _kind, isPrivileged, ...graph } = role;
  return version === 'beta' ? { ...graph, isPrivileged } : graph;
}
export type StoredRoleDefinition = z.infer<typeof storedRoleDefinitionSchema>;

/**
 * Actions a custom role may grant: Entra's `namespace/entity/property/verb` form, with `*` only as a
 * whole segment, so that a custom role cannot silently grant everything through a stray wildcard.
 */
const resourceAction = z
  .string()
  .max(256)
  .regex(/^[a-z][a-z0-9.]*(\/([A-Za-z][A-Za-z0-9.]*|\*))+$/i, "must look like 'microsoft.directory/users/password/update'");

const permissions = z
  .array(z.strictObject({ allowedResourceActions: z.array(resourceAction).min(1).max(500), condition: z.string().max(1024).nullable().optional() }))
  .min(1)
  .max(1);

export const roleDefinitionCreateSchema = z.strictObject({
  '@odata.type': odataType('unifiedRoleDefinition'),
  displayName: nonEmpty(256),
  description: z.string().max(1024).nullable().optional(),
  isEnabled: z.boolean().optional(),
  isPrivileged: z.boolean().optional(),
  rolePermissions: permissions,
  templateId: z.string().max(64).optional(),
  version: z.string().max(64).nullable().optional(),
  resourceScopes: z.array(z.literal('/')).optional(),
});
export type RoleDefinitionCreate = z.infer<typeof roleDefinitionCreateSchema>;

export const roleDefinitionUpdateSchema = z
  .strictObject({
    displayName: nonEmpty(256).optional(),
    description: z.string().max(1024).nullable().optional(),
    isEnabled: z.boolean().optional(),
    isPrivileged: z.boolean().optional(),
    rolePermissions: permissions.optional(),
    version: z.string().max(64).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'The request body must change at least one property.');
export type RoleDefinitionUpdate = z.infer<typeof roleDefinitionUpdateSchema>;
