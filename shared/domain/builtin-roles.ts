/**
 * Built-in role definitions, shaped like Microsoft Graph's `roleManagement/directory/roleDefinitions`.
 *
 * Directory roles (kind 'directory') use Entra ID's well-known role template ids, which are the same in
 * every tenant. Their action lists are representative subsets of what the "Microsoft Entra built-in roles"
 * reference (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference) lists
 * for each role: every string is copied from that reference, nothing is made up, and short lists are
 * given whole. `isPrivileged` follows the reference's PRIVILEGED label.
 *
 * Resource roles (kind 'resource') are Azure RBAC's built-in Owner, Contributor, Reader and User Access
 * Administrator, with their real role definition ids and Azure's own action strings ("Azure built-in
 * roles", Privileged and General categories). Azure's NotActions are carried as Graph's
 * `excludedResourceActions` (see RolePermission).
 *
 * Descriptions are our own wording.
 */

export interface RolePermission {
  allowedResourceActions: string[];
  /**
   * Actions taken back out of `allowedResourceActions`, as Azure RBAC's NotActions do. Graph's
   * unifiedRolePermission has a property of this name; only the Contributor resource role sets it here.
   */
  excludedResourceActions?: string[];
  condition: string | null;
}

export interface RoleDefinition {
  id: string;
  templateId: string;
  displayName: string;
  description: string;
  isBuiltIn: boolean;
  isEnabled: boolean;
  isPrivileged: boolean;
  version: string | null;
  /** ['/'] as Graph returns it (the property is deprecated in Graph). */
  resourceScopes: string[];
  rolePermissions: RolePermission[];
  inheritsPermissionsFrom?: { id: string }[];
  /** 'directory' for Entra directory roles, 'resource' for the Azure-RBAC-like resource roles */
  kind: 'directory' | 'resource' | 'aws';
}

export const BUILTIN_ROLE_IDS = Object.freeze({
  // Entra directory roles (role template ids).
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  privilegedRoleAdministrator: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  groupsAdministrator: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  helpdeskAdministrator: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  applicationAdministrator: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  authenticationAdministrator: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  privilegedAuthenticationAdministrator: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  cloudApplicationAdministrator: '158c047a-c907-4556-b7ef-446551a6b5f7',
  conditionalAccessAdministrator: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  exchangeAdministrator: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  billingAdministrator: 'b0f54661-2d74-4c50-afa3-1ec803f12efe',
  complianceAdministrator: '17315797-102d-40b4-93e0-432062caca18',
  directoryReaders: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b',
  reportsReader: '4a5d8f65-41da-4de4-8968-e035b65339cf',
  // Azure RBAC built-in roles (role definition ids).
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
} as const);

interface RoleSpec {
  id: string;
  displayName: string;
  description: string;
  isPrivileged: boolean;
  actions: string[];
  excluded?: string[];
}

function role(kind: RoleDefinition['kind'], spec: RoleSpec): RoleDefinition {
  const permission: RolePermission = { allowedResourceActions: spec.actions, condition: null };
  if (spec.excluded) permission.excludedResourceActions = spec.excluded;
  return {
    id: spec.id,
    templateId: spec.id,
    displayName: spec.displayName,
    description: spec.description,
    isBuiltIn: true,
    isEnabled: true,
    isPrivileged: spec.isPrivileged,
    version: '1',
    resourceScopes: ['/'],
    rolePermissions: [permission],
    kind,
  };
}

const directory = (spec: RoleSpec) => role('directory', spec);
const resource = (spec: RoleSpec) => role('resource', spec);

// Shared by many Entra admin roles.
const AZURE_SERVICE_HEALTH = 'microsoft.azure.serviceHealth/allEntities/allTasks';
const AZURE_SUPPORT_TICKETS = 'microsoft.azure.supportTickets/allEntities/allTasks';
const O365_SERVICE_HEALTH = 'microsoft.office365.serviceHealth/allEntities/allTasks';
const O365_SUPPORT_TICKETS = 'microsoft.office365.supportTickets/allEntities/allTasks';
const O365_WEB_PORTAL_READ = 'microsoft.office365.webPortal/allEntities/standard/read';

