/**
 * The API handler, driven by API Gateway v2 events as Lambda receives them (fixtures in events/apigw),
 * over a DynamoDB Local table of this file's own and a verifier with a local JWKS.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { groupRoutes } from '../../../functions/api/routes/groups.ts';
import { servicePrincipalRoutes } from '../../../functions/api/routes/service-principals.ts';
import { userRoutes } from '../../../functions/api/routes/users.ts';
import { createHandler } from '../../../functions/api/directory.ts';
import { ensureTable } from '../../../infra/local/create-table.ts';
import { createTokenVerifier } from '../../../shared/auth/token-verifier.ts';
import type { Config } from '../../../shared/settings.ts';
import type { Caller } from '../../../shared/domain/caller.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { createApiHandler, implement, type BoundRoute } from '../../../shared/http/api-handler.ts';
import { ok } from '../../../shared/http/responses.ts';
import { assertRouteCoverage } from '../../../shared/http/route-coverage.ts';
import { createRuntime, type Runtime } from '../../../shared/runtime.ts';
import { createGroup } from '../../../shared/services/directory/groups.ts';
import { createUser } from '../../../shared/services/directory/users.ts';
import { bootstrapGlobalAdministrator } from '../../../shared/services/roles/requests/submit-request.ts';
import { dynamoEndpoint } from '../../helpers/dynamo-endpoint.ts';

const ISSUER = 'https://login.stint.test/handler-tests';
const AUDIENCE = 'api://stint';
const KID = 'handler-test-key';
const MAX_BODY = 4096;
const clock = new ManualClock('2025-01-15T10:00:00.000Z');
const admin: Caller = { kind: 'user', id: 'usr_01JHGZ3S8V0M5Q7R2T4W6Y8A0C', userPrincipalName: 'admin@contoso.test', authMethods: ['pwd', 'mfa'] };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let privateKey: CryptoKey;
let runtime: Runtime;
let handler: ReturnType<typeof createHandler>;
let token: string;
let adele: { id: string };
let group: { id: string };

type Result = APIGatewayProxyStructuredResultV2 & { headers: Record<string, string>; json: any };

const fixture = (name: string): APIGatewayProxyEventV2 => JSON.parse(readFileSync(new URL(`../../../events/apigw/${name}`, import.meta.url), 'utf8'));
const context = { awsRequestId: 'local', functionName: 'directory' } as Context;

async function mint(claims: JWTPayload = {}, lifetime = 3600): Promise<string> {
  const now = Math.floor(clock.now().getTime() / 1000);
  return new SignJWT({ oid: admin.id, upn: admin.userPrincipalName, amr: ['pwd', 'mfa'], auth_time: now, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(admin.id)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetime)
    .sign(privateKey);
}

/** A fixture with a fresh request id and a valid token, as API Gateway would hand it over. */
function signed(event: APIGatewayProxyEventV2): APIGatewayProxyEventV2 {
  const copy = structuredClone(event);
  copy.headers = { ...copy.headers, ...(copy.headers.authorization ? { authorization: `Bearer ${token}` } : {}) };
  copy.requestContext.requestId = randomUUID();
  return copy;
}

interface EventOptions {
  body?: string | object;
  base64?: boolean;
  headers?: Record<string, string | undefined>;
  auth?: boolean;
}

const safeDecode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** Builds an event from the users-list fixture for any method and raw path (with query). */
function event(method: string, target: string, options: EventOptions = {}): APIGatewayProxyEventV2 {
  const base = signed(fixture('users-list.json'));
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQueryString = q < 0 ? '' : target.slice(q + 1);
  const text = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...base.headers, ...(text !== undefined ? { 'content-type': 'application/json' } : {}) };
  if (options.auth === false) delete headers.authorization;
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return {
    ...base,
    rawPath,
    rawQueryString,
    headers,
    queryStringParameters: undefined,
    requestContext: { ...base.requestContext, http: { ...base.requestContext.http, method, path: safeDecode(rawPath) } },
    body: text === undefined ? undefined : options.base64 ? Buffer.from(text).toString('base64') : text,
    isBase64Encoded: !!options.base64,
  };
}

