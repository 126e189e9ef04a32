/**
 * The weekly PIM digest email to administrators: the week's activations and new assignments, open alerts
 * by severity, approvals waiting for more than a day and access reviews in progress, each with a link to
 * the portal page where it is dealt with. Like every email, the links only show; acting takes a sign-in.
 */
import type { DigestFigures } from '../digest/figures.ts';
import { escapeHtml, formatTime, type RenderedEmail } from './render.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

interface Section {
  heading: string;
  lines: string[];
  link: { label: string; url: string };
}

function sections(f: DigestFigures, portal: string): Section[] {
  const alerts = f.openAlerts.high + f.openAlerts.medium + f.openAlerts.low;
  return [
    {
      heading: 'Activations',
      lines: [`${plural(f.activations.total, 'role activation')} in the last 7 days.`, ...f.activations.byRole.map((r) => `${r.roleDisplayName}: ${r.count}`)],
      link: { label: 'Discovery and insights', url: `${portal}/manage/insights` },
    },
    {
      heading: 'New assignments',
      lines: [
        `${plural(f.newAssignments.eligible, 'new eligible assignment')} and ${plural(f.newAssignments.active, 'new active assignment')} in the last 7 days.`,
      ],
      link: { label: 'Roles and assignments', url: `${portal}/manage/roles` },
    },
    {
      heading: 'Alerts',
      lines: [
        alerts === 0
          ? 'No open security alerts.'
          : `${plural(alerts, 'open security alert')}: ${f.openAlerts.high} high, ${f.openAlerts.medium} medium, ${f.openAlerts.low} low.`,
      ],
      link: { label: 'Alerts', url: `${portal}/manage/alerts` },
    },
    {
      heading: 'Pending approvals',
      lines: [
        f.pendingApprovals.total === 0
          ? 'No request has waited for approval for more than a day.'
          : `${plural(f.pendingApprovals.total, 'request has', 'requests have')} waited for approval for more than a day.`,
        ...f.pendingApprovals.oldest.map((r) => `${r.principalDisplayName}: ${r.roleDisplayName}, requested ${formatTime(r.createdDateTime)}`),
      ],
      link: { label: 'Approve requests', url: `${portal}/approve-requests` },
    },
    {
      heading: 'Access reviews due',
      lines:
        f.reviewsDue.length === 0
          ? ['No access review is in progress.']
          : [`${plural(f.reviewsDue.length, 'access review')} in progress:`, ...f.reviewsDue.map((r) => `${r.reviewName}: ends ${formatTime(r.endDateTime)}`)],
      link: { label: 'Access reviews', url: `${portal}/manage/access-reviews` },
    },
  ];
}

export function renderWeeklyDigest(f: DigestFigures, portalUrl: string): RenderedEmail {
  const portal = portalUrl.replace(/\/+$/, '');
  const parts = sections(f, portal);
  const lead = `Your weekly Privileged Identity Management digest for ${formatTime(f.periodStart)} to ${formatTime(f.periodEnd)}.`;
  const footer =
    'Stint Privileged Identity Management. You receive this because you are a Privileged Role Administrator or Global Administrator, or were added to the weekly digest.';
  const text = [
    lead,
    '',
    ...parts.flatMap((s) => [s.heading.toUpperCase(), ...s.lines.map((l) => `  ${l}`), `  ${s.link.label}: ${s.link.url}`, '']),
    footer,
  ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1b1b1b">',
    `<p>${escapeHtml(lead)}</p>`,
    ...parts.map(
      (s) =>
        `<h2 style="font-size:16px">${escapeHtml(s.heading)}</h2>\n` +
        `<ul>${s.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>\n` +
        `<p><a href="${escapeHtml(s.link.url)}">${escapeHtml(s.link.label)}</a></p>`,
    ),
    `<p style="color:#666;font-size:12px">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');
  const alerts = f.openAlerts.high > 0 ? `, ${plural(f.openAlerts.high, 'high alert')}` : '';
  return { subject: `PIM weekly digest ${f.week}: ${plural(f.activations.total, 'activation')}${alerts}`, html, text };
}