const ROLES: RoleDefinition[] = [
  directory({
    id: BUILTIN_ROLE_IDS.globalAdministrator,
    displayName: 'Global Administrator',
    description: 'Full control of the directory and of every service that relies on its identities, including all role assignments.',
    isPrivileged: true,
    // Entra's own list runs past 200 entries; this is a subset of it.
    actions: [
      AZURE_SERVICE_HEALTH,
      AZURE_SUPPORT_TICKETS,
      'microsoft.commerce.billing/allEntities/allProperties/allTasks',
      'microsoft.directory/accessReviews/allProperties/allTasks',
      'microsoft.directory/administrativeUnits/allProperties/allTasks',
      'microsoft.directory/applications/allProperties/allTasks',
      'microsoft.directory/auditLogs/allProperties/read',
      'microsoft.directory/authorizationPolicy/allProperties/allTasks',
      'microsoft.directory/bitlockerKeys/key/read',
      'microsoft.directory/conditionalAccessPolicies/allProperties/allTasks',
      'microsoft.directory/contacts/allProperties/allTasks',
      'microsoft.directory/deletedItems/delete',
      'microsoft.directory/deletedItems/restore',
      'microsoft.directory/devices/allProperties/allTasks',
      'microsoft.directory/directoryRoles/allProperties/allTasks',
      'microsoft.directory/domains/allProperties/allTasks',
      'microsoft.directory/entitlementManagement/allProperties/allTasks',
      'microsoft.directory/groups/allProperties/allTasks',
      'microsoft.directory/groupsAssignableToRoles/allProperties/update',
      'microsoft.directory/groupsAssignableToRoles/create',
      'microsoft.directory/identityProtection/allProperties/allTasks',
      'microsoft.directory/namedLocations/create',
      'microsoft.directory/oAuth2PermissionGrants/allProperties/allTasks',
      'microsoft.directory/organization/allProperties/allTasks',
      'microsoft.directory/policies/allProperties/allTasks',
      'microsoft.directory/privilegedIdentityManagement/allProperties/read',
      'microsoft.directory/roleAssignments/allProperties/allTasks',
      'microsoft.directory/roleDefinitions/allProperties/allTasks',
      'microsoft.directory/scopedRoleMemberships/allProperties/allTasks',
      'microsoft.directory/servicePrincipals/allProperties/allTasks',
      'microsoft.directory/servicePrincipals/managePermissionGrantsForAll.microsoft-company-admin',
      'microsoft.directory/signInReports/allProperties/read',
      'microsoft.directory/users/allProperties/allTasks',
      'microsoft.directory/users/authenticationMethods/basic/update',
      'microsoft.directory/users/authenticationMethods/create',
      'microsoft.directory/users/authenticationMethods/delete',
      'microsoft.intune/allEntities/allTasks',
      'microsoft.office365.exchange/allEntities/basic/allTasks',
      'microsoft.office365.sharePoint/allEntities/allTasks',
      'microsoft.teams/allEntities/allProperties/allTasks',
    ],
  }),
  directory({
    id: BUILTIN_ROLE_IDS.privilegedRoleAdministrator,
    displayName: 'Privileged Role Administrator',
    description: 'Assigns and removes directory roles, manages role-assignable groups and runs Privileged Identity Management.',
    isPrivileged: true,
    actions: [
      'microsoft.directory/accessReviews/definitions.applications/allProperties/read',
      'microsoft.directory/accessReviews/definitions.directoryRoles/allProperties/allTasks',
      'microsoft.directory/accessReviews/definitions.groups/allProperties/read',
      'microsoft.directory/accessReviews/definitions.groupsAssignableToRoles/allProperties/update',
      'microsoft.directory/accessReviews/definitions.groupsAssignableToRoles/create',
      'microsoft.directory/accessReviews/definitions.groupsAssignableToRoles/delete',
      'microsoft.directory/administrativeUnits/allProperties/allTasks',
      'microsoft.directory/authorizationPolicy/allProperties/allTasks',
      'microsoft.directory/directoryRoles/allProperties/allTasks',
      'microsoft.directory/groupsAssignableToRoles/allProperties/update',
      'microsoft.directory/groupsAssignableToRoles/assignLicense',
      'microsoft.directory/groupsAssignableToRoles/create',
      'microsoft.directory/groupsAssignableToRoles/delete',
      'microsoft.directory/groupsAssignableToRoles/reprocessLicenseAssignment',
      'microsoft.directory/groupsAssignableToRoles/restore',
      'microsoft.directory/oAuth2PermissionGrants/allProperties/allTasks',
      'microsoft.directory/permissionGrantPolicies/allProperties/read',
      'microsoft.directory/permissionGrantPolicies/allProperties/update',
      'microsoft.directory/permissionGrantPolicies/create',
      'microsoft.directory/permissionGrantPolicies/delete',
      'microsoft.directory/privilegedIdentityManagement/allProperties/allTasks',
      'microsoft.directory/roleAssignments/allProperties/allTasks',
      'microsoft.directory/roleDefinitions/allProperties/allTasks',
      'microsoft.directory/scopedRoleMemberships/allProperties/allTasks',
      'microsoft.directory/servicePrincipals/appRoleAssignedTo/update',
      'microsoft.directory/servicePrincipals/managePermissionGrantsForAll.microsoft-company-admin',
      'microsoft.directory/servicePrincipals/permissions/update',
      O365_WEB_PORTAL_READ,
    ],
  }),
  directory({
    id: BUILTIN_ROLE_IDS.securityAdministrator,
    displayName: 'Security Administrator',
    description: 'Configures security features such as Conditional Access, identity protection and cross-tenant access, and reads security reports and logs.',
    isPrivileged: true,
    actions: [
      AZURE_SERVICE_HEALTH,
      AZURE_SUPPORT_TICKETS,
      'microsoft.directory/applications/policies/update',
      'microsoft.directory/auditLogs/allProperties/read',
      'microsoft.directory/authorizationPolicy/standard/read',
      'microsoft.directory/bitlockerKeys/key/read',
      'microsoft.directory/conditionalAccessPolicies/basic/update',
      'microsoft.directory/conditionalAccessPolicies/create',
      'microsoft.directory/conditionalAccessPolicies/delete',
      'microsoft.directory/conditionalAccessPolicies/standard/read',
      'microsoft.directory/conditionalAccessPolicies/tenantDefault/update',
      'microsoft.directory/crossTenantAccessPolicy/basic/update',
      'microsoft.directory/crossTenantAccessPolicy/partners/create',
      'microsoft.directory/crossTenantAccessPolicy/partners/delete',
      'microsoft.directory/crossTenantAccessPolicy/standard/read',
      'microsoft.directory/domains/federation/update',
      'microsoft.directory/domains/federationConfiguration/basic/update',
      'microsoft.directory/domains/federationConfiguration/create',
      'microsoft.directory/domains/federationConfiguration/delete',
      'microsoft.directory/domains/federationConfiguration/standard/read',
      'microsoft.directory/entitlementManagement/allProperties/read',
      'microsoft.directory/identityProtection/allProperties/read',
      'microsoft.directory/identityProtection/allProperties/update',
      'microsoft.directory/namedLocations/basic/update',
      'microsoft.directory/namedLocations/create',
      'microsoft.directory/namedLocations/delete',
      'microsoft.directory/namedLocations/standard/read',
      'microsoft.directory/policies/basic/update',
      'microsoft.directory/policies/create',
      'microsoft.directory/policies/delete',
      'microsoft.directory/policies/tenantDefault/update',
      'microsoft.directory/privilegedIdentityManagement/allProperties/read',
      'microsoft.directory/provisioningLogs/allProperties/read',
      'microsoft.directory/servicePrincipals/policies/update',
      'microsoft.directory/signInReports/allProperties/read',
      'microsoft.office365.protectionCenter/allEntities/basic/update',
      'microsoft.office365.protectionCenter/allEntities/standard/read',
      O365_SERVICE_HEALTH,
      O365_SUPPORT_TICKETS,
      O365_WEB_PORTAL_READ,
    ],
  }),
  directory({
    id: BUILTIN_ROLE_IDS.globalReader,
    displayName: 'Global Reader',
    description: 'Sees everything a Global Administrator can see across the directory and services, and can change nothing.',
    isPrivileged: true,
    actions: [
      AZURE_SERVICE_HEALTH,
      'microsoft.commerce.billing/allEntities/allProperties/read',
      'microsoft.directory/accessReviews/allProperties/read',
      'microsoft.directory/administrativeUnits/allProperties/read',
      'microsoft.directory/applications/allProperties/read',
      'microsoft.directory/auditLogs/allProperties/read',
      'microsoft.directory/authorizationPolicy/standard/read',
      'microsoft.directory/bitlockerKeys/key/read',
      'microsoft.directory/conditionalAccessPolicies/allProperties/read',
      'microsoft.directory/contacts/allProperties/read',
      'microsoft.directory/crossTenantAccessPolicy/standard/read',
      'microsoft.directory/devices/allProperties/read',
      'microsoft.directory/directoryRoles/allProperties/read',
      'microsoft.directory/domains/allProperties/read',
      'microsoft.directory/entitlementManagement/allProperties/read',
      'microsoft.directory/groups/allProperties/read',
      'microsoft.directory/groupSettings/allProperties/read',
      'microsoft.directory/identityProtection/allProperties/read',
      'microsoft.directory/namedLocations/standard/read',
      'microsoft.directory/oAuth2PermissionGrants/allProperties/read',
      'microsoft.directory/organization/allProperties/read',
      'microsoft.directory/policies/allProperties/read',
      'microsoft.directory/privilegedIdentityManagement/allProperties/read',
      'microsoft.directory/provisioningLogs/allProperties/read',
      'microsoft.directory/roleAssignments/allProperties/read',
      'microsoft.directory/roleDefinitions/allProperties/read',
      'microsoft.directory/scopedRoleMemberships/allProperties/read',
      'microsoft.directory/servicePrincipals/allProperties/read',
      'microsoft.directory/signInReports/allProperties/read',
      'microsoft.directory/subscribedSkus/allProperties/read',
      'microsoft.directory/users/allProperties/read',
      'microsoft.directory/users/authenticationMethods/standard/restrictedRead',
      'microsoft.office365.protectionCenter/allEntities/allProperties/read',
      'microsoft.office365.securityComplianceCenter/allEntities/read',
      O365_SERVICE_HEALTH,
      'microsoft.office365.usageReports/allEntities/allProperties/read',
      O365_WEB_PORTAL_READ,
      'microsoft.teams/allEntities/allProperties/read',
    ],
  }),
  directory({
    id: BUILTIN_ROLE_IDS.securityReader,
    displayName: 'Security Reader',
    description: 'Reads security configuration, identity protection data, Privileged Identity Management state, sign-in logs and audit logs.',
    isPrivileged: true,
    actions: [
      AZURE_SERVICE_HEALTH,
      'microsoft.directory/accessReviews/definitions/allProperties/read',
      'microsoft.directory/auditLogs/allProperties/read',
      'microsoft.directory/authorizationPolicy/standard/read',
      'microsoft.directory/bitlockerKeys/key/read',
      'microsoft.directory/conditionalAccessPolicies/owners/read',
      'microsoft.directory/conditionalAccessPolicies/policyAppliedTo/read',
      'microsoft.directory/conditionalAccessPolicies/standard/read',
      'microsoft.directory/crossTenantAccessPolicy/partners/templates/multiTenantOrganizationIdentitySynchronization/standard/read',
      'microsoft.directory/crossTenantAccessPolicy/partners/templates/multiTenantOrganizationPartnerConfiguration/standard/read',
      'microsoft.directory/deviceLocalCredentials/standard/read',
      'microsoft.directory/domains/federationConfiguration/standard/read',
      'microsoft.directory/entitlementManagement/allProperties/read',
      'microsoft.directory/identityProtection/allProperties/read',
      'microsoft.directory/multiTenantOrganization/joinRequest/standard/read',
      'microsoft.directory/multiTenantOrganization/standard/read',
      'microsoft.directory/multiTenantOrganization/tenants/organizationDetails/read',
      'microsoft.directory/multiTenantOrganization/tenants/standard/read',
      'microsoft.directory/namedLocations/standard/read',
      'microsoft.directory/policies/owners/read',
      'microsoft.directory/policies/policyAppliedTo/read',
      'microsoft.directory/policies/standard/read',
      'microsoft.directory/privilegedIdentityManagement/allProperties/read',
      'microsoft.directory/provisioningLogs/allProperties/read',
      'microsoft.directory/signInReports/allProperties/read',
      'microsoft.networkAccess/allEntities/allProperties/read',
      'microsoft.office365.protectionCenter/allEntities/standard/read',
      'microsoft.office365.protectionCenter/attackSimulator/payload/allProperties/read',
      'microsoft.office365.protectionCenter/attackSimulator/reports/allProperties/read',
      'microsoft.office365.protectionCenter/attackSimulator/simulation/allProperties/read',
      O365_SERVICE_HEALTH,
      O365_WEB_PORTAL_READ,
    ],
  }),
  directory({
    id: BUILTIN_ROLE_IDS.userAdministrator,
    displayName: 'User Administrator',
    description: 'Creates and manages users and groups, assigns licences, and resets passwords for users who hold no more than limited admin roles.',
    isPrivileged: true,
    actions: [
      AZURE_SERVICE_HEALTH,
      AZURE_SUPPORT_TICKETS,
      'microsoft.directory/accessReviews/definitions.applications/allProperties/allTasks',
      'microsoft.directory/accessReviews/definitions.groups/allProperties/update',
      'microsoft.directory/accessReviews/definitions.groups/create',
      'microsoft.directory/contacts/basic/update',
      'microsoft.directory/contacts/create',
      'microsoft.directory/contacts/delete',
      'microsoft.directory/deletedItems.groups/restore',
      'microsoft.directory/deletedItems.users/restore',
      'microsoft.directory/entitlementManagement/allProperties/allTasks',
      'microsoft.directory/groups/assignLicense',
      'microsoft.directory/groups/basic/update',
      'microsoft.directory/groups/create',
      'microsoft.directory/groups/delete',
      'microsoft.directory/groups/members/update',
      'microsoft.directory/groups/owners/update',
      'microsoft.directory/groups/restore',
      'microsoft.directory/oAuth2PermissionGrants/allProperties/allTasks',
      'microsoft.directory/policies/standard/read',
      'microsoft.directory/servicePrincipals/appRoleAssignedTo/update',
      'microsoft.directory/users/assignLicense',
      'microsoft.directory/users/basic/update',
      'microsoft.directory/users/create',
      'microsoft.directory/users/delete',
      'microsoft.directory/users/disable',
      'microsoft.directory/users/enable',
      'microsoft.directory/users/invalidateAllRefreshTokens',
      'microsoft.directory/users/inviteGuest',
      'microsoft.directory/users/manager/update',
      'microsoft.directory/users/password/update',
      'microsoft.directory/users/photo/update',
      'microsoft.directory/users/restore',
      'microsoft.directory/users/sponsors/update',
      'microsoft.directory/users/usageLocation/update',
      'microsoft.directory/users/userPrincipalName/update',
      O365_SERVICE_HEALTH,
      O365_SUPPORT_TICKETS,
      O365_WEB_PORTAL_READ,
    ],
  }),
  directory({
    id: BUILTIN_ROLE_IDS.groupsAdministrator,
    displayName: 'Groups Administrator',
    description: 'Creates and manages groups that are not role-assignable, along with group settings such as naming and expiry.',
    isPrivileged: false,
    actions: [
      AZURE_SERVICE_HEALTH,
      AZURE_SUPPORT_TICKETS,
      'microsoft.directory/bulkJobs.groups/basic/update',
      'microsoft.directory/bulkJobs.groups/create',
      'microsoft.directory/bulkJobs.groups/standard/read',
      'microsoft.directory/deletedItems.groups/delete',
      'microsoft.directory/deletedItems.groups/restore',
      'microsoft.directory/groups/assignedLabels/update',
      'microsoft.directory/groups/assignLicense',
      'microsoft.directory/groups/basic/update',
      'microsoft.directory/groups/classification/update',
      'microsoft.directory/groups/create',
      'microsoft.directory/groups/delete',
      'microsoft.directory/groups/dynamicMembershipRule/update',
      'microsoft.directory/groups/groupType/update',
      'microsoft.directory/groups/hiddenMembers/read',
      'microsoft.directory/groups/members/update',
      'microsoft.directory/groups/onPremWriteBack/update',
      'microsoft.directory/groups/owners/update',
      'microsoft.directory/groups/reprocessLicenseAssignment',
      'microsoft.directory/groups/restore',
      'microsoft.directory/groups/settings/update',
      'microsoft.directory/groups/visibility/update',
      O365_SERVICE_HEALTH,
      O365_SUPPORT_TICKETS,
      O365_WEB_PORTAL_READ,
    ],
  }),
  directory({
    id: BUILTIN_ROLE_IDS.helpdeskAdministrator,
    displayName: 'Helpdesk Administrator',
    description: 'Resets passwords and forces sign-out for non-administrators and some limited admins, and handles support requests.',
    isPrivileged: true,
    // Entra's complete list for this role.
    actions: [
      AZURE_SERVICE_HEALTH,
      AZURE_SUPPORT_TICKETS,
      'microsoft.directory/bitlockerKeys/key/read',
      'microsoft.directory/deviceLocalCredentials/standard/read',
      'microsoft.directory/users/invalidateAllRefreshTokens',
      'microsoft.directory/users/password/update',
      O365_SERVICE_HEALTH,
      O365_SUPPORT_TICKETS,
      O365_WEB_PORTAL_READ,
    ],
  }),
  directory({
    id: BUILTIN_ROLE_IDS.applicationAdministrator,
    displayName: 'Application Administrator',
    description: 'Manages every app registration and enterprise application, including credentials, consent and application proxy.',
    isPrivileged: true,
    actions: [
      AZURE_SERVICE_HEALTH,
      AZURE_SUPPORT_TICKETS,
      'microsoft.directory/adminConsentRequestPolicy/allProperties/allTasks',
      'microsoft.directory/appConsent/appConsentRequests/allProperties/read',
      'microsoft.directory/applicationPolicies/create',
      'microsoft.directory/applicationPolicies/standard/read',
      'microsoft.directory/applications/applicationProxy/read',
      'microsoft.directory/applications/applicationProxy/update',
      'microsoft.directory/applications/appRoles/update',
      'microsoft.directory/applications/authentication/update',
      'microsoft.directory/applications/basic/update',
      'microsoft.directory/applications/create',
      'microsoft.directory/applications/credentials/update',
      'microsoft.directory/applications/delete',
      'microsoft.directory/applications/owners/update',
      'microsoft.directory/applications/permissions/update',
      'microsoft.directory/applicationTemplates/instantiate',
      'microsoft.directory/auditLogs/allProperties/read',
      'microsoft.directory/connectorGroups/allProperties/read',
      'microsoft.directory/connectorGroups/create',
      'microsoft.directory/connectors/create',
      'microsoft.directory/customAuthenticationExtensions/allProperties/allTasks',
      'microsoft.directory/deletedItems.applications/restore',
      'microsoft.directory/oAuth2PermissionGrants/allProperties/allTasks',
      'microsoft.directory/provisioningLogs/allProperties/read',
      'microsoft.directory/servicePrincipals/appRoleAssignedTo/update',
      'microsoft.directory/servicePrincipals/basic/update',
      'microsoft.directory/servicePrincipals/create',
      'microsoft.directory/servicePrincipals/credentials/update',
      'microsoft.directory/servicePrincipals/delete',
      'microsoft.directory/servicePrincipals/managePermissionGrantsForAll.microsoft-application-admin',
      'microsoft.directory/servicePrincipals/owners/update',
      'microsoft.directory/servicePrincipals/permissions/update',
      'microsoft.directory/signInReports/allProperties/read',
      O365_SERVICE_HEALTH,
      O365_SUPPORT_TICKETS,
      O365_WEB_PORTAL_READ,
    ],
  }),
  directory({
    id: BUILTIN_ROLE_IDS.authenticationAdministrator,
    displayName: 'Authentication Administrator',
    description: 'Sets and resets passwords and other sign-in methods for non-administrators and some limited admins.',
    isPrivileged: true,
    // Entra's complete list for this role.
    actions: [
      AZURE_SERVICE_HEALTH,
      AZURE_SUPPORT_TICKETS,
      'microsoft.directory/deletedItems.users/restore',
      'microsoft.directory/users/authenticationMethods/basic/update',
      'microsoft.directory/users/authenticationMethods/create',
      'microsoft.directory/users/authenticationMethods/delete',
      'microsoft.directory/users/authenticationMethods/standard/restrictedRead',
      'microsoft.directory/users/basic/update',
      'microsoft.directory/users/delete',
      'microsoft.directory/users/disable',
      'microsoft.directory/users/enable',
      'microsoft.directory/users/invalidateAllRefreshTokens',
      'microsoft.directory/users/manager/update',
      'microsoft.directory/users/password/update',
      'microsoft.directory/users/restore',
      'microsoft.directory/users/userPrincipalName/update',
      O365_SERVICE_HEALTH,
      O365_SUPPORT_TICKETS,
      O365_WEB_PORTAL_READ,
    ],
  }),
  directory({
    id: BUILTIN_ROLE_IDS.privilegedAuthenticationAdministrator,
    displayName: 'Privileged Authentication Administrator',
    description: 'Sets and resets passwords and other sign-in methods for any user, Global Administrators included.',
    isPrivileged: true,
    // Entra's complete list for this role.
    actions: [
      AZURE_SERVICE_HEALTH,
      AZURE_SUPPORT_TICKETS,
      'microsoft.directory/deletedItems.users/restore',
      'microsoft.directory/users/authenticationMethods/basic/update',
      'microsoft.directory/users/authenticationMethods/create',
      'microsoft.directory/users/authenticationMethods/delete',
      'microsoft.directory/users/authenticationMethods/standard/read',
      'microsoft.directory/users/authorizationInfo/update',
      'microsoft.directory/users/basic/update',
      'microsoft.directory/users/delete',
      'microsoft.directory/users/disable',
      'microsoft.directory/users/enable',
      'microsoft.directory/users/invalidateAllRefreshTokens',
      'microsoft.directory/users/manager/update',
      'microsoft.directory/users/password/update',
      'microsoft.directory/users/restore',
      'microsoft.directory/users/userPrincipalName/update',
      O365_SERVICE_HEALTH,
      O365_SUPPORT_TICKETS,
      O365_WEB_PORTAL_READ,
    ],
  }),
  directory({
    id: BUILTIN_ROLE_IDS.cloudApplicationAdministrator,
    displayName: 'Cloud Application Administrator',
    description: 'Manages app registrations and enterprise applications like an Application Administrator, minus application proxy.',
    isPrivileged: true,
    actions: [
      AZURE_SERVICE_HEALTH,
      AZURE_SUPPORT_TICKETS,
      'microsoft.directory/adminConsentRequestPolicy/allProperties/allTasks',
      'microsoft.directory/appConsent/appConsentRequests/allProperties/read',
      'microsoft.directory/applicationPolicies/create',
      'microsoft.directory/applicationPolicies/standard/read',
      'microsoft.directory/applications/appRoles/update',
      'microsoft.directory/applications/authentication/update',
      'microsoft.directory/applications/basic/update',
      'microsoft.directory/applications/create',
      'microsoft.directory/applications/credentials/update',
      'microsoft.directory/applications/delete',
      'microsoft.directory/applications/owners/update',
      'microsoft.directory/applications/permissions/update',
      'microsoft.directory/applicationTemplates/instantiate',
      'microsoft.directory/auditLogs/allProperties/read',
      'microsoft.directory/deletedItems.applications/restore',
      'microsoft.directory/oAuth2PermissionGrants/allProperties/allTasks',
      'microsoft.directory/provisioningLogs/allProperties/read',
      'microsoft.directory/servicePrincipals/appRoleAssignedTo/update',
      'microsoft.directory/servicePrincipals/basic/update',
      'microsoft.directory/servicePrincipals/create',
      'microsoft.directory/servicePrincipals/credentials/update',
      'microsoft.directory/servicePrincipals/delete',
      'microsoft.directory/servicePrincipals/managePermissionGrantsForAll.microsoft-application-admin',
      'microsoft.directory/servicePrincipals/owners/update',
      'microsoft.directory/servicePrincipals/permissions/update',
      'microsoft.directory/signInReports/allProperties/read',
      O365_SERVICE_HEALTH,
      O365_SUPPORT_TICKETS,
      O365_WEB_PORTAL_READ,
    ],
  }),
  directory({
    id: BUILTIN_ROLE_IDS.conditionalAccessAdministrator,
    displayName: 'Conditional Access Administrator',
    description: 'Creates and edits Conditional Access policies, named locations and authentication contexts.',
    isPrivileged: true,
    // Entra's complete list for this role.
    actions: [
      'microsoft.directory/conditionalAccessPolicies/basic/update',
      'microsoft.directory/conditionalAccessPolicies/create',
      'microsoft.directory/conditionalAccessPolicies/delete',
      'microsoft.directory/conditionalAccessPolicies/owners/read',
      'microsoft.directory/conditionalAccessPolicies/owners/update',
      'microsoft.directory/conditionalAccessPolicies/policyAppliedTo/read',
      'microsoft.directory/conditionalAccessPolicies/standard/read',
      'microsoft.directory/conditionalAccessPolicies/tenantDefault/update',
      'microsoft.directory/namedLocations/basic/update',
      'microsoft.directory/namedLocations/create',
      'microsoft.directory/namedLocations/delete',
      'microsoft.directory/namedLocations/standard/read',
      'microsoft.directory/resourceNamespaces/resourceActions/authenticationContext/update',
    ],
  }),
  directory({
    id: BUILTIN_ROLE_IDS.exchangeAdministrator,
    displayName: 'Exchange Administrator',
    description: 'Administers Exchange Online and Microsoft 365 groups, and handles related support requests.',
    isPrivileged: false,
    // Entra's complete list for this role.
    actions: [
      AZURE_SERVICE_HEALTH,
      AZURE_SUPPORT_TICKETS,
      'microsoft.backup/exchangeProtectionPolicies/allProperties/allTasks',
      'microsoft.backup/exchangeRestoreSessions/allProperties/allTasks',
      'microsoft.backup/restorePoints/userMailboxes/allProperties/allTasks',
      'microsoft.backup/userMailboxProtectionUnits/allProperties/allTasks',
      'microsoft.backup/userMailboxRestoreArtifacts/allProperties/allTasks',
      'microsoft.directory/contacts/allProperties/read',
      'microsoft.directory/contacts/memberOf/read',
      'microsoft.directory/contacts/standard/read',
      'microsoft.directory/groups.unified/assignedLabels/update',
      'microsoft.directory/groups.unified/basic/update',
      'microsoft.directory/groups.unified/create',
      'microsoft.directory/groups.unified/delete',
      'microsoft.directory/groups.unified/members/update',
      'microsoft.directory/groups.unified/owners/update',
      'microsoft.directory/groups.unified/restore',
      'microsoft.directory/groups/hiddenMembers/read',
      'microsoft.directory/onPremisesSynchronization/standard/read',
      'microsoft.office365.exchange/allEntities/basic/allTasks',
      'microsoft.office365.network/performance/allProperties/read',
      O365_SERVICE_HEALTH,
      O365_SUPPORT_TICKETS,
      'microsoft.office365.usageReports/allEntities/allProperties/read',
      O365_WEB_PORTAL_READ,
    ],
  }),
  directory({
    id: BUILTIN_ROLE_IDS.billingAdministrator,
    displayName: 'Billing Administrator',
    description: 'Buys services, manages subscriptions and payment details, and handles billing support requests.',
    isPrivileged: false,
    // Entra's complete list for this role.
    actions: [
      AZURE_SERVICE_HEALTH,
      AZURE_SUPPORT_TICKETS,
      'microsoft.commerce.billing/allEntities/allProperties/allTasks',
      'microsoft.directory/organization/basic/update',
      O365_SERVICE_HEALTH,
      O365_SUPPORT_TICKETS,
      O365_WEB_PORTAL_READ,
    ],
  }),
  directory({
    id: BUILTIN_ROLE_IDS.complianceAdministrator,
    displayName: 'Compliance Administrator',
    description: 'Manages compliance configuration, policies and reports in Microsoft Purview and related admin centres.',
    isPrivileged: false,
    // Entra's complete list for this role.
    actions: [
      AZURE_SERVICE_HEALTH,
      AZURE_SUPPORT_TICKETS,
      'microsoft.directory/entitlementManagement/allProperties/read',
      'microsoft.office365.complianceManager/allEntities/allTasks',
      O365_SERVICE_HEALTH,
      O365_SUPPORT_TICKETS,
      O365_WEB_PORTAL_READ,
    ],
  }),
  directory({
    id: BUILTIN_ROLE_IDS.directoryReaders,
    displayName: 'Directory Readers',
    description: 'Reads basic directory data such as users, groups, devices, applications and role memberships.',
    isPrivileged: false,
    actions: [
      'microsoft.directory/administrativeUnits/members/read',
      'microsoft.directory/administrativeUnits/standard/read',
      'microsoft.directory/applicationPolicies/standard/read',
      'microsoft.directory/applications/owners/read',
      'microsoft.directory/applications/standard/read',
      'microsoft.directory/contacts/standard/read',
      'microsoft.directory/devices/registeredOwners/read',
      'microsoft.directory/devices/standard/read',
      'microsoft.directory/directoryRoles/eligibleMembers/read',
      'microsoft.directory/directoryRoles/members/read',
      'microsoft.directory/directoryRoles/standard/read',
      'microsoft.directory/domains/standard/read',
      'microsoft.directory/groups/memberOf/read',
      'microsoft.directory/groups/members/read',
      'microsoft.directory/groups/owners/read',
      'microsoft.directory/groups/settings/read',
      'microsoft.directory/groups/standard/read',
      'microsoft.directory/oAuth2PermissionGrants/standard/read',
      'microsoft.directory/organization/standard/read',
      'microsoft.directory/roleAssignments/standard/read',
      'microsoft.directory/roleDefinitions/standard/read',
      'microsoft.directory/servicePrincipals/appRoleAssignedTo/read',
      'microsoft.directory/servicePrincipals/memberOf/read',
      'microsoft.directory/servicePrincipals/owners/read',
      'microsoft.directory/servicePrincipals/standard/read',
      'microsoft.directory/subscribedSkus/standard/read',
      'microsoft.directory/users/appRoleAssignments/read',
      'microsoft.directory/users/directReports/read',
      'microsoft.directory/users/manager/read',
      'microsoft.directory/users/memberOf/read',
      'microsoft.directory/users/photo/read',
      'microsoft.directory/users/scopedRoleMemberOf/read',
      'microsoft.directory/users/standard/read',
    ],
  }),
  directory({
    id: BUILTIN_ROLE_IDS.reportsReader,
    displayName: 'Reports Reader',
    description: 'Reads sign-in logs, audit logs, provisioning logs and Microsoft 365 usage reports.',
    isPrivileged: false,
    // Entra's complete list for this role.
    actions: [
      AZURE_SERVICE_HEALTH,
      'microsoft.directory/auditLogs/allProperties/read',
      'microsoft.directory/provisioningLogs/allProperties/read',
      'microsoft.directory/signInReports/allProperties/read',
      'microsoft.office365.network/performance/allProperties/read',
      'microsoft.office365.usageReports/allEntities/allProperties/read',
      O365_WEB_PORTAL_READ,
    ],
  }),

  // Azure RBAC built-in roles, with Azure's Actions (and Contributor's NotActions) verbatim.
  resource({
    id: BUILTIN_ROLE_IDS.owner,
    displayName: 'Owner',
    description: 'Full control of resources in scope, including granting access to others.',
    isPrivileged: true,
    actions: ['*'],
  }),
  resource({
    id: BUILTIN_ROLE_IDS.contributor,
    displayName: 'Contributor',
    description: 'Creates and manages resources of every type but cannot grant access to others.',
    isPrivileged: true,
    // Azure defines Contributor as '*' minus these NotActions. They are kept as exclusions rather than
    // rewritten into a list of allowed actions, which could not express "everything else".
    actions: ['*'],
    excluded: [
      'Microsoft.Authorization/*/Delete',
      'Microsoft.Authorization/*/Write',
      'Microsoft.Authorization/elevateAccess/Action',
      'Microsoft.Blueprint/blueprintAssignments/write',
      'Microsoft.Blueprint/blueprintAssignments/delete',
      'Microsoft.Compute/galleries/share/action',
      'Microsoft.Purview/consents/write',
      'Microsoft.Purview/consents/delete',
      'Microsoft.Resources/deploymentStacks/manageDenySetting/action',
      'Microsoft.Subscription/cancel/action',
      'Microsoft.Subscription/enable/action',
    ],
  }),
  resource({
    id: BUILTIN_ROLE_IDS.reader,
    displayName: 'Reader',
    description: 'Views resources in scope without changing anything.',
    isPrivileged: false,
    actions: ['*/read'],
  }),
  resource({
    id: BUILTIN_ROLE_IDS.userAccessAdministrator,
    displayName: 'User Access Administrator',
    description: 'Manages who has access to resources in scope, and reads everything else.',
    isPrivileged: true,
    actions: ['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*'],
  }),
];

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Every built-in role. Deeply frozen: copy a role before changing it. */
export const BUILTIN_ROLES: readonly RoleDefinition[] = deepFreeze(ROLES);

