/**
 * One group under PIM for groups: its member and owner schedules (eligible, active, ended in the last 30
 * days) with the principals' names, the roles the group itself holds, and admin requests in Graph's shape.
 */
import type { Api } from '../../api/client.ts';
import { GROUPS_PIM, odataString, query, ROLES } from '../../api/paths.ts';
import { resolvePrincipals } from '../../components/principal-names.ts';
import type { Principal } from '../../components/principal-search.tsx';
import { durationHours } from '../../components/time.tsx';

export type AccessId = 'member' | 'owner';
export type Level = 'eligibility' | 'assignment';

interface RequestRow {
  id: string;
  action: string;
  status: string;
  principalId: string;
  accessId: AccessId;
  targetScheduleId?: string | null;
  scheduleInfo?: { startDateTime?: string | null; expiration?: { endDateTime?: string | null; duration?: string | null; type?: string } | null };
}

interface ScheduleRow {
  id: string;
  principalId: string;
  accessId: AccessId;
  groupId: string;
  memberType?: string;
  assignmentType?: string;
  status?: string;
  principal?: { displayName?: string; userPrincipalName?: string } | null;
  scheduleInfo?: { startDateTime?: string | null; expiration?: { endDateTime?: string | null; type?: string } | null };
}

export interface GroupAssignment {
  id: string;
  level: Level;
  accessId: AccessId;
  principalId: string;
  principal: Principal;
  memberType: string;
  /** 'Eligible', 'Assigned' or 'Activated'. */
  state: string;
  startDateTime?: string | null;
  endDateTime: string | null;
}

export interface GroupAssignments {
  eligible: GroupAssignment[];
  active: GroupAssignment[];
  expired: GroupAssignment[];
}

const EXPIRED_SHOWN_MS = 30 * 86_400_000;

function endOf(s: ScheduleRow): string | null {
  return s.scheduleInfo?.expiration?.endDateTime ?? null;
}

/** When a request's schedule ends: its end, or its start plus its duration; null for no end. */
function requestEnd(r: RequestRow): string | null {
  const e = r.scheduleInfo?.expiration;
  if (e?.endDateTime) return e.endDateTime;
  const hours = durationHours(e?.duration ?? undefined);
  const start = r.scheduleInfo?.startDateTime;
  return hours !== undefined && start ? new Date(Date.parse(start) + hours * 3_600_000).toISOString() : null;
}

const ADMIN_GRANTS = new Set(['adminAssign', 'adminUpdate', 'adminExtend', 'adminRenew']);

/**
 * Ended schedules leave the schedule lists, so Expired assignments come from the admin requests that
 * created them: the latest per person, access and level, ended in the last 30 days, with nothing in force now.
 */
function expiredFrom(requests: RequestRow[], level: Level, live: ScheduleRow[], now: number): ScheduleRow[] {
  const latest = new Map<string, { r: RequestRow; end: string }>();
  for (const r of requests) {
    if (!ADMIN_GRANTS.has(r.action) || r.status !== 'Provisioned') continue;
    const end = requestEnd(r);
    if (!end) continue;
    const key = `${r.principalId}:${r.accessId}`;
    const seen = latest.get(key);
    if (!seen || end > seen.end) latest.set(key, { r, end });
  }
  return [...latest.values()]
    .filter(
      ({ r, end }) =>
        Date.parse(end) <= now && now - Date.parse(end) <= EXPIRED_SHOWN_MS && !live.some((s) => s.principalId === r.principalId && s.accessId === r.accessId),
    )
    .map(({ r, end }) => ({
      id: r.targetScheduleId ?? r.id,
      principalId: r.principalId,
      accessId: r.accessId,
      groupId: '',
      memberType: 'direct',
      assignmentType: level === 'assignment' ? 'Assigned' : undefined,
      scheduleInfo: { startDateTime: r.scheduleInfo?.startDateTime, expiration: { endDateTime: end } },
    }));
}

