/**
 * Graph's views of role management policies: `policies/roleManagementPolicyAssignments` (one per role
 * definition at a scope, linking the role to its policy) and `policies/roleManagementPolicies`, with
 * the required scope `$filter`, `$expand=policy($expand=rules)`, `$select`, `$top` and paging.
 *
 * Policies are not listed in the table: a scope has exactly one policy per role, so a listing is the
 * role definitions (built-in and custom) mapped to their policy ids, and expanding reads the few
 * changed policies among them in one batch (see policiesAt).
 */
import { listAwsRoles } from '../../../store/aws-directory.ts';
import type { Policy } from '../../../contracts/policies.ts';
import {
  approvalRuleSchema,
  authenticationContextRuleSchema,
  enablementRuleSchema,
  expirationRuleSchema,
  notificationRuleSchema,
  type PolicyRule,
} from '../../../contracts/policy-rules.ts';
import type { StoredRoleDefinition } from '../../../contracts/role-definitions.ts';
import { isAllowed } from '../../../domain/authorization.ts';
import type { Caller } from '../../../domain/caller.ts';
import { BadRequestError, DomainError, ForbiddenError, NotFoundError } from '../../../domain/errors.ts';
import { conjuncts, evaluateFilter, type FilterNode } from '../../../domain/odata/filter.ts';
import { scopeKey, TENANT_SCOPE } from '../../../domain/scope.ts';
import type { Services } from '../../context.ts';
import { parseODataFilter } from '../../directory/filter-query.ts';
import { pageInMemory } from '../../paging.ts';
import { listRoleDefinitions } from '../../role-definitions.ts';
import { GROUP_ACCESS_IDS, groupAccessOf, groupScope, isGroupScope } from '../../../domain/group-access.ts';
import { loadGroup } from '../../directory/groups.ts';
import type { CarriedPolicy } from '../../../domain/policy/carried.ts';
import { carriedPolicyOf } from './group-carried-policy.ts';
import { getPolicy, policiesAt, scopeFitsRole } from './effective-policy.ts';
import { parseGroupPolicyId, parsePolicyId, policyIdAt } from './policy-ids.ts';
import { heldRoles } from '../holdings/principal-access.ts';
import { readableRoleIds, readIfReadable } from './policy-readers.ts';

// ---------------------------------------------------------------------------
// Who may change policies (who reads which: policy-readers.ts)
// ---------------------------------------------------------------------------

/**
 * Changing a rule needs 'policies.manage' (Global Administrator, Privileged Role Administrator), as in
 * Entra. Who reads which policies is policy-readers.ts: readers all of them, anyone else their own roles'.
 */
export async function authorizePolicyChange(svc: Services, caller: Caller): Promise<void> {
  if (isAllowed(await heldRoles(svc, caller), 'policies.manage')) return;
  throw new ForbiddenError('Only a Global Administrator or Privileged Role Administrator may change role settings (role management policies).');
}

// ---------------------------------------------------------------------------
// $expand
// ---------------------------------------------------------------------------

/** A parsed `$expand`: each expanded relationship with its own nested `$select` and `$expand`. */
export type ExpandTree = { [name: string]: { select?: string; expand: ExpandTree } };

/** Which relationships may be expanded, and what may be expanded inside each. */
type Grammar = { [name: string]: Grammar };

export const ASSIGNMENT_EXPANDS: Grammar = { policy: { rules: {}, effectiveRules: {} } };
export const POLICY_EXPANDS: Grammar = { rules: {}, effectiveRules: {} };

