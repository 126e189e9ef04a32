/**
 * "There are too many Global Administrators": raised when the principals holding an active Global
 * Administrator assignment now (directly, or as members of a group holding one) are at least
 * `globalAdminCountThreshold` AND at least `percentageOfGlobalAdminsOutOfRolesThreshold` percent of the
 * principals holding any active directory role the same ways. Both must be met. One incident per Global
 * Administrator; the remedy converts a direct admin-assigned active assignment to an eligible one (none
 * for those who hold it only through a group or an activation).
 */
import { BUILTIN_ROLE_IDS } from '../builtin-roles.ts';
import type { AlertSchedule } from './snapshot.ts';
import { assigneeProperties, type SnapshotIndex } from './snapshot-index.ts';
import { incidentId } from './incident-id.ts';
import { numberSetting } from './settings.ts';
import type { AlertConfig, Incident, Remedy } from './types.ts';

const TYPE = 'TooManyGlobalAdminsAssignedToTenantAlert';
const GLOBAL_ADMINISTRATOR = BUILTIN_ROLE_IDS.globalAdministrator;

export function evaluateGlobalAdmins(index: SnapshotIndex, config: AlertConfig): Incident[] {
  const countThreshold = numberSetting(TYPE, config, 'globalAdminCountThreshold');
  const percentThreshold = numberSetting(TYPE, config, 'percentageOfGlobalAdminsOutOfRolesThreshold');
  const active = index.inForce.filter((s) => s.kind === 'assignment' && index.role(s.roleDefinitionId));
  const isGlobalAdmin = (s: AlertSchedule) => index.role(s.roleDefinitionId)?.templateId.toLowerCase() === GLOBAL_ADMINISTRATOR;
  const admins = holders(index, active.filter(isGlobalAdmin));
  const withAnyRole = holders(index, active);
  // Whole numbers: count / total >= percent / 100, without rounding.
  const raised = admins.size > 0 && admins.size >= countThreshold && admins.size * 100 >= percentThreshold * withAnyRole.size;
  if (!raised) return [];
  return [...admins].map((principalId) => ({
    id: incidentId(TYPE, principalId),
    alertType: TYPE,
    properties: assigneeProperties(index, principalId),
    remedy: convertible(principalId, active.filter(isGlobalAdmin)),
  }));
}

/** The principals the schedules give a role now: their own principals, and for a group, its members now. */
function holders(index: SnapshotIndex, schedules: AlertSchedule[]): Set<string> {
  const found = new Set<string>();
  for (const s of schedules) {
    if (s.principalType !== 'group') found.add(s.principalId);
    else for (const m of index.membersNow(s.principalId)) found.add(m.id);
  }
  return found;
}

function convertible(principalId: string, schedules: AlertSchedule[]): Remedy | null {
  const own = schedules
    .filter((s) => s.principalId === principalId && s.assignmentType === 'Assigned')
    // The tenant-wide one first, then any other, in a fixed order.
    .sort((a, b) => Number(b.directoryScopeId === '/') - Number(a.directoryScopeId === '/') || (a.id < b.id ? -1 : 1))[0];
  return own
    ? { kind: 'convertToEligible', scheduleId: own.id, principalId, roleDefinitionId: own.roleDefinitionId, directoryScopeId: own.directoryScopeId }
    : null;
}
