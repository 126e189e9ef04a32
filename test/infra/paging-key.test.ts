/**
 * The paging key as a deployed function reads it (shared/secret-value.ts) against the local stand-in of
 * the Parameters and Secrets extension (infra/local/secrets-stand-in.ts): the same request both answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecretsStandIn, type SecretsStandIn } from '../../infra/local/secrets-stand-in.ts';
import { CachedSecret, extensionSecret } from '../../shared/secret-value.ts';
import { createRuntime } from '../../shared/runtime.ts';
import { readConfig, readSettings, SETTING } from '../../shared/settings.ts';

let standIn: SecretsStandIn;
const secrets: Record<string, string> = { 'stint/page-key': 'first-key' };

beforeAll(async () => {
  standIn = await startSecretsStandIn(secrets);
});
afterAll(() => standIn.stop());

describe('extensionSecret', () => {
  it('reads the secret string the endpoint holds', async () => {
    // Act
    const value = await extensionSecret(standIn.endpoint, 'stint/page-key', 'session-token')();
    // Assess
    expect(value).toBe('first-key');
  });

  it('fails, naming the secret, when the endpoint refuses', async () => {
    await expect(extensionSecret(standIn.endpoint, 'stint/missing')()).rejects.toThrow(/answered 400 for stint\/missing/);
  });
});

describe('CachedSecret', () => {
  it('fetches once per time to live, and keeps the value it has when a refresh fails', async () => {
    // Prepare
    let now = 0;
    const answers: (string | Error)[] = ['k1', new Error('throttled'), 'k2'];
    let fetches = 0;
    const secret = new CachedSecret(
      async () => {
        fetches += 1;
        const next = answers.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
      1000,
      () => now,
    );
    // Act, Assess
    expect(() => secret.current()).toThrow(/before it was fetched/);
    expect(await Promise.all([secret.refresh(), secret.refresh()])).toEqual(['k1', 'k1']);
    expect(fetches).toBe(1);
    now = 999;
    await secret.refresh();
    expect(fetches).toBe(1);
    now = 1000;
    expect(await secret.refresh()).toBe('k1');
    expect(fetches).toBe(2);
    expect(await secret.refresh()).toBe('k2');
    expect(secret.current()).toBe('k2');
  });

  it('fails its first fetch loudly', async () => {
    const secret = new CachedSecret(async () => Promise.reject(new Error('no such secret')));
    await expect(secret.refresh()).rejects.toThrow('no such secret');
  });
});

describe('the API runtime', () => {
  const settings = (values: Record<string, string>) =>
    readConfig(
      readSettings(
        {},
        {
          [SETTING.jwtIssuer]: 'https://issuer.test',
          [SETTING.jwtAudience]: 'api://stint',
          [SETTING.jwksUrl]: 'https://issuer.test/jwks',
          ...values,
        },
      ),
    );

  it('signs paging tokens with the key read from the secret, once ready', async () => {
    // Prepare
    const runtime = createRuntime(settings({ [SETTING.pageTokenSecretId]: 'stint/page-key', [SETTING.secretsEndpoint]: standIn.endpoint }));
    // Act
    await runtime.ready!();
    const token = runtime.services.pageTokens.encode('listing', { at: 1 });
    // Assess: a runtime given the same key outright reads the token; another key does not.
    expect(createRuntime(settings({ [SETTING.pageTokenSecret]: 'first-key' })).services.pageTokens.decode('listing', token)).toEqual({ at: 1 });
    expect(() => createRuntime(settings({ [SETTING.pageTokenSecret]: 'other-key' })).services.pageTokens.decode('listing', token)).toThrow(/skiptoken/);
  });

  it('refuses protected work without a paging key, naming the setting', async () => {
    const runtime = createRuntime(settings({}));
    await expect(runtime.ready!()).rejects.toThrow(SETTING.pageTokenSecretId);
  });
});