/** Splits on `separator` outside parentheses; unbalanced parentheses are refused. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) throw badExpand(text, "a ')' has no matching '('");
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) throw badExpand(text, "a '(' is not closed");
  parts.push(text.slice(start));
  return parts;
}

function badExpand(text: string, why: string): BadRequestError {
  return new BadRequestError(`Invalid $expand '${text.slice(0, 200)}': ${why}.`, 'Request_UnsupportedQuery');
}

function describe(grammar: Grammar): string {
  return Object.entries(grammar)
    .map(([name, inner]) => (Object.keys(inner).length > 0 ? `${name}, ${name}($expand=${Object.keys(inner).join('|')})` : name))
    .join(', ');
}

/**
 * Parses `policy`, `policy($expand=rules)`, `policy($select=displayName;$expand=rules($select=id))` and
 * lists of those. Relationship names match without regard to case, as Graph's do.
 */
export function parseExpand(text: string | undefined, grammar: Grammar): ExpandTree {
  const tree: ExpandTree = {};
  if (text === undefined || text.trim() === '') return tree;
  for (const item of splitTopLevel(text, ',')) {
    const match = /^\s*([A-Za-z][A-Za-z0-9]*)\s*(?:\(([\s\S]*)\))?\s*$/.exec(item);
    if (!match) throw badExpand(text, `'${item.trim().slice(0, 100)}' is not a relationship name`);
    const name = Object.keys(grammar).find((n) => n.toLowerCase() === match[1]!.toLowerCase());
    if (!name)
      throw new BadRequestError(
        `$expand cannot expand '${match[1]!.slice(0, 100)}' here; it supports ${describe(grammar) || 'nothing'}.`,
        'Request_UnsupportedQuery',
      );
    if (tree[name]) throw badExpand(text, `'${name}' is expanded twice`);
    const node: ExpandTree[string] = { expand: {} };
    for (const option of match[2] === undefined ? [] : splitTopLevel(match[2], ';')) {
      if (option.trim() === '') continue;
      const parsed = /^\s*\$(expand|select)\s*=([\s\S]*)$/i.exec(option);
      if (!parsed) throw badExpand(text, `inside ${name}(…) only $select and $expand are supported, not '${option.trim().slice(0, 100)}'`);
      if (parsed[1]!.toLowerCase() === 'select') node.select = parsed[2]!.trim();
      else node.expand = parseExpand(parsed[2], grammar[name]!);
    }
    tree[name] = node;
  }
  return tree;
}

/** The `@odata.context` suffix Graph gives an expanded answer: `(policy(rules()))`. */
export function expandContext(tree: ExpandTree): string {
  const names = Object.keys(tree);
  if (names.length === 0) return '';
  return `(${names.map((name) => `${name}${expandContext(tree[name]!.expand) || '()'}`).join(',')})`;
}

// ---------------------------------------------------------------------------
// $filter: the scope is required, the rest is matched against each item
// ---------------------------------------------------------------------------

export type PolicyScopeType = 'Directory' | 'DirectoryRole' | 'Group';

export interface ScopeFilter {
  /** A role scope, or for scopeType 'Group' the group's scope (`/groups/{id}`). */
  scope: string;
  scopeType: PolicyScopeType;
  /** Conjuncts other than the scope's two, matched item by item. */
  rest: FilterNode[];
}

/** Properties whose values are ids or names that Graph compares without regard to case. */
const CASELESS = ['id', 'policyId', 'roleDefinitionId', 'scopeType'];

function scopeEquality(all: FilterNode[], property: string): { index: number; value: string } | undefined {
  const index = all.findIndex(
    (c) => c.type === 'compare' && c.op === 'eq' && c.path.join('/') === property && (c.value.kind === 'string' || c.value.kind === 'guid'),
  );
  if (index < 0) return undefined;
  const node = all[index] as Extract<FilterNode, { type: 'compare' }>;
  return { index, value: (node.value as { value: string }).value };
}

/**
 * Graph requires `$filter=scopeId eq '…' and scopeType eq '…'` on policy listings (anything else may be
 * `and`-ed to it). Roles' policies have scopeType 'DirectoryRole'; Graph also accepts 'Directory'.
 */
