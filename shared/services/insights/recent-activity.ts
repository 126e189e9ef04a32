/**
 * What happened lately to directory roles, from the role requests: activations (selfActivate requests
 * that took effect) and administrators' new assignments (adminAssign requests that took effect). Shared
 * by the insights overview and the weekly digest, so both count the same way.
 */
import type { RoleRequest } from '../../contracts/role-requests.ts';
import { isActivation, isNewAssignment } from '../../domain/insights/figures.ts';
import { roleRequestsCreatedSince } from '../../store/insight-reads.ts';
import type { Services } from '../context.ts';
import { directoryRolesAmong, type DirectoryRole } from './directory-holdings.ts';

export interface RecentActivity {
  /** Activations of directory roles created since the instant asked. */
  activations: RoleRequest[];
  /** New eligible and active assignments of directory roles, by an administrator, since then. */
  newAssignments: RoleRequest[];
  roles: Map<string, DirectoryRole>;
}

export async function recentActivity(svc: Services, since: Date): Promise<RecentActivity> {
  const [eligibility, assignment] = await Promise.all([
    roleRequestsCreatedSince(svc.table, 'eligibility', since),
    roleRequestsCreatedSince(svc.table, 'assignment', since),
  ]);
  const all = [...eligibility, ...assignment];
  const roles = await directoryRolesAmong(
    svc,
    all.map((r) => r.roleDefinitionId),
  );
  const directory = all.filter((r) => roles.has(r.roleDefinitionId));
  return { activations: directory.filter(isActivation), newAssignments: directory.filter(isNewAssignment), roles };
}
