/**
 * The local HTTP port: dev issuer endpoints, and every other request through the local API Gateway to a
 * Lambda handler. The directory and meta handlers are the real ones over a DynamoDB Local table of this
 * file's own; the others are stubs this file controls.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createLocalJWKSet } from 'jose';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandler as createDirectoryHandler } from '../../../functions/api/directory.ts';
import { createHandler as createMetaHandler } from '../../../functions/api/meta.ts';
import { GATEWAY_MAX_BODY_BYTES, type GatewayDeps } from '../../../infra/local/api-gateway.ts';
import { ensureTable } from '../../../infra/local/create-table.ts';
import { discoveryDocument, issueToken } from '../../../infra/local/dev-endpoints.ts';
import { createDevIssuer, DEV_AUDIENCE, DEV_ISSUER_TRUST, type DevIssuer } from '../../../infra/local/dev-issuer.ts';
import { createLocalServer, listen } from '../../../infra/local/http-server.ts';
import { createTokenVerifier } from '../../../shared/auth/token-verifier.ts';
import type { Config } from '../../../shared/settings.ts';
import type { Caller } from '../../../shared/domain/caller.ts';
import { systemClock } from '../../../shared/domain/clock.ts';
import { BadRequestError, NotFoundError } from '../../../shared/domain/errors.ts';
import { gatewayRoutes } from '../../../shared/http/gateway-routes.ts';
import { LAMBDAS } from '../../../shared/http/route.ts';
import { createRuntime, type Runtime } from '../../../shared/runtime.ts';
import { createServicePrincipal } from '../../../shared/services/directory/service-principals.ts';
import { createUser } from '../../../shared/services/directory/users.ts';
import { dynamoEndpoint } from '../../helpers/dynamo-endpoint.ts';

const ISSUER = 'http://localhost:3999';
const admin: Caller = { kind: 'user', id: 'usr_seed', authMethods: ['pwd', 'mfa'] };

let runtime: Runtime;
let issuer: DevIssuer;
let server: Server;
let url: string;
let user: { id: string; userPrincipalName: string };
let sp: { id: string; appId: string };
/** What the stub Lambdas do; tests set it. */
let stub: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2> = async () => ({ statusCode: 204 });

const JSON_TYPE = { 'content-type': 'application/json' };

async function call(method: string, path: string, init: { body?: string | Buffer; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${url}${path}`, { method, headers: init.headers, body: init.body });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString('utf8');
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, bytes, text, json };
}

beforeAll(async () => {
  const endpoint = dynamoEndpoint();
  const tableName = `local-server-${randomBytes(6).toString('hex')}`;
  const adminClient = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureTable(adminClient, tableName);
  adminClient.destroy();
  issuer = await createDevIssuer(ISSUER, systemClock);
  const config: Config = {
    tableName,
    region: 'us-east-1',
    dynamoEndpoint: endpoint,
    jwt: { issuer: ISSUER, audience: DEV_AUDIENCE, jwksUrl: `${ISSUER}/.well-known/jwks.json` },
    pageTokenSecret: 'local-server-test',
    maxBodyBytes: 64 * 1024,
  };
  const base = createRuntime(config, systemClock);
  runtime = {
    ...base,
    verifier: createTokenVerifier({
      issuer: ISSUER,
      audience: DEV_AUDIENCE,
      keys: createLocalJWKSet(issuer.jwks),
      clock: systemClock,
      trust: DEV_ISSUER_TRUST,
    }),
  };
  const handlers = Object.fromEntries(LAMBDAS.map((lambda) => [lambda, (event: APIGatewayProxyEventV2) => stub(event)])) as unknown as GatewayDeps['handlers'];
  handlers.directory = createDirectoryHandler(() => runtime) as GatewayDeps['handlers']['directory'];
  handlers.meta = createMetaHandler(() => runtime) as GatewayDeps['handlers']['meta'];
  server = createLocalServer({ routes: gatewayRoutes(), handlers, verifier: runtime.verifier, issuer, services: runtime.services });
  url = `http://127.0.0.1:${await listen(server, 0)}`;
  const actor = { caller: admin, correlationId: 'seed', system: true };
  user = await createUser(runtime.services, actor, { displayName: 'Megan Bowen', userPrincipalName: 'megan@contoso.test' });
  sp = await createServicePrincipal(runtime.services, actor, { appId: 'app-0001', displayName: 'Deploy pipeline' });
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  runtime?.services.table.db.destroy();
});