const BY_ID = new Map<string, RoleDefinition>();
for (const r of BUILTIN_ROLES) {
  BY_ID.set(r.id.toLowerCase(), r);
  BY_ID.set(r.templateId.toLowerCase(), r);
}

/** The built-in role whose id or templateId is `id`, compared without regard to case. */
export function findBuiltinRole(id: string): RoleDefinition | undefined {
  return BY_ID.get(id.trim().toLowerCase());
}

// Action matching.
//
// A granted action is a pattern, compared with the requested action without regard to case (Entra and
// Azure treat actions case-insensitively):
//
// - `*` matches any run of characters, slashes included, as in Azure RBAC: `*` matches everything,
//   `*/read` every action ending in `/read`, `microsoft.directory/*` every directory action,
//   `Microsoft.Authorization/*/Delete` every delete under that provider.
// - Entra's reserved names, when they are a whole path segment after the namespace, stand for what
//   Graph's unifiedRolePermission documents them to mean ({Namespace}/{Entity}/{PropertySet}/{Action}):
//   - `allEntities` matches one or more segments (any entity, nested ones included);
//   - `allProperties` matches one property-set segment, or none, so that
//     `users/allProperties/allTasks` covers `users/password/update` and `users/create` but not
//     `users/authenticationMethods/standard/read`;
//   - `allTasks` matches any one segment (any action).
//   Microsoft publishes no exact algorithm for these. This reading makes Entra's published lists agree
//   with the abilities its docs describe (Global Administrator resets passwords through
//   `microsoft.directory/users/allProperties/allTasks`). It errs only where the grammar is ambiguous:
//   a sub-entity verb such as `users/authenticationMethods/create` also fits
//   `users/allProperties/allTasks`.
// - Anything else matches literally. The requested action is always taken literally.
//
// An action is allowed when some permission without a condition allows it and none of that
// permission's excludedResourceActions matches it. Conditional permissions (such as "owner of the
// target") cannot be judged without a target, so they are not counted.
//
// No namespace check is made: Owner's `*` matches `microsoft.directory/...` strings too, so callers
// should check `role.kind` when the kind matters.
//
// Matching is a memoised walk over the pattern's tokens rather than a RegExp, so a pattern with many
// `*` (say, in a custom role) cannot make it backtrack exponentially.