async function invoke(e: APIGatewayProxyEventV2, h: (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown> = handler): Promise<Result> {
  const result = (await h(e, context)) as APIGatewayProxyStructuredResultV2;
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return { ...result, headers, json: result.body ? JSON.parse(result.body) : undefined };
}

function expectGraphError(result: Result, status: number, code: string, e?: APIGatewayProxyEventV2) {
  expect({ status: result.statusCode, code: result.json?.error?.code }, result.body).toEqual({ status, code });
  expect(Object.keys(result.json)).toEqual(['error']);
  expect(result.json.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect(result.json.error.innerError['request-id']).toBe(result.headers['request-id']);
  if (e) expect(result.headers['request-id']).toBe(e.requestContext.requestId);
  expect(result.headers['content-type']).toMatch(/^application\/json/);
  return result.json.error as { code: string; message: string; details?: { code: string; target: string; message: string }[] };
}

/** Rewrites a fixture's JSON body, keeping its encoding. */
function withJson(e: APIGatewayProxyEventV2, change: (body: any) => any): APIGatewayProxyEventV2 {
  const text = e.isBase64Encoded ? Buffer.from(e.body!, 'base64').toString('utf8') : e.body!;
  const next = JSON.stringify(change(JSON.parse(text)));
  return { ...e, body: e.isBase64Encoded ? Buffer.from(next).toString('base64') : next };
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }] };
  const endpoint = dynamoEndpoint();
  const tableName = `http-handler-${randomBytes(6).toString('hex')}`;
  const adminClient = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await ensureTable(adminClient, tableName);
  adminClient.destroy();
  const config: Config = {
    tableName,
    region: 'us-east-1',
    dynamoEndpoint: endpoint,
    jwt: { issuer: ISSUER, audience: AUDIENCE, jwksUrl: 'http://127.0.0.1:9/never-fetched' },
    pageTokenSecret: 'handler-test-secret',
    maxBodyBytes: MAX_BODY,
  };
  const base = createRuntime(config, clock);
  // The issuer vouches for `upn`, so the first token links to the admin made below.
  runtime = {
    ...base,
    verifier: createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: createLocalJWKSet(jwks), clock, trust: { authoritativeClaims: ['upn'] } }),
  };
  handler = createHandler(() => runtime);
  const actor = { caller: admin, correlationId: 'seed', system: true };
  // The caller is a real directory user and the tenant's Global Administrator, so writes are authorized.
  const adminUser = await createUser(runtime.services, actor, { displayName: 'Ada Admin', userPrincipalName: 'admin@contoso.test' });
  admin.id = adminUser.id;
  await bootstrapGlobalAdministrator(runtime.services, actor, adminUser.id);
  token = await mint();
  adele = await createUser(runtime.services, actor, {
    displayName: 'Adele Vance',
    userPrincipalName: 'adele.vance@contoso.test',
    mail: 'adele.vance@contoso.test',
  });
  group = await createGroup(runtime.services, actor, { displayName: 'Helpdesk', mailNickname: 'helpdesk', mailEnabled: false, securityEnabled: true });
});

afterAll(() => runtime?.services.table.db.destroy());

