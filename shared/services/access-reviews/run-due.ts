/**
 * The review job (EventBridge Scheduler on AWS, a timer locally): every definition with work due —
 * from the sparse due index, looking back a week in case runs were missed — is moved along. One
 * definition's failure is reported and does not stop the others; its due key stays, so the next run
 * tries it again.
 */
import { SYSTEM_CALLER } from '../../domain/caller.ts';
import { dueItems } from '../../store/due-items.ts';
import type { Actor, Services } from '../context.ts';
import { advanceDefinition, type Step } from './advance.ts';
import { budgetOf, type Budget } from './budget.ts';

const LOOK_BACK_MS = 7 * 24 * 3600 * 1000;

/** A run stops taking items after four minutes, inside the job Lambda's five; the next run continues. */
export const JOB_BUDGET_MS = 4 * 60 * 1000;

export interface ReviewRunReport {
  definitions: number;
  steps: Partial<Record<Step, number>>;
  failures: { definitionId: string; error: string }[];
}

export async function runDueReviews(
  svc: Services,
  onFailure: (failure: { definitionId: string; error: string }) => void = () => undefined,
  budget: Budget = budgetOf(JOB_BUDGET_MS),
): Promise<ReviewRunReport> {
  const now = svc.clock.now();
  const due = await dueItems(svc.table, 'reviews', new Date(now.getTime() - LOOK_BACK_MS), now);
  const ids = [...new Set(due.map((item) => String(item.pk).replace(/^REVIEW#/, '')))];
  const actor: Actor = { caller: SYSTEM_CALLER, correlationId: `access-reviews:${now.toISOString()}`, system: true };
  const report: ReviewRunReport = { definitions: ids.length, steps: {}, failures: [] };
  for (const id of ids) {
    try {
      for (const step of await advanceDefinition(svc, actor, id, budget)) report.steps[step] = (report.steps[step] ?? 0) + 1;
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      report.failures.push({ definitionId: id, error: message });
      onFailure({ definitionId: id, error: message });
    }
  }
  return report;
}
