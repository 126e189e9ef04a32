/**
 * The request-lifecycle state machine's input and the payloads its tasks send to the lifecycle Lambda.
 * Input carries ids and a schema version only, never table names or settings, so a run started by one
 * deployment still works after the next (peers.md §6, lesson 12).
 */
import * as z from 'zod';

/** The version new runs are started with (shared/workflow/sfn-workflows.ts). */
export const LIFECYCLE_SCHEMA_VERSION = 1;

/**
 * Every version a run in flight may still carry. A run keeps the definition and input it started with
 * (definitions are published as retained versions), but its steps run on whatever Lambda code is deployed
 * now, and the definition hands each step the run's own version. So a new version N is added here beside
 * N-1, whose input the handler still parses (and upgrades), and an old one is removed only when no run
 * can carry it: a run lasts at most a year (Step Functions Standard). Only version 1 exists so far.
 */
export const ACCEPTED_LIFECYCLE_SCHEMA_VERSIONS = [1] as const satisfies readonly number[];

const requestId = z.string().min(1).max(80);

/** Version 1: the request id only; every step re-reads the table. Kept as long as a run may carry it. */
export const lifecycleInputV1Schema = z.object({ schemaVersion: z.literal(1), requestId });

/** Any accepted input, by its version. */
export const lifecycleInputSchema = z.discriminatedUnion('schemaVersion', [lifecycleInputV1Schema]);
export type LifecycleInput = z.infer<typeof lifecycleInputSchema>;

const base = { schemaVersion: z.literal(ACCEPTED_LIFECYCLE_SCHEMA_VERSIONS), requestId };

export const lifecycleTaskSchema = z.discriminatedUnion('step', [
  /** `runName`: a run named `{requestId}-aws…` only brings AWS in line with the table, then ends. */
  z.object({ ...base, step: z.literal('inspect'), runStartedAt: z.string(), runName: z.string().optional() }),
  z.object({ ...base, step: z.literal('awaitApproval'), taskToken: z.string().min(1), timeoutSeconds: z.number().optional() }),
  z.object({ ...base, step: z.literal('timeOutApproval') }),
  /** `until`: when the step was due (what the Wait before it waited for). */
  z.object({ ...base, step: z.literal('startAccess'), until: z.string() }),
  z.object({ ...base, step: z.literal('expire'), until: z.string() }),
  /** `attempt`: how many times this sync has run since Inspect (the back-off grows with it). */
  z.object({ ...base, step: z.literal('syncAws'), attempt: z.number().int().min(1).optional() }),
]);
export type LifecycleTask = z.infer<typeof lifecycleTaskSchema>;
export type LifecycleStep = LifecycleTask['step'];
