import { describe, expect, it } from 'vitest';
import { isAllowed, PERMISSIONS, rolesGranting, type HeldRole, type Permission } from '../../../shared/domain/authorization.ts';
import { BUILTIN_ROLE_IDS as R } from '../../../shared/domain/builtin-roles.ts';

type RoleName = keyof typeof R;
const at = (role: RoleName, directoryScopeId = '/'): HeldRole => ({ roleDefinitionId: R[role], directoryScopeId });

const ROLE_NAMES: RoleName[] = [
  'globalAdministrator',
  'privilegedRoleAdministrator',
  'securityAdministrator',
  'globalReader',
  'securityReader',
  'userAdministrator',
  'groupsAdministrator',
  'helpdeskAdministrator',
  'applicationAdministrator',
  'owner',
  'userAccessAdministrator',
  'contributor',
  'reader',
];

/** The matrix of docs/architecture.md §4: who may, with a tenant-wide assignment. */
const MAY: Record<Permission, RoleName[]> = {
  'roleAssignments.manage': ['globalAdministrator', 'privilegedRoleAdministrator'],
  'roleAssignments.readAll': ['globalAdministrator', 'privilegedRoleAdministrator', 'securityAdministrator', 'globalReader', 'securityReader'],
  'resourceRoleAssignments.manage': ['globalAdministrator', 'privilegedRoleAdministrator', 'owner', 'userAccessAdministrator'],
  'policies.manage': ['globalAdministrator', 'privilegedRoleAdministrator'],
  'policies.read': ['globalAdministrator', 'privilegedRoleAdministrator', 'securityAdministrator', 'globalReader', 'securityReader'],
  'roleDefinitions.manage': ['globalAdministrator', 'privilegedRoleAdministrator'],
  'users.manage': ['globalAdministrator', 'userAdministrator'],
  'users.resetCredentials': ['globalAdministrator', 'userAdministrator', 'helpdeskAdministrator'],
  'privilegedUsers.manage': ['globalAdministrator', 'privilegedRoleAdministrator'],
  'groups.manage': ['globalAdministrator', 'userAdministrator', 'groupsAdministrator'],
  'groupMembers.manage': ['globalAdministrator', 'userAdministrator', 'groupsAdministrator'],
  'roleAssignableGroups.manage': ['globalAdministrator', 'privilegedRoleAdministrator'],
  'roleAssignableGroupMembers.manage': ['globalAdministrator', 'privilegedRoleAdministrator'],
  'groupAccess.manage': ['globalAdministrator', 'privilegedRoleAdministrator'],
  'servicePrincipals.manage': ['globalAdministrator', 'applicationAdministrator'],
  'accessDecisions.evaluateOthers': ['globalAdministrator', 'securityAdministrator', 'globalReader', 'securityReader'],
  'audit.readAll': ['globalAdministrator', 'privilegedRoleAdministrator', 'securityAdministrator', 'globalReader', 'securityReader'],
  'accessReviews.manage': ['globalAdministrator', 'privilegedRoleAdministrator'],
  'accessReviews.readAll': ['globalAdministrator', 'privilegedRoleAdministrator', 'securityAdministrator', 'globalReader', 'securityReader'],
  'identities.manage': ['globalAdministrator', 'privilegedRoleAdministrator'],
  'identities.read': ['globalAdministrator', 'privilegedRoleAdministrator', 'securityAdministrator', 'globalReader', 'securityReader'],
  'alerts.read': ['globalAdministrator', 'privilegedRoleAdministrator', 'securityAdministrator', 'globalReader', 'securityReader'],
  'alerts.manage': ['globalAdministrator', 'privilegedRoleAdministrator'],
};

describe('isAllowed with a tenant-wide role', () => {
  const cases = (Object.keys(MAY) as Permission[]).flatMap((permission) =>
    ROLE_NAMES.map((role) => [permission, role, MAY[permission].includes(role)] as const),
  );
  it.each(cases)('%s by %s: %s', (permission, role, allowed) => {
    expect(isAllowed([at(role)], permission)).toBe(allowed);
  });

  it('allows nothing to nobody', () => {
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) expect(isAllowed([], permission)).toBe(false);
  });

  it('rolesGranting lists the roles of a permission', () => {
    expect([...rolesGranting('roleAssignments.manage')].sort()).toEqual([R.globalAdministrator, R.privilegedRoleAdministrator].sort());
  });
});

