/**
 * The portal's role settings form over Graph's 17 rules: read, written back, only changed rules sent,
 * the change described field by field, and the same change applied to another role.
 */
import { describe, expect, it } from 'vitest';
import { defaultRules } from '../../../shared/domain/policy/defaults.ts';
import {
  applyFields,
  changedRules,
  diffSettings,
  hoursDuration,
  settingsErrors,
  settingsFromRules,
  type PolicyRule,
} from '../../../web/src/domain/role-settings.ts';

const roleRules = () => defaultRules('DirectoryRole') as unknown as PolicyRule[];
const groupRules = () => defaultRules('Group') as unknown as PolicyRule[];

describe('settingsFromRules', () => {
  it("reads Entra's defaults for a directory role", () => {
    // Act
    const s = settingsFromRules(roleRules());

    // Assess
    expect(s).toMatchObject({
      activationMaximumHours: 8,
      activationRequire: 'mfa',
      activationJustification: true,
      activationTicket: false,
      approvalRequired: false,
      approvers: [],
      permanentEligible: true,
      permanentActive: true,
      activeJustification: true,
      activeMfa: false,
    });
    expect(s.notifications.Admin_EndUser_Assignment).toEqual({ defaultRecipients: true, additionalRecipients: [], level: 'All' });
  });

  it('reads that a group requires expiry and no MFA by default', () => {
    // Act
    const s = settingsFromRules(groupRules());

    // Assess
    expect(s).toMatchObject({ permanentEligible: false, eligibleExpiry: 'P365D', permanentActive: false, activeExpiry: 'P180D', activationRequire: 'none' });
  });
});

describe('changedRules', () => {
  it('sends nothing when nothing changed', () => {
    // Arrange
    const rules = roleRules();

    // Act / Assess
    expect(changedRules(rules, settingsFromRules(rules))).toEqual([]);
  });

  it("sends only the rules a change touches, whole, with their @odata.type and without Stint's annotations", () => {
    // Arrange
    const rules = roleRules().map((r) => (r.id === 'Enablement_EndUser_Assignment' ? { ...r, '@stint.groupRoleRules': [] } : r));
    const s = { ...settingsFromRules(rules), activationMaximumHours: 2.5, activationTicket: true };

    // Act
    const changed = changedRules(rules, s);

    // Assess
    expect(changed.map((r) => r.id)).toEqual(['Expiration_EndUser_Assignment', 'Enablement_EndUser_Assignment']);
    expect(changed[0]).toMatchObject({
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
      maximumDuration: 'PT2H30M',
      isExpirationRequired: true,
    });
    expect(changed[1]!.enabledRules).toEqual(['MultiFactorAuthentication', 'Justification', 'Ticketing']);
    expect(Object.keys(changed[1]!)).not.toContain('@stint.groupRoleRules');
    expect(changed[1]!.target).toEqual(rules.find((r) => r.id === 'Enablement_EndUser_Assignment')!.target);
  });

  it('writes approvers as Graph subject sets into the first stage and keeps the other stage settings', () => {
    // Arrange
    const rules = roleRules();
    const s = {
      ...settingsFromRules(rules),
      approvalRequired: true,
      approvers: [
        { kind: 'user' as const, id: 'usr_1', description: 'Sam Rivera' },
        { kind: 'group' as const, id: 'grp_1', description: 'Security Operations' },
      ],
    };

    // Act
    const [approval] = changedRules(rules, s);

    // Assess
    const setting = approval!.setting as { isApprovalRequired: boolean; approvalStages: Record<string, unknown>[] };
    expect(setting.isApprovalRequired).toBe(true);
    expect(setting.approvalStages[0]).toMatchObject({
      approvalStageTimeOutInDays: 1,
      primaryApprovers: [
        { '@odata.type': '#microsoft.graph.singleUser', userId: 'usr_1', description: 'Sam Rivera' },
        { '@odata.type': '#microsoft.graph.groupMembers', groupId: 'grp_1', description: 'Security Operations' },
      ],
    });
    expect(settingsFromRules(changedRules(rules, s).reduce((all, r) => all.map((x) => (x.id === r.id ? r : x)), rules)).approvers).toEqual(s.approvers);
  });

  it('changes one notification rule for "Critical emails only" and additional recipients', () => {
    // Arrange
    const rules = roleRules();
    const s = settingsFromRules(rules);
    s.notifications = {
      ...s.notifications,
      Admin_EndUser_Assignment: { defaultRecipients: false, additionalRecipients: ['soc@contoso.test'], level: 'Critical' },
    };

    // Act
    const changed = changedRules(rules, s);

    // Assess
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({
      id: 'Notification_Admin_EndUser_Assignment',
      isDefaultRecipientsEnabled: false,
      notificationRecipients: ['soc@contoso.test'],
      notificationLevel: 'Critical',
    });
  });

  it('turns MFA off in favour of an authentication context', () => {
    // Arrange
    const rules = roleRules();
    const s = { ...settingsFromRules(rules), activationRequire: 'authenticationContext' as const, authenticationContext: 'c1' };

    // Act
    const changed = changedRules(rules, s);

    // Assess
    expect(changed.find((r) => r.id === 'Enablement_EndUser_Assignment')!.enabledRules).toEqual(['Justification']);
    expect(changed.find((r) => r.id === 'AuthenticationContext_EndUser_Assignment')).toMatchObject({ isEnabled: true, claimValue: 'c1' });
  });
});

describe('diffSettings', () => {
  it("names each changed field in Entra's words, old → new", () => {
    // Arrange
    const before = settingsFromRules(roleRules());
    const after = { ...before, activationMaximumHours: 4, permanentEligible: false, eligibleExpiry: 'P90D' };

    // Act
    const changes = diffSettings(before, after);

    // Assess
    expect(changes.map((c) => [c.tab, c.label, c.before, c.after])).toEqual([
      ['activation', 'Activation maximum duration (hours)', '8', '4'],
      ['assignment', 'Allow permanent eligible assignment', 'Yes', 'No'],
      ['assignment', 'Expire eligible assignments after', '365 days', '90 days'],
    ]);
  });
});

describe('applyFields', () => {
  it("applies only the edited fields to another role, keeping that role's other values", () => {
    // Arrange
    const first = settingsFromRules(roleRules());
    const other = { ...settingsFromRules(groupRules()), activationMaximumHours: 1 };
    const edited = { ...first, activationTicket: true };
    const keys = diffSettings(first, edited).map((c) => c.key);

    // Act
    const next = applyFields(other, edited, keys);

    // Assess
    expect(keys).toEqual(['activationTicket']);
    expect(diffSettings(other, next).map((c) => c.key)).toEqual(['activationTicket']);
    expect(next.activationMaximumHours).toBe(1);
    expect(next.activationRequire).toBe('none');
  });
});

describe('settingsErrors and hoursDuration', () => {
  it('refuses what the form must not send', () => {
    // Arrange
    const s = settingsFromRules(roleRules());
    s.activationMaximumHours = 0.25;
    s.notifications = { ...s.notifications, Requestor_Admin_Assignment: { defaultRecipients: true, additionalRecipients: ['not-mail'], level: 'All' } };

    // Act
    const errors = settingsErrors(s);

    // Assess
    expect(Object.keys(errors).sort()).toEqual(['activationMaximumHours', 'notifications.Requestor_Admin_Assignment']);
  });

  it('writes hours as ISO 8601 durations', () => {
    expect([hoursDuration(8), hoursDuration(0.5), hoursDuration(1.5), hoursDuration(24)]).toEqual(['PT8H', 'PT30M', 'PT1H30M', 'PT24H']);
  });
});
