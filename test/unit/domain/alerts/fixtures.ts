/** Hand-built snapshots for the alert evaluators' tests, with the settings the tests pass explicitly. */
import { BUILTIN_ROLE_IDS, BUILTIN_ROLES } from '../../../../shared/domain/builtin-roles.ts';
import type { AlertActivation, AlertGroup, AlertPrincipal, AlertRole, AlertSchedule, AlertSnapshot } from '../../../../shared/domain/alerts/snapshot.ts';
import type { AlertConfigs } from '../../../../shared/domain/alerts/types.ts';

export const NOW = new Date('2026-06-30T12:00:00.000Z');
export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const GA = BUILTIN_ROLE_IDS.globalAdministrator;
export const PRA = BUILTIN_ROLE_IDS.privilegedRoleAdministrator;
/** Not privileged. */
export const READERS = BUILTIN_ROLE_IDS.directoryReaders;

export const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

export function configs(): AlertConfigs {
  return {
    RedundantAssignmentAlert: { isEnabled: true, duration: 'P30D' },
    NoMfaOnRoleActivationAlert: { isEnabled: true },
    StaleSignInAlert: { isEnabled: true, duration: 'P30D' },
    RolesAssignedOutsidePrivilegedIdentityManagementAlert: { isEnabled: true },
    TooManyGlobalAdminsAssignedToTenantAlert: { isEnabled: true, globalAdminCountThreshold: 3, percentageOfGlobalAdminsOutOfRolesThreshold: 10 },
    SequentialActivationRenewalsAlert: { isEnabled: true, sequentialActivationCounterThreshold: 10, timeIntervalBetweenActivations: 'PT1H' },
  };
}

/** Every built-in directory role, requiring MFA on activation as Entra's defaults do. */
export function directoryRoles(): AlertRole[] {
  return BUILTIN_ROLES.filter((r) => r.kind === 'directory').map((r) => ({
    id: r.id,
    templateId: r.templateId,
    displayName: r.displayName,
    isPrivileged: r.isPrivileged,
    requiresMfaOnActivation: true,
  }));
}

export function user(id: string, over: Partial<AlertPrincipal> = {}): AlertPrincipal {
  return { id, type: 'user', displayName: `User ${id}`, userPrincipalName: `${id}@contoso.test`, lastSignInDateTime: ago(DAY), ...over };
}

let counter = 0;

export function schedule(over: Partial<AlertSchedule> = {}): AlertSchedule {
  const created = over.createdDateTime ?? over.startDateTime ?? ago(100 * DAY);
  return {
    id: `sched-${++counter}`,
    kind: 'eligibility',
    principalId: 'usr_1',
    principalType: 'user',
    roleDefinitionId: PRA,
    directoryScopeId: '/',
    assignmentType: null,
    createdDateTime: created,
    startDateTime: created,
    endDateTime: null,
    activatedUsing: null,
    ...over,
  };
}

export const active = (over: Partial<AlertSchedule> = {}) => schedule({ kind: 'assignment', assignmentType: 'Assigned', ...over });

export function activation(over: Partial<AlertActivation> = {}): AlertActivation {
  return {
    requestId: `req-${++counter}`,
    principalId: 'usr_1',
    roleDefinitionId: PRA,
    directoryScopeId: '/',
    createdDateTime: ago(HOUR),
    activatedUsing: null,
    ...over,
  };
}

export function group(id: string, over: Partial<AlertGroup> = {}): AlertGroup {
  return { id, isAssignableToRole: true, standingMembers: [], pimMembers: [], ...over };
}

export function snapshot(over: Partial<AlertSnapshot> = {}): AlertSnapshot {
  return {
    roles: directoryRoles(),
    principals: [],
    schedules: [],
    groups: [],
    activations: [],
    lastActivationByEligibility: {},
    outsideAwsAssignments: [],
    ...over,
  };
}
