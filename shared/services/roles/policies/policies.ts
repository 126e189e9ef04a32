/**
 * Role management policies: one per role and scope. A policy nobody has changed is Entra's defaults,
 * synthesised on read; the first PATCH of a rule stores it. A request at a scope follows the policy of
 * the nearest scope at or above it that has one, else the role's tenant-wide policy; a scope's policy
 * that was never changed shows (and starts from) exactly those inherited rules.
 */
import { createHash } from 'node:crypto';
import type { Policy } from '../../../contracts/policies.ts';
import {
  approvalRuleSchema,
  authenticationContextRuleSchema,
  enablementRuleSchema,
  expirationRuleSchema,
  notificationRuleSchema,
  type ApprovalRule,
  type PolicyRule,
} from '../../../contracts/policy-rules.ts';
import type { StoredRoleDefinition } from '../../../contracts/role-definitions.ts';
import { parseDuration } from '../../../domain/duration.ts';
import { BadRequestError, DomainError, NotFoundError } from '../../../domain/errors.ts';
import { GROUP_ACCESS_IDS, groupAccessOf, groupScope, isGroupScope, type GroupAccessId } from '../../../domain/group-access.ts';
import { defaultRules } from '../../../domain/policy/defaults.ts';
import { isResourceScope, scopeAncestry, scopeKey, TENANT_SCOPE } from '../../../domain/scope.ts';
import { getPrincipal, getPrincipals } from '../../../store/principals.ts';
import { getStoredPolicies, savePolicy, type StoredPolicy } from '../../../store/policies.ts';
import { commitChange } from '../../../store/transact.ts';
import { auditOf } from '../../audit-writer.ts';
import type { Actor, Services } from '../../context.ts';
import { getRoleDefinition } from '../../role-definitions.ts';
import { accessTargetOf } from '../access-kinds/access-target.ts';
import { auditCategoryOf } from '../requests/outcome.ts';

export const TENANT_ID = 'stint';

const encodeScope = (key: string) => Buffer.from(key).toString('base64url');

/**
 * `DirectoryRole_stint_{roleDefinitionId}` at the tenant, `…_{base64url(scope)}` below it. The scope is
 * encoded in its key form (lower case), so that one scope has one policy id however it is written.
 */
export function policyIdFor(roleDefinitionId: string, scope: string): string {
  const base = `DirectoryRole_${TENANT_ID}_${roleDefinitionId}`;
  const key = scope === TENANT_SCOPE ? TENANT_SCOPE : scopeKey(scope);
  return key === TENANT_SCOPE ? base : `${base}_${encodeScope(key)}`;
}

// Built-in roles have GUID ids; custom roles have `rol_<ULID>`, whose underscore must not end the role part.
const POLICY_ID = /^DirectoryRole_([^_]+)_((?:[a-z]{3}_[0-9A-HJKMNP-TV-Z]{26})|[^_]+)(?:_([A-Za-z0-9_-]+))?$/;

