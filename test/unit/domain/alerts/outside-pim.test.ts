import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../../../shared/domain/alerts/evaluate.ts';
import { active, ago, configs, DAY, GA, group, NOW, READERS, schedule, snapshot, user } from './fixtures.ts';

const outside = (s: Parameters<typeof evaluateAlerts>[0], c = configs()) => evaluateAlerts(s, c, NOW).RolesAssignedOutsidePrivilegedIdentityManagementAlert;

describe('RolesAssignedOutsidePrivilegedIdentityManagementAlert', () => {
  const groupHolds = (over = {}) => active({ principalId: 'grp_1', principalType: 'group', roleDefinitionId: GA, ...over });

  it('finds each standing member of a role-assignable group holding a privileged role, with the remedy that removes the membership', () => {
    const g = group('grp_1', {
      standingMembers: [{ id: 'usr_1', type: 'user', since: ago(DAY) }],
      pimMembers: [{ principalId: 'usr_2', principalType: 'user', startDateTime: ago(DAY), endDateTime: null }],
    });
    const found = outside(snapshot({ schedules: [groupHolds()], groups: [g], principals: [user('usr_1'), user('usr_2')] }));
    expect(found).toEqual([
      {
        id: expect.any(String),
        alertType: 'RolesAssignedOutsidePrivilegedIdentityManagementAlert',
        properties: {
          assigneeId: 'usr_1',
          assigneeDisplayName: 'User usr_1',
          assigneeUserPrincipalName: 'usr_1@contoso.test',
          roleDefinitionId: GA,
          roleDisplayName: 'Global Administrator',
          roleTemplateId: GA,
          assignmentCreatedDateTime: ago(DAY),
        },
        remedy: { kind: 'removeGroupMember', groupId: 'grp_1', memberId: 'usr_1' },
      },
    ]);
  });

  it('finds one incident per member, group and role, whether the group is eligible, active or both', () => {
    const g = group('grp_1', { standingMembers: [{ id: 'usr_1', type: 'user', since: null }] });
    const both = outside(snapshot({ schedules: [groupHolds(), groupHolds({ kind: 'eligibility', assignmentType: null })], groups: [g] }));
    expect(both).toHaveLength(1);
    expect(both[0]!.properties.assignmentCreatedDateTime).toBe(ago(100 * DAY));
    expect(outside(snapshot({ schedules: [schedule({ principalId: 'grp_1', principalType: 'group', roleDefinitionId: GA })], groups: [g] }))).toHaveLength(1);
  });

  it('finds nothing for a group that is not role-assignable, holds a non-privileged role, or whose role has ended', () => {
    const members = { standingMembers: [{ id: 'usr_1', type: 'user' as const, since: null }] };
    expect(outside(snapshot({ schedules: [groupHolds()], groups: [group('grp_1', { ...members, isAssignableToRole: false })] }))).toEqual([]);
    expect(outside(snapshot({ schedules: [groupHolds({ roleDefinitionId: READERS })], groups: [group('grp_1', members)] }))).toEqual([]);
    expect(outside(snapshot({ schedules: [groupHolds({ endDateTime: ago(1) })], groups: [group('grp_1', members)] }))).toEqual([]);
  });

  it('finds AWS assignments made outside Stint, named by the matched user or else the identity-store user', () => {
    const s = snapshot({
      principals: [user('usr_9')],
      outsideAwsAssignments: [
        {
          accountId: '111122223333',
          permissionSetId: 'ps-1',
          permissionSetName: 'Admin',
          identityStoreUserId: 'idst-1',
          principalId: 'usr_9',
          foundDateTime: ago(DAY),
        },
        {
          accountId: '111122223333',
          permissionSetId: 'ps-1',
          permissionSetName: 'Admin',
          identityStoreUserId: 'idst-2',
          principalId: null,
          foundDateTime: ago(DAY),
        },
      ],
    });
    const found = outside(s);
    expect(
      found.map((i) => [i.properties.assigneeId, i.properties.assigneeDisplayName, i.properties.roleDefinitionId, i.properties.roleDisplayName]).sort(),
    ).toEqual([
      ['idst-2', null, 'ps-1', 'Admin'],
      ['usr_9', 'User usr_9', 'ps-1', 'Admin'],
    ]);
    expect(found.map((i) => i.remedy)).toContainEqual({
      kind: 'removeAwsAssignment',
      accountId: '111122223333',
      permissionSetId: 'ps-1',
      identityStoreUserId: 'idst-2',
    });
  });

  it('finds nothing when disabled', () => {
    const c = configs();
    c.RolesAssignedOutsidePrivilegedIdentityManagementAlert = { isEnabled: false };
    const g = group('grp_1', { standingMembers: [{ id: 'usr_1', type: 'user', since: null }] });
    expect(outside(snapshot({ schedules: [groupHolds()], groups: [g] }), c)).toEqual([]);
  });
});
