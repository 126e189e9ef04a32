/**
 * What an instance reviews, read from the table when it starts: one entry per piece of access in the
 * scope (an eligibility, an admin-assigned active assignment, a group membership), with the facts its
 * recommendation needs — when it was last activated, or last allowed an access decision.
 *
 * Reads: one by-role (or by-group) index query per role or group in scope, the group's standing
 * members, one BatchGet of the principals and of the usage records, and the principals' requests for
 * eligibilities (their activation history).
 */
import { isAwsScope } from '../../domain/aws-access.ts';
import { createHash } from 'node:crypto';
import type { DecisionItem, ReviewedAccess } from '../../domain/access-reviews/decisions.ts';
import type { ReviewScope } from '../../domain/access-reviews/scope.ts';
import { groupScope } from '../../domain/group-access.ts';
import { hasEnded, type PrincipalType, type Schedule } from '../../domain/schedule.ts';
import { lastUsed } from '../../store/access-reviews.ts';
import { getObjectItems } from '../../store/directory-objects.ts';
import { allMembersOf } from '../../store/memberships.ts';
import { requestsOfPrincipal } from '../../store/role-requests.ts';
import { schedulesOfGroup, schedulesOfRole } from '../../store/role-schedules.ts';
import type { Services } from '../context.ts';
import { mapLimited } from '../map-limited.ts';
import { getRoleDefinitions } from '../role-definitions.ts';

export type ReviewedEntry = Pick<DecisionItem, 'principal' | 'resource' | 'access' | 'accessType' | 'accessSince'> & {
  /** Last activation (eligibilities) or last use (active access), if known. */
  lastActivity?: Date;
};

/** The usage records access decisions keep (see usage.ts): by schedule, and by group for members. */
export const usageOfSchedule = (scheduleId: string) => `sched:${scheduleId}`;
export const usageThroughGroup = (groupId: string, memberId: string) => `via:${groupId}:${memberId}`;

/** Stable per instance and access, so an interrupted start writes the same items again. */
export function decisionIdOf(instanceId: string, access: ReviewedAccess, principalId: string): string {
  const key = access.kind === 'schedule' ? access.scheduleId : `member:${access.groupId}:${principalId}`;
  return `ard_${createHash('sha256').update(`${instanceId}|${key}`).digest('hex').slice(0, 26)}`;
}

interface Raw {
  principalId: string;
  principalType?: PrincipalType;
  resource: ReviewedEntry['resource'];
  access: ReviewedAccess;
  accessType: ReviewedEntry['accessType'];
  accessSince: string;
  usage?: string;
  /** For eligibilities: the role and scope whose activations count. */
  activates?: { roleDefinitionId: string; directoryScopeId: string; eligibilityId: string };
}

function fromSchedule(s: Schedule, resource: ReviewedEntry['resource'], kind: 'role' | 'group', usage?: string): Raw {
  const eligible = s.kind === 'eligibility';
  return {
    principalId: s.principalId,
    principalType: s.principalType,
    resource,
    access: {
      kind: 'schedule',
      // An AWS role's schedule is removed through the AWS API, whose run then deletes the account assignment.
      resource: kind === 'role' && isAwsScope(s.directoryScopeId) ? 'aws' : kind,
      scheduleKind: s.kind,
      scheduleId: s.id,
      roleDefinitionId: s.roleDefinitionId,
      directoryScopeId: s.directoryScopeId,
    },
    accessType: eligible ? 'Eligible' : 'Active',
    accessSince: s.startDateTime,
    usage: eligible ? undefined : usage,
    activates: eligible ? { roleDefinitionId: s.roleDefinitionId, directoryScopeId: s.directoryScopeId, eligibilityId: s.id } : undefined,
  };
}

/** Access that is under review: not ended, and not an activation (those end by themselves). */
const reviewable = (s: Schedule, now: Date) => !hasEnded(s, now) && s.status !== 'Expired' && s.assignmentType !== 'Activated';

async function rolesInScope(svc: Services, scope: Extract<ReviewScope, { kind: 'roles' }>, now: Date): Promise<{ raws: Raw[]; activations: Schedule[] }> {
  const roles = await getRoleDefinitions(
    svc,
    scope.roles.map((r) => r.roleDefinitionId),
  );
  const names = new Map(roles.map((r) => [r.id, r.displayName]));
  const perRole = await Promise.all(
    scope.roles.map(async (target) => {
      const all = (await schedulesOfRole(svc.table, target.roleDefinitionId)).map((s) => s.data);
      const wanted = all.filter(
        (s) =>
          reviewable(s, now) &&
          (s.kind === 'eligibility' ? scope.eligible : scope.active) &&
          (!target.directoryScopeId || s.directoryScopeId === target.directoryScopeId) &&
          scope.principalTypes.includes(s.principalType),
      );
      const resource = {
        id: target.roleDefinitionId,
        displayName: names.get(target.roleDefinitionId) ?? target.roleDefinitionId,
        type: 'directoryRole' as const,
      };
      return {
        raws: wanted.map((s) => fromSchedule(s, resource, 'role', usageOfSchedule(s.id))),
        activations: all.filter((s) => s.assignmentType === 'Activated'),
      };
    }),
  );
  return { raws: perRole.flatMap((r) => r.raws), activations: perRole.flatMap((r) => r.activations) };
}

