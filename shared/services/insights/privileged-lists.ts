/**
 * The lists behind Discovery and insights' three actions: the Global Administrators ("Reduce Global
 * Administrators"), the standing active assignments of privileged directory roles ("Eliminate standing
 * access") and the service principals holding privileged directory roles ("Review service principals").
 * One item shape for all three, so a page shows them alike. For readers only.
 */
import { BUILTIN_ROLE_IDS } from '../../domain/builtin-roles.ts';
import { isLive, isStandingActive, standingOf, type Standing } from '../../domain/insights/figures.ts';
import type { ScheduleSummary } from '../../store/schedule-summaries.ts';
import { schedulesOfRole } from '../../store/role-schedules.ts';
import { requirePermission } from '../authorize.ts';
import type { Actor, Services } from '../context.ts';
import { directoryHoldings, directoryRolesAmong, principalFacts, type DirectoryRole } from './directory-holdings.ts';

export interface PrivilegedAssignment {
  /** The schedule's id: what the actions take. */
  id: string;
  scheduleKind: 'eligibility' | 'assignment';
  /** permanentActive, timeBoundActive or eligible (activated only where an activation is listed). */
  standing: Standing;
  principalId: string;
  principalType: ScheduleSummary['principalType'];
  principalDisplayName: string | null;
  userPrincipalName: string | null;
  appId: string | null;
  roleDefinitionId: string;
  roleDisplayName: string;
  isPrivileged: boolean;
  directoryScopeId: string;
  createdDateTime: string;
  startDateTime: string;
  endDateTime: string | null;
  /** The principal's latest activation of this role still on record (activations are kept 45 days past their end). */
  lastActivationDateTime: string | null;
  lastSignInDateTime: string | null;
}

const byPrincipalName = (a: PrivilegedAssignment, b: PrivilegedAssignment) =>
  (a.principalDisplayName ?? a.principalId).localeCompare(b.principalDisplayName ?? b.principalId) || a.id.localeCompare(b.id);

/** The latest activation per principal and role, from the activation schedules among `schedules`. */
function lastActivations(schedules: readonly ScheduleSummary[]): Map<string, string> {
  const last = new Map<string, string>();
  for (const s of schedules) {
    if (s.assignmentType !== 'Activated') continue;
    const key = `${s.principalId}|${s.roleDefinitionId}`;
    if ((last.get(key) ?? '') < s.startDateTime) last.set(key, s.startDateTime);
  }
  return last;
}

async function views(
  svc: Services,
  picked: readonly ScheduleSummary[],
  all: readonly ScheduleSummary[],
  roles: Map<string, DirectoryRole>,
): Promise<PrivilegedAssignment[]> {
  const facts = await principalFacts(
    svc,
    picked.map((s) => s.principalId),
  );
  const activations = lastActivations(all);
  return picked
    .map((s): PrivilegedAssignment => {
      const who = facts.get(s.principalId);
      const role = roles.get(s.roleDefinitionId);
      return {
        id: s.id,
        scheduleKind: s.kind,
        standing: standingOf(s),
        principalId: s.principalId,
        principalType: s.principalType,
        principalDisplayName: who?.displayName ?? null,
        userPrincipalName: who?.userPrincipalName ?? null,
        appId: who?.appId ?? null,
        roleDefinitionId: s.roleDefinitionId,
        roleDisplayName: role?.displayName ?? s.roleDefinitionId,
        isPrivileged: role?.isPrivileged ?? false,
        directoryScopeId: s.directoryScopeId,
        createdDateTime: s.createdDateTime,
        startDateTime: s.startDateTime,
        endDateTime: s.endDateTime,
        lastActivationDateTime: activations.get(`${s.principalId}|${s.roleDefinitionId}`) ?? null,
        lastSignInDateTime: who?.lastSignInDateTime ?? null,
      };
    })
    .sort(byPrincipalName);
}

/** Every live eligible and admin-made active Global Administrator assignment (activations show as lastActivationDateTime). */
export async function listGlobalAdministrators(svc: Services, actor: Actor): Promise<PrivilegedAssignment[]> {
  await requirePermission(svc, actor, 'roleAssignments.readAll');
  const now = svc.clock.now();
  const [eligible, active] = await Promise.all([
    schedulesOfRole(svc.table, BUILTIN_ROLE_IDS.globalAdministrator, 'eligibility'),
    schedulesOfRole(svc.table, BUILTIN_ROLE_IDS.globalAdministrator, 'assignment'),
  ]);
  const all = [...eligible, ...active].map((s) => s.data);
  const roles = await directoryRolesAmong(svc, [BUILTIN_ROLE_IDS.globalAdministrator]);
  return views(
    svc,
    all.filter((s) => isLive(s, now) && s.assignmentType !== 'Activated'),
    all,
    roles,
  );
}

/**
 * Live admin-made active assignments, permanent or time-bound, of privileged directory roles held by users
 * and groups (service principals cannot activate, so they are reviewed in their own list).
 */
export async function listStandingAccess(svc: Services, actor: Actor): Promise<PrivilegedAssignment[]> {
  await requirePermission(svc, actor, 'roleAssignments.readAll');
  const now = svc.clock.now();
  const { schedules, roles } = await directoryHoldings(svc);
  const picked = schedules.filter(
    (s) => isLive(s, now) && isStandingActive(s) && s.principalType !== 'servicePrincipal' && roles.get(s.roleDefinitionId)?.isPrivileged,
  );
  return views(svc, picked, schedules, roles);
}

/** Live eligible and active assignments of privileged directory roles held by service principals. */
export async function listPrivilegedServicePrincipals(svc: Services, actor: Actor): Promise<PrivilegedAssignment[]> {
  await requirePermission(svc, actor, 'roleAssignments.readAll');
  const now = svc.clock.now();
  const { schedules, roles } = await directoryHoldings(svc);
  const picked = schedules.filter((s) => isLive(s, now) && s.principalType === 'servicePrincipal' && roles.get(s.roleDefinitionId)?.isPrivileged);
  return views(svc, picked, schedules, roles);
}