describe('directory handler with the events/apigw fixtures', () => {
  it('lists users with the Graph collection shape when given users-list.json', async () => {
    // Prepare
    const e = signed(fixture('users-list.json'));

    // Act
    const result = await invoke(e);

    // Assess
    expect(result.statusCode, result.body).toBe(200);
    expect(result.headers).toMatchObject({
      'request-id': e.requestContext.requestId,
      'client-request-id': '3b2f6d0e-8c1a-4c55-9f55-6c0a2d1e7a41',
      'odata-version': '4.0',
      'content-type': 'application/json; odata.metadata=minimal; charset=utf-8',
    });
    expect(result.json['@odata.context']).toBe('https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v1.0/$metadata#users');
    expect(result.json.value).toContainEqual({ id: adele.id, displayName: 'Adele Vance', userPrincipalName: 'adele.vance@contoso.test' });
    for (const user of result.json.value) expect(Object.keys(user).sort()).toEqual(['displayName', 'id', 'userPrincipalName']);
  });

  it('gets a user by percent-encoded userPrincipalName with an encoded $select when given users-get-by-upn.json', async () => {
    // Prepare
    const e = signed(fixture('users-get-by-upn.json'));

    // Act
    const result = await invoke(e);

    // Assess
    expect(result.statusCode, result.body).toBe(200);
    expect(result.json).toEqual({
      '@odata.context': 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v1.0/$metadata#users/$entity',
      id: adele.id,
      userPrincipalName: 'adele.vance@contoso.test',
    });
  });

  it('creates a user from a base64-encoded body when given users-create.base64.json', async () => {
    // Prepare
    const e = withJson(signed(fixture('users-create.base64.json')), (body) => ({ ...body, userPrincipalName: 'b64.user@contoso.test', mail: null }));

    // Act
    const result = await invoke(e);

    // Assess
    expect(e.isBase64Encoded).toBe(true);
    expect(result.statusCode, result.body).toBe(201);
    expect(result.json).toMatchObject({ displayName: 'Adele Vance', userPrincipalName: 'b64.user@contoso.test', jobTitle: 'Product Marketing Manager' });
    expect(result.json).not.toHaveProperty('passwordProfile');
    expect(result.headers.location).toBe(`https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v1.0/users/${result.json.id}`);
  });

  it('answers 409 when users-create.json names a userPrincipalName that exists', async () => {
    // Prepare
    const e = signed(fixture('users-create.json'));

    // Act
    const result = await invoke(e);

    // Assess
    const error = expectGraphError(result, 409, 'Request_MultipleObjectsWithSameKeyValue', e);
    expect(error.message).toContain('adele.vance@contoso.test');
    expect(result.json.error.innerError['client-request-id']).toBe('6f1c9a52-2f0e-4d8a-9a43-0b9d5b1e2c11');
  });

  it('answers 400 naming every bad property but echoing no value when given users-create.invalid.json', async () => {
    // Prepare
    const e = signed(fixture('users-create.invalid.json'));

    // Act
    const result = await invoke(e);

    // Assess
    const error = expectGraphError(result, 400, 'Request_BadRequest', e);
    expect(error.details?.map((d) => d.target).sort()).toEqual(['accountEnabled', 'displayName', 'favouriteColour', 'userPrincipalName']);
    expect(result.body).not.toMatch(/not-an-address|green|"yes"/);
  });

  it('adds a member through a $ref segment when given groups-members-add.json for an existing group', async () => {
    // Prepare
    const e = withJson(signed(fixture('groups-members-add.json')), () => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${adele.id}` }));
    e.rawPath = `/v1.0/groups/${group.id}/members/$ref`;

    // Act
    const added = await invoke(e);
    const members = await invoke(event('GET', `/v1.0/groups/${group.id}/members`));

    // Assess
    expect(added.statusCode, added.body).toBe(204);
    expect(added.body).toBe('');
    expect(added.headers['content-type']).toBeUndefined();
    expect(members.json.value.map((m: { id: string }) => m.id)).toEqual([adele.id]);
  });

  it('answers 404 when groups-members-add.json names a group that does not exist', async () => {
    // Prepare
    const e = signed(fixture('groups-members-add.json'));

    // Act
    const result = await invoke(e);

    // Assess
    expectGraphError(result, 404, 'Request_ResourceNotFound', e);
  });
});

describe('directory handler routing', () => {
  it('matches an encoded $ref segment (%24ref) like a plain one', async () => {
    // Prepare
    const user = await createUser(
      runtime.services,
      { caller: admin, correlationId: 'ref', system: true },
      { displayName: 'Ref', userPrincipalName: `ref-${randomUUID()}@contoso.test` },
    );

    // Act
    const added = await invoke(
      event('POST', `/v1.0/groups/${group.id}/members/%24ref`, { body: { '@odata.id': `https://graph.microsoft.com/v1.0/users/${user.id}` } }),
    );
    const again = await invoke(
      event('POST', `/v1.0/groups/${group.id}/members/$ref`, { body: { '@odata.id': `https://graph.microsoft.com/v1.0/users/${user.id}` } }),
    );
    const removed = await invoke(event('DELETE', `/v1.0/groups/${group.id}/members/${user.id}/%24ref`));

    // Assess
    expect(added.statusCode, added.body).toBe(204);
    expectGraphError(again, 409, 'Request_MultipleObjectsWithSameKeyValue');
    expect(removed.statusCode, removed.body).toBe(204);
  });

  it.each<[string, string, string]>([
    ['an unknown collection', 'GET', '/v1.0/nothingHere'],
    ['another API version', 'GET', '/beta/users'],
    ['too many segments', 'GET', '/v1.0/users/x/memberOf/y'],
    ['an unknown navigation', 'GET', '/v1.0/users/x/manager'],
    ['the root', 'GET', '/'],
  ])('answers 404 with Graph headers when the path is %s', async (_, method, path) => {
    // Prepare
    const e = event(method, path);

    // Act
    const result = await invoke(e);

    // Assess
    const error = expectGraphError(result, 404, 'Request_ResourceNotFound', e);
    expect(error.message).toContain(path);
    expect(result.headers['odata-version']).toBe('4.0');
  });

  it.each<[string, string, string]>([
    ['PUT', '/v1.0/users', 'GET, POST'],
    ['DELETE', '/v1.0/users', 'GET, POST'],
    ['POST', '/v1.0/users/x', 'GET, PATCH, DELETE'],
    ['PATCH', '/v1.0/users/x/memberOf', 'GET'],
    ['GET', '/v1.0/groups/x/members/$ref', 'POST'],
    ['PUT', '/v1.0/servicePrincipals/x', 'GET, PATCH, DELETE'],
  ])('answers 405 with an allow header when %s is sent to %s', async (method, path, allow) => {
    // Prepare
    const e = event(method, path, { auth: false });

    // Act
    const result = await invoke(e);

    // Assess
    expectGraphError(result, 405, 'Request_MethodNotAllowed', e);
    expect(result.headers.allow?.split(', ').sort()).toEqual(allow.split(', ').sort());
  });

  it('accepts a lower-case method when API Gateway passes one', async () => {
    // Act
    const result = await invoke(event('get', `/v1.0/users/${adele.id}`));

    // Assess
    expect(result.statusCode, result.body).toBe(200);
  });

  it('answers 400 when the path is not correctly percent-encoded', async () => {
    // Act
    const result = await invoke(event('GET', '/v1.0/users/%E0%A4%A'));

    // Assess
    expectGraphError(result, 400, 'BadRequest');
  });
});

