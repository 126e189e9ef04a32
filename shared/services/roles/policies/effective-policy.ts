/**
 * Role management policies: one per role and scope. A policy nobody has changed is Entra's defaults,
 * synthesised on read; the first PATCH of a rule stores it. A request at a scope follows the policy of
 * the nearest scope at or above it that has one, else the role's tenant-wide policy; a scope's policy
 * that was never changed shows (and starts from) exactly those inherited rules.
 */
import { groupPolicyId, parseGroupPolicyId, parsePolicyId, policyIdFor } from './policy-ids.ts';
import type { Policy } from '../../../contracts/policies.ts';
import type { PolicyRule } from '../../../contracts/policy-rules.ts';
import type { StoredRoleDefinition } from '../../../contracts/role-definitions.ts';
import { BadRequestError, NotFoundError } from '../../../domain/errors.ts';
import { groupAccessOf, groupScope, isGroupScope, type GroupAccessId } from '../../../domain/group-access.ts';
import { defaultRules } from '../../../domain/policy/defaults.ts';
import { isResourceScope, scopeAncestry, scopeKey, TENANT_SCOPE } from '../../../domain/scope.ts';
import { getPrincipal } from '../../../store/principals.ts';
import { getStoredPolicies, type StoredPolicy } from '../../../store/policies.ts';
import type { Services } from '../../context.ts';
import { getRoleDefinition } from '../../role-definitions.ts';

export function defaultPolicy(roleDefinitionId: string, scope: string): Policy {
  return {
    id: policyIdFor(roleDefinitionId, scope),
    displayName: 'DirectoryRole',
    description: 'DirectoryRole',
    isOrganizationDefault: false,
    scopeId: scope,
    scopeType: 'DirectoryRole',
    lastModifiedDateTime: null,
    lastModifiedBy: { displayName: null, id: null },
    rules: defaultRules('DirectoryRole'),
  };
}

function defaultGroupPolicy(groupId: string, accessId: GroupAccessId): Policy {
  return {
    id: groupPolicyId(groupId, accessId),
    displayName: 'Group',
    description: 'Group',
    isOrganizationDefault: false,
    scopeId: groupId,
    scopeType: 'Group',
    lastModifiedDateTime: null,
    lastModifiedBy: { displayName: null, id: null },
    rules: defaultRules('Group'),
  };
}

export interface ResolvedPolicy {
  roleDefinitionId: string;
  /** The policy under the id of this role and scope: stored, or inherited from above, or the defaults. */
  policy: Policy;
  /** Set when this very policy has been changed (and so is stored). */
  stored?: StoredPolicy;
}

/**
 * The policies of several roles at one scope, with one batch read. `roleDefinitionIds` must be the
 * roles' canonical ids (as role definitions give them).
 */
export async function policiesAt(svc: Services, roleDefinitionIds: string[], scope: string): Promise<ResolvedPolicy[]> {
  if (isGroupScope(scope)) return groupPoliciesAt(svc, roleDefinitionIds, scope);
  // scopeAncestry also yields the path steps between scopes ('/subscriptions/x/resourceGroups'); only scopes have policies.
  const chain = [
    ...new Set(
      scopeAncestry(scope).flatMap((s) => {
        try {
          return [s === TENANT_SCOPE ? s : scopeKey(s)];
        } catch {
          return [];
        }
      }),
    ),
  ];
  const own = chain[0]!;
  const stored = await getStoredPolicies(
    svc.table,
    roleDefinitionIds.flatMap((roleId) => chain.map((s) => policyIdFor(roleId, s))),
  );
  return roleDefinitionIds.map((roleDefinitionId) => {
    const mine = stored.get(policyIdFor(roleDefinitionId, own));
    if (mine) return { roleDefinitionId, policy: mine.data, stored: mine };
    const base = defaultPolicy(roleDefinitionId, own);
    const inherited = chain
      .slice(1)
      .map((s) => stored.get(policyIdFor(roleDefinitionId, s)))
      .find((p) => p !== undefined);
    return { roleDefinitionId, policy: inherited ? { ...base, rules: inherited.data.rules } : base };
  });
}

/** The member and owner policies of a group (`accessIds`), stored or Entra's group defaults. */
async function groupPoliciesAt(svc: Services, accessIds: string[], scope: string): Promise<ResolvedPolicy[]> {
  const resolved = accessIds.map((accessId) => ({ accessId, access: groupAccessOf({ roleDefinitionId: accessId, directoryScopeId: scope }) }));
  const stored = await getStoredPolicies(
    svc.table,
    resolved.flatMap((r) => (r.access ? [groupPolicyId(r.access.groupId, r.access.accessId)] : [])),
  );
  return resolved.map(({ accessId, access }) => {
    if (!access) throw new BadRequestError(`'${accessId}' is not a group access id; use 'member' or 'owner'.`);
    const mine = stored.get(groupPolicyId(access.groupId, access.accessId));
    return mine
      ? { roleDefinitionId: accessId, policy: mine.data, stored: mine }
      : { roleDefinitionId: accessId, policy: defaultGroupPolicy(access.groupId, access.accessId) };
  });
}

/** The policy that governs requests for a role at a scope. */
export async function effectivePolicy(svc: Services, roleDefinitionId: string, scope: string): Promise<Policy> {
  return (await policiesAt(svc, [roleDefinitionId], scope))[0]!.policy;
}

/** Directory roles have policies at '/' and administrative units; resource roles at '/' and resources. */
export function scopeFitsRole(role: Pick<StoredRoleDefinition, 'kind'>, scope: string): boolean {
  if (scope === TENANT_SCOPE) return true;
  // AWS roles have one policy, at '/', whatever the account.
  if (role.kind === 'aws') return false;
  return role.kind === 'resource' ? isResourceScope(scope) : !isResourceScope(scope);
}

/** The policy stored or synthesised under one exact id (role ids are matched as role definitions are). */
export async function getPolicy(svc: Services, id: string): Promise<{ policy: Policy; stored?: StoredPolicy; roleDefinitionId: string; scope: string }> {
  const group = parseGroupPolicyId(id);
  if (group) {
    const scope = groupScope(group.groupId);
    if ((await getPrincipal(svc.table, group.groupId))?.type !== 'group')
      throw new NotFoundError(`Policy '${id.slice(0, 300)}' does not exist: group '${group.groupId}' does not exist.`);
    const [resolved] = await policiesAt(svc, [group.accessId], scope);
    return { policy: resolved!.policy, stored: resolved!.stored, roleDefinitionId: group.accessId, scope };
  }
  const { roleDefinitionId, scope } = parsePolicyId(id);
  const role = await getRoleDefinition(svc, roleDefinitionId);
  if (!scopeFitsRole(role, scope)) throw new NotFoundError(`Policy '${id.slice(0, 300)}' does not exist: ${role.displayName} has no policy at '${scope}'.`);
  const [resolved] = await policiesAt(svc, [role.id], scope);
  return { policy: resolved!.policy, stored: resolved!.stored, roleDefinitionId: role.id, scope };
}

export async function getPolicyRule(svc: Services, policyId: string, ruleId: string): Promise<PolicyRule> {
  const { policy } = await getPolicy(svc, policyId);
  const rule = policy.rules.find((r) => r.id === ruleId);
  if (!rule) throw new NotFoundError(`Policy '${policy.id}' has no rule '${ruleId}'. Its rules are: ${policy.rules.map((r) => r.id).join(', ')}.`);
  return rule;
}
