/**
 * shared/settings.ts: one reader for every environment variable. Defaults, lazy groups (a stream consumer
 * needs no JWT settings), overrides checked like the environment, errors that name the variable, and a
 * README table that lists every setting.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../../shared/runtime.ts';
import { systemClock } from '../../shared/domain/clock.ts';
import { MAX_EXPORT_CHUNK_BYTES, readConfig, readSettings, SETTING, SettingsError } from '../../shared/settings.ts';

const API = {
  STINT_JWT_ISSUER: 'https://issuer.example',
  STINT_JWT_AUDIENCE: 'api://stint',
  STINT_JWKS_URL: 'https://issuer.example/jwks',
  STINT_PAGE_TOKEN_SECRET: 'hush-hush',
};

/** The SettingsError that reading `group` from `env` throws. */
function failure(env: NodeJS.ProcessEnv, group: 'store' | 'api' | 'notifications' | 'workflow' | 'identityPool' | 'local' | 'observability'): SettingsError {
  try {
    void readSettings(env)[group];
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return error as SettingsError;
  }
  throw new Error(`reading ${group} did not fail`);
}

describe('readSettings', () => {
  it('has a default for everything that is not required', () => {
    // Prepare
    const settings = readSettings({});

    // Assess
    expect(settings.store).toEqual({ region: 'us-east-1', tableName: 'stint', dynamoEndpoint: undefined, auditRetentionDays: undefined });
    expect(settings.notifications).toEqual({
      portalUrl: 'http://localhost:3000/portal',
      mailFrom: 'pim@contoso.test',
      sesEndpoint: undefined,
      eventBusName: undefined,
    });
    expect(settings.local).toEqual({ port: 3000, httpsPort: 3443, dynamoPort: 8000, dataDir: '.stint/data', sesPort: 8005, sweepSeconds: 60 });
    expect(settings.identityPool).toEqual({ mfaRequired: false });
    expect(settings.observability).toEqual({ onLambda: false, serviceName: 'stint', recordDynamoCalls: false });
  });

  it('reads each group from its variables', () => {
    const settings = readSettings({
      ...API,
      AWS_DEFAULT_REGION: 'eu-west-1',
      STINT_TABLE_NAME: 't1',
      STINT_DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      STINT_AUDIT_RETENTION_DAYS: '2555',
      STINT_CLAIM_UPN: 'employee_upn, email',
      STINT_SUBJECT_CLAIM: 'oid',
      STINT_AUTHORITATIVE_CLAIMS: 'upn,preferred_username',
      STINT_ACCESS_TOKEN_CLAIMS: 'scp, roles',
      STINT_ISSUER_IS_STACK_POOL: 'true',
      STINT_MAX_BODY_BYTES: '1024',
      STINT_EXPORT_CHUNK_BYTES: '3000',
      STINT_LIFECYCLE_ARN: 'arn:aws:states:eu-west-1:1:stateMachine:x',
      STINT_POOL_MFA: 'required',
      STINT_HTTPS_PORT: 'off',
      STINT_SES_PORT: 'off',
      STINT_SWEEP_SECONDS: '5',
      AWS_LAMBDA_FUNCTION_NAME: 'fn',
    });
    expect(settings.store).toEqual({ region: 'eu-west-1', tableName: 't1', dynamoEndpoint: 'http://127.0.0.1:8000', auditRetentionDays: 2555 });
    expect(settings.api).toEqual({
      jwt: {
        issuer: 'https://issuer.example',
        audience: 'api://stint',
        jwksUrl: 'https://issuer.example/jwks',
        claims: { userPrincipalName: ['employee_upn', 'email'], displayName: ['name'] },
        trust: {
          subjectClaim: 'oid',
          authoritativeClaims: ['upn', 'preferred_username'],
          accessTokenClaims: ['scp', 'roles'],
          personClaims: [],
          mfaEvidence: undefined,
          authTimeClaim: 'auth_time',
          setsStintAmr: true,
        },
      },
      pageTokenSecret: 'hush-hush',
      // On Lambda the Parameters and Secrets extension's own port.
      secretsEndpoint: 'http://localhost:2773',
      maxBodyBytes: 1024,
      exportChunkBytes: 3000,
    });
    expect(settings.workflow.lifecycleArn).toBe('arn:aws:states:eu-west-1:1:stateMachine:x');
    expect(settings.identityPool.mfaRequired).toBe(true);
    expect(settings.local).toMatchObject({ httpsPort: undefined, sesPort: false, sweepSeconds: 5 });
    expect(settings.observability).toEqual({ onLambda: true, serviceName: 'stint', recordDynamoCalls: false });
  });

  it('prefers AWS_REGION to AWS_DEFAULT_REGION, and treats an empty value as unset', () => {
    expect(readSettings({ AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'eu-west-1' }).store.region).toBe('ap-south-1');
    expect(readSettings({ STINT_TABLE_NAME: '', STINT_AUDIT_RETENTION_DAYS: ' ' }).store).toMatchObject({ tableName: 'stint', auditRetentionDays: undefined });
  });

  it('parses a group only when it is read, so a stream consumer needs no JWT settings', () => {
    // Prepare: nothing but a table, as the notifications Lambda gets
    const settings = readSettings({ STINT_TABLE_NAME: 't1', STINT_EXPORT_CHUNK_BYTES: 'not a number' });

    // Act + Assess
    expect(settings.store.tableName).toBe('t1');
    expect(settings.notifications.mailFrom).toBe('pim@contoso.test');
    expect(() => settings.api).toThrow(SettingsError);
    expect(() => settings.workflow).toThrow(/STINT_LIFECYCLE_ARN is required/);
  });

  it('names every missing required variable', () => {
    const error = failure({}, 'api');
    // No STINT_JWKS_URL (unset, the keys are found through the issuer's discovery document), and not the
    // paging key: public routes run without it (shared/runtime.ts asks for it).
    expect(error.variables).toEqual(['STINT_JWT_ISSUER', 'STINT_JWT_AUDIENCE']);
    expect(error.message).toMatch(/^Invalid settings: STINT_JWT_ISSUER is required/);
    expect(error.message).toContain('See README.md, "Configuration".');
  });

  it.each([
    ['store', 'STINT_AUDIT_RETENTION_DAYS', 'seven years', /whole number of days/],
    ['store', 'STINT_AUDIT_RETENTION_DAYS', '0', /whole number of days/],
    ['store', 'STINT_DYNAMODB_ENDPOINT', 'localhost:8000', /http\(s\) URL/],
    ['api', 'STINT_EXPORT_CHUNK_BYTES', '4MB', /whole number of bytes from 1024 to 5242880/],
    ['api', 'STINT_EXPORT_CHUNK_BYTES', '100', /whole number of bytes from 1024/],
    ['api', 'STINT_EXPORT_CHUNK_BYTES', String(MAX_EXPORT_CHUNK_BYTES + 1), /API Gateway/],
    ['api', 'STINT_MAX_BODY_BYTES', '-1', /whole number of bytes/],
    ['api', 'STINT_JWKS_URL', 'not a url', /http\(s\) URL/],
    ['api', 'STINT_ISSUER_IS_STACK_POOL', 'yes', /'true' or 'false'/],
    ['notifications', 'STINT_MAIL_FROM', 'pim at contoso', /email address/],
    ['notifications', 'STINT_PORTAL_URL', 'pim.contoso.com', /http\(s\) URL/],
    ['identityPool', 'STINT_POOL_MFA', 'sometimes', /'required' or unset/],
    ['local', 'PORT', 'eighty', /from 0 to 65535/],
    ['local', 'STINT_SES_PORT', '70000', /or 'off'/],
    ['local', 'STINT_SWEEP_SECONDS', '0', /of seconds/],
  ] as const)('refuses %s %s=%s, naming the variable and the value', (group, name, value, expected) => {
    const error = failure({ ...API, [name]: value }, group);
    expect(error.variables).toEqual([name]);
    expect(error.message).toMatch(expected);
    expect(error.message).toContain(`${name} `);
    expect(error.message).toContain(`(it is '${value}')`);
  });

  it('never repeats the paging secret in an error', () => {
    // The secret is checked only for presence; an error about another variable must not show it either.
    const error = failure({ ...API, STINT_MAX_BODY_BYTES: 'x' }, 'api');
    expect(error.message).not.toContain('hush-hush');
  });

  it('takes overrides in place of the environment, and checks them the same way', () => {
    const env = { ...API, STINT_TABLE_NAME: 'from-env', STINT_EXPORT_CHUNK_BYTES: '2048' };
    expect(readSettings(env, { [SETTING.tableName]: 'mine' }).store.tableName).toBe('mine');
    expect(readSettings(env, { [SETTING.exportChunkBytes]: '4096' }).api.exportChunkBytes).toBe(4096);
    expect(() => readSettings(env, { [SETTING.exportChunkBytes]: '1' }).api).toThrow(/STINT_EXPORT_CHUNK_BYTES must be a whole number/);
  });
});

describe('STINT_EXPORT_CHUNK_BYTES', () => {
  it("reaches the API runtime's config, where the audit export reads its chunk size", () => {
    // functions/api/routes/audit.ts passes ctx.runtime.config.exportChunkBytes to exportChunk.
    const runtime = createRuntime(readConfig(readSettings({ ...API, STINT_EXPORT_CHUNK_BYTES: '3000' })), systemClock);
    expect(runtime.config.exportChunkBytes).toBe(3000);
    runtime.services.table.db.destroy();
  });

  it('is unset by default, so the export uses its own 4 MiB', () => {
    expect(readConfig(readSettings(API)).exportChunkBytes).toBeUndefined();
  });
});

describe('SETTING', () => {
  const names = Object.values(SETTING);

  it('names each variable once', () => {
    expect(new Set(names).size).toBe(names.length);
  });

  it('is the table in README.md, "Configuration": every setting, and nothing else', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = /\n## Configuration\n([\s\S]*?)\n## /.exec(readme)?.[1];
    expect(section, 'README.md has a "## Configuration" section').toBeDefined();
    const rows = [...section!.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect([...rows].sort()).toEqual([...names].sort());
  });
});
