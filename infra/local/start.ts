/**
 * `npm start`: the whole product on this machine. Data is kept in .stint/data across restarts;
 * `npm start -- --in-memory` throws it away on exit.
 */
import { resolve } from 'node:path';
import { DEMO_ADMIN } from './seed.ts';
import { startLocalStack, type LocalStack } from './stack.ts';
import { ensurePortalBuilt } from './portal-site.ts';
import { StartupError } from './startup-error.ts';
import { readSettings, SettingsError, type LocalSettings } from '../../shared/settings.ts';

const HELP = `Usage: npm start [-- --in-memory]

Runs Stint locally: DynamoDB Local, the API with a dev identity issuer, the request-lifecycle
state machine (aws-local-stepfunctions), the table stream's consumers, the sweeper, and a local
SES inbox for the notification emails.

Options:
  --in-memory     keep nothing: the data is gone when you stop
  --help          this text

Settings (environment; README.md, "Configuration", lists them all):
  PORT                  API port (default 3000)
  STINT_HTTPS_PORT      the API over HTTPS, for Microsoft's Graph SDK (default 3443; 'off' to skip)
  STINT_DYNAMODB_PORT   DynamoDB Local port (default 8000)
  STINT_DATA_DIR        data folder (default .stint/data)
  STINT_SES_PORT        local SES and its web inbox (default 8005; 'off' for no email)
  STINT_SWEEP_SECONDS   how often the sweeper runs (default 60)
  STINT_AWS_PORT        the AWS emulator, moto_server, when it is on PATH (default 5055; 'off' for none)

GET /health answers 200 once everything above is up and the demo tenant is seeded, 503 until then.
`;

function awsLine(stack: LocalStack): string {
  if (stack.aws) {
    return (
      `${stack.aws.endpoint}   (moto_server: instance ${stack.aws.instanceArn}; assignments: GET ${stack.url}/local/aws/assignments)
` + `  AWS reconciler   every 5 min and once at start (grants again what the emulator forgot); run it now: POST ${stack.url}/local/aws/reconcile`
    );
  }
  return stack.awsEmulator === 'missing' ? 'not connected (moto_server not found)' : 'not connected (STINT_AWS_PORT=off)';
}

function banner(stack: LocalStack, dataDir: string | undefined, local: LocalSettings): string {
  const u = stack.url;
  return `
Stint is running.

  Portal           ${u}/portal/   (sign in as any demo user; admin@contoso.test is a Global Administrator)
  API              ${u}            (ready: ${u}/health, OpenAPI: ${u}/openapi.json)${
    stack.https
      ? `
  API over HTTPS   ${stack.https.url}   (self-signed; trust it with NODE_EXTRA_CA_CERTS=${stack.https.certFile})`
      : ''
  }
  Token endpoint   POST ${u}/local/token   (dev issuer, local only)
  DynamoDB Local   ${stack.dynamoEndpoint}   table '${stack.tableName}'
  Data             ${dataDir ?? 'in memory (gone on exit)'}
  Email inbox      ${stack.inbox ? `${stack.inbox.url}   (every notification email; JSON at ${stack.inbox.url}/store)` : 'off'}
  Workflows        request lifecycle on aws-local-stepfunctions; ${stack.background?.resumed ?? 0} run(s) resumed; list: GET ${u}/local/workflows
  Sweeper          every ${local.sweepSeconds} s; run it now: POST ${u}/local/sweep
  Access reviews   job every ${local.sweepSeconds} s (starts, reminds, ends reviews); run it now: POST ${u}/local/reviews/run
  Alerts           scan every hour and at start (PIM security alerts); scan now: POST ${u}/beta/identityGovernance/roleManagementAlerts/alerts/refresh
  Weekly digest    job every hour and at start (sends once a week, from Monday 08:00 UTC); run it now: POST ${u}/local/digest
  AWS access       ${awsLine(stack)}
  Demo tenant      ${stack.seeded === 'seeded' ? 'created' : 'already there'}: 10 users @contoso.test, 3 groups; admin is ${DEMO_ADMIN}

Try:
  TOKEN=$(curl -s -X POST ${u}/local/token -H 'content-type: application/json' \\
            -d '{"user": "${DEMO_ADMIN}", "mfa": true}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')
  curl -s ${u}/v1.0/users -H "Authorization: Bearer $TOKEN"
  curl -s "${u}/v1.0/roleManagement/directory/roleDefinitions?\\$filter=displayName%20eq%20'Global%20Administrator'" -H "Authorization: Bearer $TOKEN"

Microsoft's Graph SDK sends tokens only to https hosts: point it at the HTTPS address above, with
customHosts: new Set(['localhost']) and NODE_EXTRA_CA_CERTS set (README, "Using the Graph SDK").

Press Ctrl-C to stop.
`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const unknown = args.filter((a) => !['--in-memory'].includes(a));
  if (unknown.length > 0) throw new StartupError(`Unknown option ${unknown.join(' ')}.`, HELP);
  const inMemory = args.includes('--in-memory');
  const settings = readSettings();
  const local = settings.local;
  const dataDir = inMemory ? undefined : resolve(local.dataDir);
  // Listen for Ctrl-C before anything starts, so a stop during start-up still cleans up (and tsx, which
  // relays signals, sees a handler at once).
  let stack: LocalStack | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping…\n`);
    if (!stack) return; // still starting: it stops as soon as it has started
    await stack.stop();
    process.stdout.write('Stopped.\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // A broken portal build must not keep the API from starting: say so loudly and serve the API alone.
  await ensurePortalBuilt((line) => process.stderr.write(`${line}\n`)).catch((error: Error) =>
    process.stderr.write(`\nThe portal (web/) could not be built, so /portal/ is unavailable: ${error.message}\n\n`),
  );
  const started = await startLocalStack({
    port: local.port,
    dynamoPort: local.dynamoPort,
    httpsPort: local.httpsPort,
    dataDir,
    background: { sweepIntervalMs: local.sweepSeconds * 1000, log: (line) => process.stderr.write(`${line}\n`) },
    sesPort: local.sesPort,
    awsPort: settings.aws.localPort,
  });
  stack = started;
  // As the first hourly run would on AWS: the alerts page has something to show from the start.
  const scanned = started.background?.scanAlerts().catch(() => undefined);
  if (stopping) {
    await started.stop();
    process.stdout.write('Stopped.\n');
    process.exit(0);
  }
  process.stdout.write(banner(started, dataDir, local));
  // As the hourly schedule would soon after a deployment: this week's digest, if it is due and not sent yet
  // (after the first alerts scan, whose alerts it counts).
  void scanned?.then(() => started.background?.runDigest()).catch(() => undefined);
}

main().catch((error) => {
  if (error instanceof StartupError) {
    process.stderr.write(`\nStint could not start: ${error.message}\n${error.hint}\n`);
  } else if (error instanceof SettingsError) {
    process.stderr.write(`\nStint could not start: ${error.message}\n`);
  } else {
    process.stderr.write(`\nStint could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
