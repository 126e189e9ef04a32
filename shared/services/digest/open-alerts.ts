/**
 * Open PIM security alerts by severity, for the weekly digest: the alerts active now (raised by the last
 * scan and not dismissed), each counted once under its definition's severity.
 */
import { ALERT_DEFINITIONS } from '../../domain/alerts/definitions.ts';
import type { AlertCounts } from '../../domain/digest/figures.ts';
import { readAlertRecords } from '../../store/alerts.ts';
import type { Services } from '../context.ts';

export async function openAlertCounts(svc: Services): Promise<AlertCounts> {
  const counts: AlertCounts = { high: 0, medium: 0, low: 0 };
  const { states } = await readAlertRecords(svc.table);
  for (const [type, state] of states) if (state.data.isActive) counts[ALERT_DEFINITIONS[type].severityLevel]++;
  return counts;
}
