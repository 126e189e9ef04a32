/**
 * Runs AWS's DynamoDB Local (the JAR shipped in the amplify-dynamodb-simulator npm package) on the
 * machine's Java: in memory for tests and throwaway runs, or with its data in a folder that survives
 * restarts.
 */
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPortFree } from './ports.ts';
import { StartupError } from './startup-error.ts';

export interface DynamoLocalOptions {
  port: number;
  /** Folder for the data; in memory when absent. */
  dataDir?: string;
  /** The JVM's largest heap (-Xmx); the benchmark's million audit records need more than the default. @default '512m' */
  maxHeap?: string;
}

export interface DynamoLocal {
  endpoint: string;
  stop(): Promise<void>;
}

function emulatorDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

function checkJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new StartupError(
      'Java was not found: DynamoDB Local needs a Java runtime (17 or newer).',
      'Install one (Debian/Ubuntu: `sudo apt-get install -y openjdk-17-jre-headless`; macOS: `brew install openjdk@17`) and make sure `java -version` works.',
    );
  }
}

function checkDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK | constants.R_OK);
  } catch (error) {
    throw new StartupError(
      `The data folder ${dir} cannot be used: ${(error as Error).message}`,
      'Make it writable, point STINT_DATA_DIR at another folder, or run `npm start -- --in-memory`.',
    );
  }
}

// The JVM starts in 2–5 s on an idle machine and far slower beside a busy test run; only a JVM that has
// not answered in three minutes is taken for hung.
const READY_WITHIN_MS = 180_000;

async function waitUntilReady(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  try {
    for (const giveUp = Date.now() + READY_WITHIN_MS; Date.now() < giveUp;) {
      if (child.exitCode !== null) throw new StartupError(`DynamoDB Local exited during start-up (code ${child.exitCode}).`, `Its output was:\n${output()}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await sleep(200);
      }
    }
    throw new StartupError(`DynamoDB Local did not answer within ${READY_WITHIN_MS / 1000} seconds.`, `Its output was:\n${output()}`);
  } finally {
    client.destroy();
  }
}

export async function startDynamoLocal(options: DynamoLocalOptions): Promise<DynamoLocal> {
  checkJava();
  if (!(await isPortFree(options.port))) {
    throw new StartupError(
      `Port ${options.port} (DynamoDB Local) is already in use.`,
      'Stop whatever uses it (perhaps another `npm start`), or choose another port with STINT_DYNAMODB_PORT.',
    );
  }
  if (options.dataDir) checkDataDir(options.dataDir);
  const dir = emulatorDir();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  const child = spawn(
    'java',
    [
      '-Xms64m',
      `-Xmx${options.maxHeap ?? '512m'}`,
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-port',
      String(options.port),
      '-sharedDb',
      ...storage,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const endpoint = `http://127.0.0.1:${options.port}`;
  const stopChild = () => stopProcess(child);
  try {
    await waitUntilReady(endpoint, child, () => output);
  } catch (error) {
    await stopChild();
    throw error;
  }
  return { endpoint, stop: stopChild };
}

/** SIGTERM, then SIGKILL if the process lingers: no orphaned JVM (or emulator) after Ctrl-C. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(3000).then(() => true)]);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}
