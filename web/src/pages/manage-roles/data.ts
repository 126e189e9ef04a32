/**
 * Manage → Roles, from the API: role definitions, a role's schedules (who is eligible, who is assigned,
 * whose assignment ended lately), and the administrators' requests that change them, in Graph's shape.
 */
import { POLICY_ASSIGNMENTS, ROLES, odataString, query, ROLE_DEFINITIONS } from '../../api/paths.ts';

export interface RoleDefinition {
  id: string;
  displayName: string;
  description?: string | null;
  isBuiltIn?: boolean;
  isPrivileged?: boolean;
}

export type AssignmentView = 'eligible' | 'active' | 'expired';
export type Level = 'eligibility' | 'assignment';

export interface Principal {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  appId?: string | null;
}

export interface Schedule {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  memberType: string;
  status: string;
  assignmentType?: string;
  createdDateTime?: string;
  scheduleInfo?: { startDateTime?: string | null; expiration?: { type?: string; endDateTime?: string | null; duration?: string | null } | null } | null;
  principal?: Principal | null;
}

export const EXPIRED_SHOWN_DAYS = 30;

const SCHEDULES: Record<Level, string> = {
  eligibility: `${ROLES}/roleEligibilitySchedules`,
  assignment: `${ROLES}/roleAssignmentSchedules`,
};

export const REQUESTS: Record<Level, string> = {
  eligibility: `${ROLES}/roleEligibilityScheduleRequests`,
  assignment: `${ROLES}/roleAssignmentScheduleRequests`,
};

export function levelOf(view: AssignmentView | 'eligible' | 'active', schedule?: Schedule): Level {
  if (view === 'eligible') return 'eligibility';
  if (view === 'active') return 'assignment';
  return schedule?.assignmentType ? 'assignment' : 'eligibility';
}

export const PAGE_SIZE = 50;

/** The first page of a role's assignments of one kind, paged on the server by @odata.nextLink. */
export function assignmentsPath(roleId: string, view: AssignmentView, level: Level, top = PAGE_SIZE, now = Date.now()): string {
  let filter = `roleDefinitionId eq ${odataString(roleId)}`;
  // Graph lists only current and planned schedules; asked for status eq 'Expired', Stint lists the ended ones.
  if (view === 'expired')
    filter += ` and status eq 'Expired' and scheduleInfo/expiration/endDateTime ge ${new Date(now - EXPIRED_SHOWN_DAYS * 86_400_000).toISOString()}`;
  return `${SCHEDULES[level]}${query({ $filter: filter, $expand: 'principal', $top: top })}`;
}

/** Just enough of a role's schedules to count them: ids only, the largest page the API gives. */
export function countPath(roleId: string, level: Level): string {
  return `${SCHEDULES[level]}${query({ $filter: `roleDefinitionId eq ${odataString(roleId)}`, $select: 'id', $top: COUNT_PAGE })}`;
}

export const COUNT_PAGE = 999;

export function rolesPath(options: { privileged: boolean; search: string }): string {
  const filters: string[] = [];
  if (options.privileged) filters.push('isPrivileged eq true');
  const text = options.search.trim();
  if (text) {
    // The API compares case-sensitively; Entra's names are in title case, so try the text as typed and capitalised.
    const variants = [...new Set([text, text.charAt(0).toUpperCase() + text.slice(1)])];
    filters.push(`(${variants.map((v) => `contains(displayName,${odataString(v)})`).join(' or ')})`);
  }
  return `${ROLE_DEFINITIONS}${query({ $filter: filters.join(' and ') || undefined, $top: PAGE_SIZE })}`;
}

export function rolePath(roleId: string): string {
  return `${ROLE_DEFINITIONS}/${encodeURIComponent(roleId)}`;
}

export function rolePolicyPath(roleId: string): string {
  const filter = `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq ${odataString(roleId)}`;
  return `${POLICY_ASSIGNMENTS}${query({ $filter: filter, $expand: 'policy($expand=rules)' })}`;
}

export type PrincipalType = 'User' | 'Group' | 'Service principal';

export function principalType(p: Principal | null | undefined, id?: string): PrincipalType {
  const t = p?.['@odata.type'] ?? '';
  if (t.endsWith('group') || (!t && id?.startsWith('grp_'))) return 'Group';
  if (t.endsWith('servicePrincipal') || (!t && id?.startsWith('spn_'))) return 'Service principal';
  return 'User';
}

/** Entra's "Principal name": a user's sign-in name, a group's mail, a service principal's application id. */
export function principalName(p: Principal | null | undefined): string {
  return p?.userPrincipalName ?? p?.mail ?? p?.appId ?? '';
}

export function scopeLabel(scope: string): string {
  if (scope === '/') return 'Directory';
  const unit = /^\/administrativeUnits\/(.+)$/.exec(scope);
  return unit ? `Administrative unit ${unit[1]}` : scope;
}

export function startOf(s: Schedule): string | null {
  return s.scheduleInfo?.startDateTime ?? null;
}

export function endOf(s: Schedule): string | null {
  return s.scheduleInfo?.expiration?.endDateTime ?? null;
}

/** Entra's State column: Assigned or Activated for active assignments; scheduled ones say so. */
export function stateOf(s: Schedule, view: AssignmentView, now = Date.now()): string {
  if (view === 'expired' || s.status === 'Expired') return 'Expired';
  const start = startOf(s);
  if (start && Date.parse(start) > now) return 'Scheduled';
  if (view === 'eligible') return 'Eligible';
  return s.assignmentType === 'Activated' ? 'Activated' : 'Assigned';
}

export type AdminAction = 'adminAssign' | 'adminUpdate' | 'adminRemove' | 'adminExtend' | 'adminRenew';

export interface ScheduleInfo {
  startDateTime?: string;
  expiration: { type: 'noExpiration' } | { type: 'afterDateTime'; endDateTime: string };
}

/** An administrator's request in Graph's shape. */
export function adminRequest(
  level: Level,
  action: AdminAction,
  target: { principalId: string; roleDefinitionId: string; directoryScopeId: string },
  extra: { justification?: string; scheduleInfo?: ScheduleInfo; isValidationOnly?: boolean } = {},
): { path: string; body: Record<string, unknown> } {
  const body: Record<string, unknown> = { action, ...target };
  if (extra.justification) body.justification = extra.justification;
  if (extra.scheduleInfo) body.scheduleInfo = extra.scheduleInfo;
  if (extra.isValidationOnly) body.isValidationOnly = true;
  return { path: REQUESTS[level], body };
}
