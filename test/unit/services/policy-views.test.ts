import { describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError } from '../../../shared/domain/errors.ts';
import { parseFilter, conjuncts } from '../../../shared/domain/odata/filter.ts';
import { defaultPolicy } from '../../../shared/services/roles/policies/effective-policy.ts';
import { policyIdFor } from '../../../shared/services/roles/policies/policy-ids.ts';
import {
  ASSIGNMENT_EXPANDS,
  assignmentView,
  expandContext,
  matchesAll,
  parseAssignmentId,
  parseExpand,
  parseScopeFilter,
  POLICY_EXPANDS,
  policyView,
  selectRule,
} from '../../../shared/services/roles/policies/policy-views.ts';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const CUSTOM = 'rol_01JH8Z3Q4T5V6W7X8Y9Z0A1B2C';

describe('parseExpand', () => {
  it('reads policy, policy($expand=rules) and nested $select, in any case', () => {
    expect(parseExpand(undefined, ASSIGNMENT_EXPANDS)).toEqual({});
    expect(parseExpand('policy', ASSIGNMENT_EXPANDS)).toEqual({ policy: { expand: {} } });
    expect(parseExpand('Policy($expand=Rules)', ASSIGNMENT_EXPANDS)).toEqual({ policy: { expand: { rules: { expand: {} } } } });
    expect(parseExpand(' policy( $select=id,displayName ; $expand=rules($select=id) ) ', ASSIGNMENT_EXPANDS)).toEqual({
      policy: { select: 'id,displayName', expand: { rules: { select: 'id', expand: {} } } },
    });
    expect(parseExpand('rules,effectiveRules', POLICY_EXPANDS)).toEqual({ rules: { expand: {} }, effectiveRules: { expand: {} } });
  });

  it('builds the @odata.context suffix Graph gives expanded answers', () => {
    expect(expandContext({})).toBe('');
    expect(expandContext(parseExpand('policy', ASSIGNMENT_EXPANDS))).toBe('(policy())');
    expect(expandContext(parseExpand('policy($expand=rules)', ASSIGNMENT_EXPANDS))).toBe('(policy(rules()))');
    expect(expandContext(parseExpand('rules,effectiveRules', POLICY_EXPANDS))).toBe('(rules(),effectiveRules())');
  });

  it('refuses what it cannot expand, with what it can', () => {
    for (const text of ['rules', 'policy($expand=owners)', 'policy,policy', 'policy(', 'policy)', 'policy($top=1)', '*', 'policy/rules']) {
      expect(() => parseExpand(text, ASSIGNMENT_EXPANDS), text).toThrow(BadRequestError);
    }
    expect(() => parseExpand('rules', ASSIGNMENT_EXPANDS)).toThrow(/supports policy, policy\(\$expand=rules\|effectiveRules\)/);
  });
});