type Token =
  | { kind: 'literal'; text: string }
  | { kind: 'any' } // `*`
  | { kind: 'segment' } // allTasks: one segment
  | { kind: 'segments' } // allEntities: one or more segments
  | { kind: 'optionalSegment' }; // allProperties: `/` and one segment, or nothing

const MAX_CACHED_PATTERNS = 2048;
const tokenCache = new Map<string, Token[]>();

function tokenize(pattern: string): Token[] {
  const cached = tokenCache.get(pattern);
  if (cached) return cached;
  const tokens: Token[] = [];
  const push = (token: Token) => {
    const last = tokens.at(-1);
    if (token.kind === 'literal' && last?.kind === 'literal') last.text += token.text;
    else if (!(token.kind === 'any' && last?.kind === 'any')) tokens.push(token);
  };
  pattern
    .toLowerCase()
    .split('/')
    .forEach((segment, index) => {
      if (index > 0 && segment === 'allproperties') return push({ kind: 'optionalSegment' });
      if (index > 0) push({ kind: 'literal', text: '/' });
      if (index > 0 && segment === 'allentities') return push({ kind: 'segments' });
      if (index > 0 && segment === 'alltasks') return push({ kind: 'segment' });
      segment.split('*').forEach((part, i) => {
        if (i > 0) push({ kind: 'any' });
        if (part) push({ kind: 'literal', text: part });
      });
    });
  if (tokenCache.size >= MAX_CACHED_PATTERNS) tokenCache.clear();
  tokenCache.set(pattern, tokens);
  return tokens;
}

