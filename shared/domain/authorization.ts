/**
 * Who may do what, as one table (docs/architecture.md §4). A caller's powers come from the roles they hold right
 * now (active assignments, direct or through a group). Directory permissions need the role at the
 * tenant scope `/`; resource permissions hold at the role's scope and below.
 */
import { BUILTIN_ROLE_IDS, findBuiltinRole } from './builtin-roles.ts';
import { GROUP_OWNER } from './group-access.ts';
import { scopeContains, TENANT_SCOPE } from './scope.ts';

export type Permission =
  | 'roleAssignments.manage'
  | 'roleAssignments.readAll'
  | 'resourceRoleAssignments.manage'
  | 'policies.manage'
  | 'policies.read'
  | 'roleDefinitions.manage'
  | 'users.manage'
  | 'users.resetCredentials'
  | 'privilegedUsers.manage'
  | 'groups.manage'
  | 'groupMembers.manage'
  | 'roleAssignableGroups.manage'
  | 'roleAssignableGroupMembers.manage'
  | 'groupAccess.manage'
  | 'servicePrincipals.manage'
  | 'accessDecisions.evaluateOthers'
  | 'audit.readAll'
  | 'accessReviews.manage'
  | 'accessReviews.readAll'
  | 'identities.manage'
  | 'identities.read'
  | 'alerts.read'
  | 'alerts.manage';

const R = BUILTIN_ROLE_IDS;
const READERS = [R.globalAdministrator, R.privilegedRoleAdministrator, R.securityAdministrator, R.globalReader, R.securityReader];

interface Rule {
  roles: string[];
  /** Granted at the role's scope and below, rather than only by a tenant-wide assignment. */
  scoped?: boolean;
}

export const PERMISSIONS: Record<Permission, Rule> = {
  'roleAssignments.manage': { roles: [R.globalAdministrator, R.privilegedRoleAdministrator] },
  'roleAssignments.readAll': { roles: READERS },
  // Tenant admins keep the power so that a fresh deployment can hand out the first Owner.
  'resourceRoleAssignments.manage': { roles: [R.owner, R.userAccessAdministrator, R.globalAdministrator, R.privilegedRoleAdministrator], scoped: true },
  'policies.manage': { roles: [R.globalAdministrator, R.privilegedRoleAdministrator] },
  'policies.read': { roles: READERS },
  'roleDefinitions.manage': { roles: [R.globalAdministrator, R.privilegedRoleAdministrator] },
  'users.manage': { roles: [R.globalAdministrator, R.userAdministrator] },
  // Helpdesk Administrators reset credentials only (Entra's rule), and only of users who hold no privilege.
  'users.resetCredentials': { roles: [R.globalAdministrator, R.userAdministrator, R.helpdeskAdministrator] },
  // Entra's "who can perform sensitive actions": a user who holds or could hold a privileged role is changed
  // or deleted only by the highest roles, or a lesser admin redirects their mail or takes over their sign-in.
  'privilegedUsers.manage': { roles: [R.globalAdministrator, R.privilegedRoleAdministrator] },
  'groups.manage': { roles: [R.globalAdministrator, R.userAdministrator, R.groupsAdministrator] },
  // A group's owner (an active PIM for groups ownership, held at the group's scope) manages its members
  // and its PIM for groups assignments; the tenant's administrators hold both tenant-wide.
  'groupMembers.manage': { roles: [R.globalAdministrator, R.userAdministrator, R.groupsAdministrator, GROUP_OWNER], scoped: true },
  // A role-assignable group hands its roles to its members: creating, changing or deleting it, and changing
  // who is in it, is as privileged as assigning those roles (Entra's rule). Owners keep their own group's members.
  'roleAssignableGroups.manage': { roles: [R.globalAdministrator, R.privilegedRoleAdministrator] },
  'roleAssignableGroupMembers.manage': { roles: [R.globalAdministrator, R.privilegedRoleAdministrator, GROUP_OWNER], scoped: true },
  'groupAccess.manage': { roles: [R.globalAdministrator, R.privilegedRoleAdministrator, GROUP_OWNER], scoped: true },
  'servicePrincipals.manage': { roles: [R.globalAdministrator, R.applicationAdministrator, R.cloudApplicationAdministrator] },
  'accessDecisions.evaluateOthers': { roles: [R.globalAdministrator, R.securityAdministrator, R.globalReader, R.securityReader] },
  'audit.readAll': { roles: READERS },
  // Entra lets Global and Privileged Role Administrators run reviews of privileged access.
  'accessReviews.manage': { roles: [R.globalAdministrator, R.privilegedRoleAdministrator] },
  'accessReviews.readAll': { roles: READERS },
  // Linking a sign-in identity to a user is signing in as that user: only those who hand out roles.
  'identities.manage': { roles: [R.globalAdministrator, R.privilegedRoleAdministrator] },
  'identities.read': { roles: READERS },
  // Entra: the readers see PIM's security alerts; Global and Privileged Role Administrators change their settings, scan, dismiss and fix them.
  'alerts.read': { roles: READERS },
  'alerts.manage': { roles: [R.globalAdministrator, R.privilegedRoleAdministrator] },
};

/** Every permission's name, e.g. for telling a caller which ones it may ask about. */
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as readonly Permission[];

export interface HeldRole {
  roleDefinitionId: string;
  directoryScopeId: string;
}

export function isAllowed(held: readonly HeldRole[], permission: Permission, targetScope: string = TENANT_SCOPE): boolean {
  const rule = PERMISSIONS[permission];
  return held.some(
    (h) =>
      rule.roles.includes(h.roleDefinitionId) &&
      (h.directoryScopeId === TENANT_SCOPE || (rule.scoped === true && scopeContains(h.directoryScopeId, targetScope))),
  );
}

export function rolesGranting(permission: Permission): string[] {
  return PERMISSIONS[permission].roles;
}

/** The display names of the roles that grant a permission, for messages that tell people what they lack. */
export function roleNamesGranting(permission: Permission): string[] {
  return rolesGranting(permission).map((id) => (id === GROUP_OWNER ? "the group's owner" : (findBuiltinRole(id)?.displayName ?? id)));
}
