/** How a group's activation rules are held to the roles it carries (shared/domain/policy/carried.ts). */
import { describe, expect, it } from 'vitest';
import type { ApprovalRule, EnablementRule, ExpirationRule, PolicyRule } from '../../../shared/contracts/policy-rules.ts';
import { APPROVAL, combineCarried, ENABLEMENT, EXPIRATION, explainCarried, type CarriedRole } from '../../../shared/domain/policy/carried.ts';
import { defaultRules } from '../../../shared/domain/policy/defaults.ts';
import { findRule } from '../../../shared/domain/policy/evaluate.ts';

type Stage = ApprovalRule['setting']['approvalStages'][number];
const stage = (userIds: string[], o: Partial<Stage> = {}): Stage => ({
  approvalStageTimeOutInDays: 1,
  isApproverJustificationRequired: false,
  escalationTimeInMinutes: 0,
  isEscalationEnabled: false,
  primaryApprovers: userIds.map((userId) => ({ '@odata.type': '#microsoft.graph.singleUser' as const, userId })),
  escalationApprovers: [],
  ...o,
});

/** Role defaults changed by `change` (rule id → partial rule). */
function rulesWith(change: Record<string, Partial<PolicyRule> | ((r: PolicyRule) => PolicyRule)>): PolicyRule[] {
  return defaultRules('DirectoryRole').map((r) => {
    const c = change[r.id];
    if (!c) return r;
    return typeof c === 'function' ? c(r) : ({ ...r, ...c } as PolicyRule);
  });
}

const requireApproval =
  (stages: Stage[], forExtension = false) =>
  (r: PolicyRule) => {
    const rule = r as ApprovalRule;
    return {
      ...rule,
      setting: {
        ...rule.setting,
        isApprovalRequired: true,
        isApprovalRequiredForExtension: forExtension,
        approvalMode: stages.length > 1 ? 'Serial' : 'SingleStage',
        approvalStages: stages,
      },
    } as PolicyRule;
  };

const role = (name: string, rules: PolicyRule[], o: Partial<CarriedRole> = {}): CarriedRole => ({
  roleDefinitionId: `id-${name}`,
  displayName: name,
  directoryScopeId: '/',
  assignmentType: 'Active',
  policyId: `policy-${name}`,
  rules,
  ...o,
});

const group = defaultRules('Group');

