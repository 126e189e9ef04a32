/** The weekly digest job, run every hour by EventBridge Scheduler (locally by a timer): see shared/services/digest/send-digest.ts. */
import { logger, useCorrelationId } from '../../shared/observability/logger.ts';
import { runWeeklyDigest, type DigestDeps, type DigestReport } from '../../shared/services/digest/send-digest.ts';
import { defaultOutboxDeps } from '../../shared/services/notifications/runtime.ts';

export function createHandler(deps: () => DigestDeps = defaultOutboxDeps) {
  return async (): Promise<DigestReport> => {
    const d = deps();
    useCorrelationId(`weekly-digest:${d.services.clock.now().toISOString()}`);
    const report = await runWeeklyDigest(d);
    logger.info('weekly digest', { ...report });
    // Addresses that failed are sent by the next hourly run; failing the invocation is what the alarm sees.
    if (report.failed > 0)
      throw new Error(`The weekly digest ${report.week} could not be sent to ${report.failed} of ${report.recipients} recipient(s): ${report.error}`);
    return report;
  };
}

export const handler = createHandler();
