/**
 * Entra's "who can perform sensitive actions": a principal that holds, is eligible for, or could hold
 * through a group a privileged role is changed or deleted only by the highest roles. Membership or
 * ownership of a role-assignable group counts whatever the group holds today, because a role can be given
 * to the group at any moment and reaches its members at once.
 */
import { groupAccessOf, isGroupAccess } from '../../domain/group-access.ts';
import { hasEnded } from '../../domain/schedule.ts';
import { getObjectItems } from '../../store/directory-objects.ts';
import { principalPartition } from '../../store/role-schedules.ts';
import type { Services } from '../context.ts';
import { getRoleDefinitions } from '../role-definitions.ts';

/** Why the principal is privileged, as a phrase ("holds … Global Administrator"), or undefined when it is not. */
export async function privilegeOf(svc: Services, principalId: string): Promise<string | undefined> {
  const now = svc.clock.now();
  const { schedules, groupIds } = await principalPartition(svc.table, principalId);
  // Planned and eligible access counts as much as access in force: both become power without a directory change.
  const live = schedules.map((s) => s.data).filter((s) => !hasEnded(s, now));
  const roleIds = [...new Set(live.filter((s) => !isGroupAccess(s)).map((s) => s.roleDefinitionId))];
  const role = (await getRoleDefinitions(svc, roleIds)).find((r) => r.isPrivileged);
  if (role) return `holds or is eligible for the privileged role ${role.displayName}`;
  const pimGroupIds = live.flatMap((s) => groupAccessOf(s)?.groupId ?? []);
  const groups = await getObjectItems(svc.table, [...groupIds, ...pimGroupIds]);
  const carrier = groups.find((g) => g.type === 'group' && (g.data as { isAssignableToRole?: boolean }).isAssignableToRole === true);
  if (carrier) return `is a member, eligible member or owner of the role-assignable group '${(carrier.data as { displayName: string }).displayName}'`;
  return undefined;
}
