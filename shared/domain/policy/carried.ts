/**
 * Group membership that carries roles follows the roles' rules (docs/architecture.md §4). Membership of a group that
 * holds a role, or is eligible for one, *is* that role, and ownership is too (an owner adds members); so
 * activating either through PIM for groups is held to the strictest of the end-user activation rules of
 * the group's own policy and of every role the group holds or is eligible for, rule setting by setting:
 *
 * - MFA, justification, ticket: required if any policy requires it; the MFA freshness is the shortest
 *   `maximumAuthenticationAge` among the policies that require MFA.
 * - Maximum duration: the shortest among the policies that require an end (any that does makes it required).
 * - Approval: required if any policy requires it. Each policy that requires it contributes its own
 *   stages, run one after the other (the group's own first): every power the membership hands on is
 *   approved by the people its own policy trusts, and no role's approvers can wave through a stronger
 *   role. Stages naming exactly the same approvers are asked once (with the strictest of their count,
 *   justification and timeout), so roles that all fall back to the Privileged Role Administrators do not
 *   ask the same people several times. A stage that names no approver falls back to Privileged Role
 *   Administrators and Global Administrators, as any approval does (approval.ts).
 *
 * Pure: the service gathers the policies (services/roles/policies/group-carried-policy.ts).
 */
import type { ApprovalRule, EnablementRule, ExpirationRule, PolicyRule } from './rules.ts';
import { parseDuration } from '../duration.ts';
import { findRule, maxAuthAgeMs, type RuleFailure } from './evaluate.ts';

/** A role the group holds (active) or is eligible for, at one scope, with the policy that governs it there. */
export interface CarriedRole {
  roleDefinitionId: string;
  displayName: string;
  directoryScopeId: string;
  assignmentType: 'Active' | 'Eligible';
  policyId: string;
  rules: PolicyRule[];
}

export type CarriedRoleRef = Omit<CarriedRole, 'rules'>;

export type CarriedSetting =
  | 'maximumDuration'
  | 'MultiFactorAuthentication'
  | 'maximumAuthenticationAge'
  | 'Justification'
  | 'Ticketing'
  | 'isApprovalRequired'
  | 'isApprovalRequiredForExtension';

/** A setting of one of the group's activation rules that roles it carries make stricter than the group's own. */
export interface GroupRoleRule {
  ruleId: string;
  setting: CarriedSetting;
  /** The value applied instead of the group's own. */
  value: string | boolean;
  imposedBy: CarriedRoleRef[];
}

export interface CarriedPolicy {
  /** The group's rules with the three activation rules replaced by the strictest combination. */
  rules: PolicyRule[];
  imposed: GroupRoleRule[];
}

export const EXPIRATION = 'Expiration_EndUser_Assignment';
export const ENABLEMENT = 'Enablement_EndUser_Assignment';
export const APPROVAL = 'Approval_EndUser_Assignment';

const ref = ({ rules: _rules, ...role }: CarriedRole): CarriedRoleRef => role;

function combineExpiration(own: ExpirationRule, roles: CarriedRole[]): { rule: ExpirationRule; imposed: GroupRoleRule[] } {
  const limit = (rule: ExpirationRule) => (rule.isExpirationRequired ? parseDuration(rule.maximumDuration) : Infinity);
  const ownLimit = limit(own);
  const tightest = Math.min(ownLimit, ...roles.map((r) => limit(findRule<ExpirationRule>(r.rules, EXPIRATION))));
  if (tightest >= ownLimit) return { rule: own, imposed: [] };
  const by = roles.filter((r) => limit(findRule<ExpirationRule>(r.rules, EXPIRATION)) === tightest);
  const maximumDuration = findRule<ExpirationRule>(by[0]!.rules, EXPIRATION).maximumDuration;
  return {
    rule: { ...own, isExpirationRequired: true, maximumDuration },
    imposed: [{ ruleId: EXPIRATION, setting: 'maximumDuration', value: maximumDuration, imposedBy: by.map(ref) }],
  };
}

function combineEnablement(own: EnablementRule, roles: CarriedRole[]): { rule: EnablementRule; imposed: GroupRoleRule[] } {
  const of = (r: CarriedRole) => findRule<EnablementRule>(r.rules, ENABLEMENT);
  const imposed: GroupRoleRule[] = [];
  const enabledRules = [...own.enabledRules];
  for (const name of ['MultiFactorAuthentication', 'Justification', 'Ticketing'] as const) {
    if (own.enabledRules.includes(name)) continue;
    const by = roles.filter((r) => of(r).enabledRules.includes(name));
    if (by.length === 0) continue;
    enabledRules.push(name);
    imposed.push({ ruleId: ENABLEMENT, setting: name, value: true, imposedBy: by.map(ref) });
  }
  let rule: EnablementRule = { ...own, enabledRules };
  const mfaRoles = roles.filter((r) => of(r).enabledRules.includes('MultiFactorAuthentication'));
  const ownAge = own.enabledRules.includes('MultiFactorAuthentication') ? maxAuthAgeMs(own) : Infinity;
  const freshest = Math.min(ownAge, ...mfaRoles.map((r) => maxAuthAgeMs(of(r))));
  if (freshest < ownAge) {
    const by = mfaRoles.filter((r) => maxAuthAgeMs(of(r)) === freshest);
    const age = of(by[0]!).maximumAuthenticationAge;
    const { maximumAuthenticationAge: _weaker, ...rest } = rule;
    rule = age === undefined ? rest : { ...rest, maximumAuthenticationAge: age };
    imposed.push({ ruleId: ENABLEMENT, setting: 'maximumAuthenticationAge', value: age ?? `PT${Math.round(freshest / 60_000)}M`, imposedBy: by.map(ref) });
  }
  return { rule, imposed };
}

