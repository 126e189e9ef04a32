/**
 * Role definitions: Entra's built-ins (in code, under their well-known template ids, never stored) and
 * the tenant's custom roles (in the table). Names are unique across both, case-insensitively.
 */
import { requirePermission } from './authorize.ts';
import { storedRoleDefinitionSchema, type RoleDefinitionCreate, type RoleDefinitionUpdate, type StoredRoleDefinition } from '../contracts/role-definitions.ts';
import { BUILTIN_ROLES, findBuiltinRole } from '../domain/builtin-roles.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { conjuncts, evaluateFilter, type FilterNode } from '../domain/odata/filter.ts';
import { getObjectItem, getObjectItems, listObjects, parseStored } from '../store/directory-objects.ts';
import type { ShardCursor } from '../store/sharded-list.ts';
import { schedulesOfRole } from '../store/role-schedules.ts';
import { hasEnded } from '../domain/schedule.ts';
import type { Actor, Page, Services } from './context.ts';
import { pageInMemory } from './paging.ts';
import { forgetRoleDefinition } from './recent-role-definitions.ts';
import { getAwsRole, type AwsRoleDefinition } from '../store/aws-directory.ts';
import { isPermissionSetId } from '../domain/aws-access.ts';

import { parseODataFilter } from './directory/filter-query.ts';
import { createObject, removeObject, replaceObjectVersion, type ObjectKind, type UniqueValue } from './directory/object-writes.ts';

const ROLE: ObjectKind = {
  type: 'roleDefinition',
  category: 'RoleManagement',
  targetType: 'Role',
  activities: { add: 'Add role definition', update: 'Update role definition', delete: 'Delete role definition' },
};

const nameGuard = (name: string): UniqueValue => ({
  kind: 'ROLENAME',
  value: name,
  message: `A role named '${name}' already exists. Role names are unique, built-in roles included.`,
});

function assertNotBuiltinName(name: string): void {
  if (BUILTIN_ROLES.some((r) => r.displayName.toLowerCase() === name.trim().toLowerCase())) {
    throw new ConflictError(`'${name}' is the name of a built-in role; choose another name.`, 'Request_MultipleObjectsWithSameKeyValue');
  }
}

/** Every custom role; tenants have tens of them, so one pass over the listing index is cheap. */
export async function allCustomRoles(svc: Services): Promise<StoredRoleDefinition[]> {
  const roles: StoredRoleDefinition[] = [];
  let cursor: ShardCursor | undefined;
  do {
    const page = await listObjects(svc.table, 'roleDefinition', 200, cursor);
    roles.push(...page.items.map((item) => parseStored(item, storedRoleDefinitionSchema).data));
    cursor = page.next;
  } while (cursor);
  return roles;
}

/**
 * `displayName eq '…'` matches without regard to case, like the directory's name look-ups and like role-name
 * uniqueness (a custom role cannot be named 'global administrator', so that name must also find the role).
 */
function matchesFilter(filter: FilterNode, role: StoredRoleDefinition): boolean {
  return conjuncts(filter).every((c) =>
    c.type === 'compare' && c.op === 'eq' && c.path.join('/') === 'displayName' && c.value.kind === 'string'
      ? role.displayName.toLowerCase() === c.value.value.toLowerCase()
      : evaluateFilter(c, role),
  );
}

export async function listRoleDefinitions(svc: Services, options: { filter?: string; top?: number; skipToken?: string }): Promise<Page<StoredRoleDefinition>> {
  const filter = options.filter ? parseODataFilter(options.filter) : undefined;
  const all = [...BUILTIN_ROLES, ...(await allCustomRoles(svc))].filter((role) => !filter || matchesFilter(filter, role));
  return pageInMemory(svc, `roleDefinitions:${options.filter ?? ''}`, all, options.top ?? 100, options.skipToken);
}

async function loadCustomRole(svc: Services, id: string) {
  const item = await getObjectItem(svc.table, id);
  if (!item || item.type !== 'roleDefinition') return undefined;
  return parseStored(item, storedRoleDefinitionSchema);
}

/** An AWS role (shared/services/aws/) as the role-management core sees it: its policies, reviews and $expand. */
function fromAws(role: AwsRoleDefinition): StoredRoleDefinition {
  const { permissionSetArn: _arn, sessionDuration: _duration, ...rest } = role;
  return { ...rest, kind: 'aws' };
}

