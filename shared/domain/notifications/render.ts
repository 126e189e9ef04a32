/**
 * The emails, as HTML and plain text. Every value that a person typed (names, justifications, custom
 * role names, ticket numbers) is escaped in the HTML and stripped of line breaks in the subject.
 * Every email links to the request's page in the portal (approvers: its approval page). A link only
 * opens a page: it carries no action and no secret, because mail scanners follow links (docs/architecture.md §4).
 */
import type { NotificationEvent, RecipientType } from './types.ts';

export interface RenderContext {
  portalUrl: string;
  roleName: string;
  principalName: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** One line, no control characters: a subject is a header, and a header must not be split. */
function oneLine(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex -- control characters are exactly what this strips
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

export function requestLink(portalUrl: string, requestId: string, audience: RecipientType): string {
  const page = audience === 'Approver' ? 'approvals' : 'requests';
  return `${portalUrl.replace(/\/+$/, '')}/${page}/${encodeURIComponent(requestId)}`;
}

const DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' });

export function formatTime(iso: string | null): string {
  if (!iso) return 'no end (permanent)';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${DATE.format(new Date(t))} UTC`;
}

function scopeText(scope: string): string {
  return scope === '/' ? 'the whole directory (/)' : scope;
}

interface Content {
  subject: string;
  /** Sentences before the details. */
  lead: string;
  button: string;
}

function assignmentWord(e: NotificationEvent): string {
  if (e.scheduleKind === 'eligibility') return 'eligible assignment';
  return e.rule.caller === 'EndUser' ? 'activation' : 'active assignment';
}

function actionWord(e: NotificationEvent): string {
  if (e.action === 'selfExtend') return 'extension';
  if (e.action === 'selfRenew') return 'renewal';
  if (e.action === 'selfActivate') return 'activation';
  return 'request';
}

function contentOf(e: NotificationEvent, to: RecipientType, role: string, who: string): Content {
  const mine = to === 'Requestor';
  const kind = e.scheduleKind === 'eligibility' ? 'eligible for' : 'assigned';
  switch (e.kind) {
    case 'assigned':
      return mine
        ? {
            subject: `You are now ${kind} ${role}`,
            lead:
              e.scheduleKind === 'eligibility'
                ? `An administrator has made you eligible for the role ${role}: activate it when you need it.`
                : `An administrator has assigned you the role ${role} (active).`,
            button: 'View the request',
          }
        : {
            subject: `${who} is now ${kind} ${role}`,
            lead:
              e.scheduleKind === 'eligibility' ? `${who} has been made eligible for the role ${role}.` : `${who} has been assigned the role ${role} (active).`,
            button: 'View the request',
          };
    case 'assignmentChanged': {
      const verb = e.action === 'adminExtend' ? 'extended' : e.action === 'adminRenew' ? 'renewed' : 'updated';
      // A request made with a duration names no end date; the request's page shows the new window.
      const until = e.endDateTime ? ` It now ends on ${formatTime(e.endDateTime)}.` : '';
      const what = e.scheduleKind === 'eligibility' ? 'eligibility for' : 'active assignment of';
      return mine
        ? {
            subject: `Your ${what} ${role} was ${verb}`,
            lead: `An administrator has ${verb} your ${what} the role ${role}.${until}`,
            button: 'View the request',
          }
        : {
            subject: `${who}'s ${what} ${role} was ${verb}`,
            lead: `The ${what} the role ${role} held by ${who} has been ${verb}.${until}`,
            button: 'View the request',
          };
    }
    case 'activated':
      return mine
        ? { subject: `You activated ${role}`, lead: `Your activation of ${role} is in place until ${formatTime(e.endDateTime)}.`, button: 'View your request' }
        : { subject: `${who} activated ${role}`, lead: `${who} has activated the role ${role}.`, button: 'View the request' };
    case 'approvalRequested':
      return {
        subject: `Approval needed: ${who} requests ${role}`,
        lead: `${who} asks to activate ${role}. Please approve or deny the request.`,
        button: 'Review the request',
      };
    case 'extensionRequested': {
      const verb = e.action === 'selfRenew' ? 'renew' : 'extend';
      return {
        subject: `Approval needed: ${who} asks to ${verb} ${role}`,
        lead: `${who} asks to ${verb} their ${assignmentWord(e)} of ${role}. Please approve or deny the request.`,
        button: 'Review the request',
      };
    }
    case 'approved':
    case 'denied': {
      const verdict = e.kind;
      const by = e.decision?.by.length ? ` by ${e.decision.by.join(', ')}` : '';
      const failed = e.status === 'Failed' ? ' It could not be carried out, however: the assignment it depends on has ended or changed.' : '';
      return mine
        ? {
            subject: `Your ${actionWord(e)} of ${role} was ${verdict}`,
            lead: `Your ${actionWord(e)} request for ${role} was ${verdict}${by}.${verdict === 'approved' ? failed : ''}`,
            button: 'View your request',
          }
        : {
            subject: `Decided: ${who}'s request for ${role} was ${verdict}`,
            lead: `The request of ${who} for ${role} was ${verdict}${by}. Nothing more is needed from you.`,
            button: 'View the request',
          };
    }
    case 'approvalTimedOut':
      return {
        subject: `Your request for ${role} expired without a decision`,
        lead: `No approver decided your ${actionWord(e)} request for ${role} in time, so it has expired. You can make a new request.`,
        button: 'View your request',
      };
    case 'approvalCanceled':
      return {
        subject: `Cancelled: ${who}'s request for ${role}`,
        lead: `${who} cancelled the ${actionWord(e)} request for ${role} that was waiting for your approval. Nothing is needed from you.`,
        button: 'View the request',
      };
    case 'approvalReminder':
      return {
        subject: `Reminder: ${who}'s request for ${role} awaits your approval`,
        lead: `${who}'s request for ${role} is still waiting for a decision.`,
        button: 'Review the request',
      };
    case 'expiringSoon': {
      const when = e.daysLeft === 1 ? 'tomorrow' : `in ${e.daysLeft ?? 14} days`;
      return mine
        ? {
            subject: `Your ${assignmentWord(e)} of ${role} expires ${when}`,
            lead: `Your ${assignmentWord(e)} of ${role} ends on ${formatTime(e.endDateTime)}. Ask to extend it if you still need it.`,
            button: 'View the assignment',
          }
        : {
            subject: `${who}'s ${assignmentWord(e)} of ${role} expires ${when}`,
            lead: `The ${assignmentWord(e)} of ${role} held by ${who} ends on ${formatTime(e.endDateTime)}.`,
            button: 'View the assignment',
          };
    }
    case 'provisioningFailed': {
      const why = e.failureReason ? ` AWS said: ${e.failureReason}` : '';
      return mine
        ? {
            subject: `Your access to ${role} could not be granted`,
            lead: `AWS IAM Identity Center could not give you ${role}.${why} Nothing is active; try again later or ask an administrator.`,
            button: 'View your request',
          }
        : {
            subject: `AWS access for ${who} failed: ${role}`,
            lead: `AWS IAM Identity Center could not give ${who} the role ${role}.${why}`,
            button: 'View the request',
          };
    }
    case 'assignedOutsidePim':
      return {
        subject: `AWS access granted outside Stint: ${who} has ${role} in ${e.directoryScopeId}`,
        lead:
          `Stint's reconciler found an IAM Identity Center account assignment that Stint never granted: ${who} has the permission set ${role} ` +
          `in ${e.directoryScopeId}. Someone assigned it directly in AWS, around Stint's approvals and audit. ` +
          'Check who made it (CloudTrail: CreateAccountAssignment) and remove it unless it is expected; with STINT_AWS_REMOVE_UNMANAGED=true Stint removes such assignments itself.',
        button: 'Open the audit log',
      };
    case 'expired':
      return mine
        ? {
            subject: `Your ${assignmentWord(e)} of ${role} has expired`,
            lead: `Your ${assignmentWord(e)} of ${role} ended on ${formatTime(e.endDateTime)}. You can ask to renew it within 30 days.`,
            button: 'View the assignment',
          }
        : {
            subject: `${who}'s ${assignmentWord(e)} of ${role} has expired`,
            lead: `The ${assignmentWord(e)} of ${role} held by ${who} ended on ${formatTime(e.endDateTime)}.`,
            button: 'View the assignment',
          };
  }
}

