/**
 * The roles a group carries (holds active, or is eligible for, at any scope, until they end) with the
 * policies that govern them, and the group's activation policy held to them (domain/policy/carried.ts).
 * Requests (request-context.ts) and the policy views (policy-views.ts) both ask here, so what a
 * requester is held to and what an administrator reads are the same.
 */
import type { Policy } from '../../../contracts/policies.ts';
import { groupAccessOf, isGroupAccess } from '../../../domain/group-access.ts';
import { combineCarried, explainCarried, type CarriedPolicy, type CarriedRole } from '../../../domain/policy/carried.ts';
import type { RuleFailure } from '../../../domain/policy/evaluate.ts';
import { hasEnded } from '../../../domain/schedule.ts';
import { schedulesOfPrincipal } from '../../../store/role-schedules.ts';
import type { Services } from '../../context.ts';
import { accessTargetOrId } from '../access-kinds/access-target.ts';
import { policiesAt } from './effective-policy.ts';
import type { Prepared } from '../requests/request-context.ts';

/** Every role the group carries now or later, once per role and scope (an active assignment names it before an eligibility). */
export async function carriedRoles(svc: Services, groupId: string, now: Date): Promise<CarriedRole[]> {
  const schedules = (await schedulesOfPrincipal(svc.table, groupId))
    .map((s) => s.data)
    // Not yet started counts too: an activation made now could still be in force when it starts.
    .filter((s) => !isGroupAccess(s) && !hasEnded(s, now))
    .sort((a, b) => Number(a.kind === 'eligibility') - Number(b.kind === 'eligibility'));
  const held = new Map<string, { roleDefinitionId: string; scope: string; assignmentType: CarriedRole['assignmentType'] }>();
  for (const s of schedules) {
    const key = `${s.roleDefinitionId.toLowerCase()}|${s.directoryScopeId.toLowerCase()}`;
    if (!held.has(key))
      held.set(key, { roleDefinitionId: s.roleDefinitionId, scope: s.directoryScopeId, assignmentType: s.kind === 'eligibility' ? 'Eligible' : 'Active' });
  }
  return Promise.all(
    [...held.values()].map(async (h): Promise<CarriedRole> => {
      const [target, [resolved]] = await Promise.all([accessTargetOrId(svc, h.roleDefinitionId, h.scope), policiesAt(svc, [h.roleDefinitionId], h.scope)]);
      return {
        roleDefinitionId: h.roleDefinitionId,
        displayName: target.displayName,
        directoryScopeId: h.scope,
        assignmentType: h.assignmentType,
        policyId: resolved!.policy.id,
        rules: resolved!.policy.rules,
      };
    }),
  );
}

/**
 * The policy a group access request is held to: for membership or ownership of a group, its own policy
 * combined with the roles the group carries; any other policy as it is.
 */
export async function carriedPolicyOf(svc: Services, policy: Policy, roleDefinitionId: string, scope: string, now: Date): Promise<CarriedPolicy | undefined> {
  const access = groupAccessOf({ roleDefinitionId, directoryScopeId: scope });
  if (!access) return undefined;
  return combineCarried(policy.rules, await carriedRoles(svc, access.groupId, now));
}

/** A request's rule failures, each naming the carried role that imposed its rule, if one did. */
export function withCarriedReasons(p: Pick<Prepared, 'carried' | 'role'>, failures: RuleFailure[]): RuleFailure[] {
  return p.carried.length > 0 && p.role.group ? explainCarried(failures, p.carried, p.role.group.displayName) : failures;
}