describe('createApiHandler dispatch', () => {
  /**
   * The directory routes with three of them re-pointed: the handler checks only that the ids are the
   * contracts' own, so a test can give routes paths that overlap the way Graph's do.
   */
  function dispatchHandler() {
    const echo = (name: string) => async (ctx: { params: unknown }) => ok({ route: name, params: ctx.params });
    const replaced: Record<string, BoundRoute> = {
      'users.get': implement({ ...userRoutes.find((r) => r.spec.id === 'users.get')!.spec }, echo('param') as never),
      'users.memberOf': implement(
        {
          ...userRoutes.find((r) => r.spec.id === 'users.memberOf')!.spec,
          path: "/v1.0/users/filterByCurrentUser(on='{on}')",
          params: z.strictObject({ on: z.enum(['principal', 'approver']) }),
          query: undefined,
        },
        echo('function') as never,
      ),
      'servicePrincipals.delete': implement(
        { ...servicePrincipalRoutes.find((r) => r.spec.id === 'servicePrincipals.delete')!.spec, method: 'GET', path: '/v1.0/users/delta', params: undefined },
        echo('literal') as never,
      ),
    };
    const all = [...userRoutes, ...groupRoutes, ...servicePrincipalRoutes].map((r) => replaced[r.spec.id] ?? r);
    // The literal routes go last, so winning is not an accident of order.
    const ordered = [
      ...all.filter((r) => !['users.memberOf', 'servicePrincipals.delete'].includes(r.spec.id)),
      replaced['users.memberOf']!,
      replaced['servicePrincipals.delete']!,
    ];
    return createApiHandler('directory', ordered, () => runtime);
  }

  it.each<[string, string, object]>([
    ['a literal segment over a parameter', '/v1.0/users/delta', { route: 'literal' }],
    ['the parameter when the literal differs', '/v1.0/users/deltas', { route: 'param', params: { id: 'deltas' } }],
    ['a function segment with %27-encoded quotes', '/v1.0/users/filterByCurrentUser(on=%27principal%27)', { route: 'function', params: { on: 'principal' } }],
    ['a function segment encoded throughout', '/v1.0/users/filterByCurrentUser%28on%3D%27approver%27%29', { route: 'function', params: { on: 'approver' } }],
    ['a function segment with raw quotes', "/v1.0/users/filterByCurrentUser(on='principal')", { route: 'function', params: { on: 'principal' } }],
    ["an id with an encoded '/', kept in the id", '/v1.0/users/a%2Fb', { route: 'param', params: { id: 'a/b' } }],
    ["an id with an encoded '?' and '#'", '/v1.0/users/a%3Fb%23c', { route: 'param', params: { id: 'a?b#c' } }],
    ["an id with '+', kept as '+'", '/v1.0/users/a+b', { route: 'param', params: { id: 'a+b' } }],
    ['an id with an encoded space', '/v1.0/users/a%20b', { route: 'param', params: { id: 'a b' } }],
  ])('routes to %s', async (_, path, expected) => {
    // Prepare
    const dispatch = dispatchHandler();

    // Act
    const result = await invoke(event('GET', path), dispatch);

    // Assess
    expect(result.statusCode, result.body).toBe(200);
    expect(result.json).toEqual(expected);
  });

  it('answers 400 when a function segment matches but its parameter is not allowed', async () => {
    // Act
    const result = await invoke(event('GET', '/v1.0/users/filterByCurrentUser(on=%27everyone%27)'), dispatchHandler());

    // Assess
    const error = expectGraphError(result, 400, 'Request_BadRequest');
    expect(error.details?.[0]?.target).toBe('on');
  });

  it('finds a Lambda whose routes are not exactly its contracts', () => {
    // Act
    const build = () => assertRouteCoverage('directory', userRoutes);

    // Assess
    expect(build).toThrow(/Lambda 'directory' implements/);
  });
});

