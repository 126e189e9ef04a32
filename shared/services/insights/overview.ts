/**
 * The Discovery and insights overview (Entra's PIM overview figures): activations in the last 7 days by
 * UTC day, the split of directory-role assignments (eligible, active, permanent active, activated) for
 * every directory role and for the privileged ones, new assignments in the last 30 days, the Global
 * Administrators and the service principals holding privileged roles. For readers only.
 */
import { BUILTIN_ROLE_IDS } from '../../domain/builtin-roles.ts';
import { countAssignments, countByDay, isLive, type AssignmentCounts, type DayCount } from '../../domain/insights/figures.ts';
import { requirePermission } from '../authorize.ts';
import type { Actor, Services } from '../context.ts';
import { directoryHoldings } from './directory-holdings.ts';
import { recentActivity } from './recent-activity.ts';

export interface InsightsOverview {
  generatedDateTime: string;
  /** Seven UTC days ending today, oldest first; days without activations are 0. */
  activationsLast7Days: DayCount[];
  directoryRoleAssignments: AssignmentCounts;
  privilegedRoleAssignments: AssignmentCounts;
  /** Administrators' new assignments (adminAssign that took effect) in the last 30 × 24 hours. */
  newAssignmentsLast30Days: { eligible: number; active: number };
  globalAdministrators: AssignmentCounts;
  /** Distinct service principals eligible for or active in a privileged directory role. */
  privilegedServicePrincipalCount: number;
}

const DAY_MS = 86_400_000;

export async function insightsOverview(svc: Services, actor: Actor): Promise<InsightsOverview> {
  await requirePermission(svc, actor, 'roleAssignments.readAll');
  const now = svc.clock.now();
  const since30 = new Date(now.getTime() - 30 * DAY_MS);
  // Thirty days back covers the seven days of activations too.
  const [holdings, activity] = await Promise.all([directoryHoldings(svc), recentActivity(svc, since30)]);
  const privileged = holdings.schedules.filter((s) => holdings.roles.get(s.roleDefinitionId)?.isPrivileged);
  const recent = activity.newAssignments.filter((r) => Date.parse(r.createdDateTime) >= since30.getTime());
  return {
    generatedDateTime: now.toISOString(),
    activationsLast7Days: countByDay(
      activity.activations.map((r) => r.createdDateTime),
      now,
      7,
    ),
    directoryRoleAssignments: countAssignments(holdings.schedules, now),
    privilegedRoleAssignments: countAssignments(privileged, now),
    newAssignmentsLast30Days: {
      eligible: recent.filter((r) => r.kind === 'eligibility').length,
      active: recent.filter((r) => r.kind === 'assignment').length,
    },
    globalAdministrators: countAssignments(
      holdings.schedules.filter((s) => s.roleDefinitionId === BUILTIN_ROLE_IDS.globalAdministrator),
      now,
    ),
    privilegedServicePrincipalCount: new Set(privileged.filter((s) => s.principalType === 'servicePrincipal' && isLive(s, now)).map((s) => s.principalId)).size,
  };
}
