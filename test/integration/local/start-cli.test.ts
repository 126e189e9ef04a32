/**
 * `npm start` as a person runs it: it starts, prints where things are, and on Ctrl-C (SIGINT) stops
 * without leaving DynamoDB Local's Java process or moto_server behind. Missing Java is a clear message,
 * not a stack.
 */
import { execFileSync, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startDynamoLocal } from '../../../infra/local/dynamodb-local.ts';
import { freePort } from '../../../infra/local/ports.ts';
import { StartupError } from '../../../infra/local/startup-error.ts';

/** The moto_server processes a given process started (the AWS emulator). */
function motoChildrenOf(pid: number): string[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid), '-f', 'moto_server'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

function isRunning(pid: string): boolean {
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
}

function javaProcessesOn(port: number): string[] {
  try {
    return execFileSync('pgrep', ['-f', `DynamoDBLocal.jar -port ${port} `], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

describe('npm start', () => {
  it('starts, answers, and leaves no Java process or AWS emulator behind after Ctrl-C', async () => {
    // Prepare
    const [port, dynamoPort, awsPort] = [await freePort(), await freePort(), await freePort()];
    // As package.json's start script runs it: node with tsx as a loader, so Ctrl-C reaches our handler directly.
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', '--in-memory'], {
      env: {
        ...process.env,
        PORT: String(port),
        STINT_DYNAMODB_PORT: String(dynamoPort),
        STINT_HTTPS_PORT: 'off',
        STINT_SES_PORT: String(await freePort()),
        STINT_AWS_PORT: String(awsPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let sawBanner: () => void = () => undefined;
    const banner = new Promise<void>((resolve) => (sawBanner = resolve));
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl-C to stop.')) sawBanner();
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Started (the banner) or failed (exit): whichever comes first, however long a loaded machine takes.
    await Promise.race([banner, exited]);
    expect(output).toContain('Stint is running.');
    expect(output).toContain(`http://localhost:${port}`);
    const health = await fetch(`http://localhost:${port}/health`);
    expect(health.status).toBe(200);
    expect(javaProcessesOn(dynamoPort)).toHaveLength(1);
    expect(output).toContain(`AWS access       http://127.0.0.1:${awsPort}   (moto_server: instance arn:aws:sso:::instance/ssoins-`);
    const moto = motoChildrenOf(child.pid!);
    expect(moto).toHaveLength(1);
    // Act
    child.kill('SIGINT');
    const code = await exited;
    // Assess
    expect(code, output).toBe(0);
    expect(output).toContain('Stopped.');
    expect(javaProcessesOn(dynamoPort)).toEqual([]);
    expect(moto.filter(isRunning)).toEqual([]);
  }, 150_000);

  it('says Java is missing, and how to install it, when it is not on the PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const attempt = startDynamoLocal({ port: await freePort() });
      await expect(attempt).rejects.toBeInstanceOf(StartupError);
      await expect(attempt).rejects.toThrow(/Java was not found/);
    } finally {
      process.env.PATH = path;
    }
  });
});
