/**
 * PIM security alerts (Graph beta `identityGovernance/roleManagementAlerts`): the six alert types Stint
 * raises, their settings, and what evaluation produces. Pure types; the definitions' texts are in
 * definitions.ts, the evaluation in evaluate.ts.
 */

export const ALERT_TYPES = [
  'RedundantAssignmentAlert',
  'NoMfaOnRoleActivationAlert',
  'StaleSignInAlert',
  'RolesAssignedOutsidePrivilegedIdentityManagementAlert',
  'TooManyGlobalAdminsAssignedToTenantAlert',
  'SequentialActivationRenewalsAlert',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export type SeverityLevel = 'low' | 'medium' | 'high';

/**
 * An alert's settings. Which fields an alert reads depends on its type (Graph's derived configuration
 * types): `duration` for RedundantAssignment (days without activating) and StaleSignIn (days without
 * sign-in); the two Global Administrator thresholds; the activation count and its time frame.
 */
export interface AlertConfig {
  isEnabled: boolean;
  /** ISO 8601 days, e.g. 'P30D'. */
  duration?: string;
  globalAdminCountThreshold?: number;
  percentageOfGlobalAdminsOutOfRolesThreshold?: number;
  sequentialActivationCounterThreshold?: number;
  /** ISO 8601, e.g. 'PT1H'. */
  timeIntervalBetweenActivations?: string;
}

export type AlertConfigs = Record<AlertType, AlertConfig>;

/** What fixing an incident does, always through the product's audited paths (so last-admin protection holds). */
export type Remedy =
  /** An administrator's removal (adminRemove) of an eligible or active role assignment. */
  | {
      kind: 'removeAssignment';
      scheduleId: string;
      scheduleKind: 'eligibility' | 'assignment';
      principalId: string;
      roleDefinitionId: string;
      directoryScopeId: string;
    }
  /** Turn a permanent or time-bound active assignment into an eligible one (eligible first, then the active one removed). */
  | { kind: 'convertToEligible'; scheduleId: string; principalId: string; roleDefinitionId: string; directoryScopeId: string }
  /** Require multifactor authentication on activation in the role's policy (its Enablement_EndUser_Assignment rule). */
  | { kind: 'requireMfa'; roleDefinitionId: string }
  /** Remove a standing member of a role-assignable group (added through the directory, not PIM for groups). */
  | { kind: 'removeGroupMember'; groupId: string; memberId: string }
  /** Delete an AWS account assignment that Stint did not make, on a permission set it manages. */
  | { kind: 'removeAwsAssignment'; accountId: string; permissionSetId: string; identityStoreUserId: string };

/**
 * One incident: `id` is deterministic (the same condition found by two runs is the same incident), and
 * `properties` are the Graph properties of its incident type (assigneeId, roleDefinitionId, …), without
 * `@odata.type` and `id`.
 */
export interface Incident {
  id: string;
  alertType: AlertType;
  properties: Record<string, string | number | boolean | null>;
  remedy: Remedy | null;
}

export type AlertFindings = Record<AlertType, Incident[]>;
