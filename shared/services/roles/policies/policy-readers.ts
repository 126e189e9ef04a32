/**
 * Who reads which role management policies, in one place for every read route. A reader (an active Global
 * Administrator, Privileged Role Administrator, Security Administrator, Global Reader or Security Reader:
 * 'policies.read') reads them all. Anyone else reads the policies of their own roles and group accesses
 * and of the requests they are asked to approve (domain/policy/readable.ts), which is what Entra's portal
 * shows them beside each role; any other policy is refused with the same 403 whether it exists or not,
 * so a caller learns nothing about roles and groups that are not theirs. Changing a rule is not a read:
 * it stays 'policies.manage' (authorizePolicyChange in policy-views.ts).
 */
import { isAllowed } from '../../../domain/authorization.ts';
import type { Caller } from '../../../domain/caller.ts';
import { DomainError, ForbiddenError } from '../../../domain/errors.ts';
import { groupScope } from '../../../domain/group-access.ts';
import {
  mayReadPolicyOf,
  readablePolicies,
  readableRoleIdsAt,
  scheduleShowsPolicy,
  type PolicyTarget,
  type ReadablePolicies,
} from '../../../domain/policy/readable.ts';
import { pendingRequestsOfPrincipal, requestsAwaitingApprover } from '../../../store/role-requests.ts';
import type { Services } from '../../context.ts';
import { holdingsWithGroups, rolesHeldAmong } from '../holdings/principal-access.ts';
import { parseGroupPolicyId, parsePolicyId } from './policy-ids.ts';

/** What a caller may read: every policy, or those of the targets listed. */
export type PolicyReadAccess = { all: true } | { all: false; readable: ReadablePolicies };

const NOT_YOURS =
  'Reading role settings (role management policies) needs an active Global Administrator, Privileged Role Administrator, Security Administrator, Global Reader or Security Reader role; without one, a caller reads only the settings of the roles and group accesses they are eligible for, hold or have requested, and of the requests they approve.';

/**
 * The caller's read access, from one read of their holdings (their partition, then their groups'), beside
 * which their pending requests and the requests awaiting their approval are read in parallel: two rounds
 * of queries whatever the number of roles.
 */
export async function policyReadAccess(svc: Services, caller: Caller): Promise<PolicyReadAccess> {
  const now = svc.clock.now();
  const requests = Promise.all([pendingRequestsOfPrincipal(svc.table, caller.id), requestsAwaitingApprover(svc.table, caller.id)]);
  requests.catch(() => undefined); // a reader never awaits it
  const { holdings, memberOf } = await holdingsWithGroups(svc, caller.id, now);
  if (isAllowed(rolesHeldAmong(holdings, now), 'policies.read')) return { all: true };
  const [pending, awaiting] = await requests;
  const targets: PolicyTarget[] = [
    // An activation whose basis is gone (the caller left the group whose eligibility it was) shows nothing.
    ...holdings.filter((h) => h.basis !== null && scheduleShowsPolicy(h.schedule, now)).map((h) => h.schedule),
    ...memberOf.map((groupId) => ({ roleDefinitionId: 'member', directoryScopeId: groupScope(groupId) })),
    ...[...pending, ...awaiting].filter((r) => r.data.status === 'PendingApproval').map((r) => r.data),
  ];
  return { all: false, readable: readablePolicies(targets) };
}

/**
 * A read of one policy (`read`, by its id; `policyId` undefined when the id names none), run beside the
 * caller's access check so that the two cost one round trip. Its answer, or its failure, reaches only a
 * caller who may read that policy: anyone else gets the same 403 whether the policy exists or not.
 */
export async function readIfReadable<T>(svc: Services, caller: Caller, policyId: string | undefined, read: () => Promise<T>): Promise<T> {
  const result = (async () => read())(); // a read that throws at once is held back as well
  result.catch(() => undefined); // awaited only when the caller may have it
  const access = await policyReadAccess(svc, caller);
  if (!access.all) {
    const target = policyId === undefined ? undefined : targetOfPolicyId(policyId);
    if (!target || !mayReadPolicyOf(access.readable, target)) throw new ForbiddenError(NOT_YOURS);
  }
  return result;
}

/** The role and scope a policy id names, or undefined if it names none (refused like any other). */
function targetOfPolicyId(policyId: string): PolicyTarget | undefined {
  const group = parseGroupPolicyId(policyId);
  if (group) return { roleDefinitionId: group.accessId, directoryScopeId: groupScope(group.groupId) };
  try {
    const { roleDefinitionId, scope } = parsePolicyId(policyId);
    return { roleDefinitionId, directoryScopeId: scope };
  } catch (error) {
    if (error instanceof DomainError) return undefined;
    throw error;
  }
}

/**
 * Of the role ids that have a policy at a scope (`roleIdsAt`, read beside the access check), those the
 * caller may read. A caller who may read none there gets none, whatever `roleIdsAt` found (it fails on a
 * group that does not exist, which is not theirs to learn).
 */
export async function readableRoleIds(svc: Services, caller: Caller, scope: string, roleIdsAt: () => Promise<string[]>): Promise<string[]> {
  const all = (async () => roleIdsAt())();
  all.catch(() => undefined); // awaited only when the caller may have it
  const access = await policyReadAccess(svc, caller);
  if (access.all) return all;
  const mine = readableRoleIdsAt(access.readable, scope);
  if (mine.size === 0) return [];
  return (await all).filter((id) => mine.has(id.toLowerCase()));
}
