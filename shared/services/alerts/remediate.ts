/**
 * Fixing an incident does what Entra's fix does, through the path an administrator's own change takes
 * (a role request, a policy rule change, a group membership removal), as the administrator, so that
 * every rule of that path holds: their own powers, the last Global Administrator, the audit trail. The
 * incident is then closed and the alert's count moved in one transaction; the next scan confirms it.
 */
import { ALERT_DEFINITIONS } from '../../domain/alerts/definitions.ts';
import type { AlertType, Remedy } from '../../domain/alerts/types.ts';
import { BadRequestError, NotFoundError } from '../../domain/errors.ts';
import { TENANT_SCOPE } from '../../domain/scope.ts';
import { allIncidents, deleteIncidentWrite, getIncident, putAlertState, readAlertRecords, type AlertState, type StoredIncident } from '../../store/alerts.ts';
import { deleteOutsideAssignment, listOutsideAssignments } from '../../store/aws-outside.ts';
import { commitChange } from '../../store/transact.ts';
import { auditOf } from '../audit-writer.ts';
import { requirePermission } from '../authorize.ts';
import type { Actor, Services } from '../context.ts';
import { removeGroupMember } from '../directory/groups.ts';
import { ACCESS_KINDS } from '../roles/access-kinds/by-name.ts';
import { getPolicyRule } from '../roles/policies/effective-policy.ts';
import { policyIdFor } from '../roles/policies/policy-ids.ts';
import { updatePolicyRule } from '../roles/policies/update-policy-rule.ts';
import { submitRoleRequest } from '../roles/requests/submit-request.ts';
import { convertToEligible } from '../insights/convert-to-eligible.ts';
import { alertTarget, isActiveNow } from './apply-findings.ts';
import { refreshAlerts } from './refresh.ts';

const MFA = 'MultiFactorAuthentication';

async function requireMfaOnActivation(svc: Services, actor: Actor, roleDefinitionId: string): Promise<string> {
  await requirePermission(svc, actor, 'policies.manage', { because: "requiring MFA changes the role's settings" });
  const policyId = policyIdFor(roleDefinitionId, TENANT_SCOPE);
  const rule = (await getPolicyRule(svc, policyId, 'Enablement_EndUser_Assignment')) as { enabledRules?: string[]; target: unknown; '@odata.type': string };
  const enabled = rule.enabledRules ?? [];
  if (enabled.includes(MFA)) return 'The role already requires multifactor authentication on activation.';
  await updatePolicyRule(svc, actor, policyId, 'Enablement_EndUser_Assignment', {
    '@odata.type': rule['@odata.type'],
    id: 'Enablement_EndUser_Assignment',
    enabledRules: [...enabled, MFA],
    target: rule.target,
  });
  return 'Multifactor authentication is now required on activation.';
}

async function removeAwsAssignment(svc: Services, actor: Actor, remedy: Extract<Remedy, { kind: 'removeAwsAssignment' }>): Promise<string> {
  if (!svc.aws)
    throw new BadRequestError('AWS access is not connected, so Stint cannot remove this AWS assignment; remove it in IAM Identity Center.', 'AwsNotConnected');
  await requirePermission(svc, actor, 'roleAssignments.manage', { because: 'removing an AWS account assignment is changing who holds that access' });
  const key = { accountId: remedy.accountId, permissionSetId: remedy.permissionSetId, userId: remedy.identityStoreUserId };
  const item = (await listOutsideAssignments(svc.table)).find(
    (o) => o.accountId === key.accountId && o.permissionSetId === key.permissionSetId && o.userId === key.userId,
  );
  if (!item) throw new NotFoundError('This AWS assignment is no longer reported as made outside Stint: it was removed, or Stint granted it since.');
  const op = await svc.aws.center.deleteAssignment({ accountId: item.accountId, permissionSetArn: item.permissionSetArn, userId: item.userId });
  const audit = auditOf(svc, actor, {
    category: 'RoleManagement',
    activity: 'Remove AWS account assignment made outside Stint',
    operationType: 'Unassign',
    targets: [{ id: item.permissionSetId, displayName: item.permissionSetArn, type: 'Role', modifiedProperties: [] }],
    details: { accountId: item.accountId, identityStoreUserId: item.userId, requestId: op.requestId, status: op.status },
  });
  await commitChange(svc.table, [], audit);
  await deleteOutsideAssignment(svc.table, item);
  return `The AWS account assignment is being deleted (Identity Center request ${op.requestId}, ${op.status}).`;
}

