/**
 * Turns an administrator's active assignment (permanent or time-bound) into an eligible one in one step,
 * through the audited role request paths as the caller: first the eligibility (same principal, role and
 * scope; the same end, or none when the role's policy allows permanent eligibility, else the longest it
 * allows), then adminRemove of the active assignment. Last-administrator protection applies to that
 * removal; when it (or anything) refuses, the eligibility made a moment before is removed again, so the
 * principal is left exactly as they were and the caller gets the refusal.
 */
import type { ExpirationRule } from '../../contracts/policy-rules.ts';
import type { RoleRequestInput } from '../../contracts/role-requests.ts';
import { formatDuration, parseDuration } from '../../domain/duration.ts';
import { BadRequestError, ConflictError, DomainError } from '../../domain/errors.ts';
import { isGroupAccess } from '../../domain/group-access.ts';
import { findRule } from '../../domain/policy/evaluate.ts';
import { hasEnded, type Schedule, type ScheduleInfoInput } from '../../domain/schedule.ts';
import { requireSchedule } from '../../store/role-schedules.ts';
import type { Actor, Services } from '../context.ts';
import { effectivePolicy } from '../roles/policies/effective-policy.ts';
import { submitRoleRequest } from '../roles/requests/submit-request.ts';

export const CONVERT_JUSTIFICATION = 'Converted from active to eligible assignment (Discovery and insights)';

export interface Converted {
  /** The active assignment that was removed. */
  scheduleId: string;
  /** The eligibility the principal now holds (made by this conversion, or one they already had). */
  eligibilityScheduleId: string | null;
  /** False when the principal was already eligible: only the active assignment was removed. */
  eligibilityCreated: boolean;
}

/** The active assignment to convert, or a 400 saying why this schedule cannot be. */
export async function convertibleSchedule(svc: Services, scheduleId: string): Promise<Schedule> {
  const { data: s } = await requireSchedule(svc.table, scheduleId);
  if (s.kind !== 'assignment' || s.assignmentType !== 'Assigned')
    throw new BadRequestError(`Schedule '${scheduleId}' is not an active assignment made by an administrator; only those can be converted to eligible.`);
  if (isGroupAccess(s)) throw new BadRequestError(`Schedule '${scheduleId}' is a PIM for groups assignment; convert it through the group's assignments.`);
  if (s.status === 'Expired' || hasEnded(s, svc.clock.now())) throw new BadRequestError(`Schedule '${scheduleId}' has already ended.`);
  return s;
}

/** The eligibility's window: the active assignment's end, kept within the policy's Expiration_Admin_Eligibility rule. */
async function eligibleWindow(svc: Services, s: Schedule, now: Date): Promise<ScheduleInfoInput> {
  const rule = findRule<ExpirationRule>((await effectivePolicy(svc, s.roleDefinitionId, s.directoryScopeId)).rules, 'Expiration_Admin_Eligibility');
  const start = new Date(Math.max(Date.parse(s.startDateTime), now.getTime()));
  const longest = rule.isExpirationRequired ? parseDuration(rule.maximumDuration) : Infinity;
  const end = s.endDateTime === null ? Infinity : Date.parse(s.endDateTime);
  if (end === Infinity && longest === Infinity) return { startDateTime: start.toISOString(), expiration: { type: 'noExpiration' } };
  if (end - start.getTime() <= longest)
    return { startDateTime: start.toISOString(), expiration: { type: 'afterDateTime', endDateTime: new Date(end).toISOString() } };
  return { startDateTime: start.toISOString(), expiration: { type: 'afterDuration', duration: formatDuration(longest) } };
}

function requestFor(s: Schedule, action: 'adminAssign' | 'adminRemove', justification: string, scheduleInfo?: ScheduleInfoInput): RoleRequestInput {
  return {
    action: { sent: action, canonical: action },
    principalId: s.principalId,
    roleDefinitionId: s.roleDefinitionId,
    directoryScopeId: s.directoryScopeId,
    justification,
    ...(scheduleInfo ? { scheduleInfo } : {}),
  };
}

const alreadyEligible = (error: unknown) => error instanceof ConflictError && error.code === 'RoleAssignmentExists';

/**
 * Converts the active assignment `scheduleId` to eligible as `actor` (who must be allowed to assign and
 * remove the role). Throws the refusal (a DomainError) when it cannot, with nothing changed.
 */
export async function convertToEligible(svc: Services, actor: Actor, scheduleId: string, justification = CONVERT_JUSTIFICATION): Promise<Converted> {
  const s = await convertibleSchedule(svc, scheduleId);
  const now = svc.clock.now();
  let eligibility: { id: string | null; created: boolean };
  try {
    const made = await submitRoleRequest(svc, actor, 'eligibility', requestFor(s, 'adminAssign', justification, await eligibleWindow(svc, s, now)));
    eligibility = { id: made.request.targetScheduleId, created: !made.replayed };
  } catch (error) {
    // Already eligible for the role at this scope: the active assignment is all that stands.
    if (!alreadyEligible(error)) throw error;
    eligibility = { id: null, created: false };
  }
  try {
    await submitRoleRequest(svc, actor, 'assignment', requestFor(s, 'adminRemove', justification));
  } catch (error) {
    if (eligibility.created) await undoEligibility(svc, actor, s, error);
    throw error;
  }
  return { scheduleId, eligibilityScheduleId: eligibility.id, eligibilityCreated: eligibility.created };
}

/** Removes the eligibility this conversion made, after the removal of the active assignment was refused. */
async function undoEligibility(svc: Services, actor: Actor, s: Schedule, cause: unknown): Promise<void> {
  const reason = cause instanceof Error ? cause.message : String(cause);
  try {
    await submitRoleRequest(svc, actor, 'eligibility', requestFor(s, 'adminRemove', `Conversion to eligible undone: ${reason}`.slice(0, 500)));
  } catch (undo) {
    // Both refused: say so, rather than report a clean failure while an eligibility stays behind.
    const why = undo instanceof Error ? undo.message : String(undo);
    throw new ConflictError(
      `${reason} The eligible assignment made for the conversion could not be removed again (${why}); remove it by hand.`,
      cause instanceof DomainError ? cause.code : 'Request_Conflict',
    );
  }
}
