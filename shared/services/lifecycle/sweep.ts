/**
 * The sweeper (every minute; docs/architecture.md §5 "time is the truth; workflows are for effects"): whatever a
 * lost or late run missed is done here from the sparse due index — starts that came, ends that passed,
 * approvals past their deadline — and reminders that fell due are put once each. Every action is the
 * same idempotent, conditional step the runs use, so sweeper and runs may race harmlessly.
 */
import { pendingApprovalDeadline } from '../../domain/approval-window.ts';
import { parseRequest } from '../../store/role-requests.ts';
import { parseSchedule } from '../../store/role-schedules.ts';
import { dueItems } from '../../store/due-items.ts';
import { getSweeperMark, putReminder, setSweeperMark, type ReminderKind } from '../../store/reminders.ts';
import type { Actor, Services } from '../context.ts';
import { timeOutApproval } from '../roles/approvals/timeout.ts';
import { expireSchedule, startSchedule } from './timed-changes.ts';
import { errorMessage, logger } from '../../observability/logger.ts';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

export interface SweepOptions {
  /** How far back missed work is looked for. @default 7 days */
  lookbackDays?: number;
}

/** Reminders before an assignment's end (Entra sends 14 days and 1 day before), and before an approval times out. */
export const REMINDER_LEADS: { reminder: ReminderKind; leadMs: number }[] = [
  { reminder: 'expiresIn14Days', leadMs: 14 * DAY },
  { reminder: 'expiresIn1Day', leadMs: DAY },
];
export const APPROVAL_REMINDER_LEAD_MS = 6 * HOUR;

/** The first scan reaches back this far, so a fresh deployment reminds of what falls due right away. */
const FIRST_SCAN_MS = 10 * 60 * 1000;

export interface SweepReport {
  started: number;
  expired: number;
  timedOut: number;
  reminders: number;
  failures: number;
}

export async function sweep(svc: Services, actor: Actor, options: SweepOptions = {}): Promise<SweepReport> {
  const now = svc.clock.now();
  const from = new Date(now.getTime() - (options.lookbackDays ?? 7) * DAY);
  const report: SweepReport = { started: 0, expired: 0, timedOut: 0, reminders: 0, failures: 0 };
  const attempt = async (work: () => Promise<boolean>) => {
    try {
      if (await work()) return true;
    } catch (error) {
      report.failures++;
      logger.error('sweeper step failed', { error: errorMessage(error) });
    }
    return false;
  };

  for (const item of await dueItems(svc.table, 'starts', from, now)) {
    if (await attempt(async () => (await startSchedule(svc, actor, parseSchedule(item).data.id)) === 'done')) report.started++;
  }
  for (const item of await dueItems(svc.table, 'ends', from, now)) {
    if (await attempt(async () => (await expireSchedule(svc, actor, parseSchedule(item).data.id)) === 'done')) report.expired++;
  }
  for (const item of await dueItems(svc.table, 'approvals', from, now)) {
    if (await attempt(async () => (await timeOutApproval(svc, actor, parseRequest(item).data.id)) === 'timedOut')) report.timedOut++;
  }

  // Reminders: what falls due in the window since the last scan, shifted by each lead time.
  const since = (await getSweeperMark(svc.table)) ?? new Date(now.getTime() - FIRST_SCAN_MS);
  const shifted = (ms: number) => [new Date(since.getTime() + ms), new Date(now.getTime() + ms)] as const;
  for (const { reminder, leadMs } of REMINDER_LEADS) {
    for (const item of await dueItems(svc.table, 'ends', ...shifted(leadMs))) {
      const s = parseSchedule(item).data;
      if (await attempt(() => putReminder(svc.table, { reminder, targetKind: 'schedule', targetId: s.id, dueAt: s.endDateTime! }, now))) report.reminders++;
    }
  }
  for (const item of await dueItems(svc.table, 'approvals', ...shifted(APPROVAL_REMINDER_LEAD_MS))) {
    const r = parseRequest(item).data;
    const dueAt = pendingApprovalDeadline(r);
    if (dueAt && (await attempt(() => putReminder(svc.table, { reminder: 'approvalPending', targetKind: 'request', targetId: r.id, dueAt }, now))))
      report.reminders++;
  }
  await setSweeperMark(svc.table, now);
  return report;
}
