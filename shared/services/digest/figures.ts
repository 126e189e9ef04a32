/**
 * Gathers the weekly digest's figures: the last seven days' activations and new assignments of directory
 * roles (counted as the insights overview counts them), the open alerts, role requests that have waited
 * for approval for more than a day, and the access reviews in progress.
 */
import type { DigestFigures } from '../../domain/digest/figures.ts';
import { isoWeekOf } from '../../domain/digest/schedule.ts';
import { getInstance } from '../../store/access-reviews.ts';
import { pendingRoleRequestsCreatedBefore, reviewDefinitionsUnderWay } from '../../store/insight-reads.ts';
import type { Services } from '../context.ts';
import { principalFacts } from '../insights/directory-holdings.ts';
import { recentActivity } from '../insights/recent-activity.ts';
import { getRoleDefinitions } from '../role-definitions.ts';
import { openAlertCounts } from './open-alerts.ts';

const DAY_MS = 86_400_000;
/** How many roles and requests the email names; the rest are counted. */
const NAMED = 5;

async function pendingApprovals(svc: Services, now: Date): Promise<DigestFigures['pendingApprovals']> {
  const before = new Date(now.getTime() - DAY_MS);
  const pending = (
    await Promise.all([pendingRoleRequestsCreatedBefore(svc.table, 'eligibility', before), pendingRoleRequestsCreatedBefore(svc.table, 'assignment', before)])
  )
    .flat()
    .sort((a, b) => a.createdDateTime.localeCompare(b.createdDateTime));
  const oldest = pending.slice(0, NAMED);
  const [who, roles] = await Promise.all([
    principalFacts(
      svc,
      oldest.map((r) => r.principalId),
    ),
    getRoleDefinitions(svc, [...new Set(oldest.map((r) => r.roleDefinitionId))]),
  ]);
  const roleName = new Map(roles.map((r) => [r.id, r.displayName]));
  return {
    total: pending.length,
    oldest: oldest.map((r) => ({
      requestId: r.id,
      principalDisplayName: who.get(r.principalId)?.displayName ?? r.principalId,
      roleDisplayName: roleName.get(r.roleDefinitionId) ?? r.roleDefinitionId,
      createdDateTime: r.createdDateTime,
    })),
  };
}

async function reviewsDue(svc: Services): Promise<DigestFigures['reviewsDue']> {
  const definitions = await reviewDefinitionsUnderWay(svc.table);
  const instances = await Promise.all(definitions.map(async (d) => ({ d, instance: await getInstance(svc.table, d.id, d.currentInstanceId!) })));
  return instances
    .filter(({ instance }) => instance?.data.status === 'InProgress')
    .map(({ d, instance }) => ({ reviewName: d.displayName, definitionId: d.id, instanceId: instance!.data.id, endDateTime: instance!.data.endDateTime }))
    .sort((a, b) => a.endDateTime.localeCompare(b.endDateTime));
}

export async function digestFigures(svc: Services, now: Date): Promise<DigestFigures> {
  const since = new Date(now.getTime() - 7 * DAY_MS);
  const [activity, openAlerts, approvals, reviews] = await Promise.all([
    recentActivity(svc, since),
    openAlertCounts(svc),
    pendingApprovals(svc, now),
    reviewsDue(svc),
  ]);
  const perRole = new Map<string, number>();
  for (const r of activity.activations) perRole.set(r.roleDefinitionId, (perRole.get(r.roleDefinitionId) ?? 0) + 1);
  return {
    week: isoWeekOf(now).id,
    periodStart: since.toISOString(),
    periodEnd: now.toISOString(),
    activations: {
      total: activity.activations.length,
      byRole: [...perRole]
        .map(([id, count]) => ({ roleDisplayName: activity.roles.get(id)?.displayName ?? id, count }))
        .sort((a, b) => b.count - a.count || a.roleDisplayName.localeCompare(b.roleDisplayName))
        .slice(0, NAMED),
    },
    newAssignments: {
      eligible: activity.newAssignments.filter((r) => r.kind === 'eligibility').length,
      active: activity.newAssignments.filter((r) => r.kind === 'assignment').length,
    },
    openAlerts,
    pendingApprovals: approvals,
    reviewsDue: reviews,
  };
}
