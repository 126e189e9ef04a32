/** Use cases for `/groups` and their members. */
import { requireAny, requirePermission } from '../authorize.ts';
import { groupSchema, servicePrincipalView, type Group, type GroupCreate, type GroupUpdate, type ServicePrincipal } from '../../contracts/directory.ts';
import { SEARCHABLE } from '../../domain/directory-search.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import { findObjectIds, getObjectItem, getObjectItems, parseStored } from '../../store/directory-objects.ts';
import { addMembership, allGroupIdsOf, listGroupIdsOf, listMemberIds, removeMembership } from '../../store/memberships.ts';
import { MAX_WRITES_PER_CHANGE } from '../../store/transact.ts';
import { keys } from '../../store/keys.ts';
import type { Actor, Page, Services } from '../context.ts';
import { groupScope } from '../../domain/group-access.ts';
import { assertHoldsNoRoles, assertNoGroupAccess } from './assignment-guard.ts';
import { listDirectoryObjects, type ListOptions } from './list-objects.ts';
import { createObject, MAX_SEARCH_ENTRIES, removeObject, replaceObjectVersion, type ObjectKind } from './object-writes.ts';
import { commitMembershipChange } from './membership-change.ts';
import { lastMemberHolder, membershipGuardWrites } from '../roles/holdings/group-guard.ts';
import { dropGroupGuard } from '../../store/guards.ts';
import { idFromODataReference } from './references.ts';
import { endActivationsAfterLeaving } from '../roles/holdings/activations-without-basis.ts';

const GROUP: ObjectKind = {
  type: 'group',
  category: 'GroupManagement',
  targetType: 'Group',
  activities: { add: 'Add group', update: 'Update group', delete: 'Delete group' },
  searchable: SEARCHABLE.group,
};

const lookups = (group: Group) => ({ mail: group.mail, name: group.displayName });

export async function loadGroup(svc: Services, id: string) {
  const item = await getObjectItem(svc.table, id);
  if (!item || item.type !== 'group') throw new NotFoundError(`Group '${id}' does not exist.`);
  return parseStored(item, groupSchema);
}

export async function createGroup(svc: Services, actor: Actor, input: GroupCreate): Promise<Group> {
  await requireGroupManager(svc, actor, { displayName: input.displayName, isAssignableToRole: input.isAssignableToRole === true }, 'create');
  const group: Group = {
    id: newId('group', svc.clock),
    displayName: input.displayName,
    description: input.description ?? null,
    mail: input.mail ?? null,
    mailNickname: input.mailNickname,
    mailEnabled: input.mailEnabled,
    securityEnabled: input.securityEnabled,
    groupTypes: input.groupTypes ?? [],
    isAssignableToRole: input.isAssignableToRole ?? false,
    visibility: input.visibility ?? null,
    createdDateTime: svc.clock.now().toISOString(),
  };
  const memberIds = [...new Set((input['members@odata.bind'] ?? []).map(idFromODataReference))];
  const members = await getObjectItems(svc.table, memberIds);
  const missing = memberIds.filter((id) => !members.some((m) => m.pk === keys.object(id).pk));
  if (missing.length > 0) throw new BadRequestError(`members@odata.bind names objects that do not exist: ${missing.join(', ')}.`);
  const at = group.createdDateTime;
  const writes = members.flatMap((m) => {
    assertMayJoin(group, String(m.type));
    return addMembership(group.id, String((m.data as { id: string }).id), String(m.type), at);
  });
  return createObject(svc, actor, GROUP, group, lookups(group), [], writes);
}

export async function getGroup(svc: Services, id: string): Promise<Group> {
  return (await loadGroup(svc, id)).data;
}

export async function listGroups(svc: Services, options: ListOptions): Promise<Page<Group>> {
  return listDirectoryObjects(svc, 'group', groupSchema, options, {
    indexed: { mail: 'mail', name: 'displayName' },
    searchable: GROUP.searchable,
    find: (by, value) => findObjectIds(svc.table, 'group', by, value),
  });
}

