/** The AWS access reconciler, run every five minutes by EventBridge Scheduler (locally by a timer): see shared/services/aws/reconcile.ts. */
import { SYSTEM_CALLER } from '../../shared/domain/caller.ts';
import { logger, useCorrelationId } from '../../shared/observability/logger.ts';
import { reconcileAws, type ReconcileReport } from '../../shared/services/aws/reconcile.ts';
import type { Services } from '../../shared/services/context.ts';
import { defaultBackgroundRuntime } from '../../shared/workflow/background-runtime.ts';

export function createHandler(services: () => Services = () => defaultBackgroundRuntime().services) {
  return async (): Promise<ReconcileReport> => {
    const svc = services();
    const correlationId = `aws-reconcile:${svc.clock.now().toISOString()}`;
    useCorrelationId(correlationId);
    const report = await reconcileAws(svc, { caller: SYSTEM_CALLER, correlationId, system: true });
    logger.info('AWS reconcile', { ...report });
    return report;
  };
}

export const handler = createHandler();