describe('parseScopeFilter', () => {
  it('takes scopeId and scopeType out of the filter, and keeps the rest', () => {
    const parsed = parseScopeFilter(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${GA}'`, 'x');
    expect(parsed).toMatchObject({ scope: '/', scopeType: 'DirectoryRole' });
    expect(parsed.rest).toHaveLength(1);
    expect(parseScopeFilter("scopeType eq 'directory' and scopeId eq '/administrativeUnits/AU1/'", 'x')).toEqual({
      scope: '/administrativeunits/au1',
      scopeType: 'Directory',
      rest: [],
    });
  });

  it('requires both, at the top level, with a message that shows the filter to use', () => {
    for (const text of [
      undefined,
      '',
      "scopeId eq '/'",
      "scopeType eq 'DirectoryRole'",
      "scopeId eq '/' or scopeType eq 'DirectoryRole'",
      "not (scopeId eq '/' and scopeType eq 'DirectoryRole')",
      "scopeId ne '/' and scopeType eq 'DirectoryRole'",
    ]) {
      expect(() => parseScopeFilter(text, 'policies'), String(text)).toThrow("requires $filter=scopeId eq '/' and scopeType eq 'DirectoryRole'");
    }
  });

  it('reads a group scope (PIM for groups) as the group scope of its id', () => {
    expect(parseScopeFilter("scopeId eq 'grp_1' and scopeType eq 'Group' and roleDefinitionId eq 'owner'", 'x')).toMatchObject({
      scope: '/groups/grp_1',
      scopeType: 'Group',
      rest: [{ path: ['roleDefinitionId'] }],
    });
  });

  it('refuses other scope types and things that are not scopes', () => {
    expect(() => parseScopeFilter("scopeId eq '/' and scopeType eq 'Group'", 'x')).toThrow(/group's id/);
    expect(() => parseScopeFilter("scopeId eq '/' and scopeType eq 'Subscription'", 'x')).toThrow(/'Subscription'/);
    expect(() => parseScopeFilter("scopeId eq 'tenant' and scopeType eq 'DirectoryRole'", 'x')).toThrow(/'tenant' is not a scope/);
    expect(() => parseScopeFilter("scopeId eq '/' and", 'x')).toThrow(BadRequestError);
  });
});

describe('matchesAll', () => {
  const item = assignmentView(policyIdFor(GA, '/'), GA, '/', 'DirectoryRole');
  const matches = (text: string) => matchesAll(conjuncts(parseFilter(text)), item);

  it('compares ids and scope types without regard to case', () => {
    expect(matches(`roleDefinitionId eq '${GA.toUpperCase()}'`)).toBe(true);
    expect(matches(`roleDefinitionId eq ${GA.toUpperCase()}`)).toBe(true);
    expect(matches(`roleDefinitionId ne '${GA.toUpperCase()}'`)).toBe(false);
    expect(matches(`roleDefinitionId in ('x', '${GA.toUpperCase()}')`)).toBe(true);
    expect(matches("roleDefinitionId in ('x', 'y')")).toBe(false);
    expect(matches("scopeType eq 'directoryrole'")).toBe(true);
  });

  it('evaluates anything else as OData does', () => {
    expect(matches("startswith(policyId, 'DirectoryRole_stint_')")).toBe(true);
    expect(matches("scopeId eq '/'")).toBe(true);
    expect(matches("scopeId eq '/x' or roleDefinitionId eq 'nope'")).toBe(false);
    expect(matchesAll([], item)).toBe(true);
  });
});

describe('parseAssignmentId', () => {
  it('splits {policyId}_{roleDefinitionId} for built-in and custom roles, at any scope', () => {
    for (const [role, scope] of [
      [GA, '/'],
      [CUSTOM, '/'],
      [GA, '/administrativeUnits/a_b'],
      [CUSTOM, '/subscriptions/s-1'],
    ] as const) {
      const policyId = policyIdFor(role, scope);
      expect(parseAssignmentId(`${policyId}_${role}`)).toEqual({ policyId, roleDefinitionId: role });
    }
  });

  it('refuses ids whose role is not the policy’s role, or that are not assignment ids', () => {
    for (const id of [`${policyIdFor(GA, '/')}_${CUSTOM}`, policyIdFor(GA, '/'), 'a_b_c', '', `${policyIdFor(CUSTOM, '/')}_rol`]) {
      expect(() => parseAssignmentId(id), id).toThrow(NotFoundError);
    }
  });
});

describe('policyView and selectRule', () => {
  const policy = defaultPolicy(GA, '/');

  it('leaves out rules unless expanded, as Graph omits relationships', () => {
    expect(policyView(policy, {})).not.toHaveProperty('rules');
    expect((policyView(policy, { rules: { expand: {} } }).rules as unknown[]).length).toBe(17);
    expect(policyView(policy, { effectiveRules: { expand: {} } }).effectiveRules).toEqual(policy.rules);
    expect(policyView(policy, {}, 'displayName')).toEqual({ id: policy.id, displayName: 'DirectoryRole' });
  });

  it('selects rule properties across rule types, refusing names no rule type has', () => {
    const [expiration, enablement] = policy.rules;
    expect(selectRule(expiration!, 'maximumDuration,enabledRules')).toEqual({
      '@odata.type': expiration!['@odata.type'],
      id: 'Expiration_Admin_Eligibility',
      maximumDuration: 'P365D',
    });
    expect(selectRule(enablement!, 'maximumDuration,enabledRules')).toEqual({
      '@odata.type': enablement!['@odata.type'],
      id: 'Enablement_Admin_Eligibility',
      enabledRules: [],
    });
    expect(() => selectRule(expiration!, 'colour')).toThrow(/colour/);
  });
});
