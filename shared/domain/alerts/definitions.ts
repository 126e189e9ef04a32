/**
 * What each alert is: Graph's `unifiedRoleManagementAlertDefinition` (severity, texts, whether it has
 * settings and a fix) and the Graph type names of its configuration and incidents. Severities and
 * defaults are Entra's (../shared/reference/portal.md, "Entra's security alerts").
 */
import { TENANT_ID } from '../ids.ts';
import type { AlertConfig, AlertType, SeverityLevel } from './types.ts';

export interface AlertDefinition {
  type: AlertType;
  displayName: string;
  description: string;
  severityLevel: SeverityLevel;
  securityImpact: string;
  mitigationSteps: string;
  howToPrevent: string;
  isConfigurable: boolean;
  isRemediatable: boolean;
  /** Graph's derived type names, without the namespace. */
  configurationType: string;
  incidentType: string;
  defaults: AlertConfig;
}

export const SCOPE_ID = '/';
export const SCOPE_TYPE = 'DirectoryRole';

export const ALERT_DEFINITIONS: Record<AlertType, AlertDefinition> = {
  RedundantAssignmentAlert: {
    type: 'RedundantAssignmentAlert',
    displayName: "Administrators aren't using their privileged roles",
    description: 'Someone is eligible for a privileged role and has not activated it for longer than the set number of days.',
    severityLevel: 'low',
    securityImpact:
      'Every privileged assignment that is not needed is one more way in for an attacker, and an account that never uses its role draws no attention when it is misused.',
    mitigationSteps: 'Look at each person listed and remove the privileged roles they do not need. Fixing an incident removes that eligible assignment.',
    howToPrevent: 'Give privileged roles only to people with a business reason, and review privileged access regularly with access reviews.',
    isConfigurable: true,
    isRemediatable: true,
    configurationType: 'redundantAssignmentAlertConfiguration',
    incidentType: 'redundantAssignmentAlertIncident',
    defaults: { isEnabled: true, duration: 'P30D' },
  },
  NoMfaOnRoleActivationAlert: {
    type: 'NoMfaOnRoleActivationAlert',
    displayName: "Roles don't require multifactor authentication for activation",
    description: 'A privileged role can be activated without multifactor authentication.',
    severityLevel: 'low',
    securityImpact: 'Without multifactor authentication, whoever steals the password of an eligible user can activate the role.',
    mitigationSteps:
      "Require Azure MFA on activation in each listed role's settings. Fixing an incident changes the role setting On activation, require: Azure MFA.",
    howToPrevent: 'Require multifactor authentication on activation for every privileged role.',
    isConfigurable: true,
    isRemediatable: true,
    configurationType: 'noMfaOnRoleActivationAlertConfiguration',
    incidentType: 'noMfaOnRoleActivationAlertIncident',
    defaults: { isEnabled: true },
  },
  StaleSignInAlert: {
    type: 'StaleSignInAlert',
    displayName: 'Potential stale accounts in a privileged role',
    description: 'Someone who holds a privileged role has not signed in for longer than the set number of days.',
    severityLevel: 'medium',
    securityImpact: 'An account nobody uses is often one nobody watches: if it is taken over, the misuse of its privileged role goes unnoticed.',
    mitigationSteps:
      'Check whether each account listed still needs its role, and remove the roles of accounts that are no longer used. Fixing an incident removes that assignment.',
    howToPrevent: 'Review privileged access regularly, and remove the roles of people who leave or change jobs.',
    isConfigurable: true,
    isRemediatable: true,
    configurationType: 'staleSignInAlertConfiguration',
    incidentType: 'staleSignInAlertIncident',
    defaults: { isEnabled: true, duration: 'P30D' },
  },
  RolesAssignedOutsidePrivilegedIdentityManagementAlert: {
    type: 'RolesAssignedOutsidePrivilegedIdentityManagementAlert',
    displayName: 'Roles are being assigned outside of Privileged Identity Management',
    description:
      'Privileged access was given without Stint: a standing member was added to a role-assignable group through the directory instead of PIM for groups, or an AWS account assignment was made on a managed permission set outside Stint.',
    severityLevel: 'high',
    securityImpact: 'Access given outside Stint has no time limit, no justification, no approval and no activation record.',
    mitigationSteps:
      'Look at each assignment listed and remove it; give it again through Stint if it is needed. Fixing an incident removes that membership or AWS assignment.',
    howToPrevent: 'Give membership of role-assignable groups through PIM for groups, and AWS access only through Stint.',
    isConfigurable: true,
    isRemediatable: true,
    configurationType: 'rolesAssignedOutsidePrivilegedIdentityManagementAlertConfiguration',
    incidentType: 'rolesAssignedOutsidePrivilegedIdentityManagementAlertIncident',
    defaults: { isEnabled: true },
  },
  TooManyGlobalAdminsAssignedToTenantAlert: {
    type: 'TooManyGlobalAdminsAssignedToTenantAlert',
    displayName: 'There are too many Global Administrators',
    description: 'Both the number of Global Administrators and their share of everyone holding a directory role are above the set limits.',
    severityLevel: 'low',
    securityImpact: 'Global Administrator is the most powerful role: each extra holder widens what one stolen account can do.',
    mitigationSteps:
      'Look at each Global Administrator listed, remove the role from those who do not need it, and give others a less privileged role. Fixing an incident turns that active assignment into an eligible one.',
    howToPrevent: 'Give people the least privileged role that does their job, and make Global Administrators eligible rather than active.',
    isConfigurable: true,
    isRemediatable: true,
    configurationType: 'tooManyGlobalAdminsAssignedToTenantAlertConfiguration',
    incidentType: 'tooManyGlobalAdminsAssignedToTenantAlertIncident',
    defaults: { isEnabled: true, globalAdminCountThreshold: 3, percentageOfGlobalAdminsOutOfRolesThreshold: 10 },
  },
  SequentialActivationRenewalsAlert: {
    type: 'SequentialActivationRenewalsAlert',
    displayName: 'Roles are being activated too frequently',
    description: 'Someone activated the same privileged role more often than the set number of times within the set time frame.',
    severityLevel: 'low',
    securityImpact:
      'Many activations in a row can mean the activation is too short for the work, or that someone is scripting activations to keep standing access.',
    mitigationSteps: "Ask the people listed why they activate so often, and adjust the role's Activation maximum duration if the work needs longer.",
    howToPrevent: "Set each role's Activation maximum duration to what its work takes.",
    isConfigurable: true,
    isRemediatable: false,
    configurationType: 'sequentialActivationRenewalsAlertConfiguration',
    incidentType: 'sequentialActivationRenewalsAlertIncident',
    defaults: { isEnabled: true, sequentialActivationCounterThreshold: 10, timeIntervalBetweenActivations: 'PT1H' },
  },
};

/** Graph's ids: scope type, tenant and alert name, e.g. `DirectoryRole_stint_StaleSignInAlert`. */
export const alertIdOf = (type: AlertType): string => `${SCOPE_TYPE}_${TENANT_ID}_${type}`;

export function alertTypeOfId(id: string): AlertType | undefined {
  const prefix = `${SCOPE_TYPE}_${TENANT_ID}_`;
  const name = id.startsWith(prefix) ? id.slice(prefix.length) : undefined;
  return name && Object.hasOwn(ALERT_DEFINITIONS, name) ? (name as AlertType) : undefined;
}