async function apply(svc: Services, actor: Actor, alertName: string, remedy: Remedy): Promise<string> {
  const justification = `Fixing the PIM alert '${alertName}'`;
  switch (remedy.kind) {
    case 'removeAssignment': {
      const { request } = await submitRoleRequest(
        svc,
        actor,
        remedy.scheduleKind,
        {
          action: { sent: 'adminRemove', canonical: 'adminRemove' },
          principalId: remedy.principalId,
          roleDefinitionId: remedy.roleDefinitionId,
          directoryScopeId: remedy.directoryScopeId,
          justification,
        },
        { access: ACCESS_KINDS.role },
      );
      return `Removed by request ${request.id}.`;
    }
    case 'convertToEligible': {
      const converted = await convertToEligible(svc, actor, remedy.scheduleId);
      return `The active assignment was removed; the assignee is now eligible${converted.eligibilityScheduleId ? ` (${converted.eligibilityScheduleId})` : ''}.`;
    }
    case 'requireMfa':
      return requireMfaOnActivation(svc, actor, remedy.roleDefinitionId);
    case 'removeGroupMember':
      await removeGroupMember(svc, actor, remedy.groupId, remedy.memberId);
      return 'Removed from the group.';
    case 'removeAwsAssignment':
      return removeAwsAssignment(svc, actor, remedy);
  }
}

/**
 * Whether the alert is still active once this incident is closed. Only an alert active again after a
 * dismissal needs its other incidents read (is another one newer than the dismissal?); otherwise the count says it.
 */
async function staysActive(svc: Services, state: AlertState, closing: string, left: number): Promise<boolean> {
  if (!state.isActive || left === 0) return false;
  if (state.dismissedDateTime === null) return true;
  return isActiveNow(
    state,
    (await allIncidents(svc.table, state.alertType)).filter((i) => i.id !== closing),
  );
}

/** Closes the incident and counts it out of its alert, with the record of the fix. */
async function closeIncident(svc: Services, actor: Actor, incident: StoredIncident, outcome: string): Promise<void> {
  const type = incident.alertType;
  for (let attempt = 0; ; attempt++) {
    const state = (await readAlertRecords(svc.table)).states.get(type)!;
    const left = Math.max(0, state.data.incidentCount - 1);
    const at = svc.clock.now().toISOString();
    const audit = auditOf(svc, actor, {
      category: 'RoleManagement',
      activity: 'Remediate PIM alert incident',
      operationType: 'Update',
      targets: [alertTarget(type)],
      details: { incidentId: incident.id, outcome, ...Object.fromEntries(Object.entries(incident.properties).map(([k, v]) => [k, String(v)])) },
    });
    const after = { ...state.data, incidentCount: left, isActive: await staysActive(svc, state.data, incident.id, left), lastModifiedDateTime: at };
    try {
      await commitChange(svc.table, [deleteIncidentWrite(type, incident.id), putAlertState(after, state.version)], audit);
      return;
    } catch (error) {
      // A scan moved the alert meanwhile: count again. The incident gone is the scan's doing, and fine.
      if (error instanceof NotFoundError) return;
      if (attempt < 4) continue;
      throw error;
    }
  }
}

/** A fix acts on what is true now: an incident last confirmed longer ago than this is confirmed by a scan first. */
const FRESH_MS = 5 * 60_000;

async function confirmedIncident(svc: Services, actor: Actor, type: AlertType, incidentId: string): Promise<StoredIncident | undefined> {
  const scanned = (await readAlertRecords(svc.table)).states.get(type)!.data.lastScannedDateTime;
  if (!scanned || svc.clock.now().getTime() - Date.parse(scanned) > FRESH_MS) await refreshAlerts(svc, actor, { only: type, wait: true });
  return getIncident(svc.table, type, incidentId);
}

export async function remediateIncident(svc: Services, actor: Actor, type: AlertType, incidentId: string): Promise<void> {
  await requirePermission(svc, actor, 'alerts.manage', { because: 'fixing an alert changes who holds privileged access or how it is granted' });
  const definition = ALERT_DEFINITIONS[type];
  const incident = await confirmedIncident(svc, actor, type, incidentId);
  if (!incident) throw new NotFoundError(`The alert has no open incident '${incidentId.slice(0, 120)}': it was fixed, or its condition has gone.`);
  if (!definition.isRemediatable || !incident.remedy) {
    throw new BadRequestError(
      `Incidents of '${definition.displayName}' cannot be fixed automatically. ${definition.mitigationSteps}`,
      'AlertIncidentNotRemediable',
    );
  }
  const outcome = await apply(svc, actor, definition.displayName, incident.remedy);
  await closeIncident(svc, actor, incident, outcome);
}
