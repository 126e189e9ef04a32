/** The Graph paths the portal uses, in one place. */
export const ROLES = '/v1.0/roleManagement/directory';
/** Graph serves a role's `isPrivileged` in beta only, and Stint does likewise. */
export const ROLE_DEFINITIONS = '/beta/roleManagement/directory/roleDefinitions';
/** AWS roles (IAM Identity Center permission sets): Stint's third provider beside directory roles and groups. */
export const AWS = '/v1.0/roleManagement/aws';
export const GROUPS_PIM = '/v1.0/identityGovernance/privilegedAccess/group';
export const POLICY_ASSIGNMENTS = '/v1.0/policies/roleManagementPolicyAssignments';
export const POLICIES = '/v1.0/policies/roleManagementPolicies';
export const REVIEWS = '/v1.0/identityGovernance/accessReviews/definitions';
export const AUDIT = '/v1.0/auditLogs/directoryAudits';
export const APPROVALS_BETA = '/beta/roleManagement/directory/roleAssignmentApprovals';
/** PIM security alerts (Graph beta); every list must name the scope, as Graph requires. */
export const ALERTS = '/beta/identityGovernance/roleManagementAlerts';
export const ALERT_SCOPE = "scopeId eq '/' and scopeType eq 'DirectoryRole'";
/** Discovery and insights and the weekly digest's settings: a Stint extension beside the alerts. */
export const INSIGHTS = '/beta/identityGovernance/roleManagementInsights';

export function mine(collection: string, on: 'principal' | 'approver' | 'reviewer' = 'principal'): string {
  return `${collection}/filterByCurrentUser(on='${on}')`;
}

export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function query(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
