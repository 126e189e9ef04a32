/**
 * How long one invocation may keep working through an instance's items before it leaves the rest to
 * the next run. A resource limit (API Gateway's 29 s, the job Lambda's timeout), so it is measured on the
 * wall clock, not the injected business clock. Every step that honours it leaves a state the next run
 * continues from.
 */
export interface Budget {
  /** True while there is time to take another item. */
  left(): boolean;
}

export function budgetOf(ms: number): Budget {
  const until = Date.now() + ms;
  return { left: () => Date.now() < until };
}

export const UNLIMITED: Budget = { left: () => true };
