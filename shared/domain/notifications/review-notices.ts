/**
 * Access review emails, from the moves of an instance on the stream: it starts (reviewers are asked),
 * a reminder is counted (reviewers who have not answered are reminded), it ends and its decisions are
 * applied (the review's owners get the results). Like every email, each links to a page that only
 * shows; deciding takes the reviewer's own sign-in.
 */
import type { ReviewSummary } from '../access-reviews/model.ts';
import type { StreamReviewInstance } from './types.ts';
import { escapeHtml, formatTime, type RenderedEmail } from './render.ts';

export type ReviewNoticeKind = 'reviewStarted' | 'reviewReminder' | 'reviewEnded' | 'reviewApplied';

export interface ReviewNotice {
  /** Stable per instance and move (a retried stream record names the same notice). */
  id: string;
  kind: ReviewNoticeKind;
  definitionId: string;
  instanceId: string;
}

type InstanceImage = StreamReviewInstance;

export function classifyReviewChange(before: InstanceImage | undefined, after: InstanceImage | undefined): ReviewNotice | undefined {
  if (!after) return undefined;
  const notice = (kind: ReviewNoticeKind, suffix = ''): ReviewNotice => ({
    id: `${kind}:${after.id}${suffix}`,
    kind,
    definitionId: after.definitionId,
    instanceId: after.id,
  });
  if (after.status === 'InProgress' && before?.status !== 'InProgress') return notice('reviewStarted');
  if (after.status === 'InProgress' && before && after.remindersSent > before.remindersSent) return notice('reviewReminder', `:${after.remindersSent}`);
  if (after.status === 'Completed' && before?.status !== 'Completed') return notice('reviewEnded');
  if (after.status === 'Applied' && before?.status !== 'Applied') return notice('reviewApplied');
  return undefined;
}

export interface ReviewEmailContext {
  reviewName: string;
  descriptionForReviewers: string;
  endDateTime: string;
  link: string;
  summary: ReviewSummary | null;
  autoApply: boolean;
}

function oneLine(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex -- control characters are exactly what this strips
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

function content(kind: ReviewNoticeKind, c: ReviewEmailContext): { subject: string; lead: string; button: string } {
  const name = oneLine(c.reviewName);
  const due = formatTime(c.endDateTime);
  const s = c.summary;
  const counts = s ? `${s.approved} approved, ${s.denied} denied, ${s.dontKnow} don't know, ${s.notReviewed} not reviewed, of ${s.total}.` : '';
  switch (kind) {
    case 'reviewStarted':
      return {
        subject: `Review access: ${name}`,
        lead: `You are asked to review access in "${name}". Decide for each person whether they still need it, by ${due}.`,
        button: 'Start the review',
      };
    case 'reviewReminder':
      return {
        subject: `Reminder: review access in ${name} by ${due}`,
        lead: `The access review "${name}" is waiting for your decisions. It ends on ${due}; what is left unanswered then gets the review's default decision, if it has one.`,
        button: 'Continue the review',
      };
    case 'reviewEnded':
      return {
        subject: `Access review ended: ${name}`,
        lead: `The access review "${name}" ended on ${due}. ${counts} ${c.autoApply ? 'Its decisions are being applied.' : 'Its decisions are not applied until a review administrator applies them.'}`,
        button: 'See the results',
      };
    case 'reviewApplied':
      return {
        subject: `Access review results applied: ${name}`,
        lead: `The decisions of the access review "${name}" have been applied. ${counts} Removed: ${s?.removed ?? 0}. Could not be removed: ${s?.failed ?? 0}.`,
        button: 'See the results',
      };
  }
}

export function renderReviewEmail(kind: ReviewNoticeKind, c: ReviewEmailContext): RenderedEmail {
  const { subject, lead, button } = content(kind, c);
  const note = kind === 'reviewStarted' || kind === 'reviewReminder' ? c.descriptionForReviewers.trim() : '';
  const footer = 'Stint Privileged Identity Management. You receive this because you are a reviewer or an owner of this access review.';
  const text = [lead, ...(note ? ['', note] : []), '', `${button}: ${c.link}`, '', footer].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#1b1b1b">',
    `<p>${escapeHtml(lead)}</p>`,
    ...(note ? [`<p style="white-space:pre-wrap">${escapeHtml(note)}</p>`] : []),
    `<p><a href="${escapeHtml(c.link)}">${escapeHtml(button)}</a></p>`,
    `<p style="color:#666;font-size:12px">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: oneLine(subject).slice(0, 250), html, text };
}

export function reviewLink(portalUrl: string, definitionId: string, instanceId: string): string {
  return `${portalUrl.replace(/\/+$/, '')}/reviews/${encodeURIComponent(definitionId)}/${encodeURIComponent(instanceId)}`;
}