/** The role and scope a policy id names (ids are built by policyIdFor, so they can be read back). */
export function parsePolicyId(id: string): { roleDefinitionId: string; scope: string } {
  const notFound = () => new NotFoundError(`Policy '${id.slice(0, 300)}' does not exist.`);
  const match = POLICY_ID.exec(id);
  if (!match || match[1] !== TENANT_ID) throw notFound();
  if (!match[3]) return { roleDefinitionId: match[2]!, scope: TENANT_SCOPE };
  let key: string;
  try {
    key = scopeKey(Buffer.from(match[3], 'base64url').toString('utf8'));
  } catch {
    throw notFound();
  }
  // Only the canonical encoding names a policy: no second id for the same scope, and never one for '/'.
  if (key === TENANT_SCOPE || encodeScope(key) !== match[3]) throw notFound();
  return { roleDefinitionId: match[2]!, scope: key };
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

/**
 * PIM for groups: one policy per group and access (member, owner), under an id shaped as Graph's
 * (`Group_{groupId}_{guid}`, the guid derived from the group and access so it can be found again).
 * Group policies start from Entra's group defaults and inherit from nothing.
 */
export function groupPolicyId(groupId: string, accessId: GroupAccessId): string {
  const hex = createHash('sha256').update(`${groupId}/${accessId}`).digest('hex');
  return `Group_${groupId}_${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The id of the policy of a role (or group access) at a scope. */
export function policyIdAt(roleDefinitionId: string, scope: string): string {
  const group = groupAccessOf({ roleDefinitionId, directoryScopeId: scope });
  return group ? groupPolicyId(group.groupId, group.accessId) : policyIdFor(roleDefinitionId, scope);
}

const GROUP_POLICY_ID = /^Group_(.+)_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The group and access a group policy id names, or undefined if it names none. */
export function parseGroupPolicyId(id: string): { groupId: string; accessId: GroupAccessId } | undefined {
  const groupId = GROUP_POLICY_ID.exec(id)?.[1];
  const accessId = groupId ? GROUP_ACCESS_IDS.find((a) => groupPolicyId(groupId, a) === id) : undefined;
  return groupId && accessId ? { groupId, accessId } : undefined;
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

/**
 * Changes one rule. The body must carry the rule's own type (`@odata.type`, as Graph requires), keep its
 * id and target, and name approvers that exist; properties it leaves out keep their values. Nothing is
 * written unless all of that holds.
 */
export async function updatePolicyRule(svc: Services, actor: Actor, policyId: string, ruleId: string, body: unknown): Promise<PolicyRule> {
  const { policy, stored, roleDefinitionId, scope } = await getPolicy(svc, policyId);
  const current = policy.rules.find((r) => r.id === ruleId);
  if (!current) throw new NotFoundError(`Policy '${policy.id}' has no rule '${ruleId}'. Its rules are: ${policy.rules.map((r) => r.id).join(', ')}.`);
  const next = { ...parseRuleBody(current, body), target: current.target } as PolicyRule;
  await validateRule(svc, next);
  const at = svc.clock.now();
  const caller = actor.caller;
  const updated: Policy = {
    ...policy,
    lastModifiedDateTime: at.toISOString(),
    lastModifiedBy: { displayName: caller.displayName ?? null, id: caller.id },
    rules: policy.rules.map((r) => (r.id === ruleId ? next : r)),
  };
  const role = await accessTargetOf(svc, roleDefinitionId, scope);
  const audit = auditOf(
    svc,
    actor,
    {
      category: auditCategoryOf(role),
      activity: 'Update role setting in PIM',
      operationType: 'Update',
      targets: [
        {
          id: policy.id,
          displayName: `${role.displayName} (${policy.scopeId})`,
          type: 'Policy',
          modifiedProperties: [{ displayName: ruleId, oldValue: JSON.stringify(current), newValue: JSON.stringify(next) }],
        },
        { ...role.audit, modifiedProperties: [] },
      ],
    },
    at,
  );
  await commitChange(svc.table, [savePolicy(updated, roleDefinitionId, stored?.version)], audit);
  return next;
}

const RULE_SCHEMAS = {
  '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule': expirationRuleSchema,
  '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule': enablementRuleSchema,
  '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule': approvalRuleSchema,
  '#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule': authenticationContextRuleSchema,
  '#microsoft.graph.unifiedRoleManagementPolicyNotificationRule': notificationRuleSchema,
} as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `#microsoft.graph.x` and `microsoft.graph.x` name the same type, in any casing. */
const sameType = (sent: string, type: string) => sent.replace(/^#/, '').toLowerCase() === type.replace(/^#/, '').toLowerCase();

function invalid(ruleId: string, message: string): BadRequestError {
  return new BadRequestError(`Invalid rule '${ruleId}': ${message}`);
}

/** Checks the body against the schema of the rule's own type, with messages that name what is wrong. */
function parseRuleBody(current: PolicyRule, raw: unknown): PolicyRule {
  const ruleId = current.id;
  const type = current['@odata.type'];
  if (!isRecord(raw)) throw invalid(ruleId, `the body must be a JSON object: the rule, with "@odata.type": "${type}".`);
  // Stint's read-only `stint` extension, as GET shows it, may come back with the rule; it is not a setting.
  const { stint: _readOnly, ...body } = raw;
  const sentType = body['@odata.type'];
  if (sentType === undefined) throw invalid(ruleId, `the body must carry "@odata.type": "${type}", the rule's type.`);
  if (typeof sentType !== 'string' || !sameType(sentType, type)) {
    throw invalid(ruleId, `it is a ${type}, but the body's @odata.type is ${JSON.stringify(sentType).slice(0, 120)}.`);
  }
  if (body.id !== undefined && body.id !== ruleId) {
    throw new BadRequestError(`The body's id ${JSON.stringify(body.id).slice(0, 120)} does not match the rule '${ruleId}' in the URL.`);
  }
  // PATCH semantics: properties left out keep their values (Graph's examples send the whole rule; both work).
  const input: Record<string, unknown> = { ...current, ...body, '@odata.type': type, id: ruleId };
  if (type === '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule' && isRecord(input.setting)) {
    // Graph's own examples annotate each stage with its (only possible) type; the annotation carries nothing.
    const stages = input.setting.approvalStages;
    if (Array.isArray(stages)) {
      const plain = stages.map((stage) => {
        if (!isRecord(stage) || typeof stage['@odata.type'] !== 'string' || !sameType(stage['@odata.type'], 'microsoft.graph.unifiedApprovalStage'))
          return stage;
        const { '@odata.type': _annotation, ...rest } = stage;
        return rest;
      });
      input.setting = { ...input.setting, approvalStages: plain };
    }
  }
  const parsed = RULE_SCHEMAS[type].safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const text = issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
      .join('; ');
    throw invalid(ruleId, `${text}${issues.length > 3 ? ` (and ${issues.length - 3} more problems)` : ''}.`);
  }
  const rule = parsed.data as PolicyRule;
  const sent = rule.target;
  const kept = current.target;
  const differs = (a: readonly string[], b: readonly string[]) => [...new Set(a)].sort().join() !== [...new Set(b)].sort().join();
  if (
    sent.caller !== kept.caller ||
    sent.level !== kept.level ||
    differs(sent.operations, kept.operations) ||
    differs(sent.inheritableSettings, kept.inheritableSettings) ||
    differs(sent.enforcedSettings, kept.enforcedSettings)
  ) {
    throw invalid(
      ruleId,
      `its target cannot change: send caller '${kept.caller}', level '${kept.level}', operations [${kept.operations.join(', ')}], as GET returns it.`,
    );
  }
  if (rule['@odata.type'] === '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule') {
    // Stored as GET shows it: without the annotation of a type that cannot vary.
    const { '@odata.type': _annotation, ...setting } = rule.setting;
    return { ...rule, setting };
  }
  if (rule['@odata.type'] === '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule') {
    return { ...rule, enabledRules: [...new Set(rule.enabledRules)] };
  }
  return rule;
}

function positiveDuration(ruleId: string, field: string, text: string): void {
  let ms: number;
  try {
    ms = parseDuration(text, field);
  } catch (error) {
    if (error instanceof DomainError) throw invalid(ruleId, error.message);
    throw error;
  }
  if (ms <= 0) throw invalid(ruleId, `${field} must be longer than zero.`);
}

async function validateRule(svc: Services, rule: PolicyRule): Promise<void> {
  switch (rule['@odata.type']) {
    case '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule':
      positiveDuration(rule.id, 'maximumDuration', rule.maximumDuration);
      return;
    case '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule':
      if (rule.maximumAuthenticationAge !== undefined) positiveDuration(rule.id, 'maximumAuthenticationAge', rule.maximumAuthenticationAge);
      return;
    case '#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule':
      if (rule.isEnabled && !rule.claimValue?.trim()) throw invalid(rule.id, "isEnabled needs a claimValue (the authentication context id, e.g. 'c1').");
      return;
    case '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule':
      await validateApproval(svc, rule);
      return;
    case '#microsoft.graph.unifiedRoleManagementPolicyNotificationRule':
      return;
  }
}

async function validateApproval(svc: Services, rule: ApprovalRule): Promise<void> {
  const { setting } = rule;
  if (setting.isApprovalRequired) {
    if (setting.approvalStages.length === 0) throw invalid(rule.id, 'isApprovalRequired needs at least one approval stage.');
    if (setting.approvalMode === 'NoApproval') throw invalid(rule.id, "isApprovalRequired cannot go with approvalMode 'NoApproval'; use 'SingleStage'.");
    if (setting.approvalMode === 'SingleStage' && setting.approvalStages.length !== 1) {
      throw invalid(rule.id, `approvalMode 'SingleStage' takes exactly one approval stage, not ${setting.approvalStages.length}.`);
    }
  }
  setting.approvalStages.forEach((stage, i) => {
    const count = stage.requiredApproverCount;
    const onlyUsers = stage.primaryApprovers.every((a) => a['@odata.type'] === '#microsoft.graph.singleUser');
    if (
      count !== undefined &&
      stage.primaryApprovers.length > 0 &&
      onlyUsers &&
      count > new Set(stage.primaryApprovers.map((a) => ('userId' in a ? a.userId : ''))).size
    ) {
      throw invalid(
        rule.id,
        `setting.approvalStages.${i}.requiredApproverCount is ${count}, but the stage names only ${stage.primaryApprovers.length} approving users.`,
      );
    }
  });
  const approvers = setting.approvalStages.flatMap((s) => [...s.primaryApprovers, ...s.escalationApprovers]);
  if (approvers.length === 0) return;
  const found = new Map<string, string>(
    (
      await getPrincipals(
        svc.table,
        approvers.map((a) => ('userId' in a ? a.userId : a.groupId)),
      )
    ).map((p) => [p.id, p.type]),
  );
  for (const approver of approvers) {
    const [id, kind] = 'userId' in approver ? [approver.userId, 'user'] : [approver.groupId, 'group'];
    if (found.get(id) !== kind) throw invalid(rule.id, `approver ${kind === 'user' ? 'userId' : 'groupId'} '${id}' is not a ${kind} in the directory.`);
  }
}
