import { describe, expect, it } from 'vitest';
import { decideStintPermission, stintPermissionOf, type HeldSchedule } from '../../../shared/domain/access-decision.ts';
import { BUILTIN_ROLE_IDS as R } from '../../../shared/domain/builtin-roles.ts';

const NOW = new Date('2030-01-01T12:00:00.000Z');
const held = (
  roleDefinitionId: string,
  directoryScopeId: string,
  kind: 'assignment' | 'eligibility' = 'assignment',
  endDateTime: string | null = null,
): HeldSchedule => ({
  schedule: {
    id: `sch_${roleDefinitionId}_${kind}`,
    kind,
    roleDefinitionId,
    directoryScopeId,
    assignmentType: kind === 'assignment' ? 'Assigned' : null,
    startDateTime: '2029-01-01T00:00:00.000Z',
    endDateTime,
  },
});
const ask = (action: string, scope: string, holdings: HeldSchedule[]) =>
  decideStintPermission({ subject: { type: 'user', id: 'usr_1' }, action, scope }, stintPermissionOf(action)!, { holdings, groupNames: new Map(), now: NOW });

describe("decideStintPermission: Stint's own permissions as AuthZEN actions", () => {
  it('names only exact permissions in the stint/ namespace', () => {
    expect(stintPermissionOf('stint/roleAssignments.manage')).toBe('roleAssignments.manage');
    expect(stintPermissionOf('stint/roleassignments.manage')).toBeUndefined();
    expect(stintPermissionOf('stint/constructor')).toBeUndefined();
    expect(stintPermissionOf('microsoft.directory/users/password/update')).toBeUndefined();
  });

  it("allows a group's owner at that group's scope only, and tenant roles everywhere", () => {
    const owner = [held('owner', '/groups/grp_a')];
    expect(ask('stint/groupMembers.manage', '/groups/grp_a', owner).decision).toBe(true);
    expect(ask('stint/groupMembers.manage', '/groups/grp_b', owner).decision).toBe(false);
    expect(ask('stint/groupMembers.manage', '/', owner).decision).toBe(false);
    expect(ask('stint/groupMembers.manage', '/groups/grp_b', [held(R.groupsAdministrator, '/')]).decision).toBe(true);
  });

  it('does not count an ended assignment, and points at an eligibility without allowing it', () => {
    expect(ask('stint/roleAssignments.manage', '/', [held(R.globalAdministrator, '/', 'assignment', '2030-01-01T12:00:00.000Z')]).decision).toBe(false);
    const eligible = ask('stint/roleAssignments.manage', '/', [held(R.privilegedRoleAdministrator, '/', 'eligibility')]);
    expect(eligible).toMatchObject({ decision: false, context: { eligibility: { roleDisplayName: 'Privileged Role Administrator' } } });
    expect(eligible.context.reason).toContain('Global Administrator, Privileged Role Administrator');
  });

  it('names the longest-lasting granting assignment', () => {
    const decision = ask('stint/users.manage', '/', [
      held(R.userAdministrator, '/', 'assignment', '2030-01-02T00:00:00.000Z'),
      held(R.globalAdministrator, '/'),
      held(R.helpdeskAdministrator, '/'),
    ]);
    expect(decision).toMatchObject({ decision: true, context: { grant: { roleDefinitionId: R.globalAdministrator, endDateTime: null } } });
  });
});
