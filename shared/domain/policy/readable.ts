/**
 * Which role management policies a caller without a reader role may read. Entra's portal shows people the
 * activation settings of their own roles (MFA, justification, ticket, approval, maximum duration), so a
 * caller reads the policy of each role or PIM for groups access they are eligible for, hold, may still
 * renew, or have a request pending for, and of each request they are asked to approve (its timeout). The
 * policy is the one at exactly the scope they hold it at: that is the one a request there is held to.
 * Nothing else: not another role's, and not whether another role or group exists.
 *
 * Pure: the policies service gathers the caller's holdings and requests (services/roles/policies/policy-readers.ts).
 */
import { RENEWAL_GRACE_DAYS } from '../extension-window.ts';
import type { Schedule } from '../schedule.ts';
import { scopeKey, TENANT_SCOPE } from '../scope.ts';
import { isAwsScope } from '../aws-access.ts';

/** A role (or group access: `member`|`owner` at `/groups/{id}`) at a scope. */
export interface PolicyTarget {
  roleDefinitionId: string;
  directoryScopeId: string;
}

/** The targets a caller may read: role ids (lower case) by scope key (role ids and scopes compare without regard to case). */
export type ReadablePolicies = ReadonlyMap<string, ReadonlySet<string>>;

const DAY_MS = 86_400_000;

/** A scope's key, or undefined when it is not a scope (such a target has no policy to read). */
function scopeKeyOf(scope: string): string | undefined {
  try {
    return scope === TENANT_SCOPE ? TENANT_SCOPE : scopeKey(scope);
  } catch {
    return undefined;
  }
}

export function readablePolicies(targets: Iterable<PolicyTarget>): ReadablePolicies {
  const byScope = new Map<string, Set<string>>();
  for (const t of targets) {
    // An AWS role has one policy, at '/', whatever account or OU it is held at.
    const scope = isAwsScope(t.directoryScopeId) ? TENANT_SCOPE : scopeKeyOf(t.directoryScopeId);
    if (scope === undefined) continue;
    const roles = byScope.get(scope) ?? new Set<string>();
    roles.add(t.roleDefinitionId.toLowerCase());
    byScope.set(scope, roles);
  }
  return byScope;
}

/** The role ids (lower case) whose policy at `scope` the caller may read. */
export function readableRoleIdsAt(readable: ReadablePolicies, scope: string): ReadonlySet<string> {
  const key = scopeKeyOf(scope);
  return (key === undefined ? undefined : readable.get(key)) ?? new Set();
}

export function mayReadPolicyOf(readable: ReadablePolicies, target: PolicyTarget): boolean {
  return readableRoleIdsAt(readable, target.directoryScopeId).has(target.roleDefinitionId.toLowerCase());
}

/**
 * Whether a schedule still makes its role's settings the holder's business at `now`: it has not ended
 * (in force, or starting later), or it ended so recently that it may still be renewed (an activation is
 * never renewed: its eligibility is what counts).
 */
export function scheduleShowsPolicy(s: Pick<Schedule, 'kind' | 'assignmentType' | 'endDateTime'>, now: Date): boolean {
  if (s.endDateTime === null) return true;
  const sinceEnd = now.getTime() - Date.parse(s.endDateTime);
  if (sinceEnd < 0) return true;
  return s.assignmentType !== 'Activated' && sinceEnd <= RENEWAL_GRACE_DAYS * DAY_MS;
}
