/**
 * The local stand-in for IAM Identity Center and AWS Organizations: moto_server (Python, on these
 * machines' PATH), behind a small proxy on the port Stint is given. The proxy passes every call through
 * and fills the two gaps Stint depends on: moto 5.2 keeps a permission set's tags but has no
 * sso-admin ListTagsForResource/TagResource/UntagResource (the `stint:managed` tag is how Stint finds its
 * permission sets), and it answers an unset SessionDuration as the number 3600 where AWS says "PT1H".
 *
 * moto's ids are random; it is seeded (POST /moto-api/seed) before any call, so the same demo seed makes
 * the same instance, permission set and user ids on every start, matching what DynamoDB Local kept.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stopProcess } from './dynamodb-local.ts';
import { freePort, isPortFree } from './ports.ts';
import { StartupError } from './startup-error.ts';

export const DEFAULT_AWS_PORT = 5055;
/** moto's random seed: any fixed number; changing it changes every emulated id. */
export const MOTO_SEED = 5055;

export interface AwsEmulator {
  /** The endpoint the SDK clients point at, e.g. http://127.0.0.1:5055. */
  endpoint: string;
  stop(): Promise<void>;
}

/** The executable's path when `name` is on PATH. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

// Python and moto's imports take 1–3 s on an idle machine, far longer beside a busy test run.
const READY_WITHIN_MS = 120_000;

async function seedWhenReady(motoUrl: string, exited: () => number | null, output: () => string): Promise<void> {
  for (const giveUp = Date.now() + READY_WITHIN_MS; Date.now() < giveUp;) {
    const code = exited();
    if (code !== null) throw new StartupError(`moto_server exited during start-up (code ${code}).`, `Its output was:\n${output()}`);
    // The seed call doubles as the readiness probe: it must come before any other call anyway.
    const answer = await fetch(`${motoUrl}/moto-api/seed?a=${MOTO_SEED}`, { method: 'POST' }).catch(() => undefined);
    if (answer?.ok) return;
    await sleep(150);
  }
  throw new StartupError(`moto_server did not answer within ${READY_WITHIN_MS / 1000} seconds.`, `Its output was:\n${output()}`);
}

/** Starts moto_server and its proxy on `port`; undefined when moto_server is not on PATH. */
export async function startAwsEmulator(options: { port: number; host?: string }): Promise<AwsEmulator | undefined> {
  const moto = findOnPath('moto_server');
  if (!moto) return undefined;
  const host = options.host ?? '127.0.0.1';
  if (options.port !== 0 && !(await isPortFree(options.port, host))) {
    throw new StartupError(
      `Port ${options.port} (the local AWS emulator, moto_server) is already in use.`,
      "Stop whatever uses it (perhaps another `npm start`), or choose another port: STINT_AWS_PORT=5056 npm start (or 'off' for no AWS access).",
    );
  }
  const motoPort = await freePort();
  const child = spawn(moto, ['-H', '127.0.0.1', '-p', String(motoPort)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const motoUrl = `http://127.0.0.1:${motoPort}`;
  let proxy: Server | undefined;
  const stop = async () => {
    if (proxy) {
      const server = proxy;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await stopProcess(child);
  };
  try {
    await seedWhenReady(
      motoUrl,
      () => child.exitCode,
      () => output,
    );
    const tags: TagStore = new Map();
    proxy = createServer((req, res) => void relay(motoPort, tags, req, res));
    const port = await new Promise<number>((resolve, reject) => {
      proxy!.once('error', reject);
      proxy!.listen(options.port, host, () => {
        const address = proxy!.address();
        resolve(typeof address === 'object' && address ? address.port : options.port);
      });
    });
    return { endpoint: `http://${host}:${port}`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ---- the proxy ------------------------------------------------------------------------------------

type Tag = { Key: string; Value: string };
/** Permission set ARN → tags (moto's own copy is unreachable); gone with the emulator, like moto's state. */
type TagStore = Map<string, Tag[]>;
const SSO_TARGET = 'SWBExternalService.';

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(JSON.stringify(body));
}

/** AWS writes session durations as ISO 8601; moto's default is a number of seconds. */
function isoDuration(value: unknown): unknown {
  if (typeof value !== 'number') return value;
  return value % 3600 === 0 ? `PT${value / 3600}H` : value % 60 === 0 ? `PT${value / 60}M` : `PT${value}S`;
}

async function relay(motoPort: number, tags: TagStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const body = await readAll(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.startsWith(SSO_TARGET) ? target.slice(SSO_TARGET.length) : undefined;
    const input = action ? (JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>) : {};
    if (action === 'ListTagsForResource') return json(res, 200, { Tags: tags.get(String(input.ResourceArn)) ?? [] });
    if (action === 'TagResource') {
      const added = (input.Tags as Tag[] | undefined) ?? [];
      const kept = (tags.get(String(input.ResourceArn)) ?? []).filter((t) => !added.some((a) => a.Key === t.Key));
      tags.set(String(input.ResourceArn), [...kept, ...added]);
      return json(res, 200, {});
    }
    if (action === 'UntagResource') {
      const keys = (input.TagKeys as string[] | undefined) ?? [];
      tags.set(
        String(input.ResourceArn),
        (tags.get(String(input.ResourceArn)) ?? []).filter((t) => !keys.includes(t.Key)),
      );
      return json(res, 200, {});
    }
    const answer = await forward(motoPort, req, body);
    let out = answer.body;
    if (answer.status === 200 && (action === 'CreatePermissionSet' || action === 'DescribePermissionSet')) {
      const parsed = JSON.parse(out.toString('utf8')) as { PermissionSet?: { PermissionSetArn?: string; SessionDuration?: unknown } };
      if (parsed.PermissionSet) {
        parsed.PermissionSet.SessionDuration = isoDuration(parsed.PermissionSet.SessionDuration);
        if (action === 'CreatePermissionSet' && parsed.PermissionSet.PermissionSetArn && Array.isArray(input.Tags)) {
          tags.set(parsed.PermissionSet.PermissionSetArn, input.Tags as Tag[]);
        }
      }
      out = Buffer.from(JSON.stringify(parsed));
    }
    if (answer.status === 200 && action === 'DeletePermissionSet') tags.delete(String(input.PermissionSetArn));
    // The body may have been rewritten: send its real length, not moto's chunking.
    const headers: Record<string, string | string[] | undefined> = { ...answer.headers, 'content-length': String(out.length) };
    delete headers['transfer-encoding'];
    res.writeHead(answer.status, headers);
    res.end(out);
  } catch (error) {
    if (!res.headersSent) json(res, 500, { __type: 'InternalServerException', message: `The local AWS proxy failed: ${(error as Error).message}` });
    else res.destroy();
  }
}

function forward(
  motoPort: number,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: motoPort,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: `127.0.0.1:${motoPort}`, 'content-length': String(body.length) },
      },
      (answer) => readAll(answer).then((b) => resolve({ status: answer.statusCode ?? 502, headers: { ...answer.headers }, body: b }), reject),
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}
