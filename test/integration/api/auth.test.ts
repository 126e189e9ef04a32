/**
 * Authentication at the edge: every route but the public ones needs a valid bearer token from the
 * configured issuer; failures are 401 in Graph's shape with a WWW-Authenticate challenge. Also the local
 * dev issuer's token endpoint and its errors.
 */
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_LIFETIME_SECONDS } from '../../../infra/local/dev-issuer.ts';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';
import { expectGraphError, userBody } from './support.ts';

describe('authentication', () => {
  const clock = new ManualClock(new Date());
  let stack: LocalStack;
  let api: ApiClient;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack({ clock });
    api = apiClient(stack);
    token = await api.token('admin@contoso.test');
  });
  afterAll(() => stack.stop());

  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  function expect401(result: Awaited<ReturnType<ApiClient['call']>>, message?: string | RegExp) {
    const error = expectGraphError(result, 401, 'InvalidAuthenticationToken');
    expect(result.headers.get('www-authenticate')).toMatch(/^Bearer realm="stint", error="invalid_token", error_description="[^"]+"$/);
    if (typeof message === 'string') expect(error.message).toContain(message);
    else if (message) expect(error.message).toMatch(message);
    return error;
  }

  describe('refuses requests without a valid token', () => {
    it.each([
      ['no Authorization header', undefined, 'Access token is empty'],
      ['Basic credentials', 'Basic YWRtaW46cGFzc3dvcmQ=', "must be 'Bearer <token>'"],
      ['Bearer without a token', 'Bearer', "must be 'Bearer <token>'"],
      ['Bearer with two words', 'Bearer abc def', "must be 'Bearer <token>'"],
      ['a garbage token', 'Bearer garbage', 'malformed'],
      ['three garbage parts', 'Bearer a.b.c', 'malformed'],
    ])('%s → 401', async (_label, authorization, message) => {
      for (const path of ['/v1.0/users', '/v1.0/groups', '/v1.0/servicePrincipals', '/v1.0/roleManagement/directory/roleDefinitions']) {
        expect401(await api.call('GET', path, { headers: authorization ? { authorization } : {} }), message);
      }
    });

    it('checks the token before it reads the body: nothing is created without one', async () => {
      expect401(await api.call('POST', '/v1.0/users', { body: userBody('no.token') }));
      expect401(await api.call('POST', '/v1.0/users', { body: userBody('no.token'), headers: { authorization: 'Bearer garbage' } }));
      expectGraphError(await api.call('GET', '/v1.0/users/no.token@contoso.test', { token }), 404, 'Request_ResourceNotFound');
    });

    it('refuses a token whose payload was changed', async () => {
      const [header, payload, signature] = token.split('.');
      const forged = `${header}.${encode({ ...decode(payload!), upn: 'someone.else@contoso.test', oid: 'usr_forged' })}.${signature}`;
      expect401(await api.call('GET', '/v1.0/users', { token: forged }), 'signature is invalid');
    });

    it("refuses a token signed with another key, under the issuer's key id or another", async () => {
      const [header, payload] = token.split('.');
      const { privateKey } = await generateKeyPair('RS256');
      const claims = decode(payload!);
      const sameKid = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: decode(header!).kid, typ: 'JWT' }).sign(privateKey);
      expect401(await api.call('GET', '/v1.0/users', { token: sameKid }), 'signature is invalid');
      const otherKid = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'someone-elses-key', typ: 'JWT' }).sign(privateKey);
      expect401(await api.call('GET', '/v1.0/users', { token: otherKid }), 'unknown key');
    });

    it("refuses alg 'none' and an HMAC token keyed with the issuer's public key", async () => {
      const [, payload] = token.split('.');
      const none = `${encode({ alg: 'none', typ: 'JWT' })}.${payload}.`;
      expect401(await api.call('GET', '/v1.0/users', { token: none }));
      const jwks = (await api.call('GET', '/.well-known/jwks.json')).body;
      const hmac = await new SignJWT(decode(payload!))
        .setProtectedHeader({ alg: 'HS256', kid: jwks.keys[0].kid })
        .sign(new TextEncoder().encode(JSON.stringify(jwks.keys[0])));
      expect401(await api.call('GET', '/v1.0/users', { token: hmac }));
    });

    it('refuses an expired token, and takes it again once the clock is back', async () => {
      const old = await api.token('priya.nair@contoso.test');
      clock.advance((TOKEN_LIFETIME_SECONDS + 31) * 1000);
      try {
        expect401(await api.call('GET', '/v1.0/users', { token: old }), 'expired');
      } finally {
        clock.advance(-(TOKEN_LIFETIME_SECONDS + 31) * 1000);
      }
      expect((await api.call('GET', '/v1.0/users?$top=1', { token: old })).status).toBe(200);
    });

    it('refuses a token from another issuer (another stack), even for the same user name', async () => {
      const other = await startTestStack();
      try {
        const foreign = await apiClient(other).token('admin@contoso.test');
        expect401(await api.call('GET', '/v1.0/users', { token: foreign }), /unknown key|claim is not accepted/);
      } finally {
        await other.stop();
      }
    });
  });

  describe('accepts valid tokens', () => {
    it('for a user, with or without MFA, and for a user addressed by id', async () => {
      const admin = (await api.call('GET', '/v1.0/users/admin@contoso.test', { token })).body;
      for (const t of [await api.token('kai.tanaka@contoso.test', { mfa: false }), await api.token(admin.id), await api.token('ADMIN@contoso.test')]) {
        const result = await api.call('GET', '/v1.0/users?$top=1', { token: t });
        expect(result.status).toBe(200);
      }
      expect((await api.call('GET', '/v1.0/users', { headers: { authorization: `bearer ${token}` } })).status).toBe(200);
    });

    it('for a service principal', async () => {
      const spToken = await api.servicePrincipalToken('deploy-pipeline');
      const claims = decode(spToken.split('.')[1]!);
      expect(claims).toMatchObject({ idtyp: 'app', appid: 'deploy-pipeline', aud: 'api://stint', iss: stack.url });
      for (const path of ['/v1.0/users', '/v1.0/groups', '/v1.0/servicePrincipals', '/v1.0/roleManagement/directory/roleDefinitions']) {
        expect((await api.call('GET', path, { token: spToken })).status, path).toBe(200);
      }
    });

    it('issues user tokens with the claims the verifier relies on', () => {
      const claims = decode(token.split('.')[1]!);
      expect(claims).toMatchObject({ iss: stack.url, aud: 'api://stint', upn: 'admin@contoso.test', amr: ['pwd', 'mfa'] });
      expect(claims.exp - claims.iat).toBe(TOKEN_LIFETIME_SECONDS);
      expect(claims.sub).toBe(claims.oid);
    });
  });

  describe('the public routes', () => {
    it('answer health without a token', async () => {
      const result = await api.call('GET', '/health');
      expect(result.status).toBe(200);
      expect(result.body).toEqual({ status: 'ok' });
    });

    it('serve an OpenAPI 3.1 document of every route without a token', async () => {
      const result = await api.call('GET', '/openapi.json');
      expect(result.status).toBe(200);
      expect(result.body.openapi).toBe('3.1.0');
      expect(result.body.servers).toEqual([{ url: stack.url }]);
      const operations = Object.entries(result.body.paths as Record<string, Record<string, { operationId: string }>>).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`),
      );
      for (const expected of [
        'GET /v1.0/users users.list',
        'POST /v1.0/users users.create',
        'GET /v1.0/users/{id} users.get',
        'PATCH /v1.0/users/{id} users.update',
        'DELETE /v1.0/users/{id} users.delete',
        'GET /v1.0/users/{id}/memberOf users.memberOf',
        'GET /v1.0/groups groups.list',
        'POST /v1.0/groups/{id}/members/$ref groups.members.add',
        'DELETE /v1.0/groups/{id}/members/{memberId}/$ref groups.members.remove',
        'POST /v1.0/servicePrincipals servicePrincipals.create',
        'GET /v1.0/roleManagement/directory/roleDefinitions roleDefinitions.list',
        'PATCH /v1.0/roleManagement/directory/roleDefinitions/{id} roleDefinitions.update',
        'GET /health health',
      ]) {
        expect(operations).toContain(expected);
      }
      // Email links land in the portal, a site of its own: nothing of it is an API operation.
      expect(Object.keys(result.body.paths).filter((p) => p.startsWith('/portal'))).toEqual([]);
      expect(result.body.components.schemas.GraphError).toBeDefined();
    });

    it('serve the dev issuer discovery document and JWKS', async () => {
      const discovery = await api.call('GET', '/.well-known/openid-configuration');
      expect(discovery.body).toMatchObject({ issuer: stack.url, jwks_uri: `${stack.url}/.well-known/jwks.json`, token_endpoint: `${stack.url}/local/token` });
      const jwks = await api.call('GET', '/.well-known/jwks.json');
      expect(jwks.body.keys).toHaveLength(1);
      expect(jwks.body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(jwks.body.keys[0]).not.toHaveProperty(secret);
    });
  });

  describe('the dev token endpoint', () => {
    it.each([
      ['an unknown user', { user: 'ghost@contoso.test' }, 404, 'Request_ResourceNotFound'],
      ['an unknown user id', { user: 'usr_01J00000000000000000000000' }, 404, 'Request_ResourceNotFound'],
      ['an unknown service principal', { servicePrincipal: 'ghost-app' }, 404, 'Request_ResourceNotFound'],
      ['an empty body', {}, 400, 'Request_BadRequest'],
      ['both a user and a service principal', { user: 'admin@contoso.test', servicePrincipal: 'deploy-pipeline' }, 400, 'Request_BadRequest'],
      ['an empty user', { user: '' }, 400, 'Request_BadRequest'],
      ['a string for mfa', { user: 'admin@contoso.test', mfa: 'yes' }, 400, 'Request_BadRequest'],
      ['a negative authAgeSeconds', { user: 'admin@contoso.test', authAgeSeconds: -1 }, 400, 'Request_BadRequest'],
      ['an unknown property', { user: 'admin@contoso.test', role: 'Global Administrator' }, 400, 'Request_BadRequest'],
    ])('answers %s with %i in Graph shape', async (_label, body, status, code) => {
      const result = await api.call('POST', '/local/token', { body });
      expectGraphError(result, status, code);
      expect(result.body.access_token).toBeUndefined();
    });

    it('answers malformed JSON with 400', async () => {
      expectGraphError(
        await api.call('POST', '/local/token', { rawBody: '{"user":', headers: { 'content-type': 'application/json' } }),
        400,
        'Request_BadRequest',
      );
    });

    it('issues no token for a user once deleted, and names the way out', async () => {
      const created = await api.call('POST', '/v1.0/users', { token, body: userBody('soon.gone') });
      expect(typeof (await api.token('soon.gone@contoso.test'))).toBe('string');
      expect((await api.call('DELETE', `/v1.0/users/${created.body.id}`, { token })).status).toBe(204);
      const error = expectGraphError(await api.call('POST', '/local/token', { body: { user: 'soon.gone@contoso.test' } }), 404, 'Request_ResourceNotFound');
      expect(error.message).toContain('POST /v1.0/users');
    });

    it('answers with no-store caching', async () => {
      const result = await api.call('POST', '/local/token', { body: { user: 'admin@contoso.test' } });
      expect(result.status).toBe(200);
      expect(result.headers.get('cache-control')).toBe('no-store');
      expect(result.body).toMatchObject({ token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS });
    });
  });
});
