/**
 * The Workflows port on one machine: aws-local-stepfunctions runs the lifecycle definition synthesized
 * from the CDK construct (request-lifecycle.asl.json), with its Lambda steps answered in-process by the
 * very handler Lambda runs (functions/workflow/lifecycle.ts).
 *
 * Time comes from the injected clock: the Wait states are overridden to zero and the step after each
 * wait first waits on the clock for the time the Wait would have waited for, so a test's ManualClock
 * drives the machine without sleeps. The approval wait is a `.waitForTaskToken` task: a fresh token per
 * entry, resolved by `resume(token)` (SendTaskSuccess); its timeout is the library's own (States.Timeout
 * → TimeOutApproval), and a manual clock moved past the deadline wakes the wait so the run re-inspects
 * and times out. Runs are kept in a registry file so a restarted stack resumes every unfinished run from
 * the table's state (the machine keeps no state of its own: each run starts at Inspect).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { LIFECYCLE_SCHEMA_VERSION } from '../../shared/contracts/lifecycle.ts';
import type { Clock } from '../../shared/domain/clock.ts';
import { MAX_WAIT_MS } from '../../shared/domain/lifecycle.ts';
import type { Workflows } from '../../shared/workflow/workflows.ts';
import { signalLocalActivity } from './activity.ts';
import { LIFECYCLE_STATES as S } from '../constructs/request-lifecycle.ts';

export type LifecycleStepHandler = (payload: Record<string, unknown>) => Promise<unknown>;

export interface LocalWorkflowsOptions {
  definition: StateMachineDefinition;
  /** The lifecycle Lambda's handler. */
  lifecycle: LifecycleStepHandler;
  clock: Clock;
  /** Where unfinished runs are remembered across restarts; none keeps them in memory only. */
  registryFile?: string;
  log?: (line: string) => void;
}

type RunStatus = 'running' | 'succeeded' | 'failed' | 'stopped';

interface RunRecord {
  startedAt: string;
  status: RunStatus;
  /** The request the run is of, when its name is not the request id (an AWS sync run). */
  requestId?: string;
}

interface LiveRun {
  abort: AbortController;
  stopMachine: () => void;
  result: Promise<RunStatus>;
  state: string;
  /** The latest Inspect answer: the approval wait's deadline lives there. */
  next?: { phase: string; until?: string };
}

export const LOCAL_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:stint-request-lifecycle';

export class LocalWorkflows implements Workflows {
  private readonly registry = new Map<string, RunRecord>();
  private readonly live = new Map<string, LiveRun>();
  private readonly tokens = new Map<string, () => void>();
  private readonly machine: StateMachine;
  private closed = false;

  constructor(private readonly options: LocalWorkflowsOptions) {
    this.machine = new StateMachine(adaptForLibrary(options.definition), { validationOptions: { checkArn: true, checkPaths: true } });
    if (options.registryFile && existsSync(options.registryFile)) {
      for (const [name, record] of Object.entries(JSON.parse(readFileSync(options.registryFile, 'utf8')) as Record<string, RunRecord>))
        this.registry.set(name, record);
    }
  }

  /** Like StartExecution with a name: a name used before (running or finished) starts nothing new. */
  async start(requestId: string, runName = requestId): Promise<void> {
    if (this.closed || this.registry.has(runName)) return;
    this.registry.set(runName, { startedAt: this.options.clock.now().toISOString(), status: 'running', ...(runName !== requestId && { requestId }) });
    this.save();
    this.launch(runName);
  }

  async resume(taskToken: string): Promise<void> {
    this.tokens.get(taskToken)?.();
  }

  async stop(requestId: string, cause: string): Promise<void> {
    const record = this.registry.get(requestId);
    if (!record || record.status !== 'running') return;
    this.options.log?.(`workflow ${requestId}: stopped (${cause})`);
    this.finish(requestId, 'stopped');
    this.kill(requestId);
  }

  /** Starts again every run that was unfinished when the stack last stopped. */
  resumeAll(): number {
    const unfinished = [...this.registry].filter(([name, r]) => r.status === 'running' && !this.live.has(name));
    for (const [name] of unfinished) this.launch(name);
    return unfinished.length;
  }

  /** Ends a run's process without recording why, as a crash would: for tests of the sweeper's repair. */
  kill(requestId: string): void {
    const run = this.live.get(requestId);
    if (!run) return;
    run.abort.abort();
    run.stopMachine();
    this.live.delete(requestId);
  }

  /** The state a run is in now ('Done' when finished), for tests and the local status page. */
  stateOf(requestId: string): string | undefined {
    return this.live.get(requestId)?.state ?? (this.registry.has(requestId) ? this.registry.get(requestId)!.status : undefined);
  }

  /** What a live run is waiting for, from its latest Inspect (tests wait for a run to reach its wait). */
  waitingFor(requestId: string): { phase: string; until?: string } | undefined {
    return this.live.get(requestId)?.next;
  }

  statusOf(requestId: string): RunStatus | undefined {
    return this.registry.get(requestId)?.status;
  }

  /** Resolves when the run ends (at once if it is not running in this process). */
  async settled(requestId: string): Promise<RunStatus | undefined> {
    return (await this.live.get(requestId)?.result) ?? this.registry.get(requestId)?.status;
  }

  runs(): { name: string; status: RunStatus; state?: string }[] {
    return [...this.registry].map(([name, r]) => ({ name, status: r.status, state: this.live.get(name)?.state }));
  }

  /** Stops every live run but keeps them registered as running: the next start resumes them. */
  async close(): Promise<void> {
    this.closed = true;
    for (const name of [...this.live.keys()]) this.kill(name);
  }

