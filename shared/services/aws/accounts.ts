/**
 * The accounts a caller may see, for naming scopes (`/accounts/{id}`): everyone who reads all role
 * assignments sees the whole organization; anyone else only the accounts their own AWS eligibilities and
 * assignments reach, so the organization's structure is not shown to every user.
 */
import { isAllowed } from '../../domain/authorization.ts';
import { isAwsScope, parseAwsScope } from '../../domain/aws-access.ts';
import type { Caller } from '../../domain/caller.ts';
import { getAwsUnits, listAwsAccounts, type AwsAccount } from '../../store/aws-directory.ts';
import type { Page, Services } from '../context.ts';
import { pageInMemory } from '../paging.ts';
import { evaluateFilter } from '../../domain/odata/filter.ts';
import { parseODataFilter } from '../directory/filter-query.ts';
import { heldRoles, holdingsOf } from '../roles/holdings/principal-access.ts';
import { connected } from './role-definitions.ts';

export interface AccountView {
  id: string;
  displayName: string;
  status: string;
  /** The OUs above it, nearest first, then the root: ids and names. */
  parents: { id: string; displayName: string }[];
  directoryScopeId: string;
}

export async function listVisibleAccounts(
  svc: Services,
  caller: Caller,
  options: { filter?: string; top?: number; skipToken?: string },
): Promise<Page<AccountView>> {
  // A bad $filter is the caller's to fix, whether or not AWS is connected.
  const filter = options.filter ? parseODataFilter(options.filter) : undefined;
  const aws = connected(svc);
  const all = (await listAwsAccounts(svc.table)).filter((a) => !aws.excludedAccounts.includes(a.id));
  const readsAll = isAllowed(await heldRoles(svc, caller), 'roleAssignments.readAll');
  const visible = readsAll ? all : await reachable(svc, caller.id, all);
  const unitIds = [...new Set(visible.flatMap((a) => a.parents))];
  const names = new Map((await getAwsUnits(svc.table, unitIds)).map((u) => [u.id, u.name]));
  const views = visible
    .map((a) => ({
      id: a.id,
      displayName: a.name,
      status: a.status,
      parents: a.parents.map((id) => ({ id, displayName: names.get(id) ?? id })),
      directoryScopeId: `/accounts/${a.id}`,
    }))
    .filter((a) => !filter || evaluateFilter(filter, a))
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
  return pageInMemory(svc, `awsAccounts:${caller.id}:${options.filter ?? ''}`, views, options.top ?? 200, options.skipToken);
}

async function reachable(svc: Services, userId: string, all: AwsAccount[]): Promise<AwsAccount[]> {
  const now = svc.clock.now();
  // Both kinds from one read of the principal's partition.
  const scopes = (await holdingsOf(svc, userId, undefined, now))
    .map((h) => h.schedule.directoryScopeId)
    .filter(isAwsScope)
    .map(parseAwsScope);
  const accounts = new Set(scopes.filter((s) => s.type === 'account').map((s) => s.id));
  const units = new Set(scopes.filter((s) => s.type === 'ou').map((s) => s.id));
  return all.filter((a) => accounts.has(a.id) || a.parents.some((p) => units.has(p)));
}
