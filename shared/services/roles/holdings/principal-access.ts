/**
 * What a principal holds right now: its own schedules and those of the groups it belongs to, each
 * with the path it comes by. Every role decision and every "my roles" view starts here, so it costs
 * two rounds of parallel queries whatever the size of the tenant.
 */
import type { Caller } from '../../../domain/caller.ts';
import type { HeldRole } from '../../../domain/authorization.ts';
import { BadRequestError } from '../../../domain/errors.ts';
import type { DirectoryPrincipal } from '../../../domain/principal.ts';
import { groupAccessOf, isGroupAccess } from '../../../domain/group-access.ts';
import { isInForce, type Schedule, type ScheduleKind } from '../../../domain/schedule.ts';
import { getPrincipal } from '../../../store/principals.ts';
import { principalPartition, schedulesOfPrincipal, type StoredSchedule } from '../../../store/role-schedules.ts';
import type { Services } from '../../context.ts';

export interface Holding {
  schedule: Schedule;
  version: number;
  /** Eligibilities: activations made from it so far (guards its removal against a racing activation). */
  activations: number;
  /** Set when the principal holds it as a member of this group. */
  viaGroupId?: string;
  /**
   * Set when that membership is a PIM for groups activation or assignment rather than a standing one:
   * the holding is in force only while the membership is (its end bounds the holding's).
   */
  viaMembership?: Membership;
  /**
   * Activations only: the eligibility it was made from, as the principal holds it now, or null when the
   * principal no longer holds it (it left the group whose eligibility it was). An activation is in force
   * only while its basis is: access never outlives the path it came by, whatever cleanup is still to run.
   */
  basis?: Holding | null;
}

export interface Membership {
  scheduleId: string;
  startDateTime: string;
  endDateTime: string | null;
}

/** The principal a request or schedule names (whether it may sign in is the authenticator's concern). */
export type Principal = Omit<DirectoryPrincipal, 'accountEnabled'>;

export async function loadPrincipal(svc: Services, id: string): Promise<Principal | undefined> {
  const found = await getPrincipal(svc.table, id);
  if (!found) return undefined;
  const { accountEnabled: _, ...principal } = found;
  return principal;
}

export async function requirePrincipal(svc: Services, id: string): Promise<Principal> {
  const principal = await loadPrincipal(svc, id);
  if (!principal) throw new BadRequestError(`principalId '${id}' is not a user, group or service principal in the directory.`, 'SubjectNotFound');
  return principal;
}

/**
 * Memberships in force at `now`, keyed by group (a principal's groups) or by member (a group's members):
 * standing ones, and PIM for groups memberships in force (by the clock, so a membership counts from the
 * instant it is granted until its end). A standing membership needs no PIM one beside it; of several PIM
 * ones the longest-lasting is named.
 */
export function membershipsAt(standing: string[], pim: Array<{ key: string; schedule: Schedule }>, now: Date): Map<string, Membership | undefined> {
  const found = new Map<string, Membership | undefined>(standing.map((id) => [id, undefined]));
  const endOf = (m: Membership) => (m.endDateTime === null ? Infinity : Date.parse(m.endDateTime));
  for (const { key, schedule: s } of pim) {
    if (!isInForce(s, now) || (found.has(key) && found.get(key) === undefined)) continue;
    const membership = { scheduleId: s.id, startDateTime: s.startDateTime, endDateTime: s.endDateTime };
    const known = found.get(key);
    if (!known || endOf(membership) > endOf(known)) found.set(key, membership);
  }
  return found;
}

/** The groups a principal is a member of at `now`. */
function groupsAt(groupIds: string[], pimMemberships: StoredSchedule[], now: Date): Map<string, Membership | undefined> {
  return membershipsAt(
    groupIds,
    pimMemberships.map(({ data: s }) => ({ key: groupAccessOf(s)!.groupId, schedule: s })),
    now,
  );
}

/**
 * Schedules of the principal and of the groups it is a member of at `now` (the schedules themselves
 * are not necessarily in force: callers filter by time). Each activation names its basis; finding it
 * reads the groups' eligibilities too, which the same queries return when asked for every kind.
 */
