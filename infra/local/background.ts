/**
 * The local stand-ins for what runs behind the API on AWS: the request-lifecycle state machine
 * (LocalWorkflows), DynamoDB Streams → Lambda (StreamPoller), and EventBridge Scheduler → the sweeper,
 * the access review job, the weekly digest, the alerts scan and the AWS reconciler (timers). Each calls
 * the very handler module Lambda runs.
 */
import { join } from 'node:path';
import { createHandler as createLifecycleHandler } from '../../functions/workflow/lifecycle.ts';
import { createHandler as createSignalsHandler, leftGroupWith } from '../../functions/stream/workflow-signals.ts';
import { createHandler as createSweeperHandler } from '../../functions/jobs/sweeper.ts';
import { createHandler as createReviewsHandler } from '../../functions/jobs/access-reviews.ts';
import { createHandler as createAwsReconcileHandler } from '../../functions/jobs/aws-reconcile.ts';
import { createHandler as createDigestHandler } from '../../functions/jobs/weekly-digest.ts';
import type { DigestDeps, DigestReport } from '../../shared/services/digest/send-digest.ts';
import { createHandler as createAlertsHandler } from '../../functions/jobs/alerts.ts';
import type { RefreshReport } from '../../shared/services/alerts/refresh.ts';
import type { ReviewRunReport } from '../../shared/services/access-reviews/run-due.ts';
import type { ReconcileReport } from '../../shared/services/aws/reconcile.ts';
import type { SweepReport } from '../../shared/services/lifecycle/sweep.ts';
import type { Services } from '../../shared/services/context.ts';
import { StreamPoller, type StreamConsumer } from './stream-poller.ts';
import { LocalWorkflows, loadLifecycleDefinition } from './workflow-engine.ts';

export interface BackgroundOptions {
  services: Services;
  dynamoEndpoint: string;
  tableName: string;
  dataDir?: string;
  /** How often the sweeper runs; 0: only when asked (tests). @default 60 000 */
  sweepIntervalMs?: number;
  /** How often the access review job runs; 0: only when asked. @default sweepIntervalMs */
  reviewIntervalMs?: number;
  /**
   * How often the AWS reconciler runs when AWS access is connected; 0: only when asked. Unless 0, it also
   * runs once as soon as the stack is up (the local emulator starts empty while the table remembers what
   * was granted). @default 300 000
   */
  awsReconcileIntervalMs?: number;
  /** The weekly digest's mailer and portal (the stack's SES inbox); without them the digest is not sent. */
  digest?: DigestDeps;
  /** How often the weekly digest job runs (it sends once a week, from Monday 08:00 UTC); 0: only when asked. @default 3 600 000 */
  digestIntervalMs?: number;
  /** How often the alerts scan runs; 0: only when asked. @default 3 600 000 (hourly, as on AWS) */
  alertsIntervalMs?: number;
  /** Further stream consumers (the notifications outbox). */
  consumers?: StreamConsumer[];
  log?: (line: string) => void;
}

export interface Background {
  workflows: LocalWorkflows;
  poller: StreamPoller;
  /** Runs the sweeper now (also what the timer does). */
  sweep(): Promise<SweepReport>;
  /** Runs the access review job now (also what its timer does). */
  runReviews(): Promise<ReviewRunReport>;
  /** Runs the weekly digest job now (also what its timer does); refused when the stack has no email. */
  runDigest(): Promise<DigestReport>;
  /** Runs the AWS reconciler now (also what its timer does); refused when AWS access is not connected. */
  reconcileAws(): Promise<ReconcileReport>;
  /** Runs the alerts scan now (also what its timer does). */
  scanAlerts(): Promise<RefreshReport>;
  /** Whether the reconciler runs on its own (timer, and once at start-up). */
  awsReconcileScheduled: boolean;
  /** Resolves once every change written so far has been through the stream consumers. */
  settle(): Promise<void>;
  /** How many runs were resumed at start-up. */
  resumed: number;
  stop(): Promise<void>;
}