/** Whether the granted action pattern `pattern` covers `action` (see the rules above). */
export function actionMatches(pattern: string, action: string): boolean {
  const tokens = tokenize(pattern);
  const text = action.toLowerCase();
  const width = text.length + 1;
  // 0 = not yet known, 1 = matches, 2 = does not.
  const memo = new Uint8Array((tokens.length + 1) * width);

  const from = (t: number, at: number): boolean => {
    const slot = t * width + at;
    if (memo[slot] !== 0) return memo[slot] === 1;
    const result = step(t, at);
    memo[slot] = result ? 1 : 2;
    return result;
  };

  // Try the rest of the pattern after each end position of one or more non-slash characters from `at`.
  const afterSegment = (t: number, at: number): boolean => {
    for (let end = at + 1; end <= text.length && text[end - 1] !== '/'; end++) {
      if (from(t + 1, end)) return true;
    }
    return false;
  };

  const step = (t: number, at: number): boolean => {
    const token = tokens[t];
    if (token === undefined) return at === text.length;
    switch (token.kind) {
      case 'literal':
        return text.startsWith(token.text, at) && from(t + 1, at + token.text.length);
      case 'any':
        for (let end = at; end <= text.length; end++) if (from(t + 1, end)) return true;
        return false;
      case 'segment':
        return afterSegment(t, at);
      case 'segments':
        for (let end = at + 1; end <= text.length; end++) {
          const c = text[end - 1];
          if (c === '/') {
            if (end - 1 === at || text[end - 2] === '/') return false; // empty segment
            continue; // a run of segments cannot end on a slash
          }
          if (from(t + 1, end)) return true;
        }
        return false;
      case 'optionalSegment':
        return from(t + 1, at) || (text[at] === '/' && afterSegment(t, at + 1));
    }
  };

  return from(0, 0);
}

/** Whether `role` unconditionally allows `action` (see the rules above). */
export function roleAllowsAction(role: RoleDefinition, action: string): boolean {
  return role.rolePermissions.some(
    (permission) =>
      !permission.condition &&
      permission.allowedResourceActions.some((p) => actionMatches(p, action)) &&
      !(permission.excludedResourceActions ?? []).some((p) => actionMatches(p, action)),
  );
}