export function parseScopeFilter(text: string | undefined, collection: string): ScopeFilter {
  const required = `Listing ${collection} requires $filter=scopeId eq '/' and scopeType eq 'DirectoryRole' (scopeType 'Directory' is accepted too), or for PIM for groups $filter=scopeId eq '{groupId}' and scopeType eq 'Group'; more conditions may be added with 'and'`;
  if (text === undefined || text.trim() === '') throw new BadRequestError(`${required}.`, 'BadRequest');
  const all = conjuncts(parseODataFilter(text));
  const scopeId = scopeEquality(all, 'scopeId');
  const scopeType = scopeEquality(all, 'scopeType');
  if (!scopeId || !scopeType) {
    const missing = [!scopeId && 'scopeId', !scopeType && 'scopeType'].filter(Boolean).join(' and ');
    throw new BadRequestError(`${required}. This $filter has no top-level '${missing} eq …' condition.`, 'BadRequest');
  }
  const type = scopeType.value.toLowerCase();
  const rest = all.filter((_, i) => i !== scopeId.index && i !== scopeType.index);
  if (type === 'group') {
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(scopeId.value))
      throw new BadRequestError(`With scopeType 'Group', scopeId must be a group's id, not '${scopeId.value.slice(0, 100)}'.`, 'BadRequest');
    return { scope: groupScope(scopeId.value), scopeType: 'Group', rest };
  }
  if (type !== 'directory' && type !== 'directoryrole')
    throw new BadRequestError(
      `scopeType '${scopeType.value.slice(0, 100)}' is not a policy scope type; use 'DirectoryRole' (or 'Directory'), or 'Group'.`,
      'BadRequest',
    );
  let scope: string;
  try {
    scope = scopeId.value === TENANT_SCOPE ? TENANT_SCOPE : scopeKey(scopeId.value);
  } catch (error) {
    if (error instanceof DomainError) {
      throw new BadRequestError(
        `scopeId '${scopeId.value.slice(0, 200)}' is not a scope. Use '/', '/administrativeUnits/{id}' or a resource path such as '/subscriptions/{id}'.`,
        'BadRequest',
      );
    }
    throw error;
  }
  return {
    scope,
    scopeType: type === 'directory' ? 'Directory' : 'DirectoryRole',
    rest,
  };
}

function read(item: unknown, path: string[]): unknown {
  let value = item;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) return null;
    value = (value as Record<string, unknown>)[segment];
  }
  return value ?? null;
}

/** Every conjunct holds for the item; ids and scope types compare without regard to case. */
export function matchesAll(rest: FilterNode[], item: object): boolean {
  return rest.every((c) => {
    const path = 'path' in c ? c.path.join('/') : '';
    if (CASELESS.includes(path) && (c.type === 'compare' || c.type === 'in')) {
      const actual = read(item, c.path);
      const literals = c.type === 'compare' ? [c.value] : c.values;
      if ((c.type === 'in' || c.op === 'eq' || c.op === 'ne') && literals.every((l) => l.kind === 'string' || l.kind === 'guid')) {
        const equal = typeof actual === 'string' && literals.some((l) => (l as { value: string }).value.toLowerCase() === actual.toLowerCase());
        return c.type === 'compare' && c.op === 'ne' ? !equal : equal;
      }
    }
    return evaluateFilter(c, item);
  });
}

// ---------------------------------------------------------------------------
// Shaping
// ---------------------------------------------------------------------------

/** `$select=a,b`: those properties, plus `id` and `@odata.type`; names outside `known` are refused. */
function pick<T extends object>(item: T, select: string | undefined, known: ReadonlySet<string> = new Set(Object.keys(item))): Partial<T> {
  if (!select) return item;
  const wanted = select
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new BadRequestError(`$select names unknown properties: ${unknown.join(', ').slice(0, 300)}.`, 'Request_UnsupportedQuery');
  const keep = new Set([...wanted, 'id', '@odata.type']);
  return Object.fromEntries(Object.entries(item).filter(([key]) => keep.has(key))) as Partial<T>;
}