  private launch(name: string): void {
    const record = this.registry.get(name)!;
    const abort = new AbortController();
    const { clock } = this.options;
    const live: LiveRun = { abort, stopMachine: () => undefined, result: Promise.resolve('running'), state: 'Inspect' };
    const call = (payload: Record<string, unknown>) => this.options.lifecycle(payload);
    const afterWait = async (payload: Record<string, unknown>) => {
      await clock.until(new Date(String(payload.until)), abort.signal);
      if (abort.signal.aborted) return new Promise(() => undefined);
      return call(payload);
    };
    const handlers = {
      [S.inspect]: async (payload: Record<string, unknown>) => {
        // The run's start time is the injected clock's, kept across restarts (the library would use the wall clock).
        const next = (await call({ ...payload, runStartedAt: record.startedAt })) as LiveRun['next'];
        live.next = next;
        return next;
      },
      [S.startAccess]: afterWait,
      [S.expire]: afterWait,
      // AWS answers in real time, not on the clock: a poll after the first waits a little real time (the Wait is zero here).
      [S.syncAws]: async (payload: Record<string, unknown>) => {
        const attempt = Number(payload.attempt ?? 1);
        if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * attempt)));
        if (abort.signal.aborted) return new Promise(() => undefined);
        return call(payload);
      },
      [S.timeOutApproval]: call,
      [S.awaitApproval]: async (parameters: { Payload: Record<string, unknown> }) => {
        const token = `${name}:${randomUUID()}`;
        const woken = new Promise<void>((resolve) => this.tokens.set(token, resolve));
        const deadline = live.next?.until ? new Date(live.next.until) : undefined;
        // A manual clock moved past the deadline wakes the run, which re-inspects and then waits out the
        // one-second timeout Inspect gives a past deadline: the library's own States.Timeout follows.
        const pastDeadline = deadline && deadline > clock.now() ? clock.until(deadline, abort.signal) : new Promise<void>(() => undefined);
        try {
          await call({ ...parameters.Payload, taskToken: token });
          await Promise.race([woken, pastDeadline]);
        } finally {
          this.tokens.delete(token);
        }
        return {};
      },
    };
    const execution = this.machine.run(
      { schemaVersion: LIFECYCLE_SCHEMA_VERSION, requestId: record.requestId ?? name },
      {
        noThrowOnAbort: true,
        // Each approval wait gets a fresh token in its handler; this one only satisfies $$.Task.Token.
        context: {
          Execution: { Id: `${LOCAL_STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}`, Name: name },
          Task: { Token: 'replaced-per-wait' },
        },
        overrides: {
          taskResourceLocalHandlers: handlers as never,
          waitTimeOverrides: { [S.waitForStart]: 0, [S.waitForEnd]: 0, [S.waitForAws]: 0, [S.awsRetryLater]: 1000 },
          retryIntervalOverrides: { [S.syncAws]: 20 },
        },
      },
    );
    live.stopMachine = execution.abort;
    void (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'StateEntered') live.state = event.state.name;
        signalLocalActivity();
      }
    })().catch(() => undefined);
    live.result = execution.result
      .then(
        () => (abort.signal.aborted ? 'stopped' : 'succeeded'),
        (error: unknown) => {
          this.options.log?.(`workflow ${name}: failed: ${error instanceof Error ? error.message : String(error)}`);
          return 'failed' as const;
        },
      )
      .then((status) => {
        if (this.live.get(name) === live) {
          this.live.delete(name);
          if (status !== 'stopped') this.finish(name, status);
        }
        signalLocalActivity();
        return status;
      });
    this.live.set(name, live);
  }

  private finish(name: string, status: RunStatus): void {
    const record = this.registry.get(name);
    if (!record) return;
    record.status = status;
    this.save();
  }

  private save(): void {
    if (!this.options.registryFile) return;
    writeFileSync(this.options.registryFile, JSON.stringify(Object.fromEntries(this.registry), null, 1));
  }
}

/**
 * Two differences of aws-local-stepfunctions 3 from Step Functions, adapted here and nowhere else: it
 * resolves a task's TimeoutSecondsPath against the task's Parameters, not the state's input (the
 * definition passes the same value in the approval task's Payload, so locally the path points there); and
 * the clock gates of this engine run inside the steps after the Waits, which need a timeout as long as the
 * wait. Nothing else of the definition is changed.
 */
export function adaptForLibrary(definition: StateMachineDefinition): StateMachineDefinition {
  const copy = structuredClone(definition) as unknown as { States: Record<string, Record<string, unknown>> };
  const task = copy.States[S.awaitApproval];
  if (task?.TimeoutSecondsPath !== '$.next.timeoutSeconds')
    throw new Error(`The lifecycle definition's ${S.awaitApproval} state is not as the local engine expects.`);
  task.TimeoutSecondsPath = '$.Payload.timeoutSeconds';
  // The steps after the Wait states wait on the clock here (see the class comment), and the library gives
  // a task without TimeoutSeconds only 60 s: give them as long as the longest wait.
  for (const name of [S.startAccess, S.expire]) copy.States[name]!.TimeoutSeconds = Math.ceil(MAX_WAIT_MS / 1000) + 60;
  return copy as unknown as StateMachineDefinition;
}

/** The definition the stack deploys, as generated into this folder (see generate-asl.ts). */
export function loadLifecycleDefinition(): StateMachineDefinition {
  return JSON.parse(readFileSync(new URL('./request-lifecycle.asl.json', import.meta.url), 'utf8')) as StateMachineDefinition;
}