describe('combineCarried', () => {
  it('leaves a group that carries no role with its own rules', () => {
    expect(combineCarried(group, [])).toEqual({ rules: group, imposed: [] });
  });

  it('takes the strictest of each setting and names the roles that imposed it', () => {
    const a = role(
      'A',
      rulesWith({
        [EXPIRATION]: { maximumDuration: 'PT2H' },
        [ENABLEMENT]: { enabledRules: ['MultiFactorAuthentication'], maximumAuthenticationAge: 'PT10M' },
      }),
    );
    const b = role(
      'B',
      rulesWith({
        [EXPIRATION]: { maximumDuration: 'PT1H' },
        [ENABLEMENT]: { enabledRules: ['MultiFactorAuthentication', 'Ticketing'], maximumAuthenticationAge: 'PT5M' },
      }),
      { assignmentType: 'Eligible' },
    );
    const { rules, imposed } = combineCarried(group, [a, b]);
    expect(findRule<ExpirationRule>(rules, EXPIRATION)).toMatchObject({ isExpirationRequired: true, maximumDuration: 'PT1H' });
    const enablement = findRule<EnablementRule>(rules, ENABLEMENT);
    expect([...enablement.enabledRules].sort()).toEqual(['Justification', 'MultiFactorAuthentication', 'Ticketing']);
    expect(enablement.maximumAuthenticationAge).toBe('PT5M');
    const by = (setting: string) => imposed.find((i) => i.setting === setting)?.imposedBy.map((r) => r.displayName);
    expect(by('maximumDuration')).toEqual(['B']);
    expect(by('MultiFactorAuthentication')).toEqual(['A', 'B']);
    expect(by('maximumAuthenticationAge')).toEqual(['B']);
    expect(by('Ticketing')).toEqual(['B']);
    expect(by('Justification')).toBeUndefined(); // the group's own rule already asks for it
    // The rules nobody changed are the group's own
    expect(rules.filter((r) => ![EXPIRATION, ENABLEMENT, APPROVAL].includes(r.id))).toEqual(
      group.filter((r) => ![EXPIRATION, ENABLEMENT, APPROVAL].includes(r.id)),
    );
  });

  it('never loosens the group: a role with laxer rules changes nothing', () => {
    const strictGroup = group.map((r) => (r.id === EXPIRATION ? { ...r, maximumDuration: 'PT30M' } : r));
    const lax = role('Lax', rulesWith({ [ENABLEMENT]: { enabledRules: [] } }));
    expect(combineCarried(strictGroup, [lax])).toEqual({ rules: strictGroup, imposed: [] });
  });

  it('asks every policy that requires approval, one stage after another; the same approvers are asked once', () => {
    const ownApproval = requireApproval([stage(['u-group'])]);
    const own = group.map((r) => (r.id === APPROVAL ? ownApproval(r) : r));
    const a = role('A', rulesWith({ [APPROVAL]: requireApproval([stage(['u-a'])]) }));
    const b = role('B', rulesWith({ [APPROVAL]: requireApproval([stage([]), stage(['u-b2'], { requiredApproverCount: 2 })], true) }));
    const c = role('C', rulesWith({ [APPROVAL]: requireApproval([stage([], { approvalStageTimeOutInDays: 3, isApproverJustificationRequired: true })]) }));
    // The same role's policy, held both active and eligible, counts once
    const aAgain = role('A', a.rules, { assignmentType: 'Eligible' });
    const { rules, imposed } = combineCarried(own, [a, aAgain, b, c]);
    const approval = findRule<ApprovalRule>(rules, APPROVAL);
    expect(approval.setting).toMatchObject({ isApprovalRequired: true, isApprovalRequiredForExtension: true, approvalMode: 'Serial' });
    expect(approval.setting.approvalStages.map((s) => s.primaryApprovers.map((p) => ('userId' in p ? p.userId : p.groupId)))).toEqual([
      ['u-group'],
      ['u-a'],
      [],
      ['u-b2'],
    ]);
    // B's and C's stages naming no one (the administrators' fallback) are one stage, with the strictest settings of both
    expect(approval.setting.approvalStages[2]).toMatchObject({ approvalStageTimeOutInDays: 1, isApproverJustificationRequired: true });
    expect(approval.setting.approvalStages[3]!.requiredApproverCount).toBe(2);
    expect(imposed.find((i) => i.setting === 'isApprovalRequired')?.imposedBy.map((r) => r.displayName)).toEqual(['A', 'B', 'C']);
    expect(imposed.find((i) => i.setting === 'isApprovalRequiredForExtension')?.imposedBy.map((r) => r.displayName)).toEqual(['B']);
  });

  it('names the role behind each failed rule', () => {
    const { imposed } = combineCarried(group, [role('Global Administrator', rulesWith({ [ENABLEMENT]: { enabledRules: ['Ticketing'] } }))]);
    const failures = explainCarried(
      [
        { code: 'TicketingRule', target: 'ticketInfo.ticketNumber', message: 'A ticket number is required.' },
        { code: 'JustificationRule', target: 'justification', message: 'A justification is required.' },
      ],
      imposed,
      'Tier 0',
    );
    expect(failures[0]!.message).toBe(
      "A ticket number is required. Group 'Tier 0' carries Global Administrator (active at '/'), whose activation rules apply to its membership and ownership.",
    );
    expect(failures[1]!.message).toBe('A justification is required.');
  });
});
