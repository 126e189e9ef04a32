/** The access review job, run every five minutes by EventBridge Scheduler (locally by a timer): see shared/services/access-reviews/run-due.ts. */
import type { Services } from '../../shared/services/context.ts';
import { runDueReviews, type ReviewRunReport } from '../../shared/services/access-reviews/run-due.ts';
import { defaultBackgroundRuntime } from '../../shared/workflow/background-runtime.ts';

export function createHandler(services: () => Services = () => defaultBackgroundRuntime().services) {
  return async (): Promise<ReviewRunReport> => {
    const report = await runDueReviews(services(), (line) => console.log(line));
    console.log(JSON.stringify({ message: 'access reviews', ...report }));
    // A failed definition is retried by the next run; failing the invocation makes the alarm see it.
    if (report.failures.length > 0) throw new Error(`${report.failures.length} access review(s) could not be moved along: ${report.failures[0]!.error}`);
    return report;
  };
}

export const handler = createHandler();
