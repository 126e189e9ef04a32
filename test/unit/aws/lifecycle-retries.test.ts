/**
 * The request lifecycle's AWS step retries what AWS says may succeed when tried again, by the names the
 * SDK really gives those errors (TEAM #327: retries that never fired because the names were wrong), and
 * ends in a later retry rather than a failed run. The definition is the generated one, which
 * test/infra/lifecycle-definition.test.ts holds equal to what the stack deploys.
 */
import { AccessDeniedException, ConflictException, InternalServerException, ThrottlingException } from '@aws-sdk/client-sso-admin';
import { describe, expect, it } from 'vitest';
import { AWS_RETRYABLE_ERRORS, LIFECYCLE_STATES as S } from '../../../infra/constructs/request-lifecycle.ts';
import { loadLifecycleDefinition } from '../../../infra/local/workflow-engine.ts';

type State = {
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number; BackoffRate?: number; JitterStrategy?: string }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Next?: string;
};

describe("the lifecycle's SyncAws step", () => {
  const states = (loadLifecycleDefinition() as unknown as { States: Record<string, State> }).States;
  const sync = states[S.syncAws]!;
  const meta = { $metadata: {}, message: 'x' };

  it('retries throttling, conflicts and internal errors under the names the SDK throws', () => {
    const names = [new ThrottlingException(meta), new ConflictException(meta), new InternalServerException(meta)].map((e) => e.name);
    const first = sync.Retry![0]!;
    expect(first.ErrorEquals).toEqual([...AWS_RETRYABLE_ERRORS]);
    for (const name of names) expect(first.ErrorEquals).toContain(name);
    expect(first).toMatchObject({ MaxAttempts: 6, BackoffRate: 2, JitterStrategy: 'FULL' });
  });

  it('does not list an error AWS never throws, nor retry a denial as if it might pass', () => {
    const listed = sync.Retry!.flatMap((r) => r.ErrorEquals);
    expect(listed).not.toContain('InternalServerError');
    expect(listed.filter((n) => n.startsWith('SsoAdmin.'))).toEqual([]);
    expect(sync.Retry![0]!.ErrorEquals).not.toContain(new AccessDeniedException(meta).name);
  });

  it('after the retries, waits and inspects again instead of failing the run', () => {
    expect(sync.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: S.awsRetryLater }]);
    expect(states[S.awsRetryLater]).toMatchObject({ Type: 'Wait', Seconds: 60, Next: S.inspect });
    expect(sync.Next).toBe(S.awsSettled);
    expect(states[S.waitForAws]).toMatchObject({ Type: 'Wait', SecondsPath: '$.next.waitSeconds', Next: S.syncAws });
  });
});
