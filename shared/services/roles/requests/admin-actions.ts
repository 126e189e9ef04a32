/**
 * Administrators' actions on eligibility and active assignment: assign, update, extend, renew, remove.
 * Each checks the policy's admin rules, keeps one live schedule per principal, role and scope (the
 * slot), and keeps at least one permanent active Global Administrator and Privileged Role Administrator.
 */
import { startedStatus } from '../../../domain/aws-access.ts';
import type { EnablementRule, ExpirationRule } from '../../../contracts/policy-rules.ts';
import { isAllowed } from '../../../domain/authorization.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../domain/errors.ts';
import { checkEnablement, checkExpiration, findRule, maxAuthAgeMs, type RuleFailure } from '../../../domain/policy/evaluate.ts';
import { hasEnded, resolveWindow, scheduleInfoOf, timedByAfterChange, type Schedule, type Window } from '../../../domain/schedule.ts';
import { protectedHolderChange } from '../../../domain/last-admin.ts';
import { scopeKey } from '../../../domain/scope.ts';
import type { SlotKind } from '../../../store/keys.ts';
import { addProtectedHolder, removeProtectedHolder } from '../../../store/guards.ts';
import {
  claimSlot,
  deleteSchedule,
  putNewSchedule,
  releaseSlot,
  replaceSchedule,
  schedulesOfPrincipal,
  schedulesOfTarget,
  updateSlot,
  type StoredSchedule,
} from '../../../store/role-schedules.ts';
import type { ConditionalWrite } from '../../../store/transact.ts';
import { groupStakeWrites } from '../holdings/group-guard.ts';
import { timeboundOrPermanent, type Outcome } from './outcome.ts';
import { policyFailure } from '../policies/policy-errors.ts';
import { heldRoles, holdingsOf, type Holding } from '../holdings/principal-access.ts';
import { newRequest, type Prepared } from './request-context.ts';
import { findActivation } from './self-actions.ts';

const MANAGERS = {
  directory: { permission: 'roleAssignments.manage', who: 'a Privileged Role Administrator or Global Administrator' },
  resource: {
    permission: 'resourceRoleAssignments.manage',
    who: 'an Owner or User Access Administrator at this scope or above, or a Privileged Role Administrator or Global Administrator',
  },
  group: { permission: 'groupAccess.manage', who: 'an owner of the group, or a Privileged Role Administrator or Global Administrator' },
  aws: { permission: 'roleAssignments.manage', who: 'a Privileged Role Administrator or Global Administrator' },
} as const;

export async function authorizeAdmin(p: Prepared): Promise<void> {
  const held = await heldRoles(p.svc, p.actor.caller);
  const { permission, who } = MANAGERS[p.role.kind];
  if (!isAllowed(held, permission, p.scope)) {
    throw new ForbiddenError(`Only ${who} may ${p.input.action.sent} '${p.role.displayName}' assignments.`);
  }
}

const levelOf = (p: Prepared) => (p.kind === 'eligibility' ? 'Eligibility' : 'Assignment');
const slotOf = (p: Prepared): SlotKind => (p.kind === 'eligibility' ? 'E' : 'A');

export function checkAdminRules(p: Prepared, window: Window): void {
  const what = p.kind === 'eligibility' ? 'eligible assignment' : 'active assignment';
  const failures: RuleFailure[] = [
    ...checkExpiration(findRule<ExpirationRule>(p.policy.rules, `Expiration_Admin_${levelOf(p)}`), window, what),
    ...checkEnablement(findRule<EnablementRule>(p.policy.rules, `Enablement_Admin_${levelOf(p)}`), {
      justification: p.input.justification,
      ticketNumber: p.input.ticketInfo?.ticketNumber,
      caller: p.actor.caller,
      now: p.now,
    }),
  ];
  if (failures.length > 0) throw policyFailure(failures, maxAuthAgeMs(findRule<EnablementRule>(p.policy.rules, `Enablement_Admin_${levelOf(p)}`)) / 1000);
}

export function assignmentExists(p: Prepared): ConflictError {
  const what = p.kind === 'eligibility' ? 'eligible for' : 'actively assigned';
  return new ConflictError(
    `${p.principal.displayName} is already ${what} '${p.role.displayName}' at '${p.scope}'. Use adminUpdate or adminExtend to change it.`,
    'RoleAssignmentExists',
  );
}

function lastAdmin(p: Prepared): () => ConflictError {
  return () =>
    new ConflictError(
      `${p.principal.displayName} holds the last permanent active '${p.role.displayName}' assignment. Assign another permanent active ${p.role.displayName} first, so the tenant is never locked out.`,
      'LastAdministratorProtected',
    );
}