const RULE_PROPERTIES = new Set(
  [expirationRuleSchema, enablementRuleSchema, approvalRuleSchema, authenticationContextRuleSchema, notificationRuleSchema].flatMap((s) =>
    Object.keys(s.shape),
  ),
);

/**
 * `$select` on rules: the rule types differ, so a property of some types only is left out of the
 * others (as Graph does); a name that no rule type has is refused.
 */
export function selectRule(rule: PolicyRule, select: string | undefined): Partial<PolicyRule> {
  return pick(rule, select, RULE_PROPERTIES);
}

/**
 * A rule as shown. On a group's member or owner policy, a rule that roles the group carries make
 * stricter says so in the annotation `@stint.groupRoleRules`: each setting applied instead of the value shown, and the
 * roles that impose it (domain/policy/carried.ts). Graph's own properties stay the group's own values,
 * which is what PATCH changes.
 */
/** Graph's enablement rule has no `maximumAuthenticationAge`: Stint's setting is shown as its annotation. */
function asAnnotation(view: Partial<PolicyRule>): Partial<PolicyRule> {
  if (!('maximumAuthenticationAge' in view)) return view;
  const { maximumAuthenticationAge, ...graph } = view as Partial<PolicyRule> & { maximumAuthenticationAge?: string };
  return { ...graph, '@stint.maximumAuthenticationAge': maximumAuthenticationAge } as unknown as Partial<PolicyRule>;
}

function ruleView(
  rule: PolicyRule,
  select: string | undefined,
  carried: CarriedPolicy | undefined,
): Partial<PolicyRule> & { '@stint.groupRoleRules'?: unknown } {
  const view = asAnnotation(selectRule(rule, select));
  const groupRoleRules = (carried?.imposed ?? []).filter((i) => i.ruleId === rule.id).map(({ ruleId: _ruleId, ...imposed }) => imposed);
  return groupRoleRules.length > 0 ? { ...view, '@stint.groupRoleRules': groupRoleRules } : view;
}

/**
 * A policy as Graph returns it: `rules` (and `effectiveRules`) only when expanded. No policy inherits
 * from a tenant-wide one that enforces settings, so the effective rules are its rules, except on a
 * group that carries roles: there they are the rules activation is held to.
 */
export function policyView(policy: Policy, expand: ExpandTree, select?: string, carried?: CarriedPolicy): Record<string, unknown> {
  const { rules, ...properties } = policy;
  const view: Record<string, unknown> = pick(properties, select);
  const shown = { rules, effectiveRules: carried?.rules ?? rules };
  for (const name of ['rules', 'effectiveRules'] as const) {
    const node = expand[name];
    if (node) view[name] = shown[name].map((rule) => ruleView(rule, node.select, carried));
  }
  return view;
}

const expandsRules = (expand: ExpandTree) => Boolean(expand.rules ?? expand.effectiveRules);

/** What roles a group carries impose on its member or owner policy, when rules are shown (undefined for roles' policies). */
async function carriedIfShown(svc: Services, policy: Policy, roleDefinitionId: string, scope: string, showsRules: boolean): Promise<CarriedPolicy | undefined> {
  if (!showsRules) return undefined;
  return carriedPolicyOf(svc, policy, roleDefinitionId, scope, svc.clock.now());
}

export interface PolicyAssignment {
  id: string;
  policyId: string;
  scopeId: string;
  scopeType: PolicyScopeType;
  roleDefinitionId: string;
}

export function assignmentView(policyId: string, roleDefinitionId: string, scope: string, scopeType: PolicyScopeType): PolicyAssignment {
  const scopeId = scopeType === 'Group' ? (groupAccessOf({ roleDefinitionId, directoryScopeId: scope })?.groupId ?? scope) : scope;
  return { id: `${policyId}_${roleDefinitionId}`, policyId, scopeId, scopeType, roleDefinitionId };
}

