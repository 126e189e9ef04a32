import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { invoke, toEvent, type GatewayDeps } from '../../../infra/local/api-gateway.ts';
import type { TokenVerifier } from '../../../shared/auth/token-verifier.ts';
import { UnauthenticatedError } from '../../../shared/domain/errors.ts';
import { gatewayRoutes, routeFor, type GatewayRoute } from '../../../shared/http/gateway-routes.ts';

const GOOD_TOKEN = 'good.token.value';
const verifier: TokenVerifier = {
  verify: vi.fn(async (token: string) => {
    if (token !== GOOD_TOKEN) throw new UnauthenticatedError('Access token validation failure: the signature is invalid.');
    return {
      kind: 'user' as const,
      id: 'usr_01J3Q8Z6K2M4N5P6Q7R8S9T0VW',
      issuer: 'http://localhost',
      userPrincipalName: 'admin@contoso.test',
      authMethods: ['pwd', 'mfa'],
    };
  }),
};
const routes = gatewayRoutes();
const users = routeFor(routes, '/v1.0/users')!;
const health = routeFor(routes, '/health')!;
const fixture = (name: string): APIGatewayProxyEventV2 => JSON.parse(readFileSync(new URL(`../../../events/apigw/${name}`, import.meta.url), 'utf8'));

/** What node:http hands the local server: enough of an IncomingMessage for toEvent. */
function request(method: string, url: string, headers: Record<string, string | string[]> = {}, remoteAddress = '127.0.0.1'): IncomingMessage {
  return { method, url, headers, httpVersion: '1.1', socket: { remoteAddress } } as unknown as IncomingMessage;
}

/** The structure of an event: every key with the type of its value; header-like maps only as maps of strings. */
function shape(value: unknown, key = ''): unknown {
  if (['headers', 'queryStringParameters', 'claims', 'pathParameters'].includes(key)) {
    expect(
      Object.values(value as object).every((v) => typeof v === 'string'),
      key,
    ).toBe(true);
    return 'map<string>';
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map((v) => shape(v));
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as object)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shape(v, k)]),
    );
  }
  return typeof value;
}

