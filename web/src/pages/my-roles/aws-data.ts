/**
 * My roles → AWS accounts, from /roleManagement/aws: the signed-in person's eligible and active AWS roles
 * (IAM Identity Center permission sets at an account or an OU), named from the role definitions and the
 * organization's accounts, each active one with its provisioning state (Stint's `awsAccess` extension).
 */
import type { Api } from '../../api/client.ts';
import { AWS, mine, odataString, POLICY_ASSIGNMENTS, query } from '../../api/paths.ts';
import { requirementsOf, type PolicyAssignment, type Requirements } from '../../domain/policy.ts';
import type { Holding } from './data.ts';

/** The `awsAccess` extension on AWS schedules and instances. */
export interface AwsAccess {
  accountId: string;
  provisioningState: 'provisioning' | 'provisioned' | 'failed' | 'revoked' | null;
  usableDateTime: string | null;
  failureReason: string | null;
  revokedDateTime: string | null;
  sessionDuration: string | null;
  sessionsMayLastUntil: string | null;
}

export interface AwsAccount {
  id: string;
  displayName: string;
  parents: { id: string; displayName: string }[];
  directoryScopeId: string;
}

interface AwsRoleDefinition {
  id: string;
  displayName: string;
  isPrivileged?: boolean;
  sessionDuration?: string | null;
}

interface AwsInstance {
  id: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  startDateTime?: string;
  endDateTime: string | null;
  memberType: string;
  assignmentType?: string;
  status?: string;
  awsAccess?: AwsAccess;
}

/** What the AWS tab knows besides the rows: the accounts an activation may name, and each role's session duration. */
export interface AwsContext {
  accounts: AwsAccount[];
  sessionDurations: Map<string, string>;
}

/** "dev (111122223333)" for an account, "OU NonProd" for an organizational unit. */
export function awsScopeName(scope: string, accounts: AwsAccount[]): string {
  const [, type, id] = scope.split('/');
  if (type === 'accounts') {
    const account = accounts.find((a) => a.id === id);
    return account ? `${account.displayName} (${account.id})` : `Account ${id}`;
  }
  const unit = accounts.flatMap((a) => a.parents).find((p) => p.id === id);
  if (unit?.id.startsWith('r-')) return 'Organization root';
  return `OU ${unit?.displayName ?? id}`;
}

/** The accounts an activation of this eligibility may name: the account itself, or those below the OU. */
export function accountsFor(scope: string, accounts: AwsAccount[]): AwsAccount[] {
  const [, type, id] = scope.split('/');
  return type === 'accounts' ? accounts.filter((a) => a.id === id) : accounts.filter((a) => a.parents.some((p) => p.id === id));
}

function fromAws(i: AwsInstance, roles: Map<string, AwsRoleDefinition>, accounts: AwsAccount[]): Holding {
  const role = roles.get(i.roleDefinitionId);
  return {
    id: i.id,
    kind: 'aws',
    roleId: i.roleDefinitionId,
    roleName: role?.displayName ?? i.roleDefinitionId,
    isPrivileged: role?.isPrivileged,
    scope: i.directoryScopeId,
    scopeName: awsScopeName(i.directoryScopeId, accounts),
    memberType: i.memberType,
    assignmentType: i.assignmentType,
    startDateTime: i.startDateTime,
    endDateTime: i.endDateTime,
    aws: i.awsAccess,
  };
}

async function rolesAndAccounts(api: Api): Promise<{ roles: Map<string, AwsRoleDefinition>; context: AwsContext }> {
  const [roles, accounts] = await Promise.all([
    api.all<AwsRoleDefinition>(`${AWS}/roleDefinitions${query({ $top: 999 })}`),
    api.all<AwsAccount>(`${AWS}/accounts${query({ $top: 999 })}`),
  ]);
  return {
    roles: new Map(roles.map((r) => [r.id, r])),
    context: { accounts, sessionDurations: new Map(roles.flatMap((r) => (r.sessionDuration ? [[r.id, r.sessionDuration] as const] : []))) },
  };
}

export async function loadAwsRoles(api: Api): Promise<{ eligible: Holding[]; active: Holding[]; aws: AwsContext }> {
  const [named, eligible, active] = await Promise.all([
    rolesAndAccounts(api),
    api.all<AwsInstance>(`${mine(`${AWS}/roleEligibilityScheduleInstances`)}${query({ $top: 999 })}`),
    api.all<AwsInstance>(`${mine(`${AWS}/roleAssignmentScheduleInstances`)}${query({ $top: 999 })}`),
  ]);
  const { roles, context } = named;
  return {
    eligible: eligible.map((i) => fromAws(i, roles, context.accounts)),
    active: active.map((i) => fromAws(i, roles, context.accounts)),
    aws: context,
  };
}

/**
 * AWS roles have one policy each, at '/'. A person who is not a policy reader may not be able to read it
 * (the API lets them read the policy at the scope they hold, an account or an OU, where AWS roles have
 * none): then the portal shows the defaults, and the validation-only request reports any rule missed.
 */
async function awsPolicies(api: Api, roleIds: string[]): Promise<Map<string, Requirements>> {
  const entries = await Promise.all(
    roleIds.map(async (roleId) => {
      const filter = `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq ${odataString(roleId)}`;
      const [assignment] = await api
        .all<PolicyAssignment>(`${POLICY_ASSIGNMENTS}${query({ $filter: filter, $expand: 'policy($expand=rules)' })}`)
        .catch(() => [] as PolicyAssignment[]);
      return [roleId, assignment?.policy?.rules ? requirementsOf(assignment.policy.rules) : { ...requirementsOf(undefined), assumed: true }] as const;
    }),
  );
  return new Map(entries);
}

/**
 * The rules of each AWS role shown, and the schedules that ended in the last `days` days. Graph lists only
 * current schedules; asked for `status eq 'Expired'` Stint lists those that ended, by the API's clock
 * (so an end a moment ahead of this browser's clock still counts). A deactivated one is not listed.
 * Asked as `principalId eq` me: filterByCurrentUser does not take the status filter.
 */
export async function loadAwsExtras(
  api: Api,
  shown: { eligible: Holding[]; active: Holding[] },
  meId: string,
  now: number,
  days: number,
): Promise<{ policies: Map<string, Requirements>; expired: Holding[] }> {
  const q = query({ $filter: `principalId eq ${odataString(meId)} and status eq 'Expired'`, $top: 999 });
  const [named, eligibleSchedules, activeSchedules, policies] = await Promise.all([
    rolesAndAccounts(api),
    api.all<AwsInstance>(`${AWS}/roleEligibilitySchedules${q}`),
    api.all<AwsInstance>(`${AWS}/roleAssignmentSchedules${q}`),
    awsPolicies(api, [...new Set([...shown.eligible, ...shown.active].map((h) => h.roleId))]),
  ]);
  const ended = (s: AwsInstance) => {
    const end = s.awsAccess?.revokedDateTime ?? s.endDateTime;
    return end !== null && now - Date.parse(end) <= days * 86_400_000;
  };
  const expired = [
    ...eligibleSchedules.filter(ended).map((s) => ({ ...fromAws(s, named.roles, named.context.accounts), assignmentType: 'Eligible' })),
    ...activeSchedules.filter(ended).map((s) => ({ ...fromAws(s, named.roles, named.context.accounts), assignmentType: s.assignmentType ?? 'Assigned' })),
  ];
  return { policies, expired };
}
