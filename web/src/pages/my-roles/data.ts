/**
 * My roles, from the API: eligible and active instances of the signed-in person (roles, groups or AWS
 * roles), the schedules that ended in the last 30 days, and the policy of each role or group membership.
 */
import type { Api } from '../../api/client.ts';
import { AWS, GROUPS_PIM, mine, odataString, POLICY_ASSIGNMENTS, query, ROLES } from '../../api/paths.ts';
import { requirementsOf, type PolicyAssignment, type Requirements } from '../../domain/policy.ts';
import { loadAwsExtras, loadAwsRoles, type AwsAccess, type AwsContext } from './aws-data.ts';

export type Kind = 'roles' | 'groups' | 'aws';

export interface Holding {
  /** The instance's or schedule's id. */
  id: string;
  kind: Kind;
  /** Role definition id; for groups 'member' or 'owner'. */
  roleId: string;
  roleName: string;
  isPrivileged?: boolean;
  /** Directory scope; for groups the group id. */
  scope: string;
  scopeName: string;
  memberType: string;
  assignmentType?: string;
  startDateTime?: string;
  endDateTime: string | null;
  /** The rules activating it asks for; undefined until the policies are in. */
  requirements?: Requirements;
  /** AWS roles: the account and where its IAM Identity Center assignment stands. */
  aws?: AwsAccess;
}

export interface MyRoles {
  eligible: Holding[];
  active: Holding[];
  expired: Holding[];
  /** AWS roles only: the accounts an activation may name and each role's session duration. */
  aws?: AwsContext;
}

interface RoleInstance {
  id: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  startDateTime?: string;
  endDateTime: string | null;
  memberType: string;
  assignmentType?: string;
  status?: string;
  roleDefinition?: { displayName: string; isPrivileged?: boolean };
}

interface GroupInstance {
  id: string;
  groupId: string;
  accessId: 'member' | 'owner';
  startDateTime?: string;
  endDateTime: string | null;
  memberType: string;
  assignmentType?: string;
  status?: string;
  group?: { displayName: string };
}

const EXPIRED_SHOWN_DAYS = 30;

function recentlyEnded(end: string | null, now: number): boolean {
  if (!end) return false;
  const t = Date.parse(end);
  return t <= now && now - t <= EXPIRED_SHOWN_DAYS * 86_400_000;
}

/** Policies by `roleId` (tenant-wide) and `roleId@scope` (a scope with its own policy): one call per scope. */
async function rolePolicies(api: Api, scopes: string[]): Promise<Map<string, Requirements>> {
  const lists = await Promise.all(
    scopes.map(async (scope) => {
      const filter = `scopeId eq ${odataString(scope)} and scopeType eq 'DirectoryRole'`;
      const all = await api.all<PolicyAssignment>(`${POLICY_ASSIGNMENTS}${query({ $filter: filter, $expand: 'policy($expand=rules)' })}`).catch(() => []);
      return all.map((a) => [scope === '/' ? a.roleDefinitionId : `${a.roleDefinitionId}@${scope}`, requirementsOf(a.policy?.rules)] as const);
    }),
  );
  return new Map(lists.flat());
}

async function groupPolicies(api: Api, groupIds: string[]): Promise<Map<string, Requirements>> {
  const entries = await Promise.all(
    groupIds.map(async (groupId) => {
      const filter = `scopeId eq '${groupId}' and scopeType eq 'Group'`;
      const all = await api.all<PolicyAssignment>(`${POLICY_ASSIGNMENTS}${query({ $filter: filter, $expand: 'policy($expand=rules)' })}`).catch(() => []);
      return all.map((a) => [`${groupId}/${a.roleDefinitionId}`, requirementsOf(a.policy?.rules)] as const);
    }),
  );
  return new Map(entries.flat());
}

function fromRole(i: RoleInstance, policies: Map<string, Requirements>): Holding {
  return {
    id: i.id,
    kind: 'roles',
    roleId: i.roleDefinitionId,
    roleName: i.roleDefinition?.displayName ?? i.roleDefinitionId,
    isPrivileged: i.roleDefinition?.isPrivileged,
    scope: i.directoryScopeId,
    scopeName: i.directoryScopeId === '/' ? 'Directory' : i.directoryScopeId,
    memberType: i.memberType,
    assignmentType: i.assignmentType,
    startDateTime: i.startDateTime,
    endDateTime: i.endDateTime,
    requirements: policies.size
      ? (policies.get(`${i.roleDefinitionId}@${i.directoryScopeId}`) ?? policies.get(i.roleDefinitionId) ?? requirementsOf(undefined))
      : undefined,
  };
}

function fromGroup(i: GroupInstance, policies: Map<string, Requirements>): Holding {
  return {
    id: i.id,
    kind: 'groups',
    roleId: i.accessId,
    roleName: i.accessId === 'owner' ? 'Owner' : 'Member',
    scope: i.groupId,
    scopeName: i.group?.displayName ?? i.groupId,
    memberType: i.memberType,
    assignmentType: i.assignmentType,
    startDateTime: i.startDateTime,
    endDateTime: i.endDateTime,
    requirements: policies.size ? (policies.get(`${i.groupId}/${i.accessId}`) ?? requirementsOf(undefined)) : undefined,
  };
}

/** The first calls of My roles (Entra roles), which the portal may start before the page has loaded. */
export const MY_ROLES_FIRST_CALLS = [
  `${mine(`${ROLES}/roleEligibilityScheduleInstances`)}${query({ $expand: 'roleDefinition', $top: 999 })}`,
  `${mine(`${ROLES}/roleAssignmentScheduleInstances`)}${query({ $expand: 'roleDefinition', $top: 999 })}`,
] as const;

