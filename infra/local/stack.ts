/**
 * The whole product on one machine: DynamoDB Local, the table from the deployed definition, the dev
 * issuer, and the API handlers behind a local API Gateway. `npm start` and the tests both use it.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig, readSettings, SETTING, type Config, type SettingValues } from '../../shared/settings.ts';
import { systemClock, type Clock } from '../../shared/domain/clock.ts';
import { createRuntime, type Runtime } from '../../shared/runtime.ts';
import type { VerifierOptions } from '../../shared/auth/token-verifier.ts';
import { gatewayRoutes } from '../../shared/http/gateway-routes.ts';
import { ensureTable } from './create-table.ts';
import { DEV_AUDIENCE, DEV_ISSUER_TRUST, createDevIssuer, type DevIssuer } from './dev-issuer.ts';
import { startDynamoLocal, type DynamoLocal } from './dynamodb-local.ts';
import type { Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { createLocalHttpsServer, createLocalServer, listen } from './http-server.ts';
import { localCertificate } from './tls.ts';
import { loadHandlers } from './lambda-modules.ts';
import { freePort, isPortFree } from './ports.ts';
import { seedDemoTenant } from './seed.ts';
import { startBackground, type Background, type BackgroundOptions } from './background.ts';
import { startSesInbox, type SesInbox } from './ses-inbox.ts';
import { createHandler as createNotificationsHandler } from '../../functions/stream/notifications.ts';
import { createOutboxDeps } from '../../shared/services/notifications/runtime.ts';
import { createMemoryEventPublisher } from '../../shared/services/notifications/event-publisher.ts';
import { StartupError } from './startup-error.ts';
import { createReadiness, type StackPart } from './readiness.ts';
import { createLocalOidc } from './oidc/provider.ts';
import { startAwsEmulator } from './aws-emulator.ts';
import { startSecretsStandIn } from './secrets-stand-in.ts';
import { seedAwsDemo, type AwsDemo } from './aws-seed.ts';
import { discoverAws } from '../../shared/services/aws/discover.ts';
import { SYSTEM_CALLER } from '../../shared/domain/caller.ts';

export interface LocalStackOptions {
  port: number;
  host?: string;
  /** Reuse a running DynamoDB (tests); otherwise one is started on dynamoPort. */
  dynamoEndpoint?: string;
  dynamoPort?: number;
  /** Where data and the dev issuer's key live; in memory when absent. */
  dataDir?: string;
  tableName?: string;
  clock?: Clock;
  /** Also serve the API over HTTPS on this port (self-signed localhost certificate), for the Graph SDK. */
  httpsPort?: number;
  seed?: boolean;
  /**
   * The lifecycle workflows, the stream consumers and the sweeper. `npm start` runs them; tests that
   * need them ask (each poller polls DynamoDB Local continuously). @default false
   */
  background?: boolean | Omit<BackgroundOptions, 'services' | 'dynamoEndpoint' | 'tableName' | 'dataDir'>;
  /**
   * The local SES (aws-ses-v2-local) that the notifications outbox sends to, started with the background
   * on this port (0: a free one). false: no email. @default 0
   */
  sesPort?: number | false;
  /**
   * The environment whose settings apply (README.md, "Configuration"), read through shared/settings.ts like
   * a Lambda's; the stack sets its own table, DynamoDB endpoint, issuer, paging secret, portal and SES over
   * it. @default process.env
   */
  env?: NodeJS.ProcessEnv;
  /** Days audit records are kept, in place of STINT_AUDIT_RETENTION_DAYS (unset there too: kept forever). */
  auditRetentionDays?: number;
  /** Largest audit export chunk in bytes, in place of STINT_EXPORT_CHUNK_BYTES (tests make it small to see many chunks). */
  exportChunkBytes?: number;
  /** Issuers trusted beside the dev issuer, with their keys and trust (tests of identity linking). */
  otherIssuers?: Omit<VerifierOptions, 'clock'>[];
  /**
   * The local AWS emulator (moto_server behind a small proxy) on this port (0: a free one), seeded with the
   * AWS demo and connected as the stack's Identity Center. Without moto_server on PATH AWS access is
   * simply not connected. false or absent: no emulator. @default false
   */
  awsPort?: number | false;
  /** Runs when all but the seed is up, and the seed waits for it (a test holds the seed here to watch /health). */
  beforeSeed?: (stack: { url: string }) => Promise<void>;
}