/** The live (not ended) admin-made schedule this request is about, if any. */
export async function findAssigned(p: Prepared, includeEnded = false): Promise<Holding | undefined> {
  const own = (await holdingsOf(p.svc, p.principal.id, p.kind)).filter((h) => !h.viaGroupId);
  const matching = own.filter(
    (h) =>
      h.schedule.roleDefinitionId === p.role.id &&
      scopeKey(h.schedule.directoryScopeId) === scopeKey(p.scope) &&
      (p.kind === 'eligibility' || h.schedule.assignmentType === 'Assigned') &&
      (includeEnded || !hasEnded(h.schedule, p.now)),
  );
  // The live one if there is one; else the one that ended last (older ended ones may remain).
  const endOf = (h: Holding) => (h.schedule.endDateTime === null ? Infinity : Date.parse(h.schedule.endDateTime));
  return matching.find((h) => !hasEnded(h.schedule, p.now)) ?? matching.sort((a, b) => endOf(b) - endOf(a))[0];
}

/** Keeps the protected-holder count in step; marks `after` with whether it is counted. */
async function guardWrites(p: Prepared, before: Schedule | undefined, after: Schedule | undefined): Promise<ConditionalWrite[]> {
  const { counts, delta } = protectedHolderChange(p.role.id, before, after, p.now);
  if (after) after.protectedHolder = counts;
  if (delta === 0) return [];
  if (p.principal.type === 'group') return groupStakeWrites(p.svc, p.principal.id, p.role.id, counts, lastAdmin(p));
  return [counts ? addProtectedHolder(p.role.id) : removeProtectedHolder(p.role.id, lastAdmin(p))];
}

export async function adminAssign(p: Prepared): Promise<Outcome> {
  const window = resolveWindow(p.input.scheduleInfo, p.now, 'noExpiration');
  checkAdminRules(p, window);
  const schedule: Schedule = {
    id: p.requestId,
    kind: p.kind,
    principalId: p.principal.id,
    principalType: p.principal.type,
    roleDefinitionId: p.role.id,
    directoryScopeId: p.scope,
    appScopeId: null,
    memberType: 'Direct',
    assignmentType: p.kind === 'assignment' ? 'Assigned' : null,
    status: 'Provisioned',
    createdUsing: p.requestId,
    createdDateTime: p.now.toISOString(),
    modifiedDateTime: null,
    startDateTime: window.start.toISOString(),
    endDateTime: window.end?.toISOString() ?? null,
    expirationType: window.expirationType,
    duration: window.duration,
    activatedUsing: null,
  };
  const guard = await guardWrites(p, undefined, schedule);
  const request = newRequest(p, {
    status: window.start.getTime() <= p.now.getTime() ? startedStatus(schedule) : 'Provisioned',
    targetScheduleId: schedule.id,
    scheduleInfo: scheduleInfoOf(schedule),
    completedDateTime: p.now.toISOString(),
  });
  const eligible = p.kind === 'eligibility' ? 'eligible ' : '';
  return {
    request,
    schedule,
    writes: [...putNewSchedule(schedule), claimSlot(schedule, slotOf(p), p.now, () => assignmentExists(p)), ...guard],
    audit: { activity: `Add ${eligible}member to role in PIM completed (${timeboundOrPermanent(schedule)})`, operationType: 'Assign' },
  };
}

/**
 * adminRemove ends an admin-made assignment; when a principal holds the role only through an
 * activation, it ends that activation instead (an administrator can always take access away now).
 */
export async function adminRemove(p: Prepared): Promise<Outcome> {
  const current = (await findAssigned(p)) ?? (p.kind === 'assignment' ? await findActivation(p) : undefined);
  if (!current)
    throw new NotFoundError(
      `${p.principal.displayName} has no ${p.kind === 'eligibility' ? 'eligible' : 'active'} assignment of '${p.role.displayName}' at '${p.scope}'.`,
      'RoleAssignmentDoesNotExist',
    );
  const s = current.schedule;
  const slot = s.assignmentType === 'Activated' ? 'C' : slotOf(p);
  const writes = [
    ...deleteSchedule(s, current.version, p.kind === 'eligibility' ? current.activations : undefined),
    releaseSlot(s, slot),
    ...(await guardWrites(p, s, undefined)),
  ];
  if (p.kind === 'eligibility') {
    // No standing privilege: activations made from a removed eligibility end with it.
    for (const a of await activationsFrom(p, s)) writes.push(...deleteSchedule(a.data, a.version), releaseSlot(a.data, 'C'));
  }
  const request = newRequest(p, { status: 'Revoked', targetScheduleId: null, scheduleInfo: null });
  const eligible = p.kind === 'eligibility' ? 'eligible ' : '';
  return {
    request,
    writes,
    audit: { activity: `Remove ${eligible}member from role in PIM completed (${timeboundOrPermanent(s)})`, operationType: 'Unassign' },
  };
}