export async function loadGroupAssignments(api: Api, groupId: string, now = Date.now()): Promise<GroupAssignments> {
  const byGroup = `groupId eq ${odataString(groupId)}`;
  const q = query({ $filter: byGroup, $expand: 'principal' });
  const rq = query({ $filter: byGroup });
  const [eligibility, assignment, eligibilityRequests, assignmentRequests] = await Promise.all([
    api.all<ScheduleRow>(`${GROUPS_PIM}/eligibilitySchedules${q}`),
    api.all<ScheduleRow>(`${GROUPS_PIM}/assignmentSchedules${q}`),
    api.all<RequestRow>(`${GROUPS_PIM}/eligibilityScheduleRequests${rq}`),
    api.all<RequestRow>(`${GROUPS_PIM}/assignmentScheduleRequests${rq}`),
  ]);
  const endedEligibility = expiredFrom(eligibilityRequests, 'eligibility', eligibility, now);
  const endedAssignment = expiredFrom(assignmentRequests, 'assignment', assignment, now);
  // The API may answer without `principal`; the names are then read once per distinct id.
  const bare = [...eligibility, ...assignment, ...endedEligibility, ...endedAssignment].filter((s) => !s.principal?.displayName).map((s) => s.principalId);
  const names = bare.length ? await resolvePrincipals(api, bare) : new Map<string, Principal>();
  const view = (s: ScheduleRow, level: Level): GroupAssignment => ({
    id: s.id,
    level,
    accessId: s.accessId,
    principalId: s.principalId,
    principal: s.principal?.displayName
      ? { id: s.principalId, type: 'user', displayName: s.principal.displayName, detail: s.principal.userPrincipalName }
      : (names.get(s.principalId) ?? { id: s.principalId, type: 'user', displayName: s.principalId }),
    memberType: s.memberType ?? 'direct',
    state: level === 'eligibility' ? 'Eligible' : capitalized(s.assignmentType ?? 'Assigned'),
    startDateTime: s.scheduleInfo?.startDateTime,
    endDateTime: endOf(s),
  });
  const ended = (s: ScheduleRow) => {
    const end = endOf(s);
    return end !== null && Date.parse(end) <= now;
  };
  return {
    eligible: eligibility.filter((s) => !ended(s)).map((s) => view(s, 'eligibility')),
    active: assignment.filter((s) => !ended(s)).map((s) => view(s, 'assignment')),
    expired: [
      ...[...eligibility.filter(ended), ...endedEligibility].map((s) => view(s, 'eligibility')),
      ...[...assignment.filter(ended), ...endedAssignment].map((s) => view(s, 'assignment')),
    ].filter((a) => a.endDateTime && now - Date.parse(a.endDateTime) <= EXPIRED_SHOWN_MS),
  };
}

// Group schedules spell assignmentType in lower case ('assigned', 'activated'); the page shows Graph's enum words.
function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface GrantedRole {
  id: string;
  roleName: string;
  directoryScopeId: string;
  type: 'Eligible' | 'Active';
  endDateTime: string | null;
}

interface RoleScheduleRow {
  id: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  roleDefinition?: { displayName?: string } | null;
  scheduleInfo?: { expiration?: { endDateTime?: string | null } | null };
  endDateTime?: string | null;
}

/** The roles this (role-assignable) group holds or is eligible for: what its members get with it. */
export async function loadGrantedRoles(api: Api, groupId: string): Promise<GrantedRole[]> {
  const q = query({ $filter: `principalId eq ${odataString(groupId)}`, $expand: 'roleDefinition' });
  const [active, eligible] = await Promise.all([
    api.all<RoleScheduleRow>(`${ROLES}/roleAssignmentSchedules${q}`),
    api.all<RoleScheduleRow>(`${ROLES}/roleEligibilitySchedules${q}`),
  ]);
  const view = (r: RoleScheduleRow, type: GrantedRole['type']): GrantedRole => ({
    id: r.id,
    roleName: r.roleDefinition?.displayName ?? r.roleDefinitionId,
    directoryScopeId: r.directoryScopeId,
    type,
    endDateTime: r.scheduleInfo?.expiration?.endDateTime ?? r.endDateTime ?? null,
  });
  return [...active.map((r) => view(r, 'Active')), ...eligible.map((r) => view(r, 'Eligible'))];
}

export type AdminAction = 'adminAssign' | 'adminRemove' | 'adminExtend' | 'adminRenew' | 'adminUpdate';

export function requestPath(level: Level): string {
  return `${GROUPS_PIM}/${level === 'eligibility' ? 'eligibilityScheduleRequests' : 'assignmentScheduleRequests'}`;
}

/** An admin request on a group membership or ownership, as Graph takes it. */
export function adminRequest(input: {
  action: AdminAction;
  groupId: string;
  accessId: AccessId;
  principalId: string;
  justification?: string;
  start?: string;
  /** null: permanent. */
  end?: string | null;
  isValidationOnly?: boolean;
}): Record<string, unknown> {
  const body: Record<string, unknown> = {
    action: input.action,
    groupId: input.groupId,
    accessId: input.accessId,
    principalId: input.principalId,
  };
  if (input.justification) body.justification = input.justification;
  if (input.action !== 'adminRemove') {
    body.scheduleInfo = {
      startDateTime: input.start ?? new Date().toISOString(),
      expiration: input.end ? { type: 'afterDateTime', endDateTime: input.end } : { type: 'noExpiration' },
    };
  }
  if (input.isValidationOnly) body.isValidationOnly = true;
  return body;
}
