/**
 * Security alert emails, from an alert's state on the stream: an alert that becomes active is news once
 * (the evaluation writes it under a lease and conditioned on its version, so two scans make one change).
 * Entra emails the Privileged Role and Global Administrators about High alerts; every alert that fires
 * is also a domain event, so that integrations may watch the lower ones.
 */
import { ALERT_DEFINITIONS, alertIdOf } from '../alerts/definitions.ts';
import { ALERT_TYPES, type AlertType, type SeverityLevel } from '../alerts/types.ts';
import { escapeHtml, type RenderedEmail } from './render.ts';
import type { DomainEvent, StreamAlert } from './types.ts';

export interface AlertNotice {
  /** Stable per alert and firing (a retried stream record names the same notice). */
  id: string;
  alertType: AlertType;
  severity: SeverityLevel;
  incidentCount: number;
}

const isAlertType = (type: string): type is AlertType => (ALERT_TYPES as readonly string[]).includes(type);

export function classifyAlertChange(
  before: StreamAlert | undefined,
  after: StreamAlert | undefined,
  at: string,
): { notice: AlertNotice; event: DomainEvent } | undefined {
  if (!after?.isActive || before?.isActive || !isAlertType(after.alertType)) return undefined;
  const severity = ALERT_DEFINITIONS[after.alertType].severityLevel;
  const firedAt = after.lastModifiedDateTime ?? at;
  return {
    notice: { id: `alertTriggered:${after.alertType}:${firedAt}`, alertType: after.alertType, severity, incidentCount: after.incidentCount },
    event: {
      type: 'alertTriggered',
      time: at,
      detail: {
        alertId: alertIdOf(after.alertType),
        alertDefinitionId: alertIdOf(after.alertType),
        severityLevel: severity,
        incidentCount: after.incidentCount,
      },
    },
  };
}

export function alertLink(portalUrl: string, alertType: AlertType): string {
  return `${portalUrl.replace(/\/+$/, '')}/manage/alerts/${encodeURIComponent(alertIdOf(alertType))}`;
}

export function renderAlertEmail(notice: AlertNotice, link: string): RenderedEmail {
  const d = ALERT_DEFINITIONS[notice.alertType];
  const count = `${notice.incidentCount} incident${notice.incidentCount === 1 ? '' : 's'}`;
  const subject = `PIM alert (${d.severityLevel}): ${d.displayName}`;
  const lead = `Privileged Identity Management raised the ${d.severityLevel} severity alert "${d.displayName}" with ${count}.`;
  const footer = 'Stint Privileged Identity Management. You receive this because you are a Privileged Role Administrator or a Global Administrator.';
  const text = [lead, '', d.securityImpact, '', `What to do: ${d.mitigationSteps}`, '', `See the incidents: ${link}`, '', footer].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1b1b1b">',
    `<p><strong>${escapeHtml(lead)}</strong></p>`,
    `<p>${escapeHtml(d.securityImpact)}</p>`,
    `<p>What to do: ${escapeHtml(d.mitigationSteps)}</p>`,
    `<p><a href="${escapeHtml(link)}">See the incidents</a></p>`,
    `<p style="color:#666;font-size:12px">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, html, text };
}
