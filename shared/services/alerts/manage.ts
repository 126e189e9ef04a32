/** An administrator's changes to alerts: their settings, and dismissing one. Each is audited. */
import { applyConfigChange, effectiveConfigs } from '../../domain/alerts/configuration.ts';
import { ALERT_DEFINITIONS, alertIdOf } from '../../domain/alerts/definitions.ts';
import type { ConfigurationUpdate } from '../../contracts/alerts.ts';
import { BadRequestError } from '../../domain/errors.ts';
import type { AlertConfig, AlertType } from '../../domain/alerts/types.ts';
import { diffProperties } from '../../domain/audit.ts';
import { putAlertConfig, putAlertState, readAlertRecords } from '../../store/alerts.ts';
import { commitChange } from '../../store/transact.ts';
import { auditOf } from '../audit-writer.ts';
import { requirePermission } from '../authorize.ts';
import type { Actor, Services } from '../context.ts';
import { alertTarget } from './apply-findings.ts';
import { refreshAlerts } from './refresh.ts';
import { configurationView } from './views.ts';

/** A body may repeat what it does not change (a client sending back what it read), but must not contradict it. */
function settingsOfBody(type: AlertType, body: ConfigurationUpdate): Partial<AlertConfig> {
  const { '@odata.type': odataType, id, alertDefinitionId, scopeId: _scopeId, scopeType: _scopeType, ...change } = body;
  const expected = `#microsoft.graph.${ALERT_DEFINITIONS[type].configurationType}`;
  if (odataType !== undefined && odataType !== expected)
    throw new BadRequestError(`@odata.type must be '${expected}' for this alert's settings.`, 'InvalidAlertConfiguration');
  for (const [name, value] of [
    ['id', id],
    ['alertDefinitionId', alertDefinitionId],
  ] as const) {
    if (value !== undefined && value !== alertIdOf(type))
      throw new BadRequestError(`${name} '${value.slice(0, 120)}' is not this configuration's (${alertIdOf(type)}).`, 'InvalidAlertConfiguration');
  }
  return change;
}

/** Changes an alert's settings, then scans for that alert so that what it shows follows them at once. */
export async function updateConfiguration(svc: Services, actor: Actor, type: AlertType, body: ConfigurationUpdate) {
  await requirePermission(svc, actor, 'alerts.manage', { because: "an alert's settings decide what administrators are warned about" });
  const change = settingsOfBody(type, body);
  const { configs } = await readAlertRecords(svc.table);
  const stored = configs.get(type)!;
  const before = effectiveConfigs({ [type]: stored.data })[type];
  const after = applyConfigChange(type, before, change);
  const modified = diffProperties(before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>);
  if (modified.length > 0) {
    // Only what differs from Entra's defaults is kept, so a later change of a default still reaches untouched settings.
    const defaults = ALERT_DEFINITIONS[type].defaults as unknown as Record<string, unknown>;
    const kept = Object.fromEntries(Object.entries(after).filter(([key, value]) => defaults[key] !== value));
    const audit = auditOf(svc, actor, {
      category: 'RoleManagement',
      activity: 'Update PIM alert setting',
      operationType: 'Update',
      targets: [{ ...alertTarget(type), modifiedProperties: modified }],
    });
    await commitChange(svc.table, [putAlertConfig(type, kept, stored.version)], audit);
    // A scan under way already reads the new settings or is followed by the next; none is waited for.
    await refreshAlerts(svc, actor, { only: type });
  }
  return configurationView(type, after);
}

/** Hides the alert until a scan finds an incident that was not there when it was dismissed. */
export async function dismissAlert(svc: Services, actor: Actor, type: AlertType): Promise<void> {
  await requirePermission(svc, actor, 'alerts.manage', { because: 'a dismissed alert stops warning the other administrators' });
  const { states } = await readAlertRecords(svc.table);
  const state = states.get(type)!;
  const at = svc.clock.now().toISOString();
  const audit = auditOf(svc, actor, {
    category: 'RoleManagement',
    activity: 'Dismiss PIM alert',
    operationType: 'Update',
    targets: [{ ...alertTarget(type), modifiedProperties: state.data.isActive ? [{ displayName: 'isActive', oldValue: 'true', newValue: 'false' }] : [] }],
    details: { incidentCount: String(state.data.incidentCount) },
  });
  await commitChange(svc.table, [putAlertState({ ...state.data, isActive: false, dismissedDateTime: at, lastModifiedDateTime: at }, state.version)], audit);
}
