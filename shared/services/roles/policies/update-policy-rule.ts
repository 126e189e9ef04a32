/**
 * PATCH of one policy rule: the body is checked against the rule's own type and the directory (approvers
 * that exist), then the whole policy is stored with its audit record in one transaction.
 */
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
import { parseDuration } from '../../../domain/duration.ts';
import { BadRequestError, DomainError, NotFoundError } from '../../../domain/errors.ts';
import { getPrincipals } from '../../../store/principals.ts';
import { savePolicy } from '../../../store/policies.ts';
import { commitChange } from '../../../store/transact.ts';
import { auditOf } from '../../audit-writer.ts';
import type { Actor, Services } from '../../context.ts';
import { accessTargetOf } from '../access-kinds/access-target.ts';
import { auditCategoryOf } from '../requests/outcome.ts';
import { getPolicy } from './effective-policy.ts';

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
  // Annotations (Stint's read-only `@stint.groupRoleRules`, as GET shows it) may come back with the rule; they are not settings.
  const body: Record<string, unknown> = Object.fromEntries(Object.entries(raw).filter(([key]) => key === '@odata.type' || !key.startsWith('@')));
  // Stint's one setting beyond Graph, sent as GET shows it (the plain property is still taken).
  if (raw['@stint.maximumAuthenticationAge'] !== undefined) body.maximumAuthenticationAge = raw['@stint.maximumAuthenticationAge'];
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

/**
 * Entra's bounds: an activation lasts from 30 minutes to 24 hours; an eligible or active assignment's
 * end may be at most a year away.
 */
const EXPIRATION_BOUNDS: Record<string, { min: number; max: number; words: string }> = {
  Expiration_EndUser_Assignment: {
    min: 30 * 60_000,
    max: 24 * 3_600_000,
    words: 'between PT30M and PT24H (activations last 30 minutes to 24 hours, as in Entra)',
  },
  Expiration_Admin_Eligibility: { min: 1, max: 365 * 86_400_000, words: 'at most P365D (an eligible assignment may be made for up to a year, as in Entra)' },
  Expiration_Admin_Assignment: { min: 1, max: 365 * 86_400_000, words: 'at most P365D (an active assignment may be made for up to a year, as in Entra)' },
};

function boundedExpiration(ruleId: string, text: string): void {
  const ms = positiveDuration(ruleId, 'maximumDuration', text);
  const bounds = EXPIRATION_BOUNDS[ruleId];
  if (bounds && (ms < bounds.min || ms > bounds.max)) throw invalid(ruleId, `maximumDuration ${text} is out of range: it must be ${bounds.words}.`);
}

function positiveDuration(ruleId: string, field: string, text: string): number {
  let ms: number;
  try {
    ms = parseDuration(text, field);
  } catch (error) {
    if (error instanceof DomainError) throw invalid(ruleId, error.message);
    throw error;
  }
  if (ms <= 0) throw invalid(ruleId, `${field} must be longer than zero.`);
  return ms;
}

async function validateRule(svc: Services, rule: PolicyRule): Promise<void> {
  switch (rule['@odata.type']) {
    case '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule':
      boundedExpiration(rule.id, rule.maximumDuration);
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
