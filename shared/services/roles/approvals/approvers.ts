/**
 * Who may approve: the one place that turns the directory into approver ids. Approval snapshots, the
 * stand-in rule and the Admin audience of notifications all read it, so "who are the administrators"
 * has one answer everywhere.
 *
 * The fallback approvers are Entra's: the people who hold Privileged Role Administrator or Global
 * Administrator in force now, directly or as members of a group that holds it (a PIM for groups member
 * only while that membership is in force), and who can act on it: an existing, enabled user. A disabled
 * account cannot sign in to decide, and a deleted one is gone, so neither counts towards a stage.
 */
import { BUILTIN_ROLE_IDS } from '../../../domain/builtin-roles.ts';
import { canApprove } from '../../../domain/principal.ts';
import { isInForce } from '../../../domain/schedule.ts';
import { allMembersOf } from '../../../store/memberships.ts';
import { getPrincipals } from '../../../store/principals.ts';
import { schedulesOfRole } from '../../../store/role-schedules.ts';
import type { TableContext } from '../../../store/table-context.ts';
import type { Services } from '../../context.ts';
import { memberHoldings } from '../holdings/role-holders.ts';

/** The roles whose holders approve when a policy names no one (or too few). */
export const FALLBACK_APPROVER_ROLES: readonly string[] = [BUILTIN_ROLE_IDS.privilegedRoleAdministrator, BUILTIN_ROLE_IDS.globalAdministrator];

/** Users holding Privileged Role Administrator or Global Administrator in force at `now`, able to approve. */
export async function fallbackApproverIds(svc: Services, now: Date): Promise<string[]> {
  const held = (await Promise.all(FALLBACK_APPROVER_ROLES.map((r) => schedulesOfRole(svc.table, r, 'assignment'))))
    .flat()
    .filter((s) => s.data.status !== 'Expired');
  const direct = held.filter((s) => s.data.principalType === 'user' && isInForce(s.data, now)).map((s) => s.data.principalId);
  const viaGroups = (await memberHoldings(svc, held, now)).map((m) => m.memberId);
  return ableToApprove(svc.table, [...new Set([...direct, ...viaGroups])]);
}

/** Of `ids`, in order, those that are existing, enabled users: the only principals who can decide a step. */
export async function ableToApprove(table: TableContext, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const able = new Set((await getPrincipals(table, ids)).filter(canApprove).map((p) => p.id));
  return ids.filter((id) => able.has(id));
}

/** Every standing member of an approver group named by a policy, as the policy's stage counts them. */
export async function approverGroupMembers(svc: Services, groupId: string): Promise<string[]> {
  return (await allMembersOf(svc.table, groupId)).map((m) => m.id);
}
