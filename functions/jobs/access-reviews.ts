/** The access review job, run every five minutes by EventBridge Scheduler (locally by a timer): see shared/services/access-reviews/run-due.ts. */
import { logger, useCorrelationId } from '../../shared/observability/logger.ts';
import type { Services } from '../../shared/services/context.ts';
import { runDueReviews, type ReviewRunReport } from '../../shared/services/access-reviews/run-due.ts';
import { defaultBackgroundRuntime } from '../../shared/workflow/background-runtime.ts';

export function createHandler(services: () => Services = () => defaultBackgroundRuntime().services) {
  return async (): Promise<ReviewRunReport> => {
    const svc = services();
    useCorrelationId(`access-reviews:${svc.clock.now().toISOString()}`);
    const report = await runDueReviews(svc, (failure) => logger.error('access review step failed', failure));
    logger.info('access reviews', { ...report });
    // A failed definition is retried by the next run; failing the invocation is what the alarm sees.
    if (report.failures.length > 0) throw new Error(`${report.failures.length} access review(s) could not be moved along: ${report.failures[0]!.error}`);
    return report;
  };
}

export const handler = createHandler();
