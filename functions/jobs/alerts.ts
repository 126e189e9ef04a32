/** The alerts scan, run every hour by EventBridge Scheduler (locally by a timer): see shared/services/alerts/refresh.ts. */
import { SYSTEM_CALLER } from '../../shared/domain/caller.ts';
import { logger, useCorrelationId } from '../../shared/observability/logger.ts';
import type { Services } from '../../shared/services/context.ts';
import { refreshAlerts, type RefreshReport } from '../../shared/services/alerts/refresh.ts';
import { defaultBackgroundRuntime } from '../../shared/workflow/background-runtime.ts';

export function createHandler(services: () => Services = () => defaultBackgroundRuntime().services) {
  return async (): Promise<RefreshReport> => {
    const svc = services();
    const correlationId = `alerts:${svc.clock.now().toISOString()}`;
    useCorrelationId(correlationId);
    // A scan already under way (someone pressed refresh) does this run's work.
    const report = await refreshAlerts(svc, { caller: SYSTEM_CALLER, correlationId, system: true });
    logger.info('alerts scanned', { ran: report.ran, changes: report.changes });
    return report;
  };
}

export const handler = createHandler();
