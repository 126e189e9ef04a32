/**
 * PIM security alerts under /beta/identityGovernance/roleManagementAlerts/ (Graph beta): the alerts with
 * their incidents, definitions and configurations, and the actions refresh, dismiss and remediate.
 */
import * as z from 'zod';
import { route, type RouteSpec } from '../../http/route.ts';
import {
  alertCollection,
  alertConfigurationCollection,
  alertConfigurationSchema,
  alertDefinitionCollection,
  alertDefinitionSchema,
  alertEntityQuery,
  alertIncidentCollection,
  alertIncidentSchema,
  alertSchema,
  alertUpdateSchema,
  configurationUpdateSchema,
  incidentListQuery,
  refreshBodySchema,
  scopedListQuery,
} from '../alerts.ts';
import { entityQuery, idParam } from '../common.ts';

export const ALERTS_BASE = '/beta/identityGovernance/roleManagementAlerts';
const B = ALERTS_BASE;

const common = { lambda: 'insights' as const, tag: 'alerts' };
const one = z.strictObject({ id: idParam });
const incident = z.strictObject({ id: idParam, incidentId: idParam });

export const alertRoutes = {
  listAlerts: route({
    ...common,
    id: 'alerts.list',
    method: 'GET',
    path: `${B}/alerts`,
    summary: "List PIM's security alerts for directory roles ($expand alertDefinition, alertConfiguration, alertIncidents)",
    query: scopedListQuery,
    response: alertCollection,
    status: 200,
  }),
  refreshAll: route({
    ...common,
    id: 'alerts.refresh',
    method: 'POST',
    path: `${B}/alerts/refresh`,
    summary: 'Scan the tenant now and bring every alert up to date',
    body: refreshBodySchema,
    status: 204,
  }),
  getAlert: route({
    ...common,
    id: 'alerts.get',
    method: 'GET',
    path: `${B}/alerts/{id}`,
    summary: 'Get an alert',
    params: one,
    query: alertEntityQuery,
    response: alertSchema,
    status: 200,
  }),
  updateAlert: route({
    ...common,
    id: 'alerts.update',
    method: 'PATCH',
    path: `${B}/alerts/{id}`,
    summary: 'Dismiss an alert (isActive: false)',
    params: one,
    body: alertUpdateSchema,
    status: 204,
  }),
  refreshAlert: route({
    ...common,
    id: 'alerts.refreshOne',
    method: 'POST',
    path: `${B}/alerts/{id}/refresh`,
    summary: 'Scan the tenant now for one alert',
    params: one,
    status: 204,
  }),
  dismissAlert: route({
    ...common,
    id: 'alerts.dismiss',
    method: 'POST',
    path: `${B}/alerts/{id}/dismiss`,
    summary: 'Dismiss an alert until a scan finds a new incident',
    params: one,
    status: 204,
  }),
  listIncidents: route({
    ...common,
    id: 'alerts.incidents.list',
    method: 'GET',
    path: `${B}/alerts/{id}/alertIncidents`,
    summary: "List an alert's incidents",
    params: one,
    query: incidentListQuery,
    response: alertIncidentCollection,
    status: 200,
  }),
  getIncident: route({
    ...common,
    id: 'alerts.incidents.get',
    method: 'GET',
    path: `${B}/alerts/{id}/alertIncidents/{incidentId}`,
    summary: 'Get an incident of an alert',
    params: incident,
    query: entityQuery,
    response: alertIncidentSchema,
    status: 200,
  }),
  remediate: route({
    ...common,
    id: 'alerts.incidents.remediate',
    method: 'POST',
    path: `${B}/alerts/{id}/alertIncidents/{incidentId}/remediate`,
    summary: "Fix an incident as the alert's mitigation says (through the audited paths)",
    params: incident,
    status: 204,
  }),
  listDefinitions: route({
    ...common,
    id: 'alerts.definitions.list',
    method: 'GET',
    path: `${B}/alertDefinitions`,
    summary: 'List the alert definitions',
    query: scopedListQuery,
    response: alertDefinitionCollection,
    status: 200,
  }),
  getDefinition: route({
    ...common,
    id: 'alerts.definitions.get',
    method: 'GET',
    path: `${B}/alertDefinitions/{id}`,
    summary: 'Get an alert definition',
    params: one,
    query: entityQuery,
    response: alertDefinitionSchema,
    status: 200,
  }),
  listConfigurations: route({
    ...common,
    id: 'alerts.configurations.list',
    method: 'GET',
    path: `${B}/alertConfigurations`,
    summary: "List the alerts' settings",
    query: scopedListQuery,
    response: alertConfigurationCollection,
    status: 200,
  }),
  getConfiguration: route({
    ...common,
    id: 'alerts.configurations.get',
    method: 'GET',
    path: `${B}/alertConfigurations/{id}`,
    summary: "Get an alert's settings",
    params: one,
    query: entityQuery,
    response: alertConfigurationSchema,
    status: 200,
  }),
  updateConfiguration: route({
    ...common,
    id: 'alerts.configurations.update',
    method: 'PATCH',
    path: `${B}/alertConfigurations/{id}`,
    summary: "Change an alert's settings (enabled, thresholds)",
    params: one,
    body: configurationUpdateSchema,
    response: alertConfigurationSchema,
    status: 200,
  }),
};

export const ALERT_ROUTES: RouteSpec[] = Object.values(alertRoutes) as RouteSpec[];