export interface LocalStack {
  url: string;
  /** Set when httpsPort was given. */
  https?: { url: string; certFile: string };
  dynamoEndpoint: string;
  tableName: string;
  runtime: Runtime;
  seeded: 'seeded' | 'present' | 'skipped';
  /** Present when the background was asked for. */
  background?: Background;
  /** The local SES inbox, when the background runs with email. */
  inbox?: SesInbox;
  /** The dev issuer (tests sign tokens for identities the directory does not know yet). */
  devIssuer: DevIssuer;
  /** The local AWS emulator and its demo Identity Center, when it runs. */
  aws?: AwsDemo;
  /** Why there is no emulator: not asked for, or moto_server is not on PATH. */
  awsEmulator: 'running' | 'off' | 'missing';
  stop(): Promise<void>;
}

/** The paging key's secret id in the local stand-in (a deployment's is the secret's ARN). */
export const LOCAL_PAGE_TOKEN_SECRET_ID = 'stint-local/page-token-secret';

function persistentSecret(dataDir: string | undefined): string {
  const file = dataDir ? join(dataDir, 'page-token-secret') : undefined;
  if (file && existsSync(file)) return readFileSync(file, 'utf8');
  const secret = randomBytes(32).toString('base64url');
  if (file) writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** The parts /health waits for: those these options start. */
function parts(options: LocalStackOptions): StackPart[] {
  const email = Boolean(options.background) && options.sesPort !== false;
  return [
    ...(options.httpsPort !== undefined ? (['https'] as const) : []),
    ...(email ? (['email'] as const) : []),
    ...(options.background ? (['background'] as const) : []),
    ...(options.seed !== false ? (['seed'] as const) : []),
  ];
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const clock = options.clock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  if (options.port !== 0 && !(await isPortFree(options.port, host))) {
    throw new StartupError(
      `Port ${options.port} (the API) is already in use.`,
      'Stop whatever uses it (perhaps another `npm start`), or choose another port: PORT=3100 npm start',
    );
  }
  let dynamo: DynamoLocal | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  try {
    if (!options.dynamoEndpoint) {
      dynamo = await startDynamoLocal({ port: options.dynamoPort ?? 8000, dataDir: options.dataDir && join(options.dataDir, 'dynamodb') });
      cleanups.push(dynamo.stop);
    }
    const dynamoEndpoint = options.dynamoEndpoint ?? dynamo!.endpoint;
    const tableName = options.tableName ?? 'stint';
    const admin = new DynamoDBClient({ endpoint: dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(admin, tableName);
    admin.destroy();

    let aws: AwsDemo | undefined;
    let awsEmulator: LocalStack['awsEmulator'] = 'off';
    if (options.awsPort !== undefined && options.awsPort !== false) {
      const emulator = await startAwsEmulator({ port: options.awsPort, host });
      awsEmulator = emulator ? 'running' : 'missing';
      if (emulator) {
        cleanups.push(emulator.stop);
        // Before the runtime: its services connect to the instance the seed reports.
        aws = await seedAwsDemo(emulator.endpoint);
      }
    }

    // The paging key is read as deployed functions read it: from a secret, through the extension's endpoint.
    const secrets = await startSecretsStandIn({ [LOCAL_PAGE_TOKEN_SECRET_ID]: persistentSecret(options.dataDir) }, host);
    cleanups.push(secrets.stop);

    const port = options.port === 0 ? await freePort() : options.port;
    const url = `http://localhost:${port}`;
    // What the stack decides itself, in place of the environment's values and checked like them.
    const own: SettingValues = {
      [SETTING.region]: 'us-east-1',
      [SETTING.tableName]: tableName,
      [SETTING.dynamoEndpoint]: dynamoEndpoint,
      [SETTING.jwtIssuer]: url,
      [SETTING.jwtAudience]: DEV_AUDIENCE,
      [SETTING.jwksUrl]: `${url}/.well-known/jwks.json`,
      [SETTING.pageTokenSecretId]: LOCAL_PAGE_TOKEN_SECRET_ID,
      [SETTING.secretsEndpoint]: secrets.endpoint,
      // Unset, whatever the environment says: the key comes from the secret above.
      [SETTING.pageTokenSecret]: '',
      // Email links point at this API's portal pages.
      [SETTING.portalUrl]: `${url}/portal`,
      ...(options.auditRetentionDays !== undefined && { [SETTING.auditRetentionDays]: String(options.auditRetentionDays) }),
      ...(options.exportChunkBytes !== undefined && { [SETTING.exportChunkBytes]: String(options.exportChunkBytes) }),
      ...(aws && {
        [SETTING.awsInstanceArn]: aws.instanceArn,
        [SETTING.awsIdentityStoreId]: aws.identityStoreId,
        [SETTING.awsEndpoint]: aws.endpoint,
        // As deployed: the management account is never assigned into (the delegated administrator cannot).
        [SETTING.awsExcludedAccounts]: aws.managementAccountId,
      }),
    };
    const env = options.env ?? process.env;
    const settings = readSettings(env, own);
    // The dev issuer's trust is its own (its subjects are directory ids), not a setting.
    const config: Config = { ...readConfig(settings), jwt: { ...settings.api.jwt, trust: DEV_ISSUER_TRUST } };
    const readiness = createReadiness(parts(options));
    const runtime = createRuntime(config, clock, options.otherIssuers, settings.aws);
    const issuer = await createDevIssuer(url, clock, options.dataDir && join(options.dataDir, 'dev-issuer-key.json'));
    const handlers = await loadHandlers(() => runtime);
    let background: Background | undefined;
    const oidc = createLocalOidc(issuer, runtime.services);
    const deps = {
      routes: gatewayRoutes(),
      handlers,
      verifier: runtime.verifier,
      issuer,
      services: runtime.services,
      background: () => background,
      readiness,
      portal: { url },
      oidc,
      aws,
    };
    const closeLater = (server: Server | HttpsServer) =>
      cleanups.unshift(
        () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      );
    const plain = createLocalServer(deps);
    await listen(plain, port, host);
    closeLater(plain);
    let https: LocalStack['https'];
    if (options.httpsPort !== undefined) {
      if (options.httpsPort !== 0 && !(await isPortFree(options.httpsPort, host))) {
        throw new StartupError(
          `Port ${options.httpsPort} (the API over HTTPS) is already in use.`,
          'Stop whatever uses it, or choose another port: STINT_HTTPS_PORT=3444 npm start',
        );
      }
      const tls = await localCertificate(options.dataDir);
      if (tls.temporaryDir) cleanups.push(async () => rmSync(tls.temporaryDir!, { recursive: true, force: true }));
      const secure = createLocalHttpsServer(deps, tls);
      const httpsPort = await listen(secure, options.httpsPort, host);
      closeLater(secure);
      https = { url: `https://localhost:${httpsPort}`, certFile: tls.certFile };
      readiness.ready('https');
    }
    let inbox: SesInbox | undefined;
    if (options.background) {
      const extra = options.background === true ? {} : options.background;
      const consumers = [...(extra.consumers ?? [])];
      let digest: BackgroundOptions['digest'];
      if (options.sesPort !== false) {
        inbox = await startSesInbox({ port: options.sesPort || (await freePort()), host });
        cleanups.push(inbox.stop);
        // The same outbox handler as the stream Lambda, sending to the local SES; links point at this API's portal pages.
        const outbox = readSettings(env, { ...own, [SETTING.sesEndpoint]: inbox.url });
        // Its log lines (events published, emails sent, failure metrics) go where the background logs, if anywhere.
        const log = extra.log ?? (() => undefined);
        const mail = { ...createOutboxDeps({ ...outbox.store, ...outbox.notifications }, clock), writeLog: log };
        consumers.push(createNotificationsHandler({ ...mail, events: createMemoryEventPublisher(log) }));
        // The weekly digest job sends through the same SES, from the same address, with the same links.
        digest = mail;
        readiness.ready('email');
      }
      background = await startBackground({
        ...extra,
        consumers,
        digest: digest ?? extra.digest,
        services: runtime.services,
        dynamoEndpoint,
        tableName,
        dataDir: options.dataDir,
      });
      // Before the servers close, so no run is mid-step when the table goes away.
      cleanups.unshift(background.stop);
      readiness.ready('background');
    }
    let seeded: LocalStack['seeded'] = 'skipped';
    if (options.seed !== false) {
      await options.beforeSeed?.({ url });
      seeded = await seedDemoTenant(runtime.services);
      // The emulator's managed permission sets become AWS roles, and its organization names the scopes.
      if (runtime.services.aws) await discoverAws(runtime.services, { caller: SYSTEM_CALLER, correlationId: 'local-seed', system: true });
      readiness.ready('seed');
    }
    // The emulator starts empty while the table remembers what was granted: the first reconcile grants it again.
    if (background?.awsReconcileScheduled) void background.reconcileAws().catch(() => undefined);
    return {
      background,
      inbox,
      devIssuer: issuer,
      aws,
      awsEmulator,
      url,
      https,
      dynamoEndpoint,
      tableName,
      runtime,
      seeded,
      async stop() {
        for (const cleanup of cleanups) await cleanup();
        runtime.services.table.db.destroy();
      },
    };
  } catch (error) {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw error;
  }
}