async function groupInScope(svc: Services, scope: Extract<ReviewScope, { kind: 'group' }>, now: Date): Promise<{ raws: Raw[]; activations: Schedule[] }> {
  const [group] = await getObjectItems(svc.table, [scope.groupId]);
  const resource = {
    id: scope.groupId,
    displayName: (group?.data as { displayName?: string } | undefined)?.displayName ?? scope.groupId,
    type: 'group' as const,
  };
  const [schedules, standing] = await Promise.all([
    schedulesOfGroup(svc.table, scope.groupId),
    scope.accessId === 'member' ? allMembersOf(svc.table, scope.groupId) : Promise.resolve([]),
  ]);
  const all = schedules.map((s) => s.data).filter((s) => s.roleDefinitionId === scope.accessId && s.directoryScopeId === groupScope(scope.groupId));
  const pim = all.filter((s) => reviewable(s, now)).map((s) => fromSchedule(s, resource, 'group', usageThroughGroup(scope.groupId, s.principalId)));
  const members: Raw[] = standing.map((m) => ({
    principalId: m.id,
    resource,
    access: { kind: 'membership', groupId: scope.groupId },
    principalType: (['user', 'group', 'servicePrincipal'] as const).find((t) => t === m.type),
    accessType: 'Member',
    accessSince: m.since ?? new Date(0).toISOString(),
    usage: usageThroughGroup(scope.groupId, m.id),
  }));
  return { raws: [...pim, ...members], activations: all.filter((s) => s.assignmentType === 'Activated') };
}

/** The last activation of each eligibility among `raws`: from the activations still stored, and the principals' requests. */
async function lastActivations(svc: Services, raws: Raw[], activations: Schedule[]): Promise<Map<string, Date>> {
  const last = new Map<string, Date>();
  const note = (eligibilityId: string, at: string) => {
    const t = new Date(at);
    if (!last.has(eligibilityId) || last.get(eligibilityId)! < t) last.set(eligibilityId, t);
  };
  for (const a of activations) if (a.activatedUsing) note(a.activatedUsing, a.startDateTime);
  const eligible = raws.filter((r) => r.activates);
  const principals = [...new Set(eligible.map((r) => r.principalId))];
  // One query per principal, a few at a time: a review of thousands must not open thousands of sockets.
  const requests = new Map(await mapLimited(principals, 16, async (id) => [id, (await requestsOfPrincipal(svc.table, id)).map((r) => r.data)] as const));
  for (const r of eligible) {
    for (const q of requests.get(r.principalId) ?? []) {
      const activated = q.canonicalAction === 'selfActivate' && ['Provisioned', 'Granted', 'Revoked'].includes(q.status);
      if (activated && q.roleDefinitionId === r.activates!.roleDefinitionId && q.directoryScopeId === r.activates!.directoryScopeId)
        note(r.activates!.eligibilityId, q.createdDateTime);
    }
  }
  return last;
}

export async function enumerateScope(svc: Services, scope: ReviewScope, now: Date): Promise<ReviewedEntry[]> {
  const { raws, activations } = scope.kind === 'roles' ? await rolesInScope(svc, scope, now) : await groupInScope(svc, scope, now);
  const [objects, used, activated] = await Promise.all([
    getObjectItems(svc.table, [...new Set(raws.map((r) => r.principalId))]),
    lastUsed(
      svc.table,
      raws.flatMap((r) => (r.usage ? [r.usage] : [])),
    ),
    lastActivations(svc, raws, activations),
  ]);
  const byId = new Map(objects.map((o) => [String((o.data as { id: string }).id), o]));
  return raws.map((r) => {
    const object = byId.get(r.principalId);
    const data = (object?.data ?? {}) as { displayName?: string; userPrincipalName?: string };
    const type = r.principalType ?? (object?.type as PrincipalType | undefined) ?? 'user';
    return {
      principal: { id: r.principalId, displayName: data.displayName ?? null, userPrincipalName: data.userPrincipalName ?? null, type },
      resource: r.resource,
      access: r.access,
      accessType: r.accessType,
      accessSince: r.accessSince,
      lastActivity: r.activates ? activated.get(r.activates.eligibilityId) : r.usage ? used.get(r.usage) : undefined,
    };
  });
}
