/** The sweeper, run every minute by EventBridge Scheduler (locally by a timer): see shared/services/lifecycle/sweep.ts. */
import { SYSTEM_CALLER } from '../../shared/domain/caller.ts';
import { logger, useCorrelationId } from '../../shared/observability/logger.ts';
import { sweep, type SweepReport } from '../../shared/services/lifecycle/sweep.ts';
import type { Services } from '../../shared/services/context.ts';
import { defaultBackgroundRuntime } from '../../shared/workflow/background-runtime.ts';

export function createHandler(services: () => Services = () => defaultBackgroundRuntime().services) {
  return async (): Promise<SweepReport> => {
    const svc = services();
    const correlationId = `sweep:${svc.clock.now().toISOString()}`;
    useCorrelationId(correlationId);
    const report = await sweep(svc, { caller: SYSTEM_CALLER, correlationId, system: true });
    logger.info('sweep', { ...report });
    return report;
  };
}

export const handler = createHandler();
