/** The alerts API as the pages read it: always with Graph's required scope filter. */
import type { Api } from '../../api/client.ts';
import { ALERT_SCOPE, ALERTS, query } from '../../api/paths.ts';
import type { Alert } from '../../domain/alerts.ts';

export const alertPath = (id: string) => `${ALERTS}/alerts/${encodeURIComponent(id)}`;

export async function listAlerts(api: Api): Promise<Alert[]> {
  const page = await api.get<{ value: Alert[] }>(`${ALERTS}/alerts${query({ $filter: ALERT_SCOPE, $expand: 'alertDefinition,alertConfiguration' })}`);
  return page.value;
}

export function getAlert(api: Api, id: string): Promise<Alert> {
  return api.get<Alert>(`${alertPath(id)}${query({ $expand: 'alertDefinition,alertConfiguration' })}`);
}

/** A scan of every alert; the API answers when it is done, so the list read next is up to date. */
export function scanAll(api: Api): Promise<void> {
  return api.post(`${ALERTS}/alerts/refresh`, { scopeId: '/', scopeType: 'DirectoryRole' });
}
