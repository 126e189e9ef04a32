/**
 * A local stack for one test file: the real API on a free port, over the shared DynamoDB Local, in a
 * table of its own so files never see each other's data.
 */
import { randomBytes } from 'node:crypto';
import { testTables } from './test-tables.ts';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../infra/local/stack.ts';
import { dynamoEndpoint } from './dynamo-endpoint.ts';

export async function startTestStack(options: Partial<LocalStackOptions> = {}): Promise<LocalStack> {
  const tableName = options.tableName ?? `test-${randomBytes(6).toString('hex')}`;
  if (!options.dynamoEndpoint) testTables.add(tableName);
  return startLocalStack({
    port: 0,
    dynamoEndpoint: dynamoEndpoint(),
    ...options,
    tableName,
  });
}

export interface ApiClient {
  token(user: string, options?: { mfa?: boolean; authAgeSeconds?: number }): Promise<string>;
  servicePrincipalToken(appId: string): Promise<string>;
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
}

export function apiClient(stack: LocalStack): ApiClient {
  const call: ApiClient['call'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${stack.url}${path}`, { method, headers, body });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };
  return {
    call,
    async token(user, options = {}) {
      const result = await call('POST', '/local/token', {
        body: { user, mfa: options.mfa ?? true, ...(options.authAgeSeconds ? { authAgeSeconds: options.authAgeSeconds } : {}) },
      });
      if (result.status !== 200) throw new Error(`token for ${user}: ${JSON.stringify(result.body)}`);
      return result.body.access_token as string;
    },
    async servicePrincipalToken(appId) {
      const result = await call('POST', '/local/token', { body: { servicePrincipal: appId } });
      if (result.status !== 200) throw new Error(`token for ${appId}: ${JSON.stringify(result.body)}`);
      return result.body.access_token as string;
    },
  };
}
