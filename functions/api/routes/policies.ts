import { policiesRoutes as r } from '../../../shared/contracts/routes/policies.ts';
import { actorOf } from '../../../shared/http/actor.ts';
import { implement, type BoundRoute } from '../../../shared/http/api-handler.ts';
import { collection, entity, noContent, type HttpResult } from '../../../shared/http/responses.ts';
import { updatePolicyRule } from '../../../shared/services/roles/policies/update-policy-rule.ts';
import {
  ASSIGNMENT_EXPANDS,
  authorizePolicyChange,
  expandContext,
  getPolicyAssignment,
  getPolicyRuleView,
  getPolicyView,
  listPolicies,
  listPolicyAssignments,
  listPolicyRules,
  parseExpand,
  POLICY_EXPANDS,
  type Listed,
} from '../../../shared/services/roles/policies/policy-views.ts';

const assignments = 'policies/roleManagementPolicyAssignments';
const policies = 'policies/roleManagementPolicies';
const rulesOf = (policyId: string) => `${policies}('${policyId}')/rules`;

/** A collection answer, with `@odata.count` on the first page when `$count=true` asks for it. */
function listed(result: HttpResult, list: Listed, count: string | undefined, skipToken: string | undefined): HttpResult {
  if (count === 'true' && !skipToken) (result.body as Record<string, unknown>)['@odata.count'] = list.count;
  return result;
}

// Readers read every policy, others their own roles' (the services check, policy-readers.ts); changing a rule
// needs 'policies.manage'.
export const policiesRouteImpls: BoundRoute[] = [
  implement(r.listPolicyAssignments, async (ctx) => {
    const expand = parseExpand(ctx.query.$expand, ASSIGNMENT_EXPANDS);
    const list = await listPolicyAssignments(ctx.services, ctx.caller, {
      filter: ctx.query.$filter,
      top: ctx.query.$top,
      skipToken: ctx.query.$skiptoken,
      select: ctx.query.$select,
      expand,
    });
    return listed(collection(ctx.info, `${assignments}${expandContext(expand)}`, list), list, ctx.query.$count, ctx.query.$skiptoken);
  }),
  implement(r.getPolicyAssignment, async (ctx) => {
    const expand = parseExpand(ctx.query.$expand, ASSIGNMENT_EXPANDS);
    const item = await getPolicyAssignment(ctx.services, ctx.caller, ctx.params.id, { select: ctx.query.$select, expand });
    return entity(ctx.info, `${assignments}${expandContext(expand)}`, item);
  }),
  implement(r.listPolicies, async (ctx) => {
    const expand = parseExpand(ctx.query.$expand, POLICY_EXPANDS);
    const list = await listPolicies(ctx.services, ctx.caller, {
      filter: ctx.query.$filter,
      top: ctx.query.$top,
      skipToken: ctx.query.$skiptoken,
      select: ctx.query.$select,
      expand,
    });
    return listed(collection(ctx.info, `${policies}${expandContext(expand)}`, list), list, ctx.query.$count, ctx.query.$skiptoken);
  }),
  implement(r.getPolicy, async (ctx) => {
    const expand = parseExpand(ctx.query.$expand, POLICY_EXPANDS);
    const { view } = await getPolicyView(ctx.services, ctx.caller, ctx.params.id, { select: ctx.query.$select, expand });
    return entity(ctx.info, `${policies}${expandContext(expand)}`, view);
  }),
  implement(r.listPolicyRules, async (ctx) => {
    const { policyId, items } = await listPolicyRules(ctx.services, ctx.caller, ctx.params.id, { filter: ctx.query.$filter, select: ctx.query.$select });
    return collection(ctx.info, rulesOf(policyId), { items });
  }),
  implement(r.getPolicyRule, async (ctx) => {
    const { policyId, rule } = await getPolicyRuleView(ctx.services, ctx.caller, ctx.params.id, ctx.params.ruleId, ctx.query.$select);
    return entity(ctx.info, rulesOf(policyId), rule);
  }),
  implement(r.updatePolicyRule, async (ctx) => {
    await authorizePolicyChange(ctx.services, ctx.caller);
    await updatePolicyRule(ctx.services, actorOf(ctx), ctx.params.id, ctx.params.ruleId, ctx.body);
    return noContent();
  }),
];
