/**
 * The request-lifecycle state machine's input and the payloads its tasks send to the lifecycle Lambda.
 * Input carries ids and a schema version only, never table names or settings, so a run started by one
 * deployment still works after the next (peers.md §6, lesson 12).
 */
import { z } from 'zod';

export const LIFECYCLE_SCHEMA_VERSION = 1;

export const lifecycleInputSchema = z.object({ schemaVersion: z.literal(LIFECYCLE_SCHEMA_VERSION), requestId: z.string().min(1).max(80) });
export type LifecycleInput = z.infer<typeof lifecycleInputSchema>;

const base = { schemaVersion: z.literal(LIFECYCLE_SCHEMA_VERSION), requestId: z.string().min(1).max(80) };

export const lifecycleTaskSchema = z.discriminatedUnion('step', [
  z.object({ ...base, step: z.literal('inspect'), runStartedAt: z.string() }),
  z.object({ ...base, step: z.literal('awaitApproval'), taskToken: z.string().min(1), timeoutSeconds: z.number().optional() }),
  z.object({ ...base, step: z.literal('timeOutApproval') }),
  /** `until`: when the step was due (what the Wait before it waited for). */
  z.object({ ...base, step: z.literal('startAccess'), until: z.string() }),
  z.object({ ...base, step: z.literal('expire'), until: z.string() }),
]);
export type LifecycleTask = z.infer<typeof lifecycleTaskSchema>;
export type LifecycleStep = LifecycleTask['step'];