/**
 * The activations made from an eligibility that have not ended. A group's eligibility was activated by
 * its members (and past members), in their own partitions: those come from the by-role index; the
 * principal's own partition is read consistently.
 */
async function activationsFrom(p: Prepared, eligibility: Schedule): Promise<StoredSchedule[]> {
  const [own, byRole] = await Promise.all([
    schedulesOfPrincipal(p.svc.table, p.principal.id, 'assignment'),
    schedulesOfTarget(p.svc.table, eligibility, 'assignment'),
  ]);
  return [
    ...new Map([...byRole, ...own].filter((a) => a.data.activatedUsing === eligibility.id && !hasEnded(a.data, p.now)).map((a) => [a.data.id, a])).values(),
  ];
}

/** Keeps activations inside their eligibility's new window: cut to its end, or ended if it no longer covers them. */
function fitActivations(activations: StoredSchedule[], eligibility: Schedule, now: Date): ConditionalWrite[] {
  const end = eligibility.endDateTime === null ? Infinity : Date.parse(eligibility.endDateTime);
  return activations.flatMap((a) => {
    const start = Date.parse(a.data.startDateTime);
    if (start < Date.parse(eligibility.startDateTime) || start >= end) return [...deleteSchedule(a.data, a.version), releaseSlot(a.data, 'C')];
    if (a.data.endDateTime !== null && Date.parse(a.data.endDateTime) <= end) return [];
    const cut: Schedule = {
      ...a.data,
      endDateTime: eligibility.endDateTime,
      expirationType: 'afterDateTime',
      duration: null,
      modifiedDateTime: now.toISOString(),
    };
    return [replaceSchedule(cut, a.version), updateSlot(cut, 'C')];
  });
}

/** adminUpdate, adminExtend and adminRenew all give an existing assignment a new window. */
export async function adminReschedule(p: Prepared): Promise<Outcome> {
  const renew = p.action === 'adminRenew';
  const current = await findAssigned(p, renew);
  if (!current)
    throw new NotFoundError(
      `${p.principal.displayName} has no ${p.kind === 'eligibility' ? 'eligible' : 'active'} assignment of '${p.role.displayName}' at '${p.scope}' to ${p.input.action.sent}.`,
      'RoleAssignmentDoesNotExist',
    );
  const before = current.schedule;
  if (renew && !hasEnded(before, p.now)) throw new ConflictError('The assignment has not expired; use adminExtend or adminUpdate.', 'RoleAssignmentNotExpired');
  if (p.action === 'adminExtend' && before.endDateTime === null)
    throw new ConflictError('The assignment is permanent; there is nothing to extend.', 'RoleAssignmentPermanent');
  // Without a new start, the schedule keeps its own: a planned assignment stays planned.
  const keepStart = !renew && !p.input.scheduleInfo?.startDateTime ? new Date(before.startDateTime) : undefined;
  const window = resolveWindow(
    keepStart ? { ...p.input.scheduleInfo, startDateTime: before.startDateTime } : p.input.scheduleInfo,
    p.now,
    before.endDateTime === null ? 'noExpiration' : 'afterDateTime',
  );
  if (keepStart) window.start = keepStart;
  if (p.action === 'adminExtend' && window.end !== null && before.endDateTime !== null && window.end.getTime() <= Date.parse(before.endDateTime)) {
    throw new ConflictError(`An extension must end after the current end (${before.endDateTime}).`, 'InvalidExtension');
  }
  checkAdminRules(p, window);
  const after: Schedule = {
    ...before,
    startDateTime: window.start.toISOString(),
    endDateTime: window.end?.toISOString() ?? null,
    expirationType: window.expirationType,
    duration: window.duration,
    modifiedDateTime: p.now.toISOString(),
    status: window.start.getTime() > p.now.getTime() ? 'Granted' : 'Provisioned',
    timedBy: timedByAfterChange(before, p.requestId, p.now),
  };
  const guard = await guardWrites(p, before, after);
  const slotWrite = renew ? claimSlot(after, slotOf(p), p.now, () => assignmentExists(p)) : updateSlot(after, slotOf(p));
  const request = newRequest(p, {
    status: 'Provisioned',
    targetScheduleId: before.id,
    scheduleInfo: scheduleInfoOf(after),
    completedDateTime: p.now.toISOString(),
  });
  const eligible = p.kind === 'eligibility' ? 'eligible ' : '';
  const word = p.action === 'adminRenew' ? 'renew' : p.action === 'adminExtend' ? 'extend' : 'update';
  const fitted = p.kind === 'eligibility' && !renew ? fitActivations(await activationsFrom(p, before), after, p.now) : [];
  return {
    request,
    schedule: after,
    writes: [replaceSchedule(after, current.version), slotWrite, ...guard, ...fitted],
    audit: { activity: `Update ${eligible}member in PIM completed by admin (${word})`, operationType: 'Update' },
  };
}
