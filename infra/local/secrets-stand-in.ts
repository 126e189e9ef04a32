/**
 * The local stand-in for the AWS Parameters and Secrets Lambda Extension: the same GET
 * /secretsmanager/get?secretId=… answered with Secrets Manager's GetSecretValue shape, so `npm start`
 * reads the paging key through the very code a deployed function uses (shared/secret-value.ts).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SECRETS_PATH } from '../../shared/secret-value.ts';

export interface SecretsStandIn {
  /** The base URL to give as STINT_SECRETS_ENDPOINT. */
  endpoint: string;
  stop(): Promise<void>;
}

/** Serves `secrets` (secret id → value) on a free port of `host`; nothing else is answered. */
export async function startSecretsStandIn(secrets: Record<string, string>, host = '127.0.0.1'): Promise<SecretsStandIn> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const id = url.searchParams.get('secretId') ?? '';
    const value = request.method === 'GET' && url.pathname === SECRETS_PATH ? secrets[id] : undefined;
    if (value === undefined) {
      response.writeHead(request.method === 'GET' && url.pathname === SECRETS_PATH ? 400 : 404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Name: id, ARN: id, SecretString: value }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