export async function getRoleDefinition(svc: Services, id: string): Promise<StoredRoleDefinition> {
  const aws = isPermissionSetId(id) ? await getAwsRole(svc.table, id) : undefined;
  if (aws) return fromAws(aws.data);
  const role = findBuiltinRole(id) ?? (await loadCustomRole(svc, id))?.data;
  if (!role) throw new NotFoundError(`Role definition '${id}' does not exist.`, 'RoleNotFound');
  return role;
}

/** Several role definitions by id, in one read for the custom ones; unknown ids are left out. */
export async function getRoleDefinitions(svc: Services, ids: string[]): Promise<StoredRoleDefinition[]> {
  const builtins = ids.map((id) => findBuiltinRole(id)).filter((r) => !!r);
  const customIds = ids.filter((id) => !findBuiltinRole(id) && !isPermissionSetId(id));
  const custom = (await getObjectItems(svc.table, customIds))
    .filter((item) => item.type === 'roleDefinition')
    .map((item) => parseStored(item, storedRoleDefinitionSchema).data);
  const aws = await Promise.all(ids.filter(isPermissionSetId).map((id) => getAwsRole(svc.table, id)));
  return [...builtins, ...custom, ...aws.flatMap((r) => (r ? [fromAws(r.data)] : []))];
}

export async function createRoleDefinition(svc: Services, actor: Actor, input: RoleDefinitionCreate): Promise<StoredRoleDefinition> {
  await requirePermission(svc, actor, 'roleDefinitions.manage');
  assertNotBuiltinName(input.displayName);
  const id = newId('roleDefinition', svc.clock);
  const role: StoredRoleDefinition = {
    id,
    templateId: id,
    displayName: input.displayName,
    description: input.description ?? '',
    isBuiltIn: false,
    isEnabled: input.isEnabled ?? true,
    isPrivileged: input.isPrivileged ?? false,
    version: input.version ?? null,
    resourceScopes: ['/'],
    rolePermissions: input.rolePermissions.map((p) => ({ allowedResourceActions: p.allowedResourceActions, condition: p.condition ?? null })),
    kind: 'directory',
  };
  return createObject(svc, actor, ROLE, role, { name: role.displayName }, [nameGuard(role.displayName)]);
}

async function loadEditable(svc: Services, id: string) {
  if (findBuiltinRole(id))
    throw new BadRequestError(`Built-in role '${id}' cannot be changed or deleted; create a custom role instead.`, 'Request_BuiltInRoleReadOnly');
  const current = await loadCustomRole(svc, id);
  if (!current) throw new NotFoundError(`Role definition '${id}' does not exist.`, 'RoleNotFound');
  return current;
}

export async function updateRoleDefinition(svc: Services, actor: Actor, id: string, patch: RoleDefinitionUpdate): Promise<StoredRoleDefinition> {
  await requirePermission(svc, actor, 'roleDefinitions.manage');
  const current = await loadEditable(svc, id);
  const next: StoredRoleDefinition = {
    ...current.data,
    ...patch,
    description: patch.description === undefined ? current.data.description : (patch.description ?? ''),
    rolePermissions:
      patch.rolePermissions?.map((p) => ({ allowedResourceActions: p.allowedResourceActions, condition: p.condition ?? null })) ?? current.data.rolePermissions,
    version: patch.version === undefined ? current.data.version : patch.version,
  };
  const renamed = next.displayName.toLowerCase() !== current.data.displayName.toLowerCase();
  if (renamed) assertNotBuiltinName(next.displayName);
  const updated = await replaceObjectVersion(
    svc,
    actor,
    ROLE,
    current,
    next,
    { name: next.displayName },
    {
      release: renamed ? [nameGuard(current.data.displayName)] : [],
      reserve: renamed ? [nameGuard(next.displayName)] : [],
    },
  );
  forgetRoleDefinition(id);
  return updated;
}

export async function deleteRoleDefinition(svc: Services, actor: Actor, id: string): Promise<void> {
  await requirePermission(svc, actor, 'roleDefinitions.manage');
  const current = await loadEditable(svc, id);
  const now = svc.clock.now();
  const holders = (await schedulesOfRole(svc.table, id)).filter((s) => !hasEnded(s.data, now));
  if (holders.length > 0) {
    throw new ConflictError(
      `'${current.data.displayName}' is still assigned ${holders.length} time(s); remove those assignments before deleting the role.`,
      'Request_RoleInUse',
    );
  }
  await removeObject(svc, actor, ROLE, current, [nameGuard(current.data.displayName)]);
  forgetRoleDefinition(id);
}
