/**
 * Evaluation of PIM security alerts: pure, from a snapshot of the tenant (snapshot.ts), the alerts'
 * settings and the time. One evaluator per alert, each in its own file; a disabled alert finds nothing.
 * Incidents come out ordered by id, so two evaluations of the same snapshot are equal.
 */
import { evaluateGlobalAdmins } from './evaluate-global-admins.ts';
import { evaluateNoMfa } from './evaluate-no-mfa.ts';
import { evaluateOutsidePim } from './evaluate-outside-pim.ts';
import { evaluateRedundant } from './evaluate-redundant.ts';
import { evaluateSequential } from './evaluate-sequential.ts';
import { evaluateStaleSignIn } from './evaluate-stale-sign-in.ts';
import type { AlertSnapshot } from './snapshot.ts';
import { indexSnapshot, type SnapshotIndex } from './snapshot-index.ts';
import { ALERT_TYPES, type AlertConfig, type AlertConfigs, type AlertFindings, type AlertType, type Incident } from './types.ts';

const EVALUATORS: Record<AlertType, (index: SnapshotIndex, config: AlertConfig) => Incident[]> = {
  RedundantAssignmentAlert: evaluateRedundant,
  NoMfaOnRoleActivationAlert: evaluateNoMfa,
  StaleSignInAlert: evaluateStaleSignIn,
  RolesAssignedOutsidePrivilegedIdentityManagementAlert: evaluateOutsidePim,
  TooManyGlobalAdminsAssignedToTenantAlert: evaluateGlobalAdmins,
  SequentialActivationRenewalsAlert: evaluateSequential,
};

export function evaluateAlerts(snapshot: AlertSnapshot, configs: AlertConfigs, now: Date): AlertFindings {
  const index = indexSnapshot(snapshot, now);
  const findings = {} as AlertFindings;
  for (const type of ALERT_TYPES) {
    const config = configs[type];
    findings[type] = config?.isEnabled ? EVALUATORS[type](index, config).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) : [];
  }
  return findings;
}