describe('directory handler authentication', () => {
  it.each<[string, Record<string, string | undefined>, RegExp]>([
    ['no Authorization header', { authorization: undefined }, /Access token is empty/],
    ['a Basic scheme', { authorization: 'Basic YWRtaW46cGFzcw==' }, /must be 'Bearer <token>'/],
    ['a Bearer scheme without a token', { authorization: 'Bearer' }, /must be 'Bearer <token>'/],
    ['a token that is not a JWT', { authorization: 'Bearer abc.def' }, /malformed/],
    ['the fixture token (signed by nobody we know)', { authorization: 'Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.e30.c2lnbmF0dXJl' }, /Access token/],
  ])('answers 401 with a challenge when there is %s', async (_, headers, message) => {
    // Prepare
    const e = event('GET', '/v1.0/users', { headers });

    // Act
    const result = await invoke(e);

    // Assess
    const error = expectGraphError(result, 401, 'InvalidAuthenticationToken', e);
    expect(error.message).toMatch(message);
    expect(result.headers['www-authenticate']).toMatch(/^Bearer realm="stint", error="invalid_token", error_description="[^"]*"$/);
  });

  it('answers 401 when the token has expired by the injected clock', async () => {
    // Prepare
    const shortLived = await mint({}, 60);
    clock.advance(120_000);

    // Act
    const result = await invoke(event('GET', '/v1.0/users', { headers: { authorization: `Bearer ${shortLived}` } }));
    clock.advance(-120_000);

    // Assess
    expect(expectGraphError(result, 401, 'InvalidAuthenticationToken').message).toMatch(/expired/);
  });

  it('accepts a bearer scheme in any case when the token is valid', async () => {
    // Act
    const result = await invoke(event('GET', `/v1.0/users/${adele.id}`, { headers: { authorization: `bearer ${token}` } }));

    // Assess
    expect(result.statusCode, result.body).toBe(200);
  });

  it('authenticates before reading the body when a request has both a bad token and a bad body', async () => {
    // Act
    const result = await invoke(event('POST', '/v1.0/users', { body: 'x'.repeat(MAX_BODY + 1), auth: false, headers: { 'content-type': 'text/plain' } }));

    // Assess
    expectGraphError(result, 401, 'InvalidAuthenticationToken');
  });
});

