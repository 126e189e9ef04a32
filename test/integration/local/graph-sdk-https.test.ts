/**
 * Microsoft's Graph SDK, used as a newcomer would: `Client.init` with an authProvider against the local
 * stack's HTTPS address, in a separate Node process that trusts the self-signed certificate through
 * NODE_EXTRA_CA_CERTS (the SDK sends tokens to https hosts only).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { BUILTIN_ROLE_IDS } from '../../../shared/domain/builtin-roles.ts';
import { startTestStack } from '../../helpers/stack.ts';

const run = promisify(execFile);

describe('the Graph SDK over HTTPS', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startTestStack({ httpsPort: 0 });
  });
  afterAll(() => stack.stop());

  it('creates, filters, pages, assigns and activates through Client.init with an authProvider', async () => {
    // Act
    const { stdout } = await run(process.execPath, ['test/fixtures/graph-sdk-walkthrough.mjs', stack.https!.url], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: stack.https!.certFile },
      timeout: 60_000,
    });
    // Assess
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(report).toMatchObject({
      filtered: 1,
      role: BUILTIN_ROLE_IDS.securityAdministrator,
      eligibility: 'Provisioned',
      activation: 'Provisioned',
      myActiveRoles: [BUILTIN_ROLE_IDS.securityAdministrator],
      badRequest: { status: 400, code: 'Request_BadRequest' },
    });
    expect(report.pagedUsers).toBe(11);
  });

  it('refuses a client that does not trust the certificate', async () => {
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    await expect(run(process.execPath, ['test/fixtures/graph-sdk-walkthrough.mjs', stack.https!.url], { env, timeout: 30_000 })).rejects.toThrow();
  });
});