type Stage = ApprovalRule['setting']['approvalStages'][number];

const approversKey = (stage: Stage) => JSON.stringify(stage.primaryApprovers.map((a) => ('userId' in a ? `u:${a.userId}` : `g:${a.groupId}`)).sort());

/** Stages naming the same approvers are asked once, with the strictest of their settings. */
function mergeStages(stages: Stage[]): Stage[] {
  const merged = new Map<string, Stage>();
  for (const stage of stages) {
    const key = approversKey(stage);
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, stage);
      continue;
    }
    const count = Math.max(seen.requiredApproverCount ?? 1, stage.requiredApproverCount ?? 1);
    merged.set(key, {
      ...seen,
      isApproverJustificationRequired: seen.isApproverJustificationRequired || stage.isApproverJustificationRequired,
      approvalStageTimeOutInDays: Math.min(seen.approvalStageTimeOutInDays, stage.approvalStageTimeOutInDays),
      escalationApprovers: [...seen.escalationApprovers, ...stage.escalationApprovers],
      ...(count > 1 ? { requiredApproverCount: count } : {}),
    });
  }
  return [...merged.values()];
}

function combineApproval(own: ApprovalRule, roles: CarriedRole[]): { rule: ApprovalRule; imposed: GroupRoleRule[] } {
  const of = (r: CarriedRole) => findRule<ApprovalRule>(r.rules, APPROVAL);
  // One role can be held at one scope both eligible and active: its policy counts once.
  const demanding = roles.filter((r, i) => of(r).setting.isApprovalRequired && roles.findIndex((o) => o.policyId === r.policyId) === i);
  if (demanding.length === 0) return { rule: own, imposed: [] };
  const mine = own.setting.isApprovalRequired ? [own] : [];
  const rules = [...mine, ...demanding.map(of)];
  const stages = mergeStages(rules.flatMap((r) => r.setting.approvalStages));
  const forExtension = rules.some((r) => r.setting.isApprovalRequiredForExtension);
  const imposed: GroupRoleRule[] = [{ ruleId: APPROVAL, setting: 'isApprovalRequired', value: true, imposedBy: demanding.map(ref) }];
  if (forExtension && !(own.setting.isApprovalRequired && own.setting.isApprovalRequiredForExtension)) {
    imposed.push({
      ruleId: APPROVAL,
      setting: 'isApprovalRequiredForExtension',
      value: true,
      imposedBy: demanding.filter((r) => of(r).setting.isApprovalRequiredForExtension).map(ref),
    });
  }
  return {
    rule: {
      ...own,
      setting: {
        ...own.setting,
        isApprovalRequired: true,
        isApprovalRequiredForExtension: forExtension,
        isRequestorJustificationRequired: rules.some((r) => r.setting.isRequestorJustificationRequired),
        approvalMode: stages.length > 1 ? 'Serial' : 'SingleStage',
        approvalStages: stages,
      },
    },
    imposed,
  };
}

/** The group's activation rules held to the strictest rules of the roles it carries; the group's own rules when it carries none. */
export function combineCarried(own: PolicyRule[], roles: CarriedRole[]): CarriedPolicy {
  if (roles.length === 0) return { rules: own, imposed: [] };
  const expiration = combineExpiration(findRule<ExpirationRule>(own, EXPIRATION), roles);
  const enablement = combineEnablement(findRule<EnablementRule>(own, ENABLEMENT), roles);
  const approval = combineApproval(findRule<ApprovalRule>(own, APPROVAL), roles);
  const replaced = new Map<string, PolicyRule>([
    [EXPIRATION, expiration.rule],
    [ENABLEMENT, enablement.rule],
    [APPROVAL, approval.rule],
  ]);
  return { rules: own.map((r) => replaced.get(r.id) ?? r), imposed: [...expiration.imposed, ...enablement.imposed, ...approval.imposed] };
}

const SETTINGS_OF: Partial<Record<RuleFailure['code'], CarriedSetting[]>> = {
  MfaRule: ['MultiFactorAuthentication', 'maximumAuthenticationAge'],
  JustificationRule: ['Justification'],
  TicketingRule: ['Ticketing'],
  ExpirationRule: ['maximumDuration'],
};

const named = (r: CarriedRoleRef) => `${r.displayName} (${r.assignmentType.toLowerCase()} at '${r.directoryScopeId}')`;

/** Each failure of a rule that a carried role imposed says which role, so the requester knows why. */
export function explainCarried(failures: RuleFailure[], imposed: GroupRoleRule[], groupName: string): RuleFailure[] {
  return failures.map((failure) => {
    const settings = SETTINGS_OF[failure.code] ?? [];
    const roles = imposed.filter((i) => settings.includes(i.setting)).flatMap((i) => i.imposedBy);
    const names = [...new Set(roles.map(named))];
    if (names.length === 0) return failure;
    return {
      ...failure,
      message: `${failure.message} Group '${groupName}' carries ${names.join(', ')}, whose activation rules apply to its membership and ownership.`,
    };
  });
}
