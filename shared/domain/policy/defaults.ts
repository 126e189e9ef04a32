/**
 * Entra's defaults for the 17 rules of a role management policy. Directory roles and groups differ only
 * in three places (activation enablement, and whether permanent eligible/active assignment is allowed).
 */
import type { PolicyRule } from './rules.ts';

export type PolicyKind = 'DirectoryRole' | 'Group';

type Caller = 'Admin' | 'EndUser';
type Level = 'Eligibility' | 'Assignment';

const target = (caller: Caller, level: Level) => ({
  caller,
  operations: ['all' as const],
  level,
  inheritableSettings: [],
  enforcedSettings: [],
});

const expiration = (id: string, caller: Caller, level: Level, isExpirationRequired: boolean, maximumDuration: string): PolicyRule => ({
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
  id,
  isExpirationRequired,
  maximumDuration,
  target: target(caller, level),
});

const enablement = (id: string, caller: Caller, level: Level, enabledRules: ('MultiFactorAuthentication' | 'Justification' | 'Ticketing')[]): PolicyRule => ({
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
  id,
  enabledRules,
  target: target(caller, level),
});

const notification = (recipient: 'Admin' | 'Requestor' | 'Approver', caller: Caller, level: Level): PolicyRule => ({
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyNotificationRule',
  id: `Notification_${recipient}_${caller}_${level}`,
  notificationType: 'Email',
  recipientType: recipient,
  notificationLevel: 'All',
  isDefaultRecipientsEnabled: true,
  notificationRecipients: [],
  target: target(caller, level),
});

export function defaultRules(kind: PolicyKind): PolicyRule[] {
  const group = kind === 'Group';
  return [
    expiration('Expiration_Admin_Eligibility', 'Admin', 'Eligibility', group, 'P365D'),
    enablement('Enablement_Admin_Eligibility', 'Admin', 'Eligibility', []),
    notification('Admin', 'Admin', 'Eligibility'),
    notification('Requestor', 'Admin', 'Eligibility'),
    notification('Approver', 'Admin', 'Eligibility'),
    expiration('Expiration_Admin_Assignment', 'Admin', 'Assignment', group, 'P180D'),
    enablement('Enablement_Admin_Assignment', 'Admin', 'Assignment', ['Justification']),
    notification('Admin', 'Admin', 'Assignment'),
    notification('Requestor', 'Admin', 'Assignment'),
    notification('Approver', 'Admin', 'Assignment'),
    expiration('Expiration_EndUser_Assignment', 'EndUser', 'Assignment', true, 'PT8H'),
    enablement('Enablement_EndUser_Assignment', 'EndUser', 'Assignment', group ? ['Justification'] : ['MultiFactorAuthentication', 'Justification']),
    {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule',
      id: 'Approval_EndUser_Assignment',
      target: target('EndUser', 'Assignment'),
      setting: {
        isApprovalRequired: false,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        approvalMode: 'SingleStage',
        approvalStages: [
          {
            approvalStageTimeOutInDays: 1,
            isApproverJustificationRequired: true,
            escalationTimeInMinutes: 0,
            isEscalationEnabled: false,
            primaryApprovers: [],
            escalationApprovers: [],
          },
        ],
      },
    },
    {
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule',
      id: 'AuthenticationContext_EndUser_Assignment',
      isEnabled: false,
      claimValue: null,
      target: target('EndUser', 'Assignment'),
    },
    notification('Admin', 'EndUser', 'Assignment'),
    notification('Requestor', 'EndUser', 'Assignment'),
    notification('Approver', 'EndUser', 'Assignment'),
  ];
}

export const RULE_IDS = defaultRules('DirectoryRole').map((r) => r.id);
