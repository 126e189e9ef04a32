/** The Step Functions side of the Workflows port, with the SFN client mocked (no local stand-in for its API). */
import { ExecutionAlreadyExists, SendTaskSuccessCommand, SFNClient, StartExecutionCommand, StopExecutionCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { executionArn, sfnWorkflows } from '../../../shared/workflow/sfn-workflows.ts';

const sfn = mockClient(SFNClient);
const MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:stint-request-lifecycle';

beforeEach(() => sfn.reset());

describe('sfnWorkflows', () => {
  it('starts a run named by the request on the alias, with ids and a schema version only', async () => {
    sfn.on(StartExecutionCommand).resolves({});
    await sfnWorkflows(new SFNClient({}), `${MACHINE}:live`).start('req_1');
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input).toEqual({
      stateMachineArn: `${MACHINE}:live`,
      name: 'req_1',
      input: JSON.stringify({ schemaVersion: 1, requestId: 'req_1' }),
    });
  });

  it('treats a duplicate start, a used token and a finished run as already done', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'timed out', $metadata: {} }));
    const workflows = sfnWorkflows(new SFNClient({}), MACHINE);
    await expect(workflows.start('req_1')).resolves.toBeUndefined();
    await expect(workflows.resume('token')).resolves.toBeUndefined();
  });

  it('lets other failures through, so the stream retries the change', async () => {
    sfn.on(StartExecutionCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    await expect(sfnWorkflows(new SFNClient({}), MACHINE).start('req_1')).rejects.toThrow('throttled');
  });

  it('stops a run by its execution ARN, also when runs start on an alias', async () => {
    sfn.on(StopExecutionCommand).resolves({});
    await sfnWorkflows(new SFNClient({}), `${MACHINE}:live`).stop('req_9', 'request canceled');
    expect(sfn.commandCalls(StopExecutionCommand)[0]!.args[0].input).toEqual({
      executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:stint-request-lifecycle:req_9',
      cause: 'request canceled',
    });
    expect(executionArn(MACHINE, 'req_9')).toBe('arn:aws:states:eu-west-1:123456789012:execution:stint-request-lifecycle:req_9');
  });
});