describe('directory handler query and body parsing', () => {
  it("reads '+' as a space when the $filter uses form encoding", async () => {
    // Prepare
    const plus = await createUser(
      runtime.services,
      { caller: admin, correlationId: 'plus', system: true },
      { displayName: 'Plus Sign Person', userPrincipalName: 'plus.sign@contoso.test' },
    );

    // Act
    const result = await invoke(event('GET', "/v1.0/users?$filter=displayName+eq+'Plus+Sign+Person'&$select=id"));

    // Assess
    expect(result.statusCode, result.body).toBe(200);
    expect(result.json.value).toEqual([{ id: plus.id }]);
  });

  it('reads a percent-encoded $filter when a client encodes everything', async () => {
    // Act
    const result = await invoke(event('GET', `/v1.0/users?%24filter=${encodeURIComponent("userPrincipalName eq 'adele.vance@contoso.test'")}&%24select=id`));

    // Assess
    expect(result.statusCode, result.body).toBe(200);
    expect(result.json.value).toEqual([{ id: adele.id }]);
  });

  it.each<[string, string, string]>([
    ['a repeated option', '/v1.0/users?$top=1&$top=2', 'Request_BadRequest'],
    ['a bad percent-encoding', '/v1.0/users?$filter=%E0%A4%A', 'Request_BadRequest'],
    ['an unsupported option', '/v1.0/users?$orderby=displayName', 'Request_UnsupportedQuery'],
    ['a $top of zero', '/v1.0/users?$top=0', 'Request_UnsupportedQuery'],
    ['a $top that is not a number', '/v1.0/users?$top=ten', 'Request_UnsupportedQuery'],
    ['a $select of an unknown property', '/v1.0/users?$select=password', 'Request_UnsupportedQuery'],
    ['a tampered $skiptoken', '/v1.0/users?$skiptoken=eyJ4IjoxfQ.c2ln', 'Request_InvalidSkipToken'],
  ])('answers 400 when the query has %s', async (_, path, code) => {
    // Prepare
    const e = event('GET', path);

    // Act
    const result = await invoke(e);

    // Assess
    expectGraphError(result, 400, code, e);
  });

  it('ignores parameters that are not OData options when they are present', async () => {
    // Act
    const result = await invoke(event('GET', `/v1.0/users/${adele.id}?api-version=2&foo`));

    // Assess
    expect(result.statusCode, result.body).toBe(200);
  });

  it('pages with a signed $skiptoken in @odata.nextLink when $top is smaller than the listing', async () => {
    // Prepare
    const actor = { caller: admin, correlationId: 'paging', system: true };
    for (let i = 0; i < 3; i++) await createUser(runtime.services, actor, { displayName: `Pager ${i}`, userPrincipalName: `pager-${i}@contoso.test` });

    // Act
    const ids: string[] = [];
    let path: string | undefined = '/v1.0/users?$top=2&$select=id';
    let pages = 0;
    while (path && pages++ < 20) {
      const result = await invoke(event('GET', path));
      expect(result.statusCode, result.body).toBe(200);
      ids.push(...result.json.value.map((u: { id: string }) => u.id));
      const link: string | undefined = result.json['@odata.nextLink'];
      path = link?.replace('https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com', '');
      if (link)
        expect(link).toMatch(/^https:\/\/a1b2c3d4e5\.execute-api\.eu-west-1\.amazonaws\.com\/v1\.0\/users\?\$top=2&\$select=id&\$skiptoken=[A-Za-z0-9_.%-]+$/);
    }

    // Assess
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(5);
    expect(pages).toBeGreaterThan(2);
  });

  it('answers 413 when the body is larger than the configured limit', async () => {
    // Prepare
    const e = event('POST', '/v1.0/users', { body: { displayName: 'x'.repeat(MAX_BODY), userPrincipalName: 'big@contoso.test' } });

    // Act
    const result = await invoke(e);

    // Assess
    const error = expectGraphError(result, 413, 'RequestEntityTooLarge', e);
    expect(error.message).toMatch(new RegExp(`at most ${MAX_BODY} are accepted`));
  });

  it('answers 415 when the body is not sent as JSON', async () => {
    // Prepare
    const e = event('POST', '/v1.0/users', { body: { displayName: 'T', userPrincipalName: 't@contoso.test' }, headers: { 'content-type': 'text/plain' } });

    // Act
    const result = await invoke(e);

    // Assess
    expectGraphError(result, 415, 'UnsupportedMediaType', e);
  });

  it('answers 400 when a route that needs a body gets none', async () => {
    // Act
    const result = await invoke(event('POST', '/v1.0/users'));

    // Assess
    expect(expectGraphError(result, 400, 'Request_BadRequest').message).toBe('This request needs a JSON body.');
  });

  it('answers 400 with the position when the body is not valid JSON', async () => {
    // Act
    const result = await invoke(event('POST', '/v1.0/users', { body: '{"displayName": "x",' }));

    // Assess
    expect(expectGraphError(result, 400, 'BadRequest').message).toMatch(/not valid JSON/);
  });
});

