/** The Workflows port on AWS Step Functions: one Standard execution per request, named by its id. */
import { SendTaskSuccessCommand, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { LIFECYCLE_SCHEMA_VERSION, type LifecycleInput } from '../contracts/lifecycle.ts';
import type { Workflows } from './workflows.ts';

/** Errors that mean "already so": a duplicate start, a token already used or timed out, a run already over. */
const SETTLED = new Set(['ExecutionAlreadyExists', 'TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken', 'ExecutionDoesNotExist']);

function ignoreSettled(error: unknown): void {
  if (error instanceof Error && SETTLED.has(error.name)) return;
  throw error;
}

/** Executions are named under the state machine, whether started on it, a version or an alias (…:live). */
export function executionArn(stateMachineArn: string, name: string): string {
  const unqualified = stateMachineArn.split(':').slice(0, 7).join(':');
  return `${unqualified.replace(':stateMachine:', ':execution:')}:${name}`;
}

export function sfnWorkflows(client: SFNClient, stateMachineArn: string): Workflows {
  return {
    async start(requestId, runName = requestId) {
      const input: LifecycleInput = { schemaVersion: LIFECYCLE_SCHEMA_VERSION, requestId };
      await client.send(new StartExecutionCommand({ stateMachineArn, name: runName, input: JSON.stringify(input) })).catch(ignoreSettled);
    },
    async resume(taskToken) {
      await client.send(new SendTaskSuccessCommand({ taskToken, output: '{}' })).catch(ignoreSettled);
    },
    async stop(requestId, cause) {
      await client.send(new StopExecutionCommand({ executionArn: executionArn(stateMachineArn, requestId), cause })).catch(ignoreSettled);
    },
  };
}