function details(e: NotificationEvent, ctx: RenderContext): [string, string][] {
  const rows: [string, string | null | undefined][] = [
    ['Role', ctx.roleName],
    ['Principal', ctx.principalName],
    ['Scope', scopeText(e.directoryScopeId)],
    ['Start', e.startDateTime ? formatTime(e.startDateTime) : null],
    ['End', e.startDateTime || e.endDateTime ? formatTime(e.endDateTime) : null],
    ['Requested by', e.requestedBy && e.requestedBy !== ctx.principalName ? e.requestedBy : null],
    ['Justification', e.justification],
    ['Ticket', e.ticketNumber],
    ['Approver’s reason', e.decision?.justification],
  ];
  return rows.filter((r): r is [string, string] => typeof r[1] === 'string' && r[1].length > 0);
}

export function renderEmail(event: NotificationEvent, audience: RecipientType, ctx: RenderContext): RenderedEmail {
  const role = oneLine(ctx.roleName);
  const who = oneLine(ctx.principalName);
  const content = contentOf(event, audience, role, who);
  const link = event.linkPath ? `${ctx.portalUrl.replace(/\/+$/, '')}${event.linkPath}` : requestLink(ctx.portalUrl, event.requestId, audience);
  const rows = details(event, ctx);
  const text = [
    content.lead,
    '',
    ...rows.map(([k, v]) => `${k}: ${v}`),
    '',
    `${content.button}: ${link}`,
    '',
    'Stint Privileged Identity Management. You receive this because of the notification settings of this role.',
  ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1b1b1b">',
    `<p>${escapeHtml(content.lead)}</p>`,
    '<table style="border-collapse:collapse">',
    ...rows.map(
      ([k, v]) => `<tr><th style="text-align:left;padding:2px 12px 2px 0">${escapeHtml(k)}</th><td style="white-space:pre-wrap">${escapeHtml(v)}</td></tr>`,
    ),
    '</table>',
    `<p><a href="${escapeHtml(link)}">${escapeHtml(content.button)}</a></p>`,
    '<p style="color:#666;font-size:12px">Stint Privileged Identity Management. You receive this because of the notification settings of this role.</p>',
    '</body></html>',
  ].join('\n');
  return { subject: oneLine(content.subject).slice(0, 250), html, text };
}