describe('toEvent', () => {
  it('has the shape of the users-list.json fixture when the same request comes in locally', async () => {
    // Prepare
    const real = fixture('users-list.json');
    const incoming = request('GET', `${real.rawPath}?${real.rawQueryString}`, { ...real.headers, authorization: `Bearer ${GOOD_TOKEN}` }, '198.51.100.23');

    // Act
    const local = await toEvent(incoming, Buffer.alloc(0), users, verifier);

    // Assess
    expect(shape(local)).toEqual(shape(real));
    expect(local).toMatchObject({
      version: real.version,
      routeKey: real.routeKey,
      rawPath: real.rawPath,
      rawQueryString: real.rawQueryString,
      queryStringParameters: real.queryStringParameters,
      isBase64Encoded: false,
      requestContext: {
        routeKey: real.requestContext.routeKey,
        stage: '$default',
        http: { ...real.requestContext.http, protocol: 'HTTP/1.1' },
        domainName: real.requestContext.domainName,
      },
    });
  });

  it('keeps rawPath and rawQueryString encoded and decodes queryStringParameters when the URL is percent-encoded', async () => {
    // Prepare
    const url = '/v1.0/users/adele%40contoso.test?%24select=id%2Cmail&%24filter=displayName+eq+%27A%27';

    // Act
    const e = await toEvent(request('GET', url), Buffer.alloc(0), users, verifier);

    // Assess
    expect(e.rawPath).toBe('/v1.0/users/adele%40contoso.test');
    expect(e.rawQueryString).toBe('%24select=id%2Cmail&%24filter=displayName+eq+%27A%27');
    expect(e.queryStringParameters).toEqual({ $select: 'id,mail', $filter: "displayName eq 'A'" });
    expect(e.routeKey).toBe('ANY /v1.0/users/{proxy+}');
    expect(e.pathParameters).toEqual({ proxy: 'adele%40contoso.test' });
    expect(e.requestContext.http.path).toBe('/v1.0/users/adele%40contoso.test');
  });

  it('uses the bare route key and no path parameters when the path is the prefix itself', async () => {
    // Act
    const e = await toEvent(request('GET', '/v1.0/users'), Buffer.alloc(0), users, verifier);

    // Assess
    expect(e.routeKey).toBe('ANY /v1.0/users');
    expect(e.requestContext.routeKey).toBe('ANY /v1.0/users');
    expect(e.pathParameters).toBeUndefined();
    expect(e.rawQueryString).toBe('');
    expect(e.queryStringParameters).toBeUndefined();
  });

  it('lower-cases header names, joins repeated headers and adds the forwarding headers', async () => {
    // Prepare
    const incoming = request(
      'POST',
      '/v1.0/users',
      { 'Content-Type': 'application/json', 'X-Trace': ['a', 'b'], Host: 'localhost:3000', 'User-Agent': 'curl/8' },
      '10.1.2.3',
    );

    // Act
    const e = await toEvent(incoming, Buffer.from('{}'), users, verifier);

    // Assess
    expect(e.headers).toEqual({
      'content-type': 'application/json',
      'x-trace': 'a,b',
      host: 'localhost:3000',
      'user-agent': 'curl/8',
      'x-forwarded-proto': 'http',
      'x-forwarded-for': '10.1.2.3',
    });
    expect(e.requestContext.http).toEqual({ method: 'POST', path: '/v1.0/users', protocol: 'HTTP/1.1', sourceIp: '10.1.2.3', userAgent: 'curl/8' });
    expect(e.requestContext.domainName).toBe('localhost:3000');
  });

  it("stamps a fresh request id and API Gateway's time formats on each event", async () => {
    // Act
    const [a, b] = await Promise.all([
      toEvent(request('GET', '/v1.0/users'), Buffer.alloc(0), users, verifier),
      toEvent(request('GET', '/v1.0/users'), Buffer.alloc(0), users, verifier),
    ]);

    // Assess
    expect(a.requestContext.requestId).not.toBe(b.requestContext.requestId);
    expect(a.requestContext.time).toMatch(/^\d{2}\/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(fixture('users-list.json').requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(a.requestContext.timeEpoch - Date.now())).toBeLessThan(60_000);
    const [day, month, rest] = a.requestContext.time.split('/');
    const parsed = Date.parse(`${month} ${day} ${rest!.slice(0, 4)} ${rest!.slice(5, 13)} GMT`);
    expect(Math.abs(parsed - a.requestContext.timeEpoch)).toBeLessThan(1000);
  });

  it.each<[string, Record<string, string>, boolean]>([
    ['a valid token', { authorization: `Bearer ${GOOD_TOKEN}` }, true],
    ['a valid token with a lower-case scheme', { authorization: `bearer ${GOOD_TOKEN}` }, true],
    ['an invalid token', { authorization: 'Bearer forged.token.value' }, false],
    ['a Basic credential', { authorization: 'Basic YTpi' }, false],
    ['no Authorization header', {}, false],
  ])('passes authorizer claims only when the request has %s', async (_, headers, expected) => {
    // Act
    const e = await toEvent(request('GET', '/v1.0/users', headers), Buffer.alloc(0), users, verifier);

    // Assess
    const authorizer = (e.requestContext as { authorizer?: { jwt: { claims: Record<string, string>; scopes: unknown } } }).authorizer;
    if (expected) {
      expect(authorizer).toEqual({ jwt: { claims: { sub: 'usr_01J3Q8Z6K2M4N5P6Q7R8S9T0VW', upn: 'admin@contoso.test', amr: '["pwd","mfa"]' }, scopes: null } });
    } else {
      expect(authorizer).toBeUndefined();
    }
  });

  it('passes no claims and checks no token when the route is public', async () => {
    // Prepare
    vi.mocked(verifier.verify).mockClear();

    // Act
    const e = await toEvent(request('GET', '/health', { authorization: `Bearer ${GOOD_TOKEN}` }), Buffer.alloc(0), health, verifier);

    // Assess
    expect((e.requestContext as { authorizer?: unknown }).authorizer).toBeUndefined();
    expect(verifier.verify).not.toHaveBeenCalled();
    expect(e.routeKey).toBe('ANY /health');
  });

  it.each<[string, string | undefined, Buffer, boolean]>([
    ['JSON', 'application/json', Buffer.from('{"a":"✓"}'), false],
    ['JSON with a charset', 'application/json; charset=utf-8', Buffer.from('{"a":1}'), false],
    ['plain text', 'text/plain', Buffer.from('hello'), false],
    ['a form', 'application/x-www-form-urlencoded', Buffer.from('a=1'), false],
    ['no content type', undefined, Buffer.from('{"a":1}'), false],
    ['an octet stream', 'application/octet-stream', Buffer.from([0, 1, 2, 255, 254]), true],
    ['an image', 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47]), true],
  ])('encodes a %s body as API Gateway would', async (_, contentType, body, base64) => {
    // Act
    const e = await toEvent(request('POST', '/v1.0/users', contentType ? { 'content-type': contentType } : {}), body, users, verifier);

    // Assess
    expect(e.isBase64Encoded).toBe(base64);
    expect(e.body).toBe(base64 ? body.toString('base64') : body.toString('utf8'));
    expect(Buffer.from(e.body!, base64 ? 'base64' : 'utf8').equals(body)).toBe(true);
  });

  it('leaves the body out when there is none', async () => {
    // Act
    const e = await toEvent(request('DELETE', '/v1.0/users/x', { 'content-type': 'application/octet-stream' }), Buffer.alloc(0), users, verifier);

    // Assess
    expect(e.body).toBeUndefined();
    expect(e.isBase64Encoded).toBe(false);
  });
});

describe('invoke', () => {
  it('calls the Lambda that owns the route with a context carrying the request id', async () => {
    // Prepare
    const seen: { lambda: string; event: APIGatewayProxyEventV2; context: Context }[] = [];
    const handlerFor = (lambda: string) => async (event: APIGatewayProxyEventV2, context: Context) => {
      seen.push({ lambda, event, context });
      return { statusCode: 200, body: lambda };
    };
    const handlers = Object.fromEntries([...new Set(routes.map((r) => r.lambda))].map((l) => [l, handlerFor(l)])) as GatewayDeps['handlers'];
    const route: GatewayRoute = routeFor(routes, '/v1.0/groups/g1/members')!;
    const e = await toEvent(request('GET', '/v1.0/groups/g1/members'), Buffer.alloc(0), route, verifier);

    // Act
    const result = await invoke({ routes, handlers, verifier }, route, e);

    // Assess
    expect(result).toEqual({ statusCode: 200, body: 'directory' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.event).toBe(e);
    expect(seen[0]!.context.awsRequestId).toBe(e.requestContext.requestId);
    expect(seen[0]!.context.getRemainingTimeInMillis()).toBeGreaterThan(0);
  });
});
