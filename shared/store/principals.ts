/**
 * Users, groups and service principals as principals (shared/domain/principal.ts): the directory
 * objects that can hold access, read by id. Other object types (custom role definitions) are not
 * principals: a read of one answers undefined.
 */
import type { DirectoryPrincipal } from '../domain/principal.ts';
import type { PrincipalType } from '../domain/schedule.ts';
import { getObjectItem, getObjectItems } from './directory-objects.ts';
import type { TableContext } from './table-context.ts';

const PRINCIPAL_TYPES: readonly string[] = ['user', 'group', 'servicePrincipal'] satisfies PrincipalType[];

function principalOf(item: Record<string, unknown> | undefined): DirectoryPrincipal | undefined {
  if (!item || !PRINCIPAL_TYPES.includes(String(item.type))) return undefined;
  const data = item.data as { id: string; displayName: string; userPrincipalName?: string; isAssignableToRole?: boolean; accountEnabled?: boolean | null };
  return {
    id: data.id,
    type: item.type as PrincipalType,
    displayName: data.displayName,
    userPrincipalName: data.userPrincipalName,
    isAssignableToRole: data.isAssignableToRole,
    // Only an explicit false disables (groups carry no flag).
    accountEnabled: data.accountEnabled !== false,
  };
}

export async function getPrincipal(table: TableContext, id: string): Promise<DirectoryPrincipal | undefined> {
  return principalOf(await getObjectItem(table, id));
}

/** The principals among `ids` that exist, in the order asked (one batch read per hundred). */
export async function getPrincipals(table: TableContext, ids: readonly string[]): Promise<DirectoryPrincipal[]> {
  return (await getObjectItems(table, [...ids])).flatMap((item) => principalOf(item) ?? []);
}
