/**
 * Sends an access review's emails: to its reviewers when it starts, to those who have not answered when
 * reminded, to its owners (its creator and the additional recipients) when it ends and when its decisions
 * are applied. The review's own settings say whether mail (and reminders) go out. As with every email,
 * a send that keeps failing is reported and never throws.
 */
import type { DefinitionData } from '../../domain/access-reviews/model.ts';
import { parseReviewerQuery } from '../../domain/access-reviews/scope.ts';
import { renderReviewEmail, reviewLink, type ReviewNotice } from '../../domain/notifications/review-notices.ts';
import { getDefinition, getInstance, instanceContents } from '../../store/access-reviews.ts';
import type { DeliveryDeps } from './deliver.ts';
import { mailAddresses } from './directory-lookups.ts';
import { reportDeliveryFailure } from './failure-report.ts';
import { sendToEach } from './send-once.ts';

/** The creator, and additional recipients named as `/users/{id}` or `/groups/{id}` queries (groups: their members now). */
function ownerIds(def: DefinitionData): string[] {
  const ids = new Set<string>();
  if (def.createdBy.id !== 'system') ids.add(def.createdBy.id);
  for (const r of def.additionalNotificationRecipients as { notificationRecipientScope?: { notificationRecipients?: { query?: string }; query?: string } }[]) {
    const query = r.notificationRecipientScope?.notificationRecipients?.query ?? r.notificationRecipientScope?.query;
    if (!query) continue;
    try {
      const ref = parseReviewerQuery({ query }, 'additionalNotificationRecipients');
      if (ref.kind === 'user') ids.add(ref.id);
    } catch {
      // A recipient the API accepted but that names no user gets no mail.
    }
  }
  return [...ids];
}

async function recipientsOf(deps: DeliveryDeps, notice: ReviewNotice, def: DefinitionData, reviewerCount: number): Promise<string[]> {
  const s = def.settings;
  if (notice.kind === 'reviewEnded' || notice.kind === 'reviewApplied') return s.mailNotificationsEnabled ? ownerIds(def) : [];
  if (notice.kind === 'reviewStarted' && !s.mailNotificationsEnabled) return [];
  if (notice.kind === 'reviewReminder' && !s.reminderNotificationsEnabled) return [];
  const { reviewers } = await instanceContents(deps.services.table, notice.instanceId);
  // Fallback reviewers are asked only when the named reviewers came to nobody.
  const asked = reviewers.filter((r) => r.mode !== 'fallback' || reviewerCount === 0);
  return asked.filter((r) => notice.kind === 'reviewStarted' || !r.lastDecisionAt).map((r) => r.userId);
}

export async function deliverReviewNotice(deps: DeliveryDeps, notice: ReviewNotice, correlationId: string): Promise<{ recipients: number; failed: number }> {
  const table = deps.services.table;
  const [def, instance] = await Promise.all([getDefinition(table, notice.definitionId), getInstance(table, notice.definitionId, notice.instanceId)]);
  if (!def || !instance) return { recipients: 0, failed: 0 };
  // With auto-apply the owners hear once, when the results are applied.
  if (notice.kind === 'reviewEnded' && def.data.settings.autoApplyDecisionsEnabled) return { recipients: 0, failed: 0 };
  const ids = await recipientsOf(deps, notice, def.data, instance.data.selfReview ? 1 : instance.data.reviewerCount);
  const addresses = [...new Set((await mailAddresses(table, ids)).values())];
  const email = renderReviewEmail(notice.kind, {
    reviewName: def.data.displayName,
    descriptionForReviewers: def.data.descriptionForReviewers,
    endDateTime: instance.data.endDateTime,
    link: reviewLink(deps.portalUrl, def.data.id, instance.data.id),
    summary: instance.data.summary,
    autoApply: def.data.settings.autoApplyDecisionsEnabled,
  });
  const errors = await sendToEach(deps, correlationId, notice.id, addresses, email);
  deps.writeLog(
    JSON.stringify({
      level: 'INFO',
      message: 'review notice processed',
      eventId: notice.id,
      kind: notice.kind,
      recipients: addresses.length,
      failed: errors.length,
    }),
  );
  if (errors.length > 0) {
    const event = { id: notice.id, kind: notice.kind, review: { definitionId: def.data.id, displayName: def.data.displayName, instanceId: instance.data.id } };
    await reportDeliveryFailure(
      { table, clock: deps.services.clock, writeLog: deps.writeLog },
      { event, recipientCount: addresses.length, failedCount: errors.length, error: errors[0]! },
      correlationId,
    );
  }
  return { recipients: addresses.length, failed: errors.length };
}
