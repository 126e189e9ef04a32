/** `$expand=principal,roleDefinition,activatedUsing` on role-management objects: one batch read per relationship. */
import { BadRequestError } from '../../../domain/errors.ts';
import type { Services } from '../../context.ts';
import { expandActivatedUsing, type PresentSchedule } from './activated-using.ts';
import { directoryObjects } from '../../directory/groups.ts';
import { getRoleDefinitions } from '../../role-definitions.ts';
import { roleDefinitionView, type StoredRoleDefinition } from '../../../contracts/role-definitions.ts';

const EXPANDABLE = ['principal', 'roleDefinition', 'activatedUsing'] as const;
type Expandable = (typeof EXPANDABLE)[number];

export function parseExpand<E extends string = Expandable>(expand: string | undefined, offered: readonly E[] = EXPANDABLE as unknown as E[]): E[] {
  if (!expand) return [];
  const wanted = expand
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const unknown = wanted.filter((e) => !offered.includes(e as E));
  if (unknown.length > 0) throw new BadRequestError(`$expand supports ${offered.join(', ')}; not ${unknown.join(', ')}.`, 'Request_UnsupportedQuery');
  return wanted as E[];
}

/** An expanded role definition as v1.0 has it; an AWS role keeps its own shape (roleManagement/aws is Stint's). */
const expandedRole = (role: StoredRoleDefinition | undefined) => (!role ? null : role.kind === 'aws' ? role : roleDefinitionView(role));

export async function expandItems<T extends { principalId: string; roleDefinitionId: string }>(
  svc: Services,
  items: T[],
  expand: Expandable[],
  present: PresentSchedule,
): Promise<T[]> {
  if (expand.length === 0 || items.length === 0) return items;
  if (expand.includes('activatedUsing')) items = await expandActivatedUsing(svc, items, present);
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
    ...(expand.includes('roleDefinition') ? { roleDefinition: expandedRole(roleById.get(item.roleDefinitionId)) } : {}),
  }));
}
