import { alertRoutes as r } from '../../../shared/contracts/routes/alerts.ts';
import { alertIdOf } from '../../../shared/domain/alerts/definitions.ts';
import { parseAlertFilter, type AlertListFilter } from '../../../shared/domain/alerts/scope-filter.ts';
import { ALERT_TYPES, type AlertType } from '../../../shared/domain/alerts/types.ts';
import { BadRequestError } from '../../../shared/domain/errors.ts';
import { actorOf } from '../../../shared/http/actor.ts';
import { implement, type BoundRoute } from '../../../shared/http/api-handler.ts';
import { applySelect, nextLink, noContent, ok, type RequestInfo } from '../../../shared/http/responses.ts';
import { dismissAlert, updateConfiguration } from '../../../shared/services/alerts/manage.ts';
import { scanNow } from '../../../shared/services/alerts/refresh.ts';
import { remediateIncident } from '../../../shared/services/alerts/remediate.ts';
import {
  listIncidents,
  readAlerts,
  readConfigurations,
  readDefinitions,
  readIncident,
  requireAlertType,
  type AlertExpansion,
} from '../../../shared/services/alerts/views.ts';

const BASE = 'identityGovernance/roleManagementAlerts';
const EXPANSIONS: readonly AlertExpansion[] = ['alertDefinition', 'alertConfiguration', 'alertIncidents'];
const TOP = 100;

const context = (info: RequestInfo, fragment: string) => `${info.baseUrl}/beta/$metadata#${BASE}/${fragment}`;

function expansions(expand: string | undefined): AlertExpansion[] {
  if (!expand) return [];
  const names = expand
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !EXPANSIONS.includes(n as AlertExpansion));
  if (unknown.length > 0) throw new BadRequestError(`$expand can name ${EXPANSIONS.join(', ')}; not ${unknown.join(', ')}.`, 'Request_UnsupportedQuery');
  return names as AlertExpansion[];
}

/** The alert types a list's filter keeps (all six, or the one its definition id names). */
function typesOf(filter: AlertListFilter): AlertType[] {
  return filter.alertDefinitionId ? ALERT_TYPES.filter((t) => alertIdOf(t) === filter.alertDefinitionId) : [...ALERT_TYPES];
}

function list(info: RequestInfo, fragment: string, items: object[], select?: string) {
  return ok({ '@odata.context': context(info, fragment), value: items.map((i) => applySelect(i, select)) });
}

function one(info: RequestInfo, fragment: string, item: object, select?: string) {
  return ok({ '@odata.context': context(info, `${fragment}/$entity`), ...applySelect(item, select) });
}

export const alertRouteImpls: BoundRoute[] = [
  implement(r.listAlerts, async (ctx) => {
    const filter = parseAlertFilter(ctx.query.$filter, true);
    const views = await readAlerts(ctx.services, actorOf(ctx), typesOf(filter), expansions(ctx.query.$expand));
    return list(
      ctx.info,
      'alerts',
      views.filter((v) => filter.isActive === undefined || v.isActive === filter.isActive),
      ctx.query.$select,
    );
  }),
  implement(r.getAlert, async (ctx) => {
    const [view] = await readAlerts(ctx.services, actorOf(ctx), [requireAlertType(ctx.params.id)], expansions(ctx.query.$expand));
    return one(ctx.info, 'alerts', view!, ctx.query.$select);
  }),
  implement(r.updateAlert, async (ctx) => {
    await dismissAlert(ctx.services, actorOf(ctx), requireAlertType(ctx.params.id));
    return noContent();
  }),
  implement(r.dismissAlert, async (ctx) => {
    await dismissAlert(ctx.services, actorOf(ctx), requireAlertType(ctx.params.id));
    return noContent();
  }),
  implement(r.refreshAll, async (ctx) => {
    await scanNow(ctx.services, actorOf(ctx));
    return noContent();
  }),
  implement(r.refreshAlert, async (ctx) => {
    await scanNow(ctx.services, actorOf(ctx), requireAlertType(ctx.params.id));
    return noContent();
  }),
  implement(r.listIncidents, async (ctx) => {
    const type = requireAlertType(ctx.params.id);
    const page = await listIncidents(ctx.services, actorOf(ctx), type, ctx.query.$top ?? TOP, ctx.query.$skiptoken);
    const body: Record<string, unknown> = {
      '@odata.context': context(ctx.info, `alerts('${ctx.params.id}')/alertIncidents`),
      value: page.items.map((i) => applySelect(i, ctx.query.$select)),
    };
    if (page.nextToken) body['@odata.nextLink'] = nextLink(ctx.info, page.nextToken);
    return ok(body);
  }),
  implement(r.getIncident, async (ctx) =>
    one(
      ctx.info,
      `alerts('${ctx.params.id}')/alertIncidents`,
      await readIncident(ctx.services, actorOf(ctx), requireAlertType(ctx.params.id), ctx.params.incidentId),
      ctx.query.$select,
    ),
  ),
  implement(r.remediate, async (ctx) => {
    await remediateIncident(ctx.services, actorOf(ctx), requireAlertType(ctx.params.id), ctx.params.incidentId);
    return noContent();
  }),
  implement(r.listDefinitions, async (ctx) => {
    const filter = parseAlertFilter(ctx.query.$filter, false);
    if (ctx.query.$expand) throw new BadRequestError('Alert definitions have nothing to $expand.', 'Request_UnsupportedQuery');
    return list(ctx.info, 'alertDefinitions', await readDefinitions(ctx.services, actorOf(ctx), typesOf(filter)), ctx.query.$select);
  }),
  implement(r.getDefinition, async (ctx) => {
    const [view] = await readDefinitions(ctx.services, actorOf(ctx), [requireAlertType(ctx.params.id)]);
    return one(ctx.info, 'alertDefinitions', view!, ctx.query.$select);
  }),
  implement(r.listConfigurations, async (ctx) => {
    const filter = parseAlertFilter(ctx.query.$filter, false);
    if (ctx.query.$expand) throw new BadRequestError('Alert configurations have nothing to $expand.', 'Request_UnsupportedQuery');
    return list(ctx.info, 'alertConfigurations', await readConfigurations(ctx.services, actorOf(ctx), typesOf(filter)), ctx.query.$select);
  }),
  implement(r.getConfiguration, async (ctx) => {
    const [view] = await readConfigurations(ctx.services, actorOf(ctx), [requireAlertType(ctx.params.id)]);
    return one(ctx.info, 'alertConfigurations', view!, ctx.query.$select);
  }),
  implement(r.updateConfiguration, async (ctx) => {
    const type = requireAlertType(ctx.params.id);
    const view = await updateConfiguration(ctx.services, actorOf(ctx), type, ctx.body);
    return one(ctx.info, 'alertConfigurations', view);
  }),
];