export async function startBackground(options: BackgroundOptions): Promise<Background> {
  const { services } = options;
  let workflows: LocalWorkflows | undefined;
  const lifecycle = createLifecycleHandler(() => ({ services, workflows: workflows! }));
  workflows = new LocalWorkflows({
    definition: loadLifecycleDefinition(),
    lifecycle: (payload) => lifecycle(payload),
    clock: services.clock,
    registryFile: options.dataDir && join(options.dataDir, 'workflow-runs.json'),
    log: options.log,
  });
  const signals = createSignalsHandler(() => ({ workflows: workflows!, clock: services.clock, leftGroup: leftGroupWith(services) }));
  const poller = new StreamPoller({
    endpoint: options.dynamoEndpoint,
    tableName: options.tableName,
    consumers: [signals, ...(options.consumers ?? [])],
    checkpointFile: options.dataDir && join(options.dataDir, 'stream-checkpoints.json'),
    log: options.log,
  });
  await poller.start();
  const sweeper = createSweeperHandler(() => services);
  const interval = options.sweepIntervalMs ?? 60_000;
  let sweeping: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    const run = sweeping.then(() => sweeper());
    sweeping = run.catch((error: unknown) => options.log?.(`sweeper: ${error instanceof Error ? error.message : String(error)}`));
    return run;
  };
  const timer = interval > 0 ? setInterval(() => void sweep().catch(() => undefined), interval) : undefined;
  timer?.unref();
  // As on AWS, the job's own failure report is an error; here it is logged and the next tick tries again.
  const reviewJob = createReviewsHandler(() => services);
  let reviewing: Promise<unknown> = Promise.resolve();
  const runReviews = () => {
    const run = reviewing.then(() => reviewJob());
    reviewing = run.catch((error: unknown) => options.log?.(`access reviews: ${error instanceof Error ? error.message : String(error)}`));
    return run;
  };
  const reviewInterval = options.reviewIntervalMs ?? interval;
  const reviewTimer = reviewInterval > 0 ? setInterval(() => void runReviews().catch(() => undefined), reviewInterval) : undefined;
  reviewTimer?.unref();
  const digestJob = options.digest ? createDigestHandler(() => options.digest!) : undefined;
  let digesting: Promise<unknown> = Promise.resolve();
  const runDigest = () => {
    if (!digestJob) return Promise.reject(new Error('The weekly digest needs email: this stack runs without the local SES inbox.'));
    const run = digesting.then(() => digestJob());
    digesting = run.catch((error: unknown) => options.log?.(`weekly digest: ${error instanceof Error ? error.message : String(error)}`));
    return run;
  };
  const digestInterval = digestJob ? (options.digestIntervalMs ?? 3_600_000) : 0;
  const digestTimer = digestInterval > 0 ? setInterval(() => void runDigest().catch(() => undefined), digestInterval) : undefined;
  digestTimer?.unref();
  const awsReconciler = createAwsReconcileHandler(() => services);
  let reconciling: Promise<unknown> = Promise.resolve();
  const reconcileAws = () => {
    const run = reconciling.then(() => awsReconciler());
    reconciling = run.catch((error: unknown) => options.log?.(`AWS reconcile: ${error instanceof Error ? error.message : String(error)}`));
    return run;
  };
  const awsInterval = services.aws ? (options.awsReconcileIntervalMs ?? 300_000) : 0;
  const awsTimer = awsInterval > 0 ? setInterval(() => void reconcileAws().catch(() => undefined), awsInterval) : undefined;
  awsTimer?.unref();
  const alertsJob = createAlertsHandler(() => services);
  let scanning: Promise<unknown> = Promise.resolve();
  const scanAlerts = () => {
    const run = scanning.then(() => alertsJob());
    scanning = run.catch((error: unknown) => options.log?.(`alerts: ${error instanceof Error ? error.message : String(error)}`));
    return run;
  };
  const alertsInterval = options.alertsIntervalMs ?? 3_600_000;
  const alertsTimer = alertsInterval > 0 ? setInterval(() => void scanAlerts().catch(() => undefined), alertsInterval) : undefined;
  alertsTimer?.unref();
  const resumed = workflows.resumeAll();
  return {
    workflows,
    poller,
    sweep,
    runReviews,
    runDigest,
    reconcileAws,
    scanAlerts,
    awsReconcileScheduled: awsInterval > 0,
    settle: () => poller.idle(),
    resumed,
    async stop() {
      clearInterval(timer);
      clearInterval(reviewTimer);
      clearInterval(digestTimer);
      clearInterval(awsTimer);
      clearInterval(alertsTimer);
      await workflows!.close();
      await poller.stop();
      await sweeping;
      await reviewing;
      await digesting;
      await reconciling;
      await scanning;
    },
  };
}
