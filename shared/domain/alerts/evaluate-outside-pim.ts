/**
 * "Roles are being assigned outside of PIM", two ways:
 * - a standing member (added through `/groups/{id}/members`, not PIM for groups) of a role-assignable group
 *   that holds a privileged directory role, eligible or active: one incident per member, group and role,
 *   fixed by removing the membership;
 * - an AWS account assignment on a permission set Stint manages that Stint did not make (the reconciler
 *   records those), fixed by deleting it in AWS.
 */
import { assigneeProperties, roleProperties, type SnapshotIndex } from './snapshot-index.ts';
import { incidentId } from './incident-id.ts';
import type { AlertConfig, Incident } from './types.ts';

const TYPE = 'RolesAssignedOutsidePrivilegedIdentityManagementAlert';

export function evaluateOutsidePim(index: SnapshotIndex, _config: AlertConfig): Incident[] {
  return [...standingGroupMembers(index), ...outsideAws(index)];
}

function standingGroupMembers(index: SnapshotIndex): Incident[] {
  const found = new Map<string, Incident>();
  for (const s of index.inForce) {
    const role = s.principalType === 'group' ? index.privilegedRole(s.roleDefinitionId) : undefined;
    const group = role ? index.group(s.principalId) : undefined;
    if (!role || !group?.isAssignableToRole) continue;
    for (const member of group.standingMembers) {
      const id = incidentId(TYPE, 'group', member.id, group.id, role.id.toLowerCase());
      if (found.has(id)) continue;
      found.set(id, {
        id,
        alertType: TYPE,
        properties: { ...assigneeProperties(index, member.id), ...roleProperties(role), assignmentCreatedDateTime: member.since ?? s.createdDateTime },
        remedy: { kind: 'removeGroupMember', groupId: group.id, memberId: member.id },
      });
    }
  }
  return [...found.values()];
}

function outsideAws(index: SnapshotIndex): Incident[] {
  return index.snapshot.outsideAwsAssignments.map((a) => {
    const assignee = a.principalId ? assigneeProperties(index, a.principalId) : null;
    return {
      id: incidentId(TYPE, 'aws', a.accountId, a.permissionSetId, a.identityStoreUserId),
      alertType: TYPE,
      properties: {
        assigneeId: a.principalId ?? a.identityStoreUserId,
        assigneeDisplayName: assignee?.assigneeDisplayName ?? null,
        assigneeUserPrincipalName: assignee?.assigneeUserPrincipalName ?? null,
        roleDefinitionId: a.permissionSetId,
        roleDisplayName: a.permissionSetName,
        roleTemplateId: a.permissionSetId,
        assignmentCreatedDateTime: a.foundDateTime,
      },
      remedy: { kind: 'removeAwsAssignment', accountId: a.accountId, permissionSetId: a.permissionSetId, identityStoreUserId: a.identityStoreUserId },
    };
  });
}