describe('local server dev issuer endpoints', () => {
  it('serves the JWKS and the discovery document when asked', async () => {
    // Act
    const jwks = await call('GET', '/.well-known/jwks.json');
    const discovery = await call('GET', '/.well-known/openid-configuration');

    // Assess
    expect(jwks.status).toBe(200);
    expect(jwks.json).toEqual(issuer.jwks);
    expect(discovery.json).toEqual(discoveryDocument(issuer));
    expect(discovery.json).toMatchObject({ issuer: ISSUER, jwks_uri: `${ISSUER}/.well-known/jwks.json`, token_endpoint: `${ISSUER}/local/token` });
  });

  it('issues a token for a directory user that the API then accepts', async () => {
    // Act
    const issued = await call('POST', '/local/token', {
      body: JSON.stringify({ user: 'MEGAN@contoso.test', mfa: true }),
      headers: { 'content-type': 'application/json' },
    });
    const me = await call('GET', `/v1.0/users/${user.id}`, { headers: { authorization: `Bearer ${issued.json.access_token}` } });

    // Assess
    expect(issued.status).toBe(200);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    expect(issued.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(await runtime.verifier.verify(issued.json.access_token)).toMatchObject({ id: user.id, authMethods: ['pwd', 'mfa'] });
    expect(me.status, me.text).toBe(200);
    expect(me.json).toMatchObject({ id: user.id, userPrincipalName: 'megan@contoso.test' });
  });

  it.each([
    ['its appId', () => 'app-0001'],
    ['its id', () => sp.id],
  ])('issues a service principal token when asked by %s', async (_, ref) => {
    // Act
    const issued = await call('POST', '/local/token', { body: JSON.stringify({ servicePrincipal: ref() }), headers: JSON_TYPE });

    // Assess
    expect(issued.status, issued.text).toBe(200);
    expect(await runtime.verifier.verify(issued.json.access_token)).toMatchObject({ kind: 'servicePrincipal', id: sp.id, appId: 'app-0001' });
  });

  it.each<[string, string, number, string]>([
    ['a user who does not exist', JSON.stringify({ user: 'nobody@contoso.test' }), 404, 'Request_ResourceNotFound'],
    ['a service principal that does not exist', JSON.stringify({ servicePrincipal: 'app-missing' }), 404, 'Request_ResourceNotFound'],
    ['a body that is not JSON', '{user:', 400, 'Request_BadRequest'],
    ['an unknown property', JSON.stringify({ user: 'megan@contoso.test', admin: true }), 400, 'Request_BadRequest'],
    ['an empty body', '', 400, 'Request_BadRequest'],
  ])('answers a Graph error when the token request names %s', async (_, body, status, code) => {
    // Act
    const result = await call('POST', '/local/token', { body, headers: JSON_TYPE });

    // Assess
    expect(result.status).toBe(status);
    expect(result.json.error.code).toBe(code);
    expect(result.headers.get('request-id')).toBe(result.json.error.innerError['request-id']);
  });
});

describe('issueToken', () => {
  it('defaults to a token without MFA when mfa is not given', async () => {
    // Act
    const issued = await issueToken(runtime.services, issuer, { user: user.id });

    // Assess
    expect(await runtime.verifier.verify(issued.access_token)).toMatchObject({ id: user.id, authMethods: ['pwd'] });
  });

  it('passes authAgeSeconds on when given', async () => {
    // Act
    const issued = await issueToken(runtime.services, issuer, { user: user.userPrincipalName, mfa: true, authAgeSeconds: 3000 });
    const caller = await runtime.verifier.verify(issued.access_token);

    // Assess
    expect(Math.floor(Date.now() / 1000) - caller.authTime!).toBeGreaterThanOrEqual(2999);
  });

  it.each<[string, unknown, new (...args: never[]) => Error]>([
    ['undefined', undefined, BadRequestError],
    ['both kinds at once', { user: 'a', servicePrincipal: 'b' }, BadRequestError],
    ['a negative authAgeSeconds', { user: 'megan@contoso.test', authAgeSeconds: -1 }, BadRequestError],
    ['an unknown user', { user: 'ghost@contoso.test' }, NotFoundError],
  ])('refuses %s', async (_, body, type) => {
    // Act
    const error = await issueToken(runtime.services, issuer, body).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(type);
  });
});

describe('local server gateway', () => {
  it('answers a Graph 404 pointing at /openapi.json when no route prefix matches', async () => {
    // Act
    const result = await call('GET', '/nothing/here');

    // Assess
    expect(result.status).toBe(404);
    expect(result.json.error.code).toBe('Request_ResourceNotFound');
    expect(result.json.error.message).toContain('/openapi.json');
    expect(result.headers.get('request-id')).toBe(result.json.error.innerError['request-id']);
  });

  it('serves the public meta routes without a token', async () => {
    // Act
    const health = await call('GET', '/health');
    const openapi = await call('GET', '/openapi.json');

    // Assess
    expect(health.json).toEqual({ status: 'ok' });
    expect(openapi.status).toBe(200);
    expect(openapi.json.servers).toEqual([{ url }]);
  });

  it("passes the handler's status and headers through when it refuses a request", async () => {
    // Act
    const result = await call('PUT', '/v1.0/users', { headers: { 'client-request-id': 'abc' } });

    // Assess
    expect(result.status).toBe(405);
    expect(result.headers.get('allow')).toBe('GET, POST');
    expect(result.headers.get('client-request-id')).toBe('abc');
    expect(result.headers.get('odata-version')).toBe('4.0');
  });

  it('lets the handler answer 401 when the token does not verify', async () => {
    // Act
    const result = await call('GET', '/v1.0/users', { headers: { authorization: 'Bearer not.a.token' } });

    // Assess
    expect(result.status).toBe(401);
    expect(result.json.error.code).toBe('InvalidAuthenticationToken');
    expect(result.headers.get('www-authenticate')).toMatch(/^Bearer /);
  });

  it('hands the handler the raw path and query, the body and the claims when a request is routed', async () => {
    // Prepare
    const { access_token } = await issuer.issue(
      { kind: 'user', id: user.id, displayName: 'Megan Bowen', userPrincipalName: user.userPrincipalName },
      { mfa: true },
    );
    let seen: APIGatewayProxyEventV2 | undefined;
    stub = async (event) => {
      seen = event;
      return { statusCode: 202, headers: { 'x-stub': 'yes' }, body: 'accepted' };
    };

    // Act
    const result = await call('POST', '/v1.0/roleManagement/directory/roleDefinitions/a%2Fb?%24filter=x+eq+%27y%27', {
      body: '{"displayName":"Zoë"}',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
    });

    // Assess
    expect(result.status).toBe(202);
    expect(result.headers.get('x-stub')).toBe('yes');
    expect(result.text).toBe('accepted');
    expect(seen).toMatchObject({
      rawPath: '/v1.0/roleManagement/directory/roleDefinitions/a%2Fb',
      rawQueryString: '%24filter=x+eq+%27y%27',
      body: '{"displayName":"Zoë"}',
      isBase64Encoded: false,
      routeKey: 'ANY /v1.0/roleManagement/directory/roleDefinitions/{proxy+}',
      requestContext: { authorizer: { jwt: { claims: { sub: user.id } } }, http: { method: 'POST' } },
    });
  });

  it('sends the decoded bytes when the handler answers base64-encoded', async () => {
    // Prepare
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    stub = async () => ({ statusCode: 200, headers: { 'content-type': 'image/png' }, body: png.toString('base64'), isBase64Encoded: true });

    // Act
    const result = await call('GET', '/v1.0/roleManagement/directory/roleDefinitions');

    // Assess
    expect(result.status).toBe(200);
    expect(result.bytes.equals(png)).toBe(true);
  });

  it("answers a Graph 413 the client can read when the body is over API Gateway's 10 MB", async () => {
    // Prepare
    stub = vi.fn(async () => ({ statusCode: 200 }));

    // Act
    const result = await call('POST', '/v1.0/roleManagement/directory/roleDefinitions', {
      body: Buffer.alloc(GATEWAY_MAX_BODY_BYTES + 1, 0x20),
      headers: { 'content-type': 'application/json' },
    });

    // Assess
    expect(result.status).toBe(413);
    expect(result.json.error.code).toBe('RequestEntityTooLarge');
    expect(stub).not.toHaveBeenCalled();
  });

  it('answers a Graph 500 that hides the error when a handler throws', async () => {
    // Prepare
    stub = async () => {
      throw new Error('kaboom: password=hunter2');
    };
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    // Act
    const result = await call('GET', '/v1.0/roleManagement/directory/roleDefinitions');
    logged.mockRestore();

    // Assess
    expect(result.status).toBe(500);
    expect(result.json.error.code).toBe('InternalServerError');
    expect(result.text).not.toMatch(/kaboom|hunter2/);
  });
});
