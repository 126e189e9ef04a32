/**
 * Role definitions as access decisions read them: built-ins from code, custom roles from a per-process
 * copy at most RECENT_MS old, so that a decision costs one read round trip (the subject's partition)
 * instead of two.
 *
 * Why a stale definition is safe for that long: what a principal holds — its assignments, activations,
 * their ends, removals, a disabled or deleted account — is always read fresh; only what a custom role
 * permits may lag. A role in use cannot be deleted (deleteRoleDefinition refuses while anyone holds it),
 * so a cached role can only ever be applied to a fresh holding of it; a change to its permissions or to
 * isEnabled reaches every process within RECENT_MS, and at once in the process that made it. Entra too
 * takes effect on role definition changes after a delay, and a token already issued outlives 10 s anyway.
 */
import { storedRoleDefinitionSchema, type StoredRoleDefinition } from '../contracts/role-definitions.ts';
import { findBuiltinRole } from '../domain/builtin-roles.ts';
import { getObjectItems, parseStored } from '../store/directory-objects.ts';
import type { Services } from './context.ts';

export const RECENT_MS = 10_000;
const LIMIT = 1_000;

/** Custom roles read in this process: undefined when the id named no custom role. */
const known = new Map<string, { at: number; role: StoredRoleDefinition | undefined }>();

/** Several role definitions by id, custom ones read at most RECENT_MS ago; unknown ids are left out. */
export async function recentRoleDefinitions(svc: Services, ids: string[]): Promise<StoredRoleDefinition[]> {
  const now = performance.now();
  const fresh = (id: string) => {
    const entry = known.get(id);
    return entry !== undefined && now - entry.at < RECENT_MS;
  };
  const builtins = ids.flatMap((id) => findBuiltinRole(id) ?? []);
  const custom = [...new Set(ids.filter((id) => !findBuiltinRole(id)))];
  const missing = custom.filter((id) => !fresh(id));
  if (missing.length > 0) {
    const read = new Map(
      (await getObjectItems(svc.table, missing))
        .filter((item) => item.type === 'roleDefinition')
        .map((item) => parseStored(item, storedRoleDefinitionSchema).data)
        .map((role) => [role.id, role]),
    );
    if (known.size + missing.length > LIMIT) known.clear();
    for (const id of missing) known.set(id, { at: now, role: read.get(id) });
  }
  return [...builtins, ...custom.flatMap((id) => known.get(id)?.role ?? [])];
}

/** A change to a custom role made in this process applies here at once; no id forgets every role (tests). */
export function forgetRoleDefinition(id?: string): void {
  if (id === undefined) known.clear();
  else known.delete(id);
}
