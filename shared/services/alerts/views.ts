/** The alerts as Graph shows them (beta `unifiedRoleManagementAlert…` types), and the reads behind the API. */
import { effectiveConfigs } from '../../domain/alerts/configuration.ts';
import { ALERT_DEFINITIONS, alertIdOf, alertTypeOfId, SCOPE_ID, SCOPE_TYPE } from '../../domain/alerts/definitions.ts';
import { ALERT_TYPES, type AlertConfig, type AlertConfigs, type AlertType } from '../../domain/alerts/types.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { getIncident, incidentPage, readAlertRecords, type AlertRecords, type AlertState, type StoredIncident } from '../../store/alerts.ts';
import { requirePermission } from '../authorize.ts';
import type { Actor, Page, Services } from '../context.ts';

const scope = { scopeId: SCOPE_ID, scopeType: SCOPE_TYPE };

export function definitionView(type: AlertType) {
  const d = ALERT_DEFINITIONS[type];
  return {
    id: alertIdOf(type),
    displayName: d.displayName,
    description: d.description,
    severityLevel: d.severityLevel,
    securityImpact: d.securityImpact,
    mitigationSteps: d.mitigationSteps,
    howToPrevent: d.howToPrevent,
    isConfigurable: d.isConfigurable,
    isRemediatable: d.isRemediatable,
    ...scope,
  };
}

export function configurationView(type: AlertType, config: AlertConfig) {
  return {
    '@odata.type': `#microsoft.graph.${ALERT_DEFINITIONS[type].configurationType}`,
    id: alertIdOf(type),
    alertDefinitionId: alertIdOf(type),
    ...scope,
    ...config,
  };
}

export function incidentView(incident: StoredIncident) {
  return { '@odata.type': `#microsoft.graph.${ALERT_DEFINITIONS[incident.alertType].incidentType}`, id: incident.id, ...incident.properties };
}

export function alertView(state: AlertState) {
  return {
    id: alertIdOf(state.alertType),
    alertDefinitionId: alertIdOf(state.alertType),
    ...scope,
    incidentCount: state.incidentCount,
    isActive: state.isActive,
    lastModifiedDateTime: state.lastModifiedDateTime,
    lastScannedDateTime: state.lastScannedDateTime,
  };
}

export function requireAlertType(id: string): AlertType {
  const type = alertTypeOfId(id);
  if (!type) {
    throw new NotFoundError(`No alert has the id '${id.slice(0, 120)}'. The alerts are ${ALERT_TYPES.map(alertIdOf).join(', ')}.`);
  }
  return type;
}

/** Every alert's settings in force: its stored changes over Entra's defaults. */
export function settingsInForce(records: Pick<AlertRecords, 'configs'>): AlertConfigs {
  return effectiveConfigs(Object.fromEntries([...records.configs].map(([type, c]) => [type, c.data])));
}

export type AlertExpansion = 'alertDefinition' | 'alertConfiguration' | 'alertIncidents';

/** How many incidents `$expand=alertIncidents` shows; the rest are paged through `alerts/{id}/alertIncidents`. */
const EXPANDED_INCIDENTS = 100;

export async function readAlerts(svc: Services, actor: Actor, ids: AlertType[], expand: readonly AlertExpansion[]) {
  await requirePermission(svc, actor, 'alerts.read');
  const records = await readAlertRecords(svc.table);
  const { states } = records;
  const effective = settingsInForce(records);
  return Promise.all(
    ids.map(async (type) => {
      const view: Record<string, unknown> = alertView(states.get(type)!.data);
      if (expand.includes('alertDefinition')) view.alertDefinition = definitionView(type);
      if (expand.includes('alertConfiguration')) view.alertConfiguration = configurationView(type, effective[type]);
      if (expand.includes('alertIncidents')) view.alertIncidents = (await incidentPage(svc.table, type, EXPANDED_INCIDENTS)).items.map(incidentView);
      return view;
    }),
  );
}

export async function readConfigurations(svc: Services, actor: Actor, ids: AlertType[]) {
  await requirePermission(svc, actor, 'alerts.read');
  const effective = settingsInForce(await readAlertRecords(svc.table));
  return ids.map((type) => configurationView(type, effective[type]));
}

export async function readDefinitions(svc: Services, actor: Actor, ids: AlertType[]) {
  await requirePermission(svc, actor, 'alerts.read');
  return ids.map(definitionView);
}

export async function listIncidents(svc: Services, actor: Actor, type: AlertType, top: number, skipToken?: string): Promise<Page<Record<string, unknown>>> {
  await requirePermission(svc, actor, 'alerts.read');
  const listing = `alertIncidents:${type}`;
  const start = skipToken ? svc.pageTokens.decode<Record<string, unknown>>(listing, skipToken) : undefined;
  const page = await incidentPage(svc.table, type, top, start);
  return { items: page.items.map(incidentView), nextToken: page.next ? svc.pageTokens.encode(listing, page.next) : undefined };
}

export async function readIncident(svc: Services, actor: Actor, type: AlertType, incidentId: string) {
  await requirePermission(svc, actor, 'alerts.read');
  const found = await getIncident(svc.table, type, incidentId);
  if (!found) throw new NotFoundError(`The alert has no open incident '${incidentId.slice(0, 120)}': it was fixed, or its condition has gone.`);
  return incidentView(found);
}