describe('directory handler response headers', () => {
  it.each<[string, () => APIGatewayProxyEventV2, number]>([
    ['a 200', () => event('GET', `/v1.0/users/${adele.id}`), 200],
    ['a 204', () => event('PATCH', `/v1.0/users/${adele.id}`, { body: { jobTitle: 'Manager' } }), 204],
    ['a 400', () => event('GET', '/v1.0/users?$top=1&$top=1'), 400],
    ['a 401', () => event('GET', '/v1.0/users', { auth: false }), 401],
    ['a 404', () => event('GET', '/v1.0/nowhere'), 404],
    ['a 405', () => event('PUT', '/v1.0/users'), 405],
    ['a 413', () => event('POST', '/v1.0/users', { body: 'x'.repeat(MAX_BODY + 1) }), 413],
    ['a 415', () => event('POST', '/v1.0/users', { body: '{}', headers: { 'content-type': 'text/csv' } }), 415],
  ])('sets request-id, odata-version and echoes client-request-id on %s', async (_, make, status) => {
    // Prepare
    const e = make();
    e.headers['client-request-id'] = 'c-123';

    // Act
    const result = await invoke(e);

    // Assess
    expect(result.statusCode, result.body).toBe(status);
    expect(result.headers['request-id']).toBe(e.requestContext.requestId);
    expect(result.headers['odata-version']).toBe('4.0');
    expect(result.headers['client-request-id']).toBe('c-123');
  });

  it('makes up a request id when API Gateway gave none', async () => {
    // Prepare
    const e = event('GET', '/v1.0/nowhere');
    (e.requestContext as { requestId?: string }).requestId = undefined;

    // Act
    const result = await invoke(e);

    // Assess
    expect(result.headers['request-id']).toMatch(UUID);
    expect(result.json.error.innerError['request-id']).toBe(result.headers['request-id']);
  });

  it('cuts an over-long client-request-id to 128 characters wherever it echoes it', async () => {
    // Prepare
    const headers = { 'client-request-id': 'x'.repeat(300) };

    // Act
    const success = await invoke(event('GET', `/v1.0/users/${adele.id}`, { headers }));
    const failure = await invoke(event('GET', '/v1.0/nowhere', { headers }));

    // Assess
    expect(success.headers['client-request-id']).toBe('x'.repeat(128));
    expect(failure.headers['client-request-id']).toBe('x'.repeat(128));
    expect(failure.json.error.innerError['client-request-id']).toBe('x'.repeat(128));
  });
});

describe('directory handler on an unexpected failure', () => {
  it('answers 500 InternalServerError and hides the error when DynamoDB fails', async () => {
    // Prepare
    const ddb = mockClient(DynamoDBDocumentClient);
    const secret = 'arn:aws:dynamodb:eu-west-1:123456789012:table/stint-secret';
    ddb.onAnyCommand().rejects(Object.assign(new Error(`AccessDeniedException: not authorized on ${secret}`), { name: 'AccessDeniedException' }));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const e = event('GET', '/v1.0/users', { headers: { 'client-request-id': 'c-500' } });

    // Act
    let result: Result;
    let logs: unknown[][];
    try {
      result = await invoke(e);
    } finally {
      logs = [...logged.mock.calls];
      ddb.restore();
      logged.mockRestore();
    }

    // Assess
    const error = expectGraphError(result, 500, 'InternalServerError', e);
    expect(error.message).toBe('An unexpected error occurred. Quote the request-id when reporting it.');
    expect(result.json.error).not.toHaveProperty('details');
    expect(result.body).not.toMatch(/AccessDenied|arn:aws|stint-secret|stack|\.ts:\d+|at /);
    expect(result.headers['client-request-id']).toBe('c-500');
    expect(result.headers['www-authenticate']).toBeUndefined();
    expect(logs).toHaveLength(1);
    const line = JSON.parse(String(logs[0]![0]));
    expect(line).toMatchObject({ level: 'ERROR', requestId: e.requestContext.requestId, correlation_id: e.requestContext.requestId });
    expect(JSON.stringify(line.error)).toContain('AccessDeniedException');
  });

  it('keeps working after the failure when DynamoDB is back', async () => {
    // Act
    const result = await invoke(event('GET', `/v1.0/users/${adele.id}`));

    // Assess
    expect(result.statusCode, result.body).toBe(200);
  });
});
