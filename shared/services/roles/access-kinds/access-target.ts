/**
 * What a request or schedule gives access to: a role, or (PIM for groups) membership or ownership of a
 * group (shared/domain/group-access.ts). Every use case that names the target — in checks, messages,
 * audit records and emails — asks here, so roles and groups share those use cases unchanged.
 */
import { NotFoundError } from '../../../domain/errors.ts';
import { groupAccessOf, type GroupAccessId } from '../../../domain/group-access.ts';
import { getPrincipal } from '../../../store/principals.ts';
import type { Services } from '../../context.ts';
import { getRoleDefinition } from '../../role-definitions.ts';
import { isAwsScope } from '../../../domain/aws-access.ts';
import { getAwsRoleDefinition } from '../../aws/role-definitions.ts';

export interface AccessTarget {
  /** 'group' for group access, 'aws' for an AWS permission set; a role's own kind otherwise. */
  kind: 'directory' | 'resource' | 'group' | 'aws';
  /** The role definition id, or the group access id (member | owner). */
  id: string;
  displayName: string;
  isEnabled: boolean;
  isPrivileged: boolean;
  /** Group access only. */
  group?: { id: string; displayName: string; isAssignableToRole: boolean; accessId: GroupAccessId };
  /** AWS access only: the permission set. */
  aws?: { permissionSetArn: string; sessionDuration: string };
  /** How audit records name it. */
  audit: { id: string; displayName: string; type: 'Role' | 'Group' };
}

const ACCESS_NAMES: Record<GroupAccessId, string> = { member: 'Member', owner: 'Owner' };

/** The target of a role id at a scope; a NotFoundError when the role or group does not exist. */
export async function accessTargetOf(svc: Services, roleDefinitionId: string, scope: string): Promise<AccessTarget> {
  if (isAwsScope(scope)) {
    const role = await getAwsRoleDefinition(svc, roleDefinitionId);
    return {
      kind: 'aws',
      id: role.id,
      displayName: role.displayName,
      isEnabled: role.isEnabled,
      isPrivileged: role.isPrivileged,
      aws: { permissionSetArn: role.permissionSetArn, sessionDuration: role.sessionDuration },
      audit: { id: role.id, displayName: role.displayName, type: 'Role' },
    };
  }
  const access = groupAccessOf({ roleDefinitionId, directoryScopeId: scope });
  if (!access) {
    const role = await getRoleDefinition(svc, roleDefinitionId);
    return {
      kind: role.kind,
      id: role.id,
      displayName: role.displayName,
      isEnabled: role.isEnabled,
      isPrivileged: role.isPrivileged,
      audit: { id: role.id, displayName: role.displayName, type: 'Role' },
    };
  }
  const data = await getPrincipal(svc.table, access.groupId);
  if (data?.type !== 'group') throw new NotFoundError(`Group '${access.groupId}' does not exist.`);
  const isAssignableToRole = data.isAssignableToRole === true;
  return {
    kind: 'group',
    id: access.accessId,
    displayName: `${ACCESS_NAMES[access.accessId]} of group '${data.displayName}'`,
    isEnabled: true,
    // A group that can hold roles hands them on: its membership is as privileged as they are.
    isPrivileged: isAssignableToRole,
    group: { id: data.id, displayName: data.displayName, isAssignableToRole, accessId: access.accessId },
    audit: { id: data.id, displayName: data.displayName, type: 'Group' },
  };
}

/** The same, for a target that may have been deleted since (history, emails): named by its id then. */
export async function accessTargetOrId(svc: Services, roleDefinitionId: string, scope: string): Promise<AccessTarget> {
  try {
    return await accessTargetOf(svc, roleDefinitionId, scope);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    const group = groupAccessOf({ roleDefinitionId, directoryScopeId: scope });
    const id = group?.groupId ?? roleDefinitionId;
    return {
      kind: group ? 'group' : 'directory',
      id: roleDefinitionId,
      displayName: id,
      isEnabled: false,
      isPrivileged: false,
      audit: { id, displayName: id, type: group ? 'Group' : 'Role' },
    };
  }
}
