/**
 * Use cases for `/servicePrincipals`: workload and managed identities. In Entra they may hold active
 * role assignments but never eligible ones; that rule is enforced where assignments are made.
 */
import { requirePermission } from '../authorize.ts';
import { servicePrincipalSchema, type ServicePrincipal, type ServicePrincipalCreate, type ServicePrincipalUpdate } from '../../contracts/directory.ts';
import { SEARCHABLE } from '../../domain/directory-search.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import { findObjectIds, findUniqueOwner, getObjectItem, parseStored } from '../../store/directory-objects.ts';
import { allGroupIdsOf, removeMembership } from '../../store/memberships.ts';
import type { Actor, Page, Services } from '../context.ts';
import { assertHoldsNoRoles, assertHoldsNoRolesThroughGroups } from './assignment-guard.ts';
import { privilegeOf } from './privileged-principals.ts';
import { listDirectoryObjects, type ListOptions } from './list-objects.ts';
import { createObject, removeObject, replaceObjectVersion, type ObjectKind, type UniqueValue } from './object-writes.ts';

const SERVICE_PRINCIPAL: ObjectKind = {
  type: 'servicePrincipal',
  category: 'ApplicationManagement',
  targetType: 'ServicePrincipal',
  activities: { add: 'Add service principal', update: 'Update service principal', delete: 'Remove service principal' },
  searchable: SEARCHABLE.servicePrincipal,
};

const appIdGuard = (appId: string): UniqueValue => ({
  kind: 'APPID',
  value: appId,
  message: `A service principal for application '${appId}' already exists.`,
});

export async function createServicePrincipal(svc: Services, actor: Actor, input: ServicePrincipalCreate): Promise<ServicePrincipal> {
  await requirePermission(svc, actor, 'servicePrincipals.manage');
  const sp: ServicePrincipal = {
    id: newId('servicePrincipal', svc.clock),
    appId: input.appId,
    displayName: input.displayName ?? input.appId,
    appDisplayName: input.displayName ?? null,
    description: input.description ?? null,
    servicePrincipalType: input.servicePrincipalType ?? 'Application',
    accountEnabled: input.accountEnabled ?? true,
    tags: input.tags ?? [],
    createdDateTime: svc.clock.now().toISOString(),
  };
  return createObject(svc, actor, SERVICE_PRINCIPAL, sp, { name: sp.displayName }, [appIdGuard(sp.appId)]);
}

/** Graph addresses a service principal by id, or by `(appId='…')`. */
async function loadServicePrincipal(svc: Services, id: string) {
  const item = await getObjectItem(svc.table, id);
  if (!item || item.type !== 'servicePrincipal') throw new NotFoundError(`Service principal '${id}' does not exist.`);
  return parseStored(item, servicePrincipalSchema);
}

export async function findServicePrincipalByAppId(svc: Services, appId: string): Promise<ServicePrincipal | undefined> {
  const id = await findUniqueOwner(svc.table, 'APPID', appId);
  return id ? (await loadServicePrincipal(svc, id)).data : undefined;
}

export async function getServicePrincipal(svc: Services, id: string): Promise<ServicePrincipal> {
  return (await loadServicePrincipal(svc, id)).data;
}

export async function listServicePrincipals(svc: Services, options: ListOptions): Promise<Page<ServicePrincipal>> {
  return listDirectoryObjects(svc, 'servicePrincipal', servicePrincipalSchema, options, {
    indexed: { appId: 'appId', name: 'displayName' },
    searchable: SERVICE_PRINCIPAL.searchable,
    find: async (by, value) => {
      if (by === 'appId') {
        const owner = await findUniqueOwner(svc.table, 'APPID', value);
        return owner ? [owner] : [];
      }
      return findObjectIds(svc.table, 'servicePrincipal', 'name', value);
    },
  });
}

/** A privileged service principal (one holding a privileged role) is changed or deleted only by those who manage privileged identities. */
async function requireManagerOf(svc: Services, actor: Actor, sp: ServicePrincipal, verb: 'changing' | 'deleting'): Promise<void> {
  const privilege = await privilegeOf(svc, sp.id);
  if (!privilege) return;
  await requirePermission(svc, actor, 'privilegedUsers.manage', {
    because: `Service principal '${sp.displayName}' ${privilege}, so ${verb} it is a sensitive action.`,
  });
}

export async function updateServicePrincipal(svc: Services, actor: Actor, id: string, patch: ServicePrincipalUpdate): Promise<ServicePrincipal> {
  await requirePermission(svc, actor, 'servicePrincipals.manage');
  const current = await loadServicePrincipal(svc, id);
  await requireManagerOf(svc, actor, current.data, 'changing');
  const next: ServicePrincipal = { ...current.data, ...patch };
  return replaceObjectVersion(svc, actor, SERVICE_PRINCIPAL, current, next, { name: next.displayName });
}

export async function deleteServicePrincipal(svc: Services, actor: Actor, id: string): Promise<void> {
  await requirePermission(svc, actor, 'servicePrincipals.manage');
  const current = await loadServicePrincipal(svc, id);
  await requireManagerOf(svc, actor, current.data, 'deleting');
  await assertHoldsNoRoles(svc, id, current.data.displayName);
  await assertHoldsNoRolesThroughGroups(svc, id, current.data.displayName);
  const groupIds = await allGroupIdsOf(svc.table, id);
  await removeObject(
    svc,
    actor,
    SERVICE_PRINCIPAL,
    current,
    [appIdGuard(current.data.appId)],
    groupIds.flatMap((g) => removeMembership(g, id)),
  );
}
