/** `$expand=principal,roleDefinition` on role-management objects: one batch read per relationship. */
import { BadRequestError } from '../../../domain/errors.ts';
import type { Services } from '../../context.ts';
import { directoryObjects } from '../../directory/groups.ts';
import { getRoleDefinitions } from '../../role-definitions.ts';

const EXPANDABLE = ['principal', 'roleDefinition'] as const;
type Expandable = (typeof EXPANDABLE)[number];

export function parseExpand(expand: string | undefined): Expandable[] {
  if (!expand) return [];
  const wanted = expand
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const unknown = wanted.filter((e) => !EXPANDABLE.includes(e as Expandable));
  if (unknown.length > 0) throw new BadRequestError(`$expand supports ${EXPANDABLE.join(', ')}; not ${unknown.join(', ')}.`, 'Request_UnsupportedQuery');
  return wanted as Expandable[];
}

export async function expandItems<T extends { principalId: string; roleDefinitionId: string }>(svc: Services, items: T[], expand: Expandable[]): Promise<T[]> {
  if (expand.length === 0 || items.length === 0) return items;
  const [principals, roles] = await Promise.all([
    expand.includes('principal')
      ? directoryObjects(
          svc,
          items.map((i) => i.principalId),
        )
      : Promise.resolve([]),
    expand.includes('roleDefinition') ? getRoleDefinitions(svc, [...new Set(items.map((i) => i.roleDefinitionId))]) : Promise.resolve([]),
  ]);
  const principalById = new Map(principals.map((p) => [String(p.id), p]));
  const roleById = new Map(roles.map((r) => [r.id, r]));
  return items.map((item) => ({
    ...item,
    ...(expand.includes('principal') ? { principal: principalById.get(item.principalId) ?? null } : {}),
    ...(expand.includes('roleDefinition') ? { roleDefinition: roleById.get(item.roleDefinitionId) ?? null } : {}),
  }));
}
