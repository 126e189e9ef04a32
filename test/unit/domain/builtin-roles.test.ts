import { describe, it, expect } from 'vitest';
import {
  BUILTIN_ROLES,
  BUILTIN_ROLE_IDS,
  actionMatches,
  findBuiltinRole,
  roleAllowsAction,
  type RoleDefinition,
} from '../../../shared/domain/builtin-roles.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function mustFind(id: string): RoleDefinition {
  const role = findBuiltinRole(id);
  if (!role) throw new Error(`no built-in role ${id}`);
  return role;
}

// Template ids as published in "Microsoft Entra built-in roles" and role definition ids as published in
// "Azure built-in roles"; written out again here so a typo in the module is caught.
const REQUIRED: [name: string, id: string, kind: 'directory' | 'resource', isPrivileged: boolean][] = [
  ['Global Administrator', '62e90394-69f5-4237-9190-012177145e10', 'directory', true],
  ['Privileged Role Administrator', 'e8611ab8-c189-46e8-94e1-60213ab1f814', 'directory', true],
  ['Security Administrator', '194ae4cb-b126-40b2-bd5b-6091b380977d', 'directory', true],
  ['Global Reader', 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', 'directory', true],
  ['Security Reader', '5d6b6bb7-de71-4623-b4af-96380a352509', 'directory', true],
  ['User Administrator', 'fe930be7-5e62-47db-91af-98c3a49a38b1', 'directory', true],
  ['Groups Administrator', 'fdd7a751-b60b-444a-984c-02652fe8fa1c', 'directory', false],
  ['Helpdesk Administrator', '729827e3-9c14-49f7-bb1b-9608f156bbb8', 'directory', true],
  ['Application Administrator', '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', 'directory', true],
  ['Authentication Administrator', 'c4e39bd9-1100-46d3-8c65-fb160da0071f', 'directory', true],
  ['Privileged Authentication Administrator', '7be44c8a-adaf-4e2a-84d6-ab2649e08a13', 'directory', true],
  ['Cloud Application Administrator', '158c047a-c907-4556-b7ef-446551a6b5f7', 'directory', true],
  ['Conditional Access Administrator', 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9', 'directory', true],
  ['Exchange Administrator', '29232cdf-9323-42fd-ade2-1d097af3e4de', 'directory', false],
  ['Billing Administrator', 'b0f54661-2d74-4c50-afa3-1ec803f12efe', 'directory', false],
  ['Compliance Administrator', '17315797-102d-40b4-93e0-432062caca18', 'directory', false],
  ['Directory Readers', '88d8e3e3-8f55-4a1e-953a-9b9898b8876b', 'directory', false],
  ['Reports Reader', '4a5d8f65-41da-4de4-8968-e035b65339cf', 'directory', false],
  ['Owner', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', 'resource', true],
  ['Contributor', 'b24988ac-6180-42a0-ab88-20f7382dd24c', 'resource', true],
  ['Reader', 'acdd72a7-3385-48ef-bd42-f606fba81ae7', 'resource', false],
  ['User Access Administrator', '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', 'resource', true],
];

describe('BUILTIN_ROLES', () => {
  it.each(REQUIRED)('has %s with id %s', (name, id, kind, isPrivileged) => {
    const role = BUILTIN_ROLES.find((r) => r.displayName === name);
    expect(role).toBeDefined();
    expect(role?.id).toBe(id);
    expect(role?.templateId).toBe(id);
    expect(role?.kind).toBe(kind);
    expect(role?.isPrivileged).toBe(isPrivileged);
  });

  it('holds exactly the roles listed above', () => {
    expect(BUILTIN_ROLES.map((r) => r.id).sort()).toEqual(REQUIRED.map(([, id]) => id).sort());
  });

  it('has unique ids and display names', () => {
    expect(new Set(BUILTIN_ROLES.map((r) => r.id.toLowerCase())).size).toBe(BUILTIN_ROLES.length);
    expect(new Set(BUILTIN_ROLES.map((r) => r.displayName)).size).toBe(BUILTIN_ROLES.length);
  });

  it.each(BUILTIN_ROLES.map((r) => [r.displayName, r] as const))('%s is a well-formed built-in', (_, role) => {
    expect(role.id).toMatch(GUID);
    expect(role.templateId).toBe(role.id);
    expect(role.isBuiltIn).toBe(true);
    expect(role.isEnabled).toBe(true);
    expect(role.version === null || role.version === '1').toBe(true);
    expect(role.resourceScopes).toEqual(['/']);
    expect(role.description.length).toBeGreaterThan(10);
    expect(role.rolePermissions.length).toBeGreaterThanOrEqual(1);
    const actions = role.rolePermissions[0]?.allowedResourceActions ?? [];
    expect(actions.length).toBeGreaterThanOrEqual(1);
    expect(actions.length).toBeLessThanOrEqual(40);
    expect(new Set(actions).size).toBe(actions.length);
    for (const permission of role.rolePermissions) expect(permission.condition).toBeNull();
  });

  it('uses Entra-style actions for directory roles and Azure-style ones for resource roles', () => {
    for (const role of BUILTIN_ROLES) {
      for (const action of role.rolePermissions.flatMap((p) => p.allowedResourceActions)) {
        if (role.kind === 'directory') expect(action).toMatch(/^microsoft\.[a-zA-Z0-9.]+\/[^*\s]+$/);
        else expect(action === '*' || /^(\*|Microsoft\.[A-Za-z]+)\/[^\s]+$/.test(action)).toBe(true);
      }
    }
  });

  it('is frozen', () => {
    const ga = mustFind(BUILTIN_ROLE_IDS.globalAdministrator);
    expect(Object.isFrozen(BUILTIN_ROLES)).toBe(true);
    expect(Object.isFrozen(ga)).toBe(true);
    expect(Object.isFrozen(ga.rolePermissions[0]?.allowedResourceActions)).toBe(true);
    expect(() => ga.rolePermissions[0]?.allowedResourceActions.push('x')).toThrow(TypeError);
  });
});

describe('BUILTIN_ROLE_IDS', () => {
  it.each(Object.entries(BUILTIN_ROLE_IDS))('%s names a built-in role', (_, id) => {
    expect(findBuiltinRole(id)?.id).toBe(id);
  });

  it('has the keys other modules rely on', () => {
    expect(BUILTIN_ROLE_IDS).toMatchObject({
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
      owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
      contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
      reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
      userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
    });
  });
});

describe('findBuiltinRole', () => {
  it('finds by lower-case id', () => {
    expect(findBuiltinRole('62e90394-69f5-4237-9190-012177145e10')?.displayName).toBe('Global Administrator');
  });

  it('finds by upper-case id', () => {
    expect(findBuiltinRole('62E90394-69F5-4237-9190-012177145E10')?.displayName).toBe('Global Administrator');
    expect(findBuiltinRole('E8611AB8-C189-46E8-94E1-60213AB1F814')?.displayName).toBe('Privileged Role Administrator');
    expect(findBuiltinRole('ACDD72A7-3385-48EF-BD42-F606FBA81AE7')?.displayName).toBe('Reader');
  });

  it('finds every role by its templateId', () => {
    for (const role of BUILTIN_ROLES) expect(findBuiltinRole(role.templateId.toUpperCase())).toBe(role);
  });

  it.each([[''], ['not-a-guid'], ['00000000-0000-0000-0000-000000000000'], ['rol_01HZZZZZZZZZZZZZZZZZZZZZZZ'], ['62e90394-69f5-4237-9190-012177145e1']])(
    'returns undefined for %j',
    (id) => {
      expect(findBuiltinRole(id)).toBeUndefined();
    },
  );
});

describe('actionMatches', () => {
  it.each([
    // literal, case-insensitive
    ['microsoft.directory/users/password/update', 'microsoft.directory/users/password/update', true],
    ['microsoft.directory/users/password/update', 'Microsoft.Directory/Users/Password/Update', true],
    ['MICROSOFT.DIRECTORY/USERS/PASSWORD/UPDATE', 'microsoft.directory/users/password/update', true],
    ['microsoft.directory/users/password/update', 'microsoft.directory/users/password/read', false],
    ['microsoft.directory/users/password/update', 'microsoft.directory/users/password/update/x', false],
    ['microsoft.directory/users/password/update', 'microsoft.directory/users/password', false],
    ['microsoft.directory/users/password/update', 'xmicrosoft.directory/users/password/update', false],
    // `.` is literal, not a regular-expression wildcard
    ['microsoft.directory/users/password/update', 'microsoftXdirectory/users/password/update', false],
    // `*` alone
    ['*', 'microsoft.directory/users/password/update', true],
    ['*', 'Microsoft.Compute/virtualMachines/write', true],
    // trailing `*`
    ['microsoft.directory/*', 'microsoft.directory/users/password/update', true],
    ['microsoft.directory/*', 'microsoft.directory/roleAssignments/allProperties/allTasks', true],
    ['microsoft.directory/*', 'microsoft.office365.exchange/allEntities/basic/allTasks', false],
    ['microsoft.directory/*', 'microsoft.directoryx/users/create', false],
    ['Microsoft.Authorization/*', 'Microsoft.Authorization/roleAssignments/write', true],
    ['Microsoft.Authorization/*', 'microsoft.authorization/roleassignments/write', true],
    ['Microsoft.Authorization/*', 'Microsoft.Compute/virtualMachines/write', false],
    // leading `*`
    ['*/read', 'Microsoft.Compute/virtualMachines/read', true],
    ['*/read', 'Microsoft.Compute/virtualMachines/READ', true],
    ['*/read', 'microsoft.directory/users/standard/read', true],
    ['*/read', 'Microsoft.Compute/virtualMachines/write', false],
    ['*/read', 'Microsoft.Compute/virtualMachines/readiness', false],
    ['*/read', 'read', false],
    // `*` in the middle
    ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/roleAssignments/delete', true],
    ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/policyAssignments/x/delete', true],
    ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/roleAssignments/read', false],
    ['Microsoft.Authorization/*/Write', 'Microsoft.Compute/virtualMachines/write', false],
    ['microsoft.directory/users/*/update', 'microsoft.directory/users/password/update', true],
    ['microsoft.directory/users/*/update', 'microsoft.directory/groups/members/update', false],
    // several `*`
    ['*/users/*', 'microsoft.directory/users/password/update', true],
    ['*/users/*', 'microsoft.directory/groups/members/update', false],
    ['**', 'anything/at/all', true],
    // allTasks: any one action segment
    ['microsoft.office365.supportTickets/allEntities/allTasks', 'microsoft.office365.supportTickets/tickets/create', true],
    ['microsoft.directory/deletedItems/allTasks', 'microsoft.directory/deletedItems/restore', true],
    ['microsoft.directory/deletedItems/allTasks', 'microsoft.directory/deletedItems/x/restore', false],
    // allProperties + allTasks
    ['microsoft.directory/users/allProperties/allTasks', 'microsoft.directory/users/password/update', true],
    ['microsoft.directory/users/allProperties/allTasks', 'microsoft.directory/users/basic/update', true],
    ['microsoft.directory/users/allProperties/allTasks', 'microsoft.directory/users/create', true],
    ['microsoft.directory/users/allProperties/allTasks', 'microsoft.directory/users/delete', true],
    ['microsoft.directory/users/allProperties/allTasks', 'microsoft.directory/users/allProperties/read', true],
    ['microsoft.directory/users/allProperties/allTasks', 'microsoft.directory/users/allProperties/allTasks', true],
    ['microsoft.directory/users/allProperties/allTasks', 'microsoft.directory/users/authenticationMethods/standard/read', false],
    ['microsoft.directory/users/allProperties/allTasks', 'microsoft.directory/groups/basic/update', false],
    ['microsoft.directory/users/allProperties/allTasks', 'microsoft.directory/users', false],
    ['microsoft.directory/users/allProperties/allTasks', 'microsoft.directory/users/', false],
    ['microsoft.directory/roleAssignments/allProperties/allTasks', 'microsoft.directory/roleAssignments/create', true],
    ['microsoft.directory/roleAssignments/allProperties/allTasks', 'microsoft.directory/roleassignments/standard/read', true],
    // allProperties with a fixed action
    ['microsoft.directory/users/allProperties/read', 'microsoft.directory/users/standard/read', true],
    ['microsoft.directory/users/allProperties/read', 'microsoft.directory/users/allProperties/read', true],
    ['microsoft.directory/users/allProperties/read', 'microsoft.directory/users/password/update', false],
    ['microsoft.directory/users/allProperties/read', 'microsoft.directory/users/allProperties/allTasks', false],
    ['microsoft.directory/users/allProperties/read', 'microsoft.directory/users/authenticationMethods/standard/read', false],
    // allEntities: one or more entity segments
    ['microsoft.office365.webPortal/allEntities/standard/read', 'microsoft.office365.webPortal/users/standard/read', true],
    ['microsoft.office365.webPortal/allEntities/standard/read', 'microsoft.office365.webPortal/a/b/standard/read', true],
    ['microsoft.office365.webPortal/allEntities/standard/read', 'microsoft.office365.webPortal/standard/read', false],
    ['microsoft.office365.webPortal/allEntities/standard/read', 'microsoft.office365.webPortal/users/basic/update', false],
    ['microsoft.office365.webPortal/allEntities/standard/read', 'microsoft.office365.webPortal//standard/read', false],
    ['microsoft.teams/allEntities/allProperties/allTasks', 'microsoft.teams/policies/basic/update', true],
    ['microsoft.teams/allEntities/allProperties/allTasks', 'microsoft.teams/policies/create', true],
    ['microsoft.teams/allEntities/allProperties/allTasks', 'microsoft.directory/policies/create', false],
    // reserved names are only reserved after the namespace, and are otherwise literal
    ['allTasks', 'anything', false],
    ['allTasks', 'allTasks', true],
    ['microsoft.directory/users/allTasksX', 'microsoft.directory/users/create', false],
  ])('%s covers %s: %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });

  it('stays fast on a pattern full of stars', () => {
    const pattern = `${'*a'.repeat(30)}*b`;
    const action = 'a'.repeat(400);
    const started = performance.now();
    expect(actionMatches(pattern, action)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('roleAllowsAction', () => {
  const { globalAdministrator, privilegedRoleAdministrator, globalReader, helpdeskAdministrator } = BUILTIN_ROLE_IDS;
  const { userAdministrator, securityReader, directoryReaders, conditionalAccessAdministrator } = BUILTIN_ROLE_IDS;
  const { owner, contributor, reader, userAccessAdministrator, groupsAdministrator } = BUILTIN_ROLE_IDS;

  it.each([
    // Global Administrator
    [globalAdministrator, 'microsoft.directory/users/password/update', true],
    [globalAdministrator, 'microsoft.directory/users/create', true],
    [globalAdministrator, 'microsoft.directory/roleAssignments/allProperties/allTasks', true],
    [globalAdministrator, 'microsoft.directory/roleAssignments/create', true],
    [globalAdministrator, 'microsoft.directory/groups/members/update', true],
    [globalAdministrator, 'microsoft.office365.exchange/mailboxes/basic/update', true],
    [globalAdministrator, 'microsoft.directory/privilegedIdentityManagement/allProperties/read', true],
    [globalAdministrator, 'Microsoft.Compute/virtualMachines/write', false],
    // Privileged Role Administrator
    [privilegedRoleAdministrator, 'microsoft.directory/roleAssignments/allProperties/allTasks', true],
    [privilegedRoleAdministrator, 'MICROSOFT.DIRECTORY/ROLEASSIGNMENTS/CREATE', true],
    [privilegedRoleAdministrator, 'microsoft.directory/privilegedIdentityManagement/allProperties/allTasks', true],
    [privilegedRoleAdministrator, 'microsoft.directory/roleDefinitions/basic/update', true],
    [privilegedRoleAdministrator, 'microsoft.directory/users/password/update', false],
    [privilegedRoleAdministrator, 'microsoft.directory/users/create', false],
    // Global Reader
    [globalReader, 'microsoft.directory/users/allProperties/read', true],
    [globalReader, 'microsoft.directory/users/standard/read', true],
    [globalReader, 'microsoft.directory/roleAssignments/allProperties/read', true],
    [globalReader, 'microsoft.directory/users/password/update', false],
    [globalReader, 'microsoft.directory/roleAssignments/allProperties/allTasks', false],
    [globalReader, 'microsoft.directory/users/authenticationMethods/standard/read', false],
    // Helpdesk Administrator
    [helpdeskAdministrator, 'microsoft.directory/users/password/update', true],
    [helpdeskAdministrator, 'microsoft.directory/users/invalidateAllRefreshTokens', true],
    [helpdeskAdministrator, 'microsoft.directory/users/delete', false],
    [helpdeskAdministrator, 'microsoft.directory/roleAssignments/allProperties/allTasks', false],
    // others
    [userAdministrator, 'microsoft.directory/users/create', true],
    [userAdministrator, 'microsoft.directory/groupsAssignableToRoles/create', false],
    [groupsAdministrator, 'microsoft.directory/groups/create', true],
    [groupsAdministrator, 'microsoft.directory/users/password/update', false],
    [securityReader, 'microsoft.directory/signInReports/allProperties/read', true],
    [securityReader, 'microsoft.directory/conditionalAccessPolicies/create', false],
    [conditionalAccessAdministrator, 'microsoft.directory/conditionalAccessPolicies/create', true],
    [directoryReaders, 'microsoft.directory/users/standard/read', true],
    [directoryReaders, 'microsoft.directory/users/basic/update', false],
    // Owner
    [owner, 'Microsoft.Compute/virtualMachines/write', true],
    [owner, 'Microsoft.Authorization/roleAssignments/write', true],
    // Contributor: everything but the NotActions
    [contributor, 'Microsoft.Compute/virtualMachines/write', true],
    [contributor, 'Microsoft.Storage/storageAccounts/delete', true],
    [contributor, 'Microsoft.Authorization/roleAssignments/read', true],
    [contributor, 'Microsoft.Authorization/roleAssignments/write', false],
    [contributor, 'microsoft.authorization/roleassignments/WRITE', false],
    [contributor, 'Microsoft.Authorization/roleAssignments/delete', false],
    [contributor, 'Microsoft.Authorization/policyAssignments/write', false],
    [contributor, 'Microsoft.Authorization/elevateAccess/Action', false],
    [contributor, 'Microsoft.Blueprint/blueprintAssignments/write', false],
    [contributor, 'Microsoft.Subscription/cancel/action', false],
    // Reader
    [reader, 'Microsoft.Compute/virtualMachines/read', true],
    [reader, 'Microsoft.Authorization/roleAssignments/read', true],
    [reader, 'Microsoft.Compute/virtualMachines/write', false],
    [reader, 'Microsoft.Compute/virtualMachines/delete', false],
    // User Access Administrator
    [userAccessAdministrator, 'Microsoft.Authorization/roleAssignments/write', true],
    [userAccessAdministrator, 'Microsoft.Authorization/roleAssignments/delete', true],
    [userAccessAdministrator, 'Microsoft.Support/supportTickets/write', true],
    [userAccessAdministrator, 'Microsoft.Compute/virtualMachines/read', true],
    [userAccessAdministrator, 'Microsoft.Compute/virtualMachines/write', false],
  ])('%s allows %s: %s', (id, action, expected) => {
    expect(roleAllowsAction(mustFind(id), action)).toBe(expected);
  });

  it('allows every action a role lists', () => {
    for (const role of BUILTIN_ROLES) {
      for (const permission of role.rolePermissions) {
        for (const action of permission.allowedResourceActions) {
          const excluded = (permission.excludedResourceActions ?? []).some((p) => actionMatches(p, action));
          expect(roleAllowsAction(role, action)).toBe(!excluded);
        }
      }
    }
  });

  it('ignores permissions that carry a condition', () => {
    const role: RoleDefinition = {
      ...mustFind(helpdeskAdministrator),
      rolePermissions: [
        {
          allowedResourceActions: ['microsoft.directory/applications/credentials/update'],
          condition: '@Subject.objectId Any_of @Resource.owners',
        },
      ],
    };
    expect(roleAllowsAction(role, 'microsoft.directory/applications/credentials/update')).toBe(false);
  });

  it('combines several permissions, applying each one’s exclusions to itself only', () => {
    const role: RoleDefinition = {
      ...mustFind(reader),
      rolePermissions: [
        { allowedResourceActions: ['*'], excludedResourceActions: ['Microsoft.Authorization/*/Write'], condition: null },
        { allowedResourceActions: ['Microsoft.Authorization/locks/write'], condition: null },
      ],
    };
    expect(roleAllowsAction(role, 'Microsoft.Authorization/locks/write')).toBe(true);
    expect(roleAllowsAction(role, 'Microsoft.Authorization/roleAssignments/write')).toBe(false);
  });

  it('allows nothing for a role without permissions', () => {
    const role: RoleDefinition = { ...mustFind(owner), rolePermissions: [] };
    expect(roleAllowsAction(role, 'Microsoft.Compute/virtualMachines/read')).toBe(false);
  });
});
