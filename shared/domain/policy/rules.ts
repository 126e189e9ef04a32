/**
 * The role management policy rules as the domain reasons about them (Graph's shape, already validated).
 * The zod schemas that parse them off the wire live in shared/contracts/policy-rules.ts, which checks at
 * compile time that what they produce is exactly these types, so the domain never imports the wire layer.
 */

export type RuleCaller = 'None' | 'Admin' | 'EndUser';
export type RuleOperation = 'all' | 'activate' | 'deactivate' | 'assign' | 'update' | 'remove' | 'extend' | 'renew';
export type RuleLevel = 'Eligibility' | 'Assignment';

export interface RuleTarget {
  '@odata.type'?: string | undefined;
  caller: RuleCaller;
  operations: RuleOperation[];
  level: RuleLevel;
  inheritableSettings: string[];
  enforcedSettings: string[];
}

export interface ExpirationRule {
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule';
  id: string;
  isExpirationRequired: boolean;
  maximumDuration: string;
  target: RuleTarget;
}

export const ENABLED_RULES = ['MultiFactorAuthentication', 'Justification', 'Ticketing'] as const;
export type EnabledRule = (typeof ENABLED_RULES)[number];

export interface EnablementRule {
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule';
  id: string;
  enabledRules: EnabledRule[];
  /** Stint's addition: how recent the MFA sign-in must be for an activation (default 15 minutes). */
  maximumAuthenticationAge?: string | undefined;
  target: RuleTarget;
}

export type SubjectSet =
  | { '@odata.type': '#microsoft.graph.singleUser'; userId: string; description?: string | null | undefined }
  | { '@odata.type': '#microsoft.graph.groupMembers'; groupId: string; description?: string | null | undefined };

export interface ApprovalStage {
  approvalStageTimeOutInDays: number;
  isApproverJustificationRequired: boolean;
  escalationTimeInMinutes: number;
  isEscalationEnabled: boolean;
  primaryApprovers: SubjectSet[];
  escalationApprovers: SubjectSet[];
  /** Stint's addition: how many distinct approvers must approve at this stage (Entra: 1). */
  requiredApproverCount?: number | undefined;
}

export interface ApprovalRule {
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyApprovalRule';
  id: string;
  setting: {
    '@odata.type'?: string | undefined;
    isApprovalRequired: boolean;
    isApprovalRequiredForExtension: boolean;
    isRequestorJustificationRequired: boolean;
    approvalMode: 'SingleStage' | 'Serial' | 'Parallel' | 'NoApproval';
    approvalStages: ApprovalStage[];
  };
  target: RuleTarget;
}

export interface AuthenticationContextRule {
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyAuthenticationContextRule';
  id: string;
  isEnabled: boolean;
  claimValue: string | null;
  target: RuleTarget;
}

export interface NotificationRule {
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyNotificationRule';
  id: string;
  notificationType: 'Email';
  recipientType: 'Requestor' | 'Approver' | 'Admin';
  notificationLevel: 'None' | 'Critical' | 'All';
  isDefaultRecipientsEnabled: boolean;
  notificationRecipients: string[];
  target: RuleTarget;
}

export type PolicyRule = ExpirationRule | EnablementRule | ApprovalRule | AuthenticationContextRule | NotificationRule;
