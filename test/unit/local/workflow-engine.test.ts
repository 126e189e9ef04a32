/** What the local engine changes of the deployed definition, and nothing more. */
import { describe, expect, it } from 'vitest';
import { LIFECYCLE_STATES as S } from '../../../infra/constructs/request-lifecycle.ts';
import { adaptForLibrary, loadLifecycleDefinition } from '../../../infra/local/workflow-engine.ts';
import { MAX_WAIT_MS } from '../../../shared/domain/lifecycle.ts';

describe('the local adaptation of the lifecycle definition', () => {
  const deployed = loadLifecycleDefinition() as unknown as { States: Record<string, Record<string, unknown>> };
  const local = adaptForLibrary(loadLifecycleDefinition() as never) as unknown as { States: Record<string, Record<string, unknown>> };

  it('gives the steps after each Wait a timeout as long as the longest wait (the library would give 60 s)', () => {
    for (const name of [S.startAccess, S.expire]) expect(local.States[name]!.TimeoutSeconds).toBeGreaterThanOrEqual(MAX_WAIT_MS / 1000);
    // Still below setTimeout's limit, or the timer would fire at once.
    for (const name of [S.startAccess, S.expire]) expect(Number(local.States[name]!.TimeoutSeconds) * 1000).toBeLessThan(2 ** 31 - 1);
  });

  it("reads the approval wait's timeout from the task's payload", () => {
    expect(local.States[S.awaitApproval]!.TimeoutSecondsPath).toBe('$.Payload.timeoutSeconds');
  });

  it('changes nothing else', () => {
    const strip = (d: typeof deployed) => {
      const copy = structuredClone(d);
      delete copy.States[S.awaitApproval]!.TimeoutSecondsPath;
      for (const name of [S.startAccess, S.expire]) delete copy.States[name]!.TimeoutSeconds;
      return copy;
    };
    expect(strip(local)).toEqual(strip(deployed));
  });
});
