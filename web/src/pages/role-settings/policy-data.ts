/**
 * Reading a role's (or a group membership's) policy with its rules, and writing changed rules back one
 * PATCH per rule, as Graph takes them. Each rule's answer is kept: a refusal is shown as the API said it.
 */
import type { Api } from '../../api/client.ts';
import { ApiError, StepUpRequired } from '../../api/errors.ts';
import { odataString, POLICIES, POLICY_ASSIGNMENTS, query } from '../../api/paths.ts';
import type { PolicyRule } from '../../domain/role-settings.ts';

export interface PolicyTarget {
  scopeType: 'DirectoryRole' | 'Group';
  scopeId: string;
  /** A role definition id, or 'member' / 'owner' for a group. */
  roleDefinitionId: string;
}

export interface LoadedPolicy {
  assignmentId: string;
  policyId: string;
  rules: PolicyRule[];
}

interface AssignmentRow {
  id: string;
  policyId: string;
  roleDefinitionId: string;
  policy?: { id: string; rules?: PolicyRule[] };
}

export function roleTarget(roleDefinitionId: string): PolicyTarget {
  return { scopeType: 'DirectoryRole', scopeId: '/', roleDefinitionId };
}

export function groupTarget(groupId: string, accessId: 'member' | 'owner'): PolicyTarget {
  return { scopeType: 'Group', scopeId: groupId, roleDefinitionId: accessId };
}

export async function loadPolicy(api: Api, t: PolicyTarget): Promise<LoadedPolicy> {
  const filter = `scopeId eq ${odataString(t.scopeId)} and scopeType eq '${t.scopeType}' and roleDefinitionId eq ${odataString(t.roleDefinitionId)}`;
  const page = await api.get<{ value: AssignmentRow[] }>(`${POLICY_ASSIGNMENTS}${query({ $filter: filter, $expand: 'policy($expand=rules)' })}`);
  const row = page.value[0];
  if (!row) throw new ApiError(404, 'NotFound', `No policy is assigned to '${t.roleDefinitionId}' at '${t.scopeId}'.`);
  return { assignmentId: row.id, policyId: row.policyId, rules: row.policy?.rules ?? [] };
}

/** Every directory role's policy in one listing (the list page's summary). */
export async function loadRolePolicies(api: Api): Promise<Map<string, LoadedPolicy>> {
  const filter = "scopeId eq '/' and scopeType eq 'DirectoryRole'";
  const rows = await api.all<AssignmentRow>(`${POLICY_ASSIGNMENTS}${query({ $filter: filter, $expand: 'policy($expand=rules)' })}`);
  return new Map(rows.map((r) => [r.roleDefinitionId, { assignmentId: r.id, policyId: r.policyId, rules: r.policy?.rules ?? [] }]));
}

export interface RuleResult {
  ruleId: string;
  error?: ApiError;
}

/**
 * PATCHes the rules in order and stops at a step-up (the person signs in again and saves again); every
 * other refusal is recorded and the next rule is still tried, so the result says exactly what was saved.
 */
export async function saveRules(api: Api, policyId: string, rules: PolicyRule[]): Promise<RuleResult[]> {
  const results: RuleResult[] = [];
  for (const rule of rules) {
    try {
      await api.patch(`${POLICIES}/${encodeURIComponent(policyId)}/rules/${encodeURIComponent(rule.id)}`, rule);
      results.push({ ruleId: rule.id });
    } catch (error) {
      if (error instanceof StepUpRequired) throw error;
      results.push({ ruleId: rule.id, error: error instanceof ApiError ? error : new ApiError(0, 'NetworkError', (error as Error).message) });
    }
  }
  return results;
}
