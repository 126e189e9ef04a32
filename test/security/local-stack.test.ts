/**
 * The local stack mints any user's token on request, so a web page elsewhere must not reach it: not by
 * DNS rebinding (its own name resolving to 127.0.0.1), not by a cross-site form post. Raw HTTP here,
 * because fetch will not send a forged Host header.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../infra/local/stack.ts';
import { startTestStack } from '../helpers/stack.ts';

interface Raw {
  status: number;
  body: any;
}

function raw(stack: LocalStack, method: string, path: string, headers: Record<string, string>, body = ''): Promise<Raw> {
  const { port } = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const ADMIN = JSON.stringify({ user: 'admin@contoso.test', mfa: true });
const JSON_TYPE = { 'content-type': 'application/json' };

describe('the local stack answers only this machine', () => {
  let stack: LocalStack;
  let host: string;
  beforeAll(async () => {
    stack = await startTestStack();
    host = new URL(stack.url).host;
  });
  afterAll(() => stack.stop());

  it('refuses a token request addressed to another name (DNS rebinding), minting nothing', async () => {
    const result = await raw(stack, 'POST', '/local/token', { ...JSON_TYPE, host: `rebind.evil.test:${new URL(stack.url).port}` }, ADMIN);
    expect(result.status).toBe(403);
    expect(result.body.error.code).toBe('Authorization_RequestDenied');
    expect(result.body.error.message).toContain('localhost');
    expect(result.body.access_token).toBeUndefined();
  });

  it('refuses API calls addressed to another name too', async () => {
    const result = await raw(stack, 'GET', '/v1.0/users', { host: 'rebind.evil.test' });
    expect(result.status).toBe(403);
  });

  it('refuses a request sent by a page of another origin, or of an opaque one', async () => {
    for (const origin of ['https://evil.test', 'http://localhost.evil.test:3000', 'null']) {
      const result = await raw(stack, 'POST', '/local/token', { ...JSON_TYPE, host, origin }, ADMIN);
      expect(result.status, origin).toBe(403);
      expect(result.body.access_token, origin).toBeUndefined();
    }
  });

  it('refuses a form-shaped token request (text/plain, multipart)', async () => {
    for (const type of ['text/plain', 'multipart/form-data; boundary=x']) {
      const result = await raw(stack, 'POST', '/local/token', { host, 'content-type': type }, ADMIN);
      expect(result.status, type).toBe(415);
      expect(result.body.error.code).toBe('UnsupportedMediaType');
    }
  });

  // A urlencoded body at /local/token is an OAuth grant (as RFC 6749 posts them), never the shortcut: the
  // shortcut's own fields, as JSON text or as form fields, mint nothing without a code and its verifier.
  it('mints nothing from a urlencoded token request that is not a valid OAuth grant', async () => {
    for (const body of [ADMIN, 'user=admin%40contoso.test&mfa=true', 'client_id=stint-portal&user=admin%40contoso.test&mfa=true']) {
      const result = await raw(stack, 'POST', '/local/token', { host, 'content-type': 'application/x-www-form-urlencoded' }, body);
      expect([400, 401], body).toContain(result.status);
      expect(result.body.error, body).toMatch(/^(invalid_client|unsupported_grant_type)$/);
      expect(result.body.access_token, body).toBeUndefined();
    }
  });

  it('answers localhost, 127.0.0.1 and pages served from localhost', async () => {
    const { port } = new URL(stack.url);
    for (const headers of <Record<string, string>[]>[
      { host },
      { host: `127.0.0.1:${port}` },
      { host, origin: `http://localhost:${port}` },
      { host, origin: 'http://127.0.0.1:5173' },
    ]) {
      const result = await raw(stack, 'POST', '/local/token', { ...JSON_TYPE, ...headers }, ADMIN);
      expect(result.status, JSON.stringify(headers)).toBe(200);
      expect(typeof result.body.access_token).toBe('string');
    }
  });
});
