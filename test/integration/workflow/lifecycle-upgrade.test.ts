/**
 * Safe upgrades: a run started with an older input version (events/sfn/lifecycle-input.v1.json, frozen:
 * never generated from today's constants) still completes under today's handlers on today's definition.
 * Runs are driven here, not by the local engine, because the engine always starts with the current version.
 * Only version 1 exists so far; when version 2 comes, v1 must keep passing here until it is retired.
 */
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/workflow/lifecycle.ts';
import { LIFECYCLE_STATES as S } from '../../../infra/constructs/request-lifecycle.ts';
import { adaptForLibrary, loadLifecycleDefinition } from '../../../infra/local/workflow-engine.ts';
import { ACCEPTED_LIFECYCLE_SCHEMA_VERSIONS, LIFECYCLE_SCHEMA_VERSION } from '../../../shared/contracts/lifecycle.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import type { Workflows } from '../../../shared/workflow/workflows.ts';
import { activate, customRole, HOUR, instancesOf, iso, makeEligible, newUser, startRolesStack, type Ctx } from '../roles/helpers.ts';
import { eventually } from './support.ts';

type Payload = Record<string, unknown>;

const V1_INPUT = JSON.parse(readFileSync(new URL('../../../events/sfn/lifecycle-input.v1.json', import.meta.url), 'utf8')) as Payload;

/** No step of a run without approval starts, wakes or stops runs. */
const noWorkflows: Workflows = {
  start: async () => undefined,
  resume: async () => undefined,
  stop: async () => undefined,
};

describe('a lifecycle run started with the previous input version', () => {
  const clock = new ManualClock('2031-07-01T08:00:00.000Z');
  let ctx: Ctx;
  beforeAll(async () => {
    // Without the background: nothing starts a run but this test.
    ctx = await startRolesStack({ clock });
  });
  afterAll(() => ctx.stop());

  /** Runs the deployed definition with `input`, every step answered by today's lifecycle handler. */
  function run(input: Payload) {
    const lifecycle = createHandler(() => ({ services: ctx.stack.runtime.services, workflows: noWorkflows }));
    const seen: Payload[] = [];
    const refused: unknown[] = [];
    const startedAt = clock.now().toISOString();
    const call = async (payload: Payload) => {
      seen.push(payload);
      return lifecycle(payload).catch((error: unknown) => {
        refused.push(error);
        throw error;
      });
    };
    // As the local engine does: Waits take no time, and the step after one waits for the clock instead.
    const afterWait = async (payload: Payload) => {
      await clock.until(new Date(String(payload.until)));
      return call(payload);
    };
    const machine = new StateMachine(adaptForLibrary(loadLifecycleDefinition()), { validationOptions: { checkArn: true, checkPaths: true } });
    const execution = machine.run(input as Parameters<StateMachine['run']>[0], {
      context: {
        Execution: { Id: `arn:aws:states:us-east-1:000000000000:execution:stint-request-lifecycle:${input.requestId}`, Name: String(input.requestId) },
      },
      overrides: {
        taskResourceLocalHandlers: {
          [S.inspect]: (p: Payload) => call({ ...p, runStartedAt: startedAt }),
          [S.startAccess]: afterWait,
          [S.expire]: afterWait,
        } as never,
        waitTimeOverrides: { [S.waitForStart]: 0, [S.waitForEnd]: 0 },
      },
    });
    let status: 'running' | 'succeeded' | 'failed' = 'running';
    let failure: unknown;
    const result = execution.result.then(
      () => (status = 'succeeded'),
      (error: unknown) => {
        failure = error;
        status = 'failed';
      },
    );
    return { seen, refused, result, status: () => status, failure: () => failure, abort: () => execution.abort() };
  }

  it('is the version before the current one, or the current one while there is no older (only 1 exists)', () => {
    expect(V1_INPUT.schemaVersion).toBe(1);
    expect(ACCEPTED_LIFECYCLE_SCHEMA_VERSIONS).toContain(1);
    expect(ACCEPTED_LIFECYCLE_SCHEMA_VERSIONS).toContain(LIFECYCLE_SCHEMA_VERSION);
    if (LIFECYCLE_SCHEMA_VERSION > 1) expect(ACCEPTED_LIFECYCLE_SCHEMA_VERSIONS).toContain(LIFECYCLE_SCHEMA_VERSION - 1);
  });

  it('activates at the start and expires at the end, each step handed (and accepting) version 1', async () => {
    // Prepare: a scheduled activation, so the run has both an activation and an expiry to do
    const user = await newUser(ctx, 'upgrade');
    const role = await customRole(ctx, 'Upgrade');
    await makeEligible(ctx, user.id, role);
    const start = clock.now().getTime() + 2 * HOUR;
    const planned = (await activate(ctx, user, role, { start: iso(start), duration: 'PT1H' })).body;
    expect(planned.status).toBe('Granted');

    // Act
    const r = run({ ...V1_INPUT, requestId: planned.id });

    // Assess: waiting for the start, nothing in force
    await eventually(() => r.seen.some((p) => p.step === 'inspect'), 'the first Inspect');
    expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
    clock.set(iso(start));
    await eventually(() => r.seen.some((p) => p.step === 'startAccess') && r.seen.filter((p) => p.step === 'inspect').length >= 2, 'activation at the start');
    expect(await instancesOf(ctx, 'assignment', user.id)).toHaveLength(1);
    clock.set(iso(start + HOUR));
    await r.result;
    expect(r.status(), String(r.failure())).toBe('succeeded');
    expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
    expect(r.seen.map((p) => p.step)).toEqual(['inspect', 'startAccess', 'inspect', 'expire', 'inspect']);
    expect(new Set(r.seen.map((p) => p.schemaVersion))).toEqual(new Set([1]));
  });

  it('fails on a version the handlers do not accept: the version reaches them, so the v1 run above proves v1 is accepted', async () => {
    const user = await newUser(ctx, 'upgrade');
    const role = await customRole(ctx, 'Upgrade');
    await makeEligible(ctx, user.id, role);
    const planned = (await activate(ctx, user, role, { start: iso(clock.now().getTime() + HOUR), duration: 'PT1H' })).body;

    const r = run({ ...V1_INPUT, schemaVersion: 99, requestId: planned.id });
    // The step's retries (seconds apart) would all be refused too: the first refusal is enough.
    await eventually(() => r.refused.length > 0, 'the first Inspect refused');
    r.abort();

    expect(r.seen[0]).toMatchObject({ step: 'inspect', schemaVersion: 99 });
    expect(String(r.refused[0])).toMatch(/schemaVersion/);
    expect(r.seen.some((p) => p.step !== 'inspect')).toBe(false);
  });
});
