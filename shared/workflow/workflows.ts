/**
 * What the rest of Stint needs from the request-lifecycle workflow engine: Step Functions on AWS
 * (sfn-workflows.ts), aws-local-stepfunctions locally (infra/local/workflow-engine.ts). Every call is
 * idempotent, because the stream that makes them delivers at least once.
 */
export interface Workflows {
  /**
   * Starts a run of a request, named by its id (or `runName`, for a second run of the same request such as
   * an AWS sync run); a run of that name that exists is left alone.
   */
  start(requestId: string, runName?: string): Promise<void>;
  /** Wakes a run waiting on an approval (SendTaskSuccess); a token no longer waited on is ignored. */
  resume(taskToken: string): Promise<void>;
  /** Stops a request's run if it is running (cancel, removal, early deactivation). */
  stop(requestId: string, cause: string): Promise<void>;
}
