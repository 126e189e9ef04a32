/**
 * The tenant as the alert evaluators see it (shared/domain/alerts/snapshot.ts), read in a few rounds of
 * parallel reads whatever its size: every role schedule from the listing shards (projected), the recent
 * self-activations as a time range, then the policies at '/' of the privileged roles, the members of the
 * groups holding directory roles, and the principals named with their last sign-ins in batches. Built for
 * 10,000 principals and 100,000 assignments in one Lambda run (measured in test/bench/alerts.ts).
 */
import type { StoredRoleDefinition } from '../../contracts/role-definitions.ts';
import type {
  AlertActivation,
  AlertGroup,
  AlertOutsideAwsAssignment,
  AlertPrincipal,
  AlertRole,
  AlertSchedule,
  AlertSnapshot,
} from '../../domain/alerts/snapshot.ts';
import type { AlertConfigs } from '../../domain/alerts/types.ts';
import { BUILTIN_ROLES } from '../../domain/builtin-roles.ts';
import { parseDuration } from '../../domain/duration.ts';
import { kindOfId } from '../../domain/ids.ts';
import { defaultRules } from '../../domain/policy/defaults.ts';
import type { PrincipalType } from '../../domain/schedule.ts';
import { hasEnded } from '../../domain/schedule.ts';
import { TENANT_SCOPE } from '../../domain/scope.ts';
import { selfActivationsBetween } from '../../store/activation-requests.ts';
import { getAwsRole } from '../../store/aws-directory.ts';
import { listOutsideAssignments } from '../../store/aws-outside.ts';
import { allMembersOf } from '../../store/memberships.ts';
import { getStoredPolicies } from '../../store/policies.ts';
import { getPrincipals } from '../../store/principals.ts';
import { schedulesOfGroup } from '../../store/role-schedules.ts';
import { allScheduleSummaries, type ScheduleSummary } from '../../store/schedule-summaries.ts';
import { lastSignIns } from '../../store/sign-ins.ts';
import type { Services } from '../context.ts';
import { allCustomRoles } from '../role-definitions.ts';
import { mapLimited } from '../map-limited.ts';
import { policyIdFor } from '../roles/policies/policy-ids.ts';

/**
 * How far back self-activations are read: a day, or the configured time frame if longer. A day rather
 * than the time frame itself, so that an hourly refresh still sees a run that straddled the last one,
 * and an incident stays for a day after its run rather than vanishing at the next refresh.
 */
const MIN_ACTIVATION_LOOK_BACK_MS = 24 * 3600 * 1000;

/** Requests that made an activation (the statuses access reviews count as activations too). */
const ACTIVATED = new Set(['Provisioned', 'Granted', 'Revoked']);

/** Reads in flight at once per fan-out: enough to overlap latency, never enough to exhaust sockets or capacity. */
const PARALLEL = 16;

export async function loadAlertSnapshot(svc: Services, now: Date, configs?: Partial<AlertConfigs>): Promise<AlertSnapshot> {
  const table = svc.table;
  const window = configs?.SequentialActivationRenewalsAlert?.timeIntervalBetweenActivations;
  const lookBack = Math.max(MIN_ACTIVATION_LOOK_BACK_MS, window ? parseDuration(window) : 0);
  const live = (s: ScheduleSummary) => s.status !== 'Expired' && !hasEnded(s, now);

  const [customRoles, eligibilities, assignments, requests, outside] = await Promise.all([
    allCustomRoles(svc),
    allScheduleSummaries(table, 'eligibility', live),
    // Ended activations too: they say when an eligibility was last used.
    allScheduleSummaries(table, 'assignment', (s) => live(s) || s.assignmentType === 'Activated'),
    selfActivationsBetween(table, new Date(now.getTime() - lookBack), now),
    listOutsideAssignments(table),
  ]);

  const directoryRoles = [...BUILTIN_ROLES.filter((r) => r.kind === 'directory'), ...customRoles.filter((r) => r.kind === 'directory')];
  const isDirectoryRole = new Set(directoryRoles.map((r) => r.id.toLowerCase()));
  const ofDirectoryRole = (s: { roleDefinitionId: string }) => isDirectoryRole.has(s.roleDefinitionId.toLowerCase());

  const schedules: AlertSchedule[] = [...eligibilities, ...assignments].filter((s) => live(s) && ofDirectoryRole(s)).map(toAlertSchedule);
  const lastActivationByEligibility: Record<string, string> = {};
  for (const e of eligibilities) if (e.lastActivatedAt) lastActivationByEligibility[e.id] = e.lastActivatedAt;
  for (const a of assignments) {
    if (a.assignmentType !== 'Activated' || !a.activatedUsing) continue;
    const before = lastActivationByEligibility[a.activatedUsing];
    if (before === undefined || before < a.startDateTime) lastActivationByEligibility[a.activatedUsing] = a.startDateTime;
  }
  const activations: AlertActivation[] = requests
    .filter((r) => ACTIVATED.has(r.status) && !r.isValidationOnly && ofDirectoryRole(r))
    .map((r) => ({
      requestId: r.id,
      principalId: r.principalId,
      roleDefinitionId: r.roleDefinitionId,
      directoryScopeId: r.directoryScopeId,
      createdDateTime: r.createdDateTime,
      activatedUsing: r.activatedUsing ?? null,
    }));

  const groupIds = [...new Set(schedules.filter((s) => s.principalType === 'group').map((s) => s.principalId))];
  const [roles, groupMembers, outsideAwsAssignments] = await Promise.all([
    withMfaSettings(svc, directoryRoles),
    mapLimited(groupIds, PARALLEL, (id) => membersOfGroup(svc, id, now)),
    outsideWithNames(svc, outside),
  ]);

  const principalIds = new Set<string>(schedules.map((s) => s.principalId));
  for (const g of groupMembers) {
    for (const m of g.standingMembers) principalIds.add(m.id);
    for (const m of g.pimMembers) principalIds.add(m.principalId);
  }
  for (const a of outsideAwsAssignments) if (a.principalId) principalIds.add(a.principalId);
  for (const a of activations) principalIds.add(a.principalId);
  const principals = await principalsWithSignIns(svc, [...principalIds]);
  const assignable = new Set(principals.filter((p) => p.type === 'group' && p.isAssignableToRole).map((p) => p.id));
  const groups: AlertGroup[] = groupMembers.map((g) => ({ ...g, isAssignableToRole: assignable.has(g.id) }));

  return {
    roles,
    principals: principals.map(({ isAssignableToRole: _, ...p }) => p),
    schedules,
    groups,
    activations,
    lastActivationByEligibility,
    outsideAwsAssignments,
  };
}

