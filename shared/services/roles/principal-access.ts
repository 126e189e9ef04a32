/**
 * What a principal holds right now: its own schedules and those of the groups it belongs to, each
 * with the path it comes by. Every role decision and every "my roles" view starts here, so it costs
 * two rounds of parallel queries whatever the size of the tenant.
 */
import type { Caller } from '../../domain/caller.ts';
import type { HeldRole } from '../../domain/authorization.ts';
import { BadRequestError } from '../../domain/errors.ts';
import { isInForce, type PrincipalType, type Schedule, type ScheduleKind } from '../../domain/schedule.ts';
import { getObjectItem } from '../../store/directory-objects.ts';
import { principalPartition, schedulesOfPrincipal, type StoredSchedule } from '../../store/role-schedules.ts';
import type { Services } from '../context.ts';

export interface Holding {
  schedule: Schedule;
  version: number;
  /** Eligibilities: activations made from it so far (guards its removal against a racing activation). */
  activations: number;
  /** Set when the principal holds it as a member of this group. */
  viaGroupId?: string;
}

export interface Principal {
  id: string;
  type: PrincipalType;
  displayName: string;
  userPrincipalName?: string;
  /** Groups only: whether roles may be assigned to it (Entra's isAssignableToRole). */
  isAssignableToRole?: boolean;
}

export async function loadPrincipal(svc: Services, id: string): Promise<Principal | undefined> {
  const item = await getObjectItem(svc.table, id);
  if (!item || !['user', 'group', 'servicePrincipal'].includes(String(item.type))) return undefined;
  const data = item.data as { id: string; displayName: string; userPrincipalName?: string; isAssignableToRole?: boolean };
  return { id: data.id, type: item.type as PrincipalType, displayName: data.displayName, userPrincipalName: data.userPrincipalName, isAssignableToRole: data.isAssignableToRole };
}

export async function requirePrincipal(svc: Services, id: string): Promise<Principal> {
  const principal = await loadPrincipal(svc, id);
  if (!principal) throw new BadRequestError(`principalId '${id}' is not a user, group or service principal in the directory.`, 'SubjectNotFound');
  return principal;
}

/** Schedules of the principal and of its groups (not necessarily in force: callers filter by time). */
export async function holdingsOf(svc: Services, principalId: string, kind?: ScheduleKind): Promise<Holding[]> {
  const { schedules: own, groupIds } = await principalPartition(svc.table, principalId, kind);
  const viaGroups = await Promise.all(groupIds.map(async (groupId) => ({ groupId, schedules: await schedulesOfPrincipal(svc.table, groupId, kind) })));
  const toHolding = (s: StoredSchedule, viaGroupId?: string): Holding => ({ schedule: s.data, version: s.version, activations: s.activations, viaGroupId });
  return [...own.map((s) => toHolding(s)), ...viaGroups.flatMap((g) => g.schedules.map((s) => toHolding(s, g.groupId)))];
}

export async function liveHoldings(svc: Services, principalId: string, kind?: ScheduleKind, now = svc.clock.now()): Promise<Holding[]> {
  return (await holdingsOf(svc, principalId, kind)).filter((h) => isInForce(h.schedule, now));
}

/** The roles a caller holds right now through active assignments, for authorization. */
export async function heldRoles(svc: Services, caller: Caller): Promise<HeldRole[]> {
  const live = await liveHoldings(svc, caller.id, 'assignment');
  return live.map((h) => ({ roleDefinitionId: h.schedule.roleDefinitionId, directoryScopeId: h.schedule.directoryScopeId }));
}
