/**
 * What the rest of Stint needs from the request-lifecycle workflow engine: Step Functions on AWS
 * (sfn-workflows.ts), aws-local-stepfunctions locally (infra/local/workflow-engine.ts). Every call is
 * idempotent, because the stream that makes them delivers at least once.
 */
export interface Workflows {
  /** Starts the run of a request, named by its id; a run of that name that exists is left alone. */
  start(requestId: string): Promise<void>;
  /** Wakes a run waiting on an approval (SendTaskSuccess); a token no longer waited on is ignored. */
  resume(taskToken: string): Promise<void>;
  /** Stops a request's run if it is running (cancel, removal, early deactivation). */
  stop(requestId: string, cause: string): Promise<void>;
}