describe('isAllowed at scopes', () => {
  it.each([
    // Resource permissions hold at the role's scope and below, and nowhere else.
    ['owner', '/subscriptions/s1', 'resourceRoleAssignments.manage', '/subscriptions/s1', true],
    ['owner', '/subscriptions/s1', 'resourceRoleAssignments.manage', '/subscriptions/s1/resourceGroups/rg', true],
    ['owner', '/subscriptions/s1', 'resourceRoleAssignments.manage', '/SUBSCRIPTIONS/S1/resourceGroups/rg', true],
    ['owner', '/subscriptions/s1', 'resourceRoleAssignments.manage', '/subscriptions/s2', false],
    ['owner', '/subscriptions/s1', 'resourceRoleAssignments.manage', '/subscriptions/s10', false],
    ['owner', '/subscriptions/s1', 'resourceRoleAssignments.manage', '/', false],
    ['owner', '/subscriptions/s1/resourceGroups/rg', 'resourceRoleAssignments.manage', '/subscriptions/s1', false],
    ['userAccessAdministrator', '/subscriptions/s1', 'resourceRoleAssignments.manage', '/subscriptions/s1/resourceGroups/rg', true],
    ['userAccessAdministrator', '/subscriptions/s1', 'resourceRoleAssignments.manage', '/subscriptions/s2/resourceGroups/rg', false],
    ['globalAdministrator', '/', 'resourceRoleAssignments.manage', '/subscriptions/any/resourceGroups/rg', true],
    ['contributor', '/subscriptions/s1', 'resourceRoleAssignments.manage', '/subscriptions/s1', false],
    ['reader', '/', 'resourceRoleAssignments.manage', '/subscriptions/s1', false],
    // Directory permissions need the role tenant-wide; a scoped or resource assignment grants none of them.
    ['owner', '/subscriptions/s1', 'roleAssignments.manage', '/subscriptions/s1', false],
    ['owner', '/', 'roleAssignments.manage', '/', false],
    ['globalAdministrator', '/administrativeUnits/au1', 'roleAssignments.manage', '/administrativeUnits/au1', false],
    ['privilegedRoleAdministrator', '/administrativeUnits/au1', 'roleAssignments.manage', '/', false],
    ['globalReader', '/administrativeUnits/au1', 'roleAssignments.readAll', '/', false],
    ['privilegedRoleAdministrator', '/', 'roleAssignments.manage', '/administrativeUnits/au1', true],
  ] as const)('%s at %s: %s at %s → %s', (role, heldAt, permission, targetScope, allowed) => {
    expect(isAllowed([at(role, heldAt)], permission, targetScope)).toBe(allowed);
  });

  it.each([
    // PIM for groups: ownership is held at the group's scope and manages that group only.
    ['/groups/grp_1', 'groupMembers.manage', '/groups/grp_1', true],
    ['/groups/grp_1', 'groupAccess.manage', '/groups/grp_1', true],
    ['/groups/grp_1', 'groupMembers.manage', '/groups/grp_10', false],
    ['/groups/grp_1', 'groupAccess.manage', '/groups/grp_2', false],
    ['/groups/grp_1', 'groups.manage', '/groups/grp_1', false],
    ['/groups/grp_1', 'roleAssignments.manage', '/', false],
  ] as const)('group owner at %s: %s at %s → %s', (heldAt, permission, targetScope, allowed) => {
    expect(isAllowed([{ roleDefinitionId: 'owner', directoryScopeId: heldAt }], permission, targetScope)).toBe(allowed);
  });

  it('a group member holds no power over the group', () => {
    expect(isAllowed([{ roleDefinitionId: 'member', directoryScopeId: '/groups/grp_1' }], 'groupMembers.manage', '/groups/grp_1')).toBe(false);
  });

  it('any one of several roles is enough', () => {
    expect(
      isAllowed([at('reader', '/subscriptions/s1'), at('owner', '/subscriptions/s2')], 'resourceRoleAssignments.manage', '/subscriptions/s2/resourceGroups/rg'),
    ).toBe(true);
    expect(isAllowed([at('reader'), at('securityReader')], 'roleAssignments.manage')).toBe(false);
  });
});