export async function updateGroup(svc: Services, actor: Actor, id: string, patch: GroupUpdate): Promise<Group> {
  await requireSomeGroupPower(svc, actor);
  const current = await loadGroup(svc, id);
  await requireGroupManager(svc, actor, current.data, 'change');
  const next: Group = { ...current.data, ...patch };
  return replaceObjectVersion(svc, actor, GROUP, current, next, lookups(next));
}

export async function deleteGroup(svc: Services, actor: Actor, id: string): Promise<void> {
  await requireSomeGroupPower(svc, actor);
  const current = await loadGroup(svc, id);
  await requireGroupManager(svc, actor, current.data, 'delete');
  await assertHoldsNoRoles(svc, id, current.data.displayName);
  await assertNoGroupAccess(svc, id, current.data.displayName);
  const members = await listMemberIds(svc.table, id, MAX_WRITES_PER_CHANGE);
  const parents = await allGroupIdsOf(svc.table, id);
  // Each membership is two items (the group's and the member's mirror), plus the group, its guard item and its search entries.
  if (members.next || 2 * (members.ids.length + parents.length) > MAX_WRITES_PER_CHANGE - 2 - MAX_SEARCH_ENTRIES) {
    throw new ConflictError(
      `Group '${current.data.displayName}' has too many memberships to delete in one step; remove members first.`,
      'Request_TooManyMemberships',
    );
  }
  // Holding no roles, the group counts for no protected role; its guard item must say so too (a racing assignment).
  const writes = [
    ...members.ids.flatMap((m) => removeMembership(id, m)),
    ...parents.flatMap((p) => removeMembership(p, id)),
    dropGroupGuard(
      id,
      () =>
        new ConflictError(
          `Group '${current.data.displayName}' holds a protected role; remove it (adminRemove) before deleting.`,
          'Request_PrincipalHoldsRoles',
        ),
    ),
  ];
  await removeObject(svc, actor, GROUP, current, [], writes);
}

/** Entra forbids nesting groups inside role-assignable groups: it would hand roles on invisibly. */
function assertMayJoin(group: Group, memberType: string): void {
  if (!['user', 'group', 'servicePrincipal'].includes(memberType)) {
    throw new BadRequestError(`Only users, groups and service principals can be group members.`);
  }
  if (memberType === 'group' && group.isAssignableToRole) {
    throw new BadRequestError(`Group '${group.displayName}' can be assigned to roles, so it cannot have groups as members.`);
  }
}

/**
 * A role-assignable group is a privileged object (Entra's rule): only Privileged Role Administrators and
 * Global Administrators create, change or delete one. Other groups stay with the group administrators.
 */
async function requireGroupManager(
  svc: Services,
  actor: Actor,
  group: Pick<Group, 'displayName' | 'isAssignableToRole'>,
  verb: 'create' | 'change' | 'delete',
): Promise<void> {
  if (!group.isAssignableToRole) return requirePermission(svc, actor, 'groups.manage');
  await requirePermission(svc, actor, 'roleAssignableGroups.manage', {
    because: `Group '${group.displayName}' can be assigned to roles, so to ${verb} it is as privileged as assigning those roles.`,
  });
}

/** Before a group is read: a caller with no power over any group learns nothing but a 403. */
async function requireSomeGroupPower(svc: Services, actor: Actor): Promise<void> {
  await requireAny(svc, actor, ['groups.manage', 'roleAssignableGroups.manage']);
}

async function requireSomeMemberPower(svc: Services, actor: Actor, groupId: string): Promise<void> {
  await requireAny(svc, actor, ['groupMembers.manage', 'roleAssignableGroupMembers.manage'], groupScope(groupId));
}

/**
 * Group administrators manage the members of ordinary groups; a role-assignable group's members are its
 * roles' holders, so only Privileged Role Administrators, Global Administrators and the group's own owners
 * (an active PIM for groups ownership) change them.
 */
