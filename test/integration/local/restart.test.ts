/**
 * `npm start` keeps its data: a stack with its own DynamoDB Local and a data folder comes back after a
 * restart with the same directory, without seeding twice, and still accepts the tokens and page links it
 * handed out before (the dev issuer's key and the page-token secret live in the folder). And start-up
 * problems are StartupErrors that say what is wrong.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../infra/local/ports.ts';
import { startLocalStack, type LocalStack } from '../../../infra/local/stack.ts';
import { StartupError } from '../../../infra/local/startup-error.ts';
import { apiClient } from '../../helpers/stack.ts';

function occupy(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

async function startupError(start: Promise<LocalStack>): Promise<StartupError> {
  const outcome = await start.then(
    async (stack) => {
      await stack.stop();
      return undefined;
    },
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(StartupError);
  return outcome as StartupError;
}

describe('local stack with a data folder', () => {
  const folders: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'stint-restart-'));
    folders.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  describe('restart', () => {
    let dataDir: string;
    let port: number;
    let dynamoPort: number;
    let token: string;
    let spToken: string;
    let userId: string;
    let nextLink: string;
    let firstPage: string[];
    let before: { users: unknown[]; groups: unknown[]; servicePrincipals: unknown[]; secOps: string[] };

    beforeAll(async () => {
      dataDir = folder();
      // The API port stays the same across the restart, as with `npm start`: it is the token issuer's URL.
      port = await freePort();
      dynamoPort = await freePort();
      const stack = await startLocalStack({ port, dynamoPort, dataDir });
      try {
        expect(stack.seeded).toBe('seeded');
        expect(stack.url).toBe(`http://localhost:${port}`);
        const api = apiClient(stack);
        token = await api.token('admin@contoso.test');
        spToken = await api.servicePrincipalToken('deploy-pipeline');
        const created = await api.call('POST', '/v1.0/users', {
          token,
          body: { displayName: 'Survivor', userPrincipalName: 'survivor@contoso.test', jobTitle: 'Persists' },
        });
        expect(created.status).toBe(201);
        userId = created.body.id;
        const page = await api.call('GET', '/v1.0/users?$top=4', { token });
        firstPage = page.body.value.map((u: { id: string }) => u.id);
        nextLink = page.body['@odata.nextLink'];
        const all = async (path: string) => (await api.call('GET', path, { token })).body.value;
        const secOpsId = (await all(`/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'Security Operations'")}`))[0].id;
        before = {
          users: await all('/v1.0/users?$top=999'),
          groups: await all('/v1.0/groups?$top=999'),
          servicePrincipals: await all('/v1.0/servicePrincipals?$top=999'),
          secOps: (await all(`/v1.0/groups/${secOpsId}/members`)).map((m: { userPrincipalName: string }) => m.userPrincipalName).sort(),
        };
        expect(before.users).toHaveLength(11);
      } finally {
        await stack.stop();
      }
    });

    it('comes back with the same directory, not seeded twice, accepting the tokens and links of before', async () => {
      const stack = await startLocalStack({ port, dynamoPort, dataDir });
      try {
        expect(stack.seeded).toBe('present');
        const api = apiClient(stack);
        // A token issued before the restart still verifies: the dev issuer's key was kept.
        const all = async (path: string) => {
          const result = await api.call('GET', path, { token });
          expect(result.status, JSON.stringify(result.body)).toBe(200);
          return result.body.value;
        };
        const users = await all('/v1.0/users?$top=999');
        expect(users).toHaveLength(11);
        expect(users).toEqual(before.users);
        expect(users.filter((u: { userPrincipalName: string }) => u.userPrincipalName === 'admin@contoso.test')).toHaveLength(1);
        expect(await all('/v1.0/groups?$top=999')).toEqual(before.groups);
        expect(await all('/v1.0/servicePrincipals?$top=999')).toEqual(before.servicePrincipals);
        expect(before.groups).toHaveLength(3);
        expect(before.servicePrincipals).toHaveLength(1);

        const survivor = await api.call('GET', `/v1.0/users/${userId}`, { token });
        expect(survivor.body).toMatchObject({ displayName: 'Survivor', userPrincipalName: 'survivor@contoso.test', jobTitle: 'Persists' });
        expect((await api.call('GET', '/v1.0/users?$top=1', { token: spToken })).status).toBe(200);

        // The uniqueness guards survived too.
        expect((await api.call('POST', '/v1.0/users', { token, body: { displayName: 'Again', userPrincipalName: 'SURVIVOR@contoso.test' } })).status).toBe(409);

        // A nextLink from before the restart still works: the page-token secret was kept.
        const next = await api.call('GET', nextLink.slice(stack.url.length), { token });
        expect(next.status).toBe(200);
        const allIds = (before.users as { id: string }[]).map((u) => u.id);
        expect([...firstPage, ...next.body.value.map((u: { id: string }) => u.id)]).toEqual(allIds.slice(0, 8));

        const secOpsId = (await all(`/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'Security Operations'")}`))[0].id;
        expect((await all(`/v1.0/groups/${secOpsId}/members`)).map((m: { userPrincipalName: string }) => m.userPrincipalName).sort()).toEqual(before.secOps);
      } finally {
        await stack.stop();
      }
    });
  });

  describe('start-up problems', () => {
    it('refuses an API port that is taken, naming the port, and starts nothing', async () => {
      const { server, port } = await occupy();
      try {
        const dynamoPort = await freePort();
        const error = await startupError(startLocalStack({ port, dynamoPort, dataDir: folder() }));
        expect(error.message).toContain(String(port));
        expect(error.message).toContain('already in use');
        expect(error.hint).toContain('PORT=');
        // Nothing was left listening on the DynamoDB port.
        const probe = createServer();
        await new Promise<void>((resolve, reject) => {
          probe.once('error', reject);
          probe.listen(dynamoPort, '127.0.0.1', () => resolve());
        });
        await close(probe);
      } finally {
        await close(server);
      }
    });

    it('refuses a DynamoDB port that is taken, naming the port', async () => {
      const { server, port } = await occupy();
      try {
        const error = await startupError(startLocalStack({ port: 0, dynamoPort: port, dataDir: folder() }));
        expect(error.message).toContain(String(port));
        expect(error.message).toContain('DynamoDB Local');
        expect(error.hint).toContain('STINT_DYNAMODB_PORT');
      } finally {
        await close(server);
      }
    });

    it('refuses a data folder that is a file', async () => {
      const file = join(folder(), 'not-a-folder');
      writeFileSync(file, 'I am a file');
      const error = await startupError(startLocalStack({ port: 0, dynamoPort: await freePort(), dataDir: file }));
      expect(error.message).toContain(file);
      expect(error.message).toContain('cannot be used');
      expect(error.hint).toContain('--in-memory');
    });
  });
});