export async function holdingsOf(svc: Services, principalId: string, kind?: ScheduleKind, now = svc.clock.now()): Promise<Holding[]> {
  return (await readHoldings(svc, principalId, kind, now)).holdings;
}

/**
 * Every holding of a principal (any kind, in force or not) and the groups it is a member of at `now`
 * (standing, or by a PIM for groups membership in force): the same reads as holdingsOf.
 */
export function holdingsWithGroups(svc: Services, principalId: string, now = svc.clock.now()): Promise<{ holdings: Holding[]; memberOf: string[] }> {
  return readHoldings(svc, principalId, undefined, now);
}

async function readHoldings(
  svc: Services,
  principalId: string,
  kind: ScheduleKind | undefined,
  now: Date,
): Promise<{ holdings: Holding[]; memberOf: string[] }> {
  const { schedules: own, groupIds, pimMemberships } = await principalPartition(svc.table, principalId);
  const ownIds = new Set(own.map((s) => s.data.id));
  const basisInGroups = kind !== 'eligibility' && own.some((s) => isActivation(s.data) && !ownIds.has(s.data.activatedUsing!));
  const groupKind = basisInGroups ? undefined : kind;
  const groups = groupsAt(groupIds, pimMemberships, now);
  const viaGroups = await Promise.all(
    [...groups].map(async ([groupId, membership]) => ({
      groupId,
      membership,
      schedules: (await schedulesOfPrincipal(svc.table, groupId, groupKind)).filter((s) => !isGroupAccess(s.data)),
    })),
  );
  const toHolding = (s: StoredSchedule, viaGroupId?: string, viaMembership?: Membership): Holding => ({
    schedule: s.data,
    version: s.version,
    activations: s.activations,
    viaGroupId,
    viaMembership,
  });
  const all = [...own.map((s) => toHolding(s)), ...viaGroups.flatMap((g) => g.schedules.map((s) => toHolding(s, g.groupId, g.membership)))];
  const eligibilities = new Map(all.filter((h) => h.schedule.kind === 'eligibility').map((h) => [h.schedule.id, h]));
  for (const h of all) if (isActivation(h.schedule) && !h.viaGroupId) h.basis = eligibilities.get(h.schedule.activatedUsing!) ?? null;
  return { holdings: kind ? all.filter((h) => h.schedule.kind === kind) : all, memberOf: [...groups.keys()] };
}

const isActivation = (s: Schedule): boolean => s.kind === 'assignment' && s.assignmentType === 'Activated' && s.activatedUsing !== null;

/** Whether a holding is in force at `now`: its schedule, the PIM membership it comes through if any, and an activation's basis. */
export function holdingInForce(h: Pick<Holding, 'schedule' | 'viaMembership' | 'basis'>, now: Date): boolean {
  if (h.basis === null || (h.basis && !holdingInForce(h.basis, now))) return false;
  return isInForce(h.schedule, now) && (!h.viaMembership || isInForce(h.viaMembership, now));
}

/** Until when a holding can be used: its own end, or the end of the PIM membership it comes through if sooner. */
export function heldUntil(h: Pick<Holding, 'schedule' | 'viaMembership'>): string | null {
  const ends = [h.schedule.endDateTime, h.viaMembership?.endDateTime ?? null].filter((e): e is string => e !== null);
  return ends.length === 0 ? null : ends.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
}

export async function liveHoldings(svc: Services, principalId: string, kind?: ScheduleKind, now = svc.clock.now()): Promise<Holding[]> {
  return (await holdingsOf(svc, principalId, kind, now)).filter((h) => holdingInForce(h, now));
}

/** The roles a caller holds right now through active assignments, for authorization. */
export async function heldRoles(svc: Services, caller: Caller): Promise<HeldRole[]> {
  const now = svc.clock.now();
  return rolesHeldAmong(await holdingsOf(svc, caller.id, 'assignment', now), now);
}

/** The roles that holdings (of any kind) give right now, for authorization. */
export function rolesHeldAmong(holdings: Holding[], now: Date): HeldRole[] {
  return holdings
    .filter((h) => h.schedule.kind === 'assignment' && holdingInForce(h, now))
    .map((h) => ({ roleDefinitionId: h.schedule.roleDefinitionId, directoryScopeId: h.schedule.directoryScopeId }));
}
