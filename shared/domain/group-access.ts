/**
 * PIM for groups, held in the same shape as PIM for roles: access to a group is the pseudo-role
 * `member` or `owner` (Graph's `accessId`) at the group's scope `/groups/{groupId}`. That is how Graph
 * itself addresses group policies (roleDefinitionId member|owner, scopeId the group), and it lets group
 * requests and schedules be ordinary requests and schedules: the same slots, lifecycle runs, sweeper,
 * stream signals, notifications and audit, with no second copy of any of them. Nothing else has these
 * role ids: they are not role definitions, and the roles API refuses group scopes.
 */
export const GROUP_ACCESS_IDS = ['member', 'owner'] as const;
export type GroupAccessId = (typeof GROUP_ACCESS_IDS)[number];

/** Ownership, as the authorization table names it (held at the group's scope only). */
export const GROUP_OWNER: GroupAccessId = 'owner';

const GROUP_SCOPE_PREFIX = '/groups/';

export function groupScope(groupId: string): string {
  return `${GROUP_SCOPE_PREFIX}${groupId}`;
}

export function isGroupScope(scope: string): boolean {
  return scope.toLowerCase().startsWith(GROUP_SCOPE_PREFIX);
}

export interface GroupAccess {
  groupId: string;
  accessId: GroupAccessId;
}

/** The group access a role-shaped target stands for, or undefined for a real role. */
export function groupAccessOf(target: { roleDefinitionId: string; directoryScopeId: string }): GroupAccess | undefined {
  const accessId = GROUP_ACCESS_IDS.find((a) => a === target.roleDefinitionId);
  if (!accessId || !isGroupScope(target.directoryScopeId)) return undefined;
  return { groupId: target.directoryScopeId.slice(GROUP_SCOPE_PREFIX.length), accessId };
}

export function isGroupAccess(target: { roleDefinitionId: string; directoryScopeId: string }): boolean {
  return groupAccessOf(target) !== undefined;
}

/** A group membership that makes its principal a member of the group (and so a holder of its roles). */
export function isGroupMembership(s: { kind: string; roleDefinitionId: string; directoryScopeId: string }): boolean {
  return s.kind === 'assignment' && groupAccessOf(s)?.accessId === 'member';
}
