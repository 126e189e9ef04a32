/**
 * The run's approval wait begins: its task token is stored on the request so a decision (through the
 * stream) can wake it. If the request was decided or cancelled before the token could be stored, the
 * stream had nothing to wake, so the run is woken here at once.
 */
import { storeTaskToken } from '../../store/task-tokens.ts';
import type { Workflows } from '../../workflow/workflows.ts';
import type { Services } from '../context.ts';

export async function holdForApproval(svc: Services, workflows: Workflows, requestId: string, taskToken: string): Promise<'waiting' | 'resumed'> {
  if (await storeTaskToken(svc.table, requestId, taskToken)) return 'waiting';
  await workflows.resume(taskToken);
  return 'resumed';
}
