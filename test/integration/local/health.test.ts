/**
 * Locally GET /health means ready: while the demo tenant is still being seeded it answers 503 and says
 * so, and once it answers 200 a script can at once get a token for admin@contoso.test (issue: a script
 * that waited for health got 404 "No user"). The seed is held with the stack's beforeSeed hook.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { SettingsError } from '../../../shared/settings.ts';
import { startTestStack } from '../../helpers/stack.ts';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const health = async (url: string) => {
  const response = await fetch(`${url}/health`);
  return { status: response.status, body: await response.json(), cacheControl: response.headers.get('cache-control') };
};

describe('GET /health on the local stack', () => {
  let stack: LocalStack | undefined;
  afterAll(() => stack?.stop());

  it('answers 503 naming the seed until it is done, then 200, and then admin@contoso.test can sign in at once', async () => {
    // Prepare: a stack whose seed waits for us
    const reached = deferred<string>();
    const release = deferred();
    const starting = startTestStack({
      beforeSeed: async ({ url }) => {
        reached.resolve(url);
        await release.promise;
      },
    });
    const url = await reached.promise;

    // Act + Assess: everything but the seed is up
    const before = await health(url);
    expect(before).toEqual({ status: 503, body: { status: 'starting', notReady: ['seed'] }, cacheControl: 'no-store' });
    const early = await fetch(`${url}/local/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'admin@contoso.test' }),
    });
    expect(early.status, 'no admin before the seed: the reason health waits for it').toBe(404);

    // Act: let the seed run, and do what a start-up script does: poll health, then ask for a token
    release.resolve();
    let answer = await health(url);
    while (answer.status !== 200) {
      expect(answer.body).toEqual({ status: 'starting', notReady: ['seed'] });
      await new Promise((r) => setTimeout(r, 20));
      answer = await health(url);
    }
    const token = await fetch(`${url}/local/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'admin@contoso.test', mfa: true }),
    });

    // Assess
    expect(answer.body).toEqual({ status: 'ok' });
    expect(token.status).toBe(200);
    expect(((await token.json()) as { access_token: unknown }).access_token).toEqual(expect.any(String));
    stack = await starting;
    expect(stack.seeded).toBe('seeded');
  });

  it('answers 200 once a stack with the workflows, stream consumers and email is up, and at once without a seed', async () => {
    // Prepare: hold the seed of a stack that also runs the workflows, stream consumers and local SES
    const reached = deferred<string>();
    const release = deferred();
    const starting = startTestStack({
      background: { sweepIntervalMs: 0 },
      beforeSeed: async ({ url }) => {
        reached.resolve(url);
        await release.promise;
      },
    });
    const url = await reached.promise;
    // Everything the background needed is up by the time the seed starts: only the seed is left.
    expect((await health(url)).body).toEqual({ status: 'starting', notReady: ['seed'] });
    release.resolve();
    const withBackground = await starting;
    try {
      expect(await health(url)).toMatchObject({ status: 200, body: { status: 'ok' } });
    } finally {
      await withBackground.stop();
    }

    // A stack without a seed has nothing to wait for once it has started.
    const unseeded = await startTestStack({ seed: false });
    try {
      expect(await health(unseeded.url)).toMatchObject({ status: 200, body: { status: 'ok' } });
    } finally {
      await unseeded.stop();
    }
  });

  it('refuses to start with a malformed setting, naming it', async () => {
    const start = startTestStack({ env: { STINT_EXPORT_CHUNK_BYTES: 'lots' } });
    await expect(start).rejects.toBeInstanceOf(SettingsError);
    await expect(start).rejects.toThrow(/STINT_EXPORT_CHUNK_BYTES must be a whole number of bytes/);
  });
});
