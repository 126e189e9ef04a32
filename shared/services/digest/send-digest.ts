/**
 * The weekly digest run (hourly; see shared/domain/digest/schedule.ts for when a week's digest is due).
 * Never twice for a week: the first run of the week puts the week's item under a condition, and each
 * email is claimed per address before it is sent (notifications/send-once.ts), so a run retried after a
 * crash, or two runs at the same time, send each recipient one email. The week is marked sent once
 * every recipient has had it; until then each hourly run sends only to those who have not.
 */
import { isDigestDue, isoWeekOf } from '../../domain/digest/schedule.ts';
import { digestAddresses, isMailAddress } from '../../domain/digest/settings.ts';
import { renderWeeklyDigest } from '../../domain/notifications/weekly-digest.ts';
import { finishDigestWeek, getDigestWeek, startDigestWeek } from '../../store/digest.ts';
import type { DeliveryDeps } from '../notifications/deliver.ts';
import { mailAddresses } from '../notifications/directory-lookups.ts';
import { sendOnce } from '../notifications/send-once.ts';
import { fallbackApproverIds } from '../roles/approvals/approvers.ts';
import { digestFigures } from './figures.ts';
import { currentDigestSettings } from './settings.ts';

export type DigestDeps = Pick<DeliveryDeps, 'services' | 'mailer' | 'portalUrl' | 'writeLog'>;

export interface DigestReport {
  week: string;
  outcome: 'notDue' | 'disabled' | 'alreadySent' | 'sent' | 'incomplete';
  recipients: number;
  sent: number;
  /** Addresses an earlier (or a simultaneous) run of the week already sent to. */
  sentBefore: number;
  failed: number;
  /** The first failure's message, when some send failed (the next run tries those again). */
  error?: string;
}

const NOTIFICATION = 'weeklyDigest';

export async function runWeeklyDigest(deps: DigestDeps): Promise<DigestReport> {
  const svc = deps.services;
  const now = svc.clock.now();
  const week = isoWeekOf(now).id;
  const report: DigestReport = { week, outcome: 'notDue', recipients: 0, sent: 0, sentBefore: 0, failed: 0 };
  if (!isDigestDue(now)) return report;
  const settings = await currentDigestSettings(svc.table);
  if (!settings.isEnabled) return { ...report, outcome: 'disabled' };
  if ((await getDigestWeek(svc.table, week))?.status === 'sent') return { ...report, outcome: 'alreadySent' };
  // Lost to a simultaneous run: carry on, the per-address claims keep it to one email each.
  await startDigestWeek(svc.table, week, now);

  const administrators = settings.sendToAdministrators ? await fallbackApproverIds(svc, now) : [];
  const named = settings.additionalRecipients.filter((r) => !isMailAddress(r));
  const addressOf = await mailAddresses(svc.table, [...administrators, ...named, ...settings.excludedUserIds]);
  const addresses = digestAddresses(settings, administrators, addressOf);
  const email = renderWeeklyDigest(await digestFigures(svc, now), deps.portalUrl);
  report.recipients = addresses.length;
  for (const address of addresses) {
    try {
      if ((await sendOnce(deps, `digest:${week}`, NOTIFICATION, address, email)) === 'sent') report.sent++;
      else report.sentBefore++;
    } catch (error) {
      report.failed++;
      report.error ??= error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
  if (report.failed > 0) return { ...report, outcome: 'incomplete' };
  await finishDigestWeek(svc.table, week, svc.clock.now(), addresses.length);
  return { ...report, outcome: 'sent' };
}