async function requireMemberManager(svc: Services, actor: Actor, group: Group): Promise<void> {
  if (!group.isAssignableToRole) return requirePermission(svc, actor, 'groupMembers.manage', groupScope(group.id));
  await requirePermission(svc, actor, 'roleAssignableGroupMembers.manage', {
    scope: groupScope(group.id),
    because: `Group '${group.displayName}' can be assigned to roles: its members hold its roles, so changing them is as privileged as assigning those roles.`,
  });
}

export async function addGroupMember(svc: Services, actor: Actor, groupId: string, reference: string): Promise<void> {
  await requireSomeMemberPower(svc, actor, groupId);
  const group = (await loadGroup(svc, groupId)).data;
  await requireMemberManager(svc, actor, group);
  const memberId = idFromODataReference(reference);
  if (memberId === groupId) throw new BadRequestError('A group cannot be a member of itself.');
  const member = await getObjectItem(svc.table, memberId);
  if (!member) throw new NotFoundError(`Directory object '${memberId}' does not exist.`);
  assertMayJoin(group, String(member.type));
  const data = member.data as { id: string; displayName: string; userPrincipalName?: string };
  const guard = await membershipGuardWrites(svc, String(member.type), [groupId], 1, lastMemberHolder(data.displayName));
  await commitMembershipChange(svc, actor, group, data, String(member.type), 'Add member to group', 'Assign', [
    ...addMembership(groupId, memberId, String(member.type), svc.clock.now().toISOString()),
    ...guard,
  ]);
}

export async function removeGroupMember(svc: Services, actor: Actor, groupId: string, memberId: string): Promise<void> {
  await requireSomeMemberPower(svc, actor, groupId);
  const group = (await loadGroup(svc, groupId)).data;
  await requireMemberManager(svc, actor, group);
  const member = await getObjectItem(svc.table, memberId);
  const data = (member?.data as { id: string; displayName: string; userPrincipalName?: string } | undefined) ?? { id: memberId, displayName: memberId };
  const memberType = String(member?.type ?? 'unknown');
  const guard = await membershipGuardWrites(svc, memberType, [groupId], -1, lastMemberHolder(data.displayName));
  await commitMembershipChange(svc, actor, group, data, memberType, 'Remove member from group', 'Unassign', [...removeMembership(groupId, memberId), ...guard]);
  // Activations made through the group's eligibility end with the membership (reads refuse them already).
  await endActivationsAfterLeaving(svc, actor, memberId);
}

export async function listGroupMembers(svc: Services, groupId: string, top: number, skipToken?: string): Promise<Page<Record<string, unknown>>> {
  await loadGroup(svc, groupId);
  const listing = `members:${groupId}`;
  const start = skipToken ? svc.pageTokens.decode<Record<string, unknown>>(listing, skipToken) : undefined;
  const page = await listMemberIds(svc.table, groupId, top, start);
  return { items: await directoryObjects(svc, page.ids), nextToken: page.next ? svc.pageTokens.encode(listing, page.next) : undefined };
}

/** Members and memberOf return directoryObjects with their `@odata.type`, as Graph does. */
export async function directoryObjects(svc: Services, ids: string[]): Promise<Record<string, unknown>[]> {
  const items = await getObjectItems(svc.table, ids);
  return items.map((item) => ({
    '@odata.type': `#microsoft.graph.${String(item.type)}`,
    ...(item.type === 'servicePrincipal' ? servicePrincipalView(item.data as ServicePrincipal) : (item.data as object)),
  }));
}

export async function listMemberOf(svc: Services, memberId: string, top: number, skipToken?: string): Promise<Page<Record<string, unknown>>> {
  const listing = `memberOf:${memberId}`;
  const start = skipToken ? svc.pageTokens.decode<Record<string, unknown>>(listing, skipToken) : undefined;
  const page = await listGroupIdsOf(svc.table, memberId, top, start);
  return { items: await directoryObjects(svc, page.ids), nextToken: page.next ? svc.pageTokens.encode(listing, page.next) : undefined };
}