function toAlertSchedule(s: ScheduleSummary): AlertSchedule {
  return {
    id: s.id,
    kind: s.kind,
    principalId: s.principalId,
    principalType: s.principalType,
    roleDefinitionId: s.roleDefinitionId,
    directoryScopeId: s.directoryScopeId,
    assignmentType: s.assignmentType,
    createdDateTime: s.createdDateTime,
    startDateTime: s.startDateTime,
    endDateTime: s.endDateTime,
    activatedUsing: s.activatedUsing,
  };
}

const MFA_RULE = 'Enablement_EndUser_Assignment';

/** Each role with whether its policy at '/' (stored if changed, else Entra's defaults) requires MFA on activation. */
async function withMfaSettings(svc: Services, roles: StoredRoleDefinition[]): Promise<AlertRole[]> {
  const stored = await getStoredPolicies(
    svc.table,
    roles.map((r) => policyIdFor(r.id, TENANT_SCOPE)),
  );
  const defaults = defaultRules('DirectoryRole');
  return roles.map((r) => {
    const rules = stored.get(policyIdFor(r.id, TENANT_SCOPE))?.data.rules ?? defaults;
    const rule = rules.find((x) => x.id === MFA_RULE);
    const enabled = rule && 'enabledRules' in rule ? rule.enabledRules : [];
    return {
      id: r.id,
      templateId: r.templateId,
      displayName: r.displayName,
      isPrivileged: r.isPrivileged,
      requiresMfaOnActivation: enabled.includes('MultiFactorAuthentication'),
    };
  });
}

/** A group's standing members and its PIM for groups active members not ended (two queries). */
async function membersOfGroup(svc: Services, groupId: string, now: Date): Promise<Omit<AlertGroup, 'isAssignableToRole'>> {
  const [standing, pim] = await Promise.all([allMembersOf(svc.table, groupId), schedulesOfGroup(svc.table, groupId, 'assignment')]);
  return {
    id: groupId,
    standingMembers: standing.map((m) => ({ id: m.id, type: m.type as PrincipalType, since: m.since ?? null })),
    pimMembers: pim
      .map((s) => s.data)
      .filter((s) => s.roleDefinitionId === 'member' && s.status !== 'Expired' && !hasEnded(s, now))
      .map((s) => ({ principalId: s.principalId, principalType: s.principalType, startDateTime: s.startDateTime, endDateTime: s.endDateTime })),
  };
}

async function outsideWithNames(svc: Services, outside: Awaited<ReturnType<typeof listOutsideAssignments>>): Promise<AlertOutsideAwsAssignment[]> {
  const setIds = [...new Set(outside.map((a) => a.permissionSetId))];
  const names = new Map(await mapLimited(setIds, PARALLEL, async (id) => [id, (await getAwsRole(svc.table, id))?.data.displayName ?? id] as const));
  return outside.map((a) => ({
    accountId: a.accountId,
    permissionSetId: a.permissionSetId,
    permissionSetName: names.get(a.permissionSetId) ?? a.permissionSetId,
    identityStoreUserId: a.userId,
    principalId: a.principalId,
    foundDateTime: a.at,
  }));
}

/** The principals that exist among `ids`, a hundred per read, and the users' last sign-ins. */
async function principalsWithSignIns(svc: Services, ids: string[]): Promise<(AlertPrincipal & { isAssignableToRole?: boolean })[]> {
  const chunks = Array.from({ length: Math.ceil(ids.length / 100) }, (_, i) => ids.slice(i * 100, i * 100 + 100));
  const [found, signIns] = await Promise.all([
    mapLimited(chunks, PARALLEL / 2, (chunk) => getPrincipals(svc.table, chunk)),
    // Only users sign in: ids that name a group or an app by their prefix are not read (others are, at no harm).
    lastSignIns(
      svc.table,
      ids.filter((id) => kindOfId(id) !== 'group' && kindOfId(id) !== 'servicePrincipal'),
      PARALLEL / 2,
    ),
  ]);
  return found.flat().map((p) => ({
    id: p.id,
    type: p.type,
    displayName: p.displayName,
    userPrincipalName: p.userPrincipalName ?? null,
    lastSignInDateTime: p.type === 'user' ? (signIns.get(p.id) ?? null) : null,
    isAssignableToRole: p.isAssignableToRole,
  }));
}