/** What the tabs show first: eligible and active (one page of up to 999 each, read in parallel). */
export async function loadMyRoles(api: Api, kind: Kind): Promise<Pick<MyRoles, 'eligible' | 'active' | 'aws'>> {
  const none = new Map<string, Requirements>();
  if (kind === 'aws') return loadAwsRoles(api);
  if (kind === 'roles') {
    const [eligible, active] = await Promise.all(MY_ROLES_FIRST_CALLS.map((path) => api.all<RoleInstance>(path)));
    return { eligible: eligible!.map((i) => fromRole(i, none)), active: active!.map((i) => fromRole(i, none)) };
  }
  const q = query({ $expand: 'group', $top: 999 });
  const [eligible, active] = await Promise.all([
    api.all<GroupInstance>(`${mine(`${GROUPS_PIM}/eligibilityScheduleInstances`)}${q}`),
    api.all<GroupInstance>(`${mine(`${GROUPS_PIM}/assignmentScheduleInstances`)}${q}`),
  ]);
  return { eligible: eligible.map((i) => fromGroup(i, none)), active: active.map((i) => fromGroup(i, none)) };
}

export interface Extras {
  /** Requirements by holdingKey-like key: see requirementsFor. */
  policies: Map<string, Requirements>;
  expired: Holding[];
}

/**
 * What can follow a moment later without holding up the first screen: each role's rules (a large answer
 * with many roles) and the assignments that ended in the last 30 days.
 */
export async function loadExtras(api: Api, kind: Kind, shown: Pick<MyRoles, 'eligible' | 'active'>, meId: string, now = Date.now()): Promise<Extras> {
  if (kind === 'aws') return loadAwsExtras(api, shown, meId, now, EXPIRED_SHOWN_DAYS);
  if (kind === 'roles') {
    const q = query({ $expand: 'roleDefinition', $top: 999 });
    const scopes = [...new Set([...shown.eligible, ...shown.active].map((h) => h.scope))];
    const [eligibleSchedules, activeSchedules, policies] = await Promise.all([
      api.all<RoleInstance>(`${mine(`${ROLES}/roleEligibilitySchedules`)}${q}`),
      api.all<RoleInstance>(`${mine(`${ROLES}/roleAssignmentSchedules`)}${q}`),
      rolePolicies(api, ['/', ...scopes.filter((x) => x !== '/')]),
    ]);
    const expired = [...eligibleSchedules, ...activeSchedules].filter((s) => recentlyEnded(s.endDateTime, now));
    return {
      policies,
      expired: expired.map((i) => ({
        ...fromRole(i, policies),
        assignmentType: eligibleSchedules.includes(i) ? 'Eligible' : (i.assignmentType ?? 'Assigned'),
      })),
    };
  }
  const q = query({ $expand: 'group', $top: 999 });
  const groupIds = [...new Set([...shown.eligible, ...shown.active].map((h) => h.scope))];
  const [eligibleSchedules, activeSchedules, policies] = await Promise.all([
    api.all<GroupInstance>(`${mine(`${GROUPS_PIM}/eligibilitySchedules`)}${q}`),
    api.all<GroupInstance>(`${mine(`${GROUPS_PIM}/assignmentSchedules`)}${q}`),
    groupPolicies(api, groupIds),
  ]);
  const expired = [...eligibleSchedules, ...activeSchedules].filter((s) => recentlyEnded(s.endDateTime, now));
  return {
    policies,
    expired: expired.map((i) => ({ ...fromGroup(i, policies), assignmentType: eligibleSchedules.includes(i) ? 'Eligible' : (i.assignmentType ?? 'Assigned') })),
  };
}

/** A holding's rules once the policies are in; undefined while they load. */
export function requirementsFor(h: Holding, policies: Map<string, Requirements> | undefined): Requirements | undefined {
  if (!policies) return undefined;
  if (h.kind === 'groups') return policies.get(`${h.scope}/${h.roleId}`) ?? requirementsOf(undefined);
  // AWS roles have one policy, at '/', whatever the account or OU.
  if (h.kind === 'aws') return policies.get(h.roleId) ?? requirementsOf(undefined);
  return policies.get(`${h.roleId}@${h.scope}`) ?? policies.get(h.roleId) ?? requirementsOf(undefined);
}

export type Level = 'eligibility' | 'assignment';

const COLLECTION: Record<Kind, Record<Level, string>> = {
  roles: { eligibility: `${ROLES}/roleEligibilityScheduleRequests`, assignment: `${ROLES}/roleAssignmentScheduleRequests` },
  groups: { eligibility: `${GROUPS_PIM}/eligibilityScheduleRequests`, assignment: `${GROUPS_PIM}/assignmentScheduleRequests` },
  aws: { eligibility: `${AWS}/roleEligibilityScheduleRequests`, assignment: `${AWS}/roleAssignmentScheduleRequests` },
};

/** The request of a self action on a role or a group membership, in Graph's shape. */
export function selfRequest(
  h: Pick<Holding, 'kind' | 'roleId' | 'scope'>,
  level: Level,
  principalId: string,
  action: 'selfActivate' | 'selfDeactivate' | 'selfExtend' | 'selfRenew',
  extra: Record<string, unknown> = {},
): { path: string; body: Record<string, unknown> } {
  const target = h.kind === 'groups' ? { accessId: h.roleId, groupId: h.scope } : { roleDefinitionId: h.roleId, directoryScopeId: h.scope };
  return { path: COLLECTION[h.kind][level], body: { action, principalId, ...target, ...extra } };
}
