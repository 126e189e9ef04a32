/**
 * One evaluation of the alerts (the hourly job, or `alerts/refresh`): read the tenant once, evaluate every
 * alert (pure, shared/domain/alerts/evaluate.ts), and apply the difference. Only one evaluation runs at a
 * time, under a lease, so two runs at once produce one set of incidents and one email; a run that finds
 * the lease taken either waits for it (a person asked for a scan and wants its result) or leaves the work
 * to the run under way (the job).
 */
import { evaluateAlerts } from '../../domain/alerts/evaluate.ts';
import type { AlertFindings, AlertType } from '../../domain/alerts/types.ts';
import { ServiceUnavailableError } from '../../domain/errors.ts';
import { acquireAlertRun, readAlertRecords, releaseAlertRun, type AlertRecords } from '../../store/alerts.ts';
import { requirePermission } from '../authorize.ts';
import type { Actor, Services } from '../context.ts';
import { applyFindings, type AlertChange } from './apply-findings.ts';
import { loadAlertSnapshot } from './snapshot.ts';
import { settingsInForce } from './views.ts';

/** Longer than any evaluation may take (a Lambda runs at most 15 minutes), so a crashed run frees it. */
const LEASE_MS = 15 * 60_000;
const WAIT_STEP_MS = 250;
/** A person waits this long for a run under way before being told to try again. */
const WAIT_LIMIT_MS = 20_000;

export interface RefreshReport {
  ran: boolean;
  changes: AlertChange[];
}

export interface RefreshOptions {
  /** Evaluate one alert only (its own refresh); the others are left as they are. */
  only?: AlertType;
  /** Wait for a run under way instead of leaving the work to it. */
  wait?: boolean;
}

async function evaluateNow(svc: Services, records: AlertRecords, now: Date, only?: AlertType): Promise<Partial<AlertFindings>> {
  const configs = settingsInForce(records);
  const findings = evaluateAlerts(await loadAlertSnapshot(svc, now, configs), configs, now);
  return only ? { [only]: findings[only] } : findings;
}

export async function refreshAlerts(svc: Services, actor: Actor, options: RefreshOptions = {}): Promise<RefreshReport> {
  const holder = `${actor.correlationId}:${Math.random().toString(36).slice(2)}`;
  let waited = 0;
  while (!(await acquireAlertRun(svc.table, holder, svc.clock.now(), LEASE_MS))) {
    if (!options.wait) return { ran: false, changes: [] };
    if (waited >= WAIT_LIMIT_MS) {
      throw new ServiceUnavailableError('Another scan of the alerts is under way and has not finished; try again in a minute.', 'AlertScanInProgress');
    }
    await svc.clock.sleep(WAIT_STEP_MS);
    waited += WAIT_STEP_MS;
  }
  try {
    const now = svc.clock.now();
    // One read of the alerts: their settings for the evaluation, their states for applying it (a state moved
    // meanwhile, say by a dismissal, fails its version condition and is read again there).
    const records = await readAlertRecords(svc.table);
    return { ran: true, changes: await applyFindings(svc, actor, await evaluateNow(svc, records, now, options.only), records, now) };
  } finally {
    await releaseAlertRun(svc.table, holder);
  }
}

/** `alerts/refresh` and `alerts/{id}/refresh`: a scan an administrator asks for, and waits for. */
export async function scanNow(svc: Services, actor: Actor, only?: AlertType): Promise<RefreshReport> {
  await requirePermission(svc, actor, 'alerts.manage', { because: 'a scan rewrites what every administrator is warned about' });
  return refreshAlerts(svc, actor, { wait: true, only });
}
