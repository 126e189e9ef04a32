/**
 * The request-lifecycle state machine's one Lambda: each task state sends `{ step, requestId, … }` and
 * the step re-reads the table before acting (infra/constructs/request-lifecycle.ts has the machine).
 */
import { lifecycleTaskSchema } from '../../shared/contracts/lifecycle.ts';
import { SYSTEM_CALLER } from '../../shared/domain/caller.ts';
import type { Actor } from '../../shared/services/context.ts';
import { logger, useCorrelationId } from '../../shared/observability/logger.ts';
import { holdForApproval } from '../../shared/services/lifecycle/hold-for-approval.ts';
import { inspectRequest } from '../../shared/services/lifecycle/inspect.ts';
import { expireSchedule, startSchedule, targetOf } from '../../shared/services/lifecycle/timed-changes.ts';
import { timeOutApproval } from '../../shared/services/roles/approvals/timeout.ts';
import { syncRequestAccess } from '../../shared/services/aws/request-access.ts';
import { defaultBackgroundRuntime, type BackgroundRuntime } from '../../shared/workflow/background-runtime.ts';

export type LifecycleHandler = (event: unknown) => Promise<unknown>;

export function createHandler(runtime: () => BackgroundRuntime = defaultBackgroundRuntime): LifecycleHandler {
  return async (event) => {
    const task = lifecycleTaskSchema.parse(event);
    // The run is named by the request, and the request id is the correlation id of its audit records.
    useCorrelationId(task.requestId);
    logger.info('lifecycle step', { step: task.step });
    const { services: svc, workflows } = runtime();
    const actor: Actor = { caller: SYSTEM_CALLER, correlationId: task.requestId, system: true };
    switch (task.step) {
      case 'inspect':
        return inspectRequest(svc, task.requestId, new Date(task.runStartedAt), task.runName);
      case 'syncAws':
        return { phase: 'syncAws', ...(await syncRequestAccess(svc, actor, task.requestId, task.attempt ?? 1)) };
      case 'awaitApproval':
        return { held: await holdForApproval(svc, workflows, task.requestId, task.taskToken) };
      case 'timeOutApproval':
        return { result: await timeOutApproval(svc, actor, task.requestId) };
      case 'startAccess':
      case 'expire': {
        const scheduleId = await targetOf(svc, task.requestId);
        if (!scheduleId) return { result: 'gone' };
        const act = task.step === 'expire' ? expireSchedule : startSchedule;
        return { result: await act(svc, actor, scheduleId, { run: task.requestId }) };
      }
    }
  };
}

export const handler = createHandler();