/** An assignment id is `{policyId}_{roleDefinitionId}`; custom role ids themselves contain one '_'. */
export function parseAssignmentId(id: string): { policyId: string; roleDefinitionId: string } {
  const parts = id.split('_');
  const groupPolicy = parts.slice(0, -1).join('_');
  const group = parseGroupPolicyId(groupPolicy);
  if (group && group.accessId === parts.at(-1)) return { policyId: groupPolicy, roleDefinitionId: group.accessId };
  for (const n of [1, 2]) {
    if (parts.length <= n + 2) continue;
    const policyId = parts.slice(0, -n).join('_');
    const roleDefinitionId = parts.slice(-n).join('_');
    try {
      if (parsePolicyId(policyId).roleDefinitionId.toLowerCase() === roleDefinitionId.toLowerCase()) return { policyId, roleDefinitionId };
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  throw new NotFoundError(`Role management policy assignment '${id.slice(0, 300)}' does not exist.`);
}

/** The policy an assignment id names, or undefined if it names none. */
function assignmentPolicyId(id: string): string | undefined {
  try {
    return parseAssignmentId(id).policyId;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Use cases
// ---------------------------------------------------------------------------

export interface ListOptions {
  filter?: string;
  top?: number;
  skipToken?: string;
  select?: string;
  expand: ExpandTree;
}

export interface Listed {
  items: Record<string, unknown>[];
  nextToken?: string;
  /** How many items match, over all pages. */
  count: number;
}

const DEFAULT_TOP = 100;

/** Every role definition, built-in first, in the order the role definitions listing gives them. */
async function allRoles(svc: Services): Promise<StoredRoleDefinition[]> {
  const roles: StoredRoleDefinition[] = [];
  let skipToken: string | undefined;
  do {
    const page = await listRoleDefinitions(svc, { top: 999, skipToken });
    roles.push(...page.items);
    skipToken = page.nextToken;
  } while (skipToken);
  return roles;
}

/** The role ids that have a policy at a scope: every role that fits it, or at a group its two accesses. */
async function roleIdsAt(svc: Services, scope: string): Promise<string[]> {
  if (isGroupScope(scope)) {
    await loadGroup(svc, scope.slice(groupScope('').length));
    return [...GROUP_ACCESS_IDS];
  }
  const fitting = (await allRoles(svc)).filter((role) => scopeFitsRole(role, scope)).map((role) => role.id);
  // AWS roles have their one policy at '/': listed there after the directory's.
  return scope === TENANT_SCOPE ? [...fitting, ...(await listAwsRoles(svc.table)).map((r) => r.data.id)] : fitting;
}

async function withPolicies(
  svc: Services,
  items: PolicyAssignment[],
  scope: string,
  options: Pick<ListOptions, 'select' | 'expand'>,
): Promise<Record<string, unknown>[]> {
  const node = options.expand.policy;
  const shaped = items.map((item) => pick(item, options.select) as Record<string, unknown>);
  if (!node || items.length === 0) return shaped;
  const resolved = await policiesAt(
    svc,
    items.map((i) => i.roleDefinitionId),
    scope,
  );
  const carried = await Promise.all(resolved.map((r) => carriedIfShown(svc, r.policy, r.roleDefinitionId, scope, expandsRules(node.expand))));
  return shaped.map((view, i) => ({ ...view, policy: policyView(resolved[i]!.policy, node.expand, node.select, carried[i]) }));
}

export async function listPolicyAssignments(svc: Services, caller: Caller, options: ListOptions): Promise<Listed> {
  const { scope, scopeType, rest } = parseScopeFilter(options.filter, 'role management policy assignments');
  const all = (await readableRoleIds(svc, caller, scope, () => roleIdsAt(svc, scope)))
    .map((roleId) => assignmentView(policyIdAt(roleId, scope), roleId, scope, scopeType))
    .filter((item) => matchesAll(rest, item));
  const page = pageInMemory(svc, `policyAssignments:${options.filter}`, all, options.top ?? DEFAULT_TOP, options.skipToken);
  return { items: await withPolicies(svc, page.items, scope, options), nextToken: page.nextToken, count: all.length };
}

export async function getPolicyAssignment(
  svc: Services,
  caller: Caller,
  id: string,
  options: Pick<ListOptions, 'select' | 'expand'>,
): Promise<Record<string, unknown>> {
  // An id that names nothing is refused as one that names another's policy is.
  const { policy, roleDefinitionId, scope } = await readIfReadable(svc, caller, assignmentPolicyId(id), () => getPolicy(svc, parseAssignmentId(id).policyId));
  const item = assignmentView(policy.id, roleDefinitionId, scope, policy.scopeType === 'Group' ? 'Group' : 'DirectoryRole');
  return (await withPolicies(svc, [item], scope, options))[0]!;
}

export async function listPolicies(svc: Services, caller: Caller, options: ListOptions): Promise<Listed> {
  const { scope, rest } = parseScopeFilter(options.filter, 'role management policies');
  // Filters may name any policy property (lastModifiedDateTime, say), so every policy is read; one batch.
  const all = (await policiesAt(svc, await readableRoleIds(svc, caller, scope, () => roleIdsAt(svc, scope)), scope)).filter((r) =>
    matchesAll(rest, { ...r.policy, rules: undefined }),
  );
  const page = pageInMemory(svc, `policies:${options.filter}`, all, options.top ?? DEFAULT_TOP, options.skipToken);
  const items = await Promise.all(
    page.items.map(async (r) =>
      policyView(r.policy, options.expand, options.select, await carriedIfShown(svc, r.policy, r.roleDefinitionId, scope, expandsRules(options.expand))),
    ),
  );
  return { items, nextToken: page.nextToken, count: all.length };
}

export async function getPolicyView(
  svc: Services,
  caller: Caller,
  id: string,
  options: Pick<ListOptions, 'select' | 'expand'>,
): Promise<{ id: string; view: Record<string, unknown> }> {
  const { policy, roleDefinitionId, scope } = await readIfReadable(svc, caller, id, () => getPolicy(svc, id));
  return {
    id: policy.id,
    view: policyView(policy, options.expand, options.select, await carriedIfShown(svc, policy, roleDefinitionId, scope, expandsRules(options.expand))),
  };
}

export async function listPolicyRules(
  svc: Services,
  caller: Caller,
  policyId: string,
  options: { filter?: string; select?: string },
): Promise<{ policyId: string; items: Partial<PolicyRule>[] }> {
  const { policy, roleDefinitionId, scope } = await readIfReadable(svc, caller, policyId, () => getPolicy(svc, policyId));
  const rest = options.filter ? conjuncts(parseODataFilter(options.filter)) : [];
  const carried = await carriedIfShown(svc, policy, roleDefinitionId, scope, true);
  return { policyId: policy.id, items: policy.rules.filter((rule) => matchesAll(rest, rule)).map((rule) => ruleView(rule, options.select, carried)) };
}

export async function getPolicyRuleView(
  svc: Services,
  caller: Caller,
  policyId: string,
  ruleId: string,
  select?: string,
): Promise<{ policyId: string; rule: Partial<PolicyRule> }> {
  const { policy, roleDefinitionId, scope } = await readIfReadable(svc, caller, policyId, () => getPolicy(svc, policyId));
  const rule = policy.rules.find((r) => r.id === ruleId);
  if (!rule)
    throw new NotFoundError(`Policy '${policy.id}' has no rule '${ruleId.slice(0, 100)}'. Its rules are: ${policy.rules.map((r) => r.id).join(', ')}.`);
  const carried = await carriedIfShown(svc, policy, roleDefinitionId, scope, true);
  return { policyId: policy.id, rule: ruleView(rule, select, carried) };
}
