/**
 * Emails the Privileged Role and Global Administrators (now, also through groups) when a High alert
 * fires, once per address however often the stream record is retried. Lower alerts are events only. A send
 * that keeps failing is reported (metric and NotificationFailed audit record) as every email's is.
 */
import { ALERT_DEFINITIONS, alertIdOf } from '../../domain/alerts/definitions.ts';
import { alertLink, renderAlertEmail, type AlertNotice } from '../../domain/notifications/alert-notices.ts';
import { fallbackApproverIds } from '../roles/approvals/approvers.ts';
import type { DeliveryDeps } from './deliver.ts';
import { mailAddresses } from './directory-lookups.ts';
import { reportDeliveryFailure } from './failure-report.ts';
import { sendToEach } from './send-once.ts';

export async function deliverAlertNotice(deps: DeliveryDeps, notice: AlertNotice, correlationId: string): Promise<{ recipients: number; failed: number }> {
  if (notice.severity !== 'high') return { recipients: 0, failed: 0 };
  const svc = deps.services;
  const ids = await fallbackApproverIds(svc, svc.clock.now());
  const addresses = [...new Set((await mailAddresses(svc.table, ids)).values())];
  const email = renderAlertEmail(notice, alertLink(deps.portalUrl, notice.alertType));
  const errors = await sendToEach(deps, correlationId, notice.id, addresses, email);
  deps.writeLog(JSON.stringify({ level: 'INFO', message: 'alert notice processed', eventId: notice.id, recipients: addresses.length, failed: errors.length }));
  if (errors.length > 0) {
    const alert = { alertId: alertIdOf(notice.alertType), displayName: ALERT_DEFINITIONS[notice.alertType].displayName };
    await reportDeliveryFailure(
      { table: svc.table, clock: svc.clock, writeLog: deps.writeLog },
      { event: { id: notice.id, kind: 'alertTriggered', alert }, recipientCount: addresses.length, failedCount: errors.length, error: errors[0]! },
      correlationId,
    );
  }
  return { recipients: addresses.length, failed: errors.length };
}
