/**
 * Route contracts of the 'policies' Lambda: Graph's role management policies and policy assignments
 * (`/policies/roleManagementPolicies`, `/policies/roleManagementPolicyAssignments`) and their rules.
 */
import * as z from 'zod';
import { route } from '../../http/route.ts';
import { collectionOf, collectionQuery, idParam } from '../common.ts';
import { policyAssignmentSchema, policySchema } from '../policies.ts';
import { policyRuleViewSchema } from '../policy-rules.ts';

const expand = z.string().max(1000).optional();
// Policy lists are short and fully known, so $count is cheap and supported here (not on directory lists).
const listQuery = z.strictObject({ ...collectionQuery.shape, $count: z.enum(['true', 'false']).optional(), $expand: expand });
const getQuery = z.strictObject({ $select: z.string().max(1000).optional(), $expand: expand });
const rulesQuery = z.strictObject({ $select: z.string().max(1000).optional(), $filter: z.string().max(2000).optional() });
const ruleQuery = z.strictObject({ $select: z.string().max(1000).optional() });

const byId = z.strictObject({ id: idParam });
const byRule = z.strictObject({ id: idParam, ruleId: z.string().min(1).max(128) });

/** As returned: `rules`/`effectiveRules` appear only when expanded, as Graph omits relationships. */
const policyView = policySchema.extend({
  rules: z.array(policyRuleViewSchema).optional(),
  effectiveRules: z.array(policyRuleViewSchema).optional(),
});
const assignmentView = policyAssignmentSchema.extend({ policy: policyView.optional() });

/**
 * The rule, with its `@odata.type` (required, as Graph requires it). Which schema applies depends on
 * the rule being changed, so the body is checked against that rule's type by the service.
 */
const ruleBody = z
  .looseObject({ '@odata.type': z.string().max(200).optional(), id: z.string().max(128).optional() })
  .describe(
    "One of Graph's unifiedRoleManagementPolicyRule types (ExpirationRule, EnablementRule, ApprovalRule, AuthenticationContextRule, NotificationRule), with the rule's own @odata.type and the target that GET returns.",
  );

const assignments = '/v1.0/policies/roleManagementPolicyAssignments';
const policies = '/v1.0/policies/roleManagementPolicies';
const common = { lambda: 'policies' as const };

export const policiesRoutes = {
  listPolicyAssignments: route({
    ...common,
    tag: 'roleManagementPolicyAssignments',
    id: 'roleManagementPolicyAssignments.list',
    method: 'GET',
    path: assignments,
    summary:
      "List the policy assignments of every role at a scope; $filter=scopeId eq '/' and scopeType eq 'DirectoryRole' is required; $expand=policy($expand=rules)",
    query: listQuery,
    response: collectionOf(assignmentView),
    status: 200,
  }),
  getPolicyAssignment: route({
    ...common,
    tag: 'roleManagementPolicyAssignments',
    id: 'roleManagementPolicyAssignments.get',
    method: 'GET',
    path: `${assignments}/{id}`,
    summary: 'Get a policy assignment ({policyId}_{roleDefinitionId}); $expand=policy($expand=rules)',
    params: byId,
    query: getQuery,
    response: assignmentView,
    status: 200,
  }),
  listPolicies: route({
    ...common,
    tag: 'roleManagementPolicies',
    id: 'roleManagementPolicies.list',
    method: 'GET',
    path: policies,
    summary: "List the role management policies at a scope; $filter=scopeId eq '/' and scopeType eq 'DirectoryRole' is required; $expand=rules",
    query: listQuery,
    response: collectionOf(policyView),
    status: 200,
  }),
  getPolicy: route({
    ...common,
    tag: 'roleManagementPolicies',
    id: 'roleManagementPolicies.get',
    method: 'GET',
    path: `${policies}/{id}`,
    summary: 'Get a role management policy; $expand=rules',
    params: byId,
    query: getQuery,
    response: policyView,
    status: 200,
  }),
  listPolicyRules: route({
    ...common,
    tag: 'roleManagementPolicies',
    id: 'roleManagementPolicies.rules.list',
    method: 'GET',
    path: `${policies}/{id}/rules`,
    summary: 'List the 17 rules of a role management policy',
    params: byId,
    query: rulesQuery,
    response: collectionOf(policyRuleViewSchema),
    status: 200,
  }),
  getPolicyRule: route({
    ...common,
    tag: 'roleManagementPolicies',
    id: 'roleManagementPolicies.rules.get',
    method: 'GET',
    path: `${policies}/{id}/rules/{ruleId}`,
    summary: 'Get one rule of a role management policy',
    params: byRule,
    query: ruleQuery,
    response: policyRuleViewSchema,
    status: 200,
  }),
  updatePolicyRule: route({
    ...common,
    tag: 'roleManagementPolicies',
    id: 'roleManagementPolicies.rules.update',
    method: 'PATCH',
    path: `${policies}/{id}/rules/{ruleId}`,
    summary: 'Update one rule of a role management policy (Global Administrator or Privileged Role Administrator)',
    params: byRule,
    body: ruleBody,
    status: 204,
  }),
};
