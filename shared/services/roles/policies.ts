/**
 * Role management policies: one per role and scope. A policy nobody has changed is Entra's defaults,
 * synthesised on read; the first PATCH of a rule stores it. A request at a scope follows the policy of
 * the nearest scope at or above it that has one, else the role's tenant-wide policy.
 */
import type { Policy } from '../../contracts/policies.ts';
import { policyRuleSchema, type PolicyRule } from '../../contracts/policy-rules.ts';
import { BadRequestError, NotFoundError } from '../../domain/errors.ts';
import { defaultRules } from '../../domain/policy/defaults.ts';
import { scopeAncestry, TENANT_SCOPE } from '../../domain/scope.ts';
import { getStoredPolicies, savePolicy, type StoredPolicy } from '../../store/policies.ts';
import { commitChange } from '../../store/transact.ts';
import { auditOf } from '../audit-writer.ts';
import type { Actor, Services } from '../context.ts';
import { getRoleDefinition } from '../role-definitions.ts';

export const TENANT_ID = 'stint';

export function policyIdFor(roleDefinitionId: string, scope: string): string {
  const base = `DirectoryRole_${TENANT_ID}_${roleDefinitionId}`;
  return scope === TENANT_SCOPE ? base : `${base}_${Buffer.from(scope).toString('base64url')}`;
}

/** The role and scope a policy id names (ids are built by policyIdFor, so they can be read back). */
export function parsePolicyId(id: string): { roleDefinitionId: string; scope: string } {
  const match = /^DirectoryRole_([^_]+)_([^_]+)(?:_([A-Za-z0-9_-]+))?$/.exec(id);
  if (!match || match[1] !== TENANT_ID) throw new NotFoundError(`Policy '${id}' does not exist.`);
  return { roleDefinitionId: match[2]!, scope: match[3] ? Buffer.from(match[3], 'base64url').toString('utf8') : TENANT_SCOPE };
}

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

/** The policy that governs requests for a role at a scope. */
export async function effectivePolicy(svc: Services, roleDefinitionId: string, scope: string): Promise<Policy> {
  const chain = scopeAncestry(scope);
  const stored = await getStoredPolicies(svc.table, chain.map((s) => policyIdFor(roleDefinitionId, s)));
  for (const s of chain) {
    const found = stored.get(policyIdFor(roleDefinitionId, s));
    if (found) return found.data;
  }
  return defaultPolicy(roleDefinitionId, TENANT_SCOPE);
}

/** The policy stored or synthesised under one exact id. */
export async function getPolicy(svc: Services, id: string): Promise<{ policy: Policy; stored?: StoredPolicy; roleDefinitionId: string }> {
  const { roleDefinitionId, scope } = parsePolicyId(id);
  await getRoleDefinition(svc, roleDefinitionId);
  const stored = (await getStoredPolicies(svc.table, [id])).get(id);
  return { policy: stored?.data ?? defaultPolicy(roleDefinitionId, scope), stored, roleDefinitionId };
}

export async function getPolicyRule(svc: Services, policyId: string, ruleId: string): Promise<PolicyRule> {
  const { policy } = await getPolicy(svc, policyId);
  const rule = policy.rules.find((r) => r.id === ruleId);
  if (!rule) throw new NotFoundError(`Policy '${policyId}' has no rule '${ruleId}'. Its rules are: ${policy.rules.map((r) => r.id).join(', ')}.`);
  return rule;
}

/** Replaces one rule. The body must be the rule's own type and keep its id and target. */
export async function updatePolicyRule(svc: Services, actor: Actor, policyId: string, ruleId: string, body: unknown): Promise<PolicyRule> {
  const { policy, stored, roleDefinitionId } = await getPolicy(svc, policyId);
  const current = policy.rules.find((r) => r.id === ruleId);
  if (!current) throw new NotFoundError(`Policy '${policyId}' has no rule '${ruleId}'.`);
  const withId = { ...(body as object), id: (body as { id?: unknown }).id ?? ruleId };
  const parsed = policyRuleSchema.safeParse(withId);
  if (!parsed.success) {
    throw new BadRequestError(`Invalid rule: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}.`);
  }
  const next = parsed.data;
  if (next.id !== ruleId) throw new BadRequestError(`The body's id '${next.id}' does not match the rule '${ruleId}' in the URL.`);
  if (next['@odata.type'] !== current['@odata.type']) {
    throw new BadRequestError(`Rule '${ruleId}' is a ${current['@odata.type']}; the body's @odata.type is ${next['@odata.type']}.`);
  }
  validateRule(next);
  const at = svc.clock.now();
  const caller = actor.caller;
  const updated: Policy = {
    ...policy,
    lastModifiedDateTime: at.toISOString(),
    lastModifiedBy: { displayName: caller.displayName ?? null, id: caller.id },
    rules: policy.rules.map((r) => (r.id === ruleId ? { ...next, target: current.target } : r)),
  };
  const role = await getRoleDefinition(svc, roleDefinitionId);
  const audit = auditOf(svc, actor, {
    category: 'RoleManagement',
    activity: 'Update role setting in PIM',
    operationType: 'Update',
    targets: [
      { id: policyId, displayName: `${role.displayName} (${policy.scopeId})`, type: 'Policy', modifiedProperties: [{ displayName: ruleId, oldValue: JSON.stringify(current), newValue: JSON.stringify(next) }] },
      { id: role.id, displayName: role.displayName, type: 'Role', modifiedProperties: [] },
    ],
  }, at);
  await commitChange(svc.table, [savePolicy(updated, roleDefinitionId, stored?.version)], audit);
  return next;
}

function validateRule(rule: PolicyRule): void {
  if (rule['@odata.type'] === '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule') {
    const { setting } = rule;
    if (setting.isApprovalRequired && setting.approvalStages.length === 0) {
      throw new BadRequestError('isApprovalRequired needs at least one approval stage.');
    }
  }
}
