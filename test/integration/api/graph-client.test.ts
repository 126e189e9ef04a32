/**
 * Microsoft's own Graph SDK (@microsoft/microsoft-graph-client v3) against the local stack: base URL and
 * version combine to `${stack.url}/v1.0/...` (GraphRequest.buildFullUrl joins host, version and path),
 * collections page with PageIterator, and errors surface as GraphError.
 *
 * Two things in the SDK assume https, and the local stack is plain http:
 * - its AuthenticationHandler attaches the token only when the URL is https and on a Graph host or a
 *   `customHosts` entry (GraphRequestUtil.isValidEndpoint); for http it strips the Authorization header;
 * - GraphRequest.parsePath separates host and version from an absolute URL (a nextLink) only for https,
 *   so an http nextLink is appended to the base URL instead of replacing it.
 * The client here therefore runs a two-step middleware chain: one middleware that does those two things
 * for the local http URL (token from an AuthenticationProvider, nextLink taken as given), then the SDK's own
 * HTTPMessageHandler. Against a deployed (https) Stint, `Client.init` with `customHosts` needs neither.
 */
import {
  Client,
  GraphError,
  HTTPMessageHandler,
  PageIterator,
  type AuthenticationProvider,
  type Context,
  type Middleware,
  type PageCollection,
} from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';
import { GLOBAL_ADMINISTRATOR, listAll, userBody } from './support.ts';

class LocalStackBearer implements Middleware {
  private next?: Middleware;
  /** Every request that went out, after the rewrite. */
  readonly requested: { method: string; url: string }[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly auth: AuthenticationProvider,
  ) {}

  async execute(context: Context): Promise<void> {
    let url = typeof context.request === 'string' ? context.request : context.request.url;
    // What the SDK builds from an absolute http nextLink: `${base}/v1.0/${base}/v1.0/users?...`.
    const doubled = `${this.baseUrl}/v1.0/${this.baseUrl}/`;
    if (url.startsWith(doubled)) url = url.slice(`${this.baseUrl}/v1.0/`.length);
    context.request = url;
    const headers = { ...(context.options?.headers as Record<string, string> | undefined), Authorization: `Bearer ${await this.auth.getAccessToken()}` };
    context.options = { ...context.options, headers };
    this.requested.push({ method: context.options.method ?? 'GET', url });
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

describe('@microsoft/microsoft-graph-client against the local stack', () => {
  let stack: LocalStack;
  let api: ApiClient;
  let token: string;
  let bearer: LocalStackBearer;
  let client: Client;

  beforeAll(async () => {
    stack = await startTestStack();
    api = apiClient(stack);
    token = await api.token('admin@contoso.test');
    bearer = new LocalStackBearer(stack.url, { getAccessToken: async () => token });
    client = Client.initWithMiddleware({ baseUrl: stack.url, defaultVersion: 'v1.0', middleware: [bearer, new HTTPMessageHandler()] });
  });
  afterAll(() => stack.stop());

  /** The GraphError a request fails with (and fails the test if it does not fail). */
  async function graphError(request: Promise<unknown>): Promise<GraphError> {
    const error = await request.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GraphError);
    return error as GraphError;
  }

  it('sends requests to `${baseUrl}/v1.0/…`', async () => {
    const me = await client.api('/users/admin@contoso.test').get();
    expect(me.userPrincipalName).toBe('admin@contoso.test');
    expect(bearer.requested.at(-1)).toEqual({ method: 'GET', url: `${stack.url}/v1.0/users/admin@contoso.test` });
  });

  it('creates, reads, updates and deletes a user', async () => {
    const created = await client.api('/users').post({
      accountEnabled: true,
      ...userBody('sdk.user'),
      mailNickname: 'sdk',
      passwordProfile: { forceChangePasswordNextSignIn: true, password: 'xWwvJ]6NMw+bWH-d' },
    });
    expect(created).toMatchObject({ userPrincipalName: 'sdk.user@contoso.test', mailNickname: 'sdk' });
    expect(created['@odata.context']).toBe(`${stack.url}/v1.0/$metadata#users/$entity`);
    expect(await client.api(`/users/${created.id}`).patch({ jobTitle: 'SDK Tester' })).toBeUndefined();
    expect(await client.api(`/users/${created.id}`).select(['id', 'jobTitle']).get()).toEqual({
      '@odata.context': `${stack.url}/v1.0/$metadata#users/$entity`,
      id: created.id,
      jobTitle: 'SDK Tester',
    });
    await client.api(`/users/${created.id}`).delete();
    const error = await graphError(client.api(`/users/${created.id}`).get());
    expect({ statusCode: error.statusCode, code: error.code }).toEqual({ statusCode: 404, code: 'Request_ResourceNotFound' });
  });

  it('creates a group with members@odata.bind, adds a member with $ref and lists members', async () => {
    const sam = await client.api('/users/sam.rivera@contoso.test').get();
    const mei = await client.api('/users/mei.chen@contoso.test').get();
    const group = await client.api('/groups').post({
      description: 'Made by the Graph SDK',
      displayName: 'SDK Group',
      groupTypes: [],
      mailEnabled: false,
      mailNickname: 'sdkgroup',
      securityEnabled: true,
      'members@odata.bind': [`https://graph.microsoft.com/v1.0/users/${sam.id}`],
    });
    expect(group).toMatchObject({ displayName: 'SDK Group', isAssignableToRole: false });
    await client.api(`/groups/${group.id}/members/$ref`).post({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${mei.id}` });
    const members = await client.api(`/groups/${group.id}/members`).get();
    expect(members.value.map((m: { userPrincipalName: string }) => m.userPrincipalName).sort()).toEqual(['mei.chen@contoso.test', 'sam.rivera@contoso.test']);
    await client.api(`/groups/${group.id}/members/${mei.id}/$ref`).delete();
    expect((await client.api(`/groups/${group.id}/members`).get()).value.map((m: { id: string }) => m.id)).toEqual([sam.id]);
    const memberOf = await client.api(`/users/${sam.id}/memberOf`).get();
    expect(memberOf.value.map((g: { displayName: string }) => g.displayName).sort()).toEqual(['Platform Engineering', 'SDK Group']);
  });

  it('filters with .filter() and .select(), and limits with .top()', async () => {
    const byUpn = await client.api('/users').filter("userPrincipalName eq 'Priya.Nair@contoso.test'").select('displayName,userPrincipalName').get();
    expect(byUpn.value).toEqual([{ id: expect.stringMatching(/^usr_/), displayName: 'Priya Nair', userPrincipalName: 'priya.nair@contoso.test' }]);
    const groups = await client.api('/groups').filter("displayName eq 'Helpdesk'").get();
    expect(groups.value.map((g: { mailNickname: string }) => g.mailNickname)).toEqual(['helpdesk']);
    const sps = await client.api('/servicePrincipals').filter("appId eq 'deploy-pipeline'").get();
    expect(sps.value.map((s: { displayName: string }) => s.displayName)).toEqual(['Deploy Pipeline']);
    const three = await client.api('/users').top(3).get();
    expect(three.value).toHaveLength(3);
    expect(three['@odata.nextLink']).toMatch(new RegExp(`^${stack.url}/v1\\.0/users\\?`));
  });

  it('walks every page with PageIterator', async () => {
    for (let i = 0; i < 6; i++) await client.api('/users').post(userBody(`sdk.page.${i}`));
    const expected = (await listAll(stack, api, token, '/v1.0/users?$top=999')).map((u) => u.id);
    expect(expected.length).toBeGreaterThanOrEqual(16);
    const seen: string[] = [];
    const requestsBefore = bearer.requested.length;
    const first: PageCollection = await client.api('/users').top(4).select('id,displayName').get();
    const iterator = new PageIterator(client, first, (user: { id: string; displayName: string }) => {
      expect(Object.keys(user).sort()).toEqual(['displayName', 'id']);
      seen.push(user.id);
      return true;
    });
    await iterator.iterate();
    expect(iterator.isComplete()).toBe(true);
    expect(seen).toEqual(expected);
    const pageRequests = bearer.requested.slice(requestsBefore + 1);
    expect(pageRequests.length).toBe(Math.ceil(expected.length / 4) - 1);
    for (const r of pageRequests) {
      expect(r.url.startsWith(`${stack.url}/v1.0/users?`), r.url).toBe(true);
      expect(r.url).toContain('$skiptoken=');
    }
  });

  it('stops and resumes a PageIterator', async () => {
    const seen: string[] = [];
    const first: PageCollection = await client.api('/groups').top(1).get();
    const iterator = new PageIterator(client, first, (group: { id: string }) => {
      seen.push(group.id);
      return seen.length !== 2;
    });
    await iterator.iterate();
    expect(seen).toHaveLength(2);
    expect(iterator.isComplete()).toBe(false);
    await iterator.resume();
    expect(iterator.isComplete()).toBe(true);
    expect(seen).toEqual((await listAll(stack, api, token, '/v1.0/groups')).map((g) => g.id));
  });

  it('looks up a role definition by display name', async () => {
    const roles = await client.api('/roleManagement/directory/roleDefinitions').filter("displayName eq 'Global Administrator'").get();
    expect(roles.value).toHaveLength(1);
    expect(roles.value[0]).toMatchObject({ id: GLOBAL_ADMINISTRATOR, templateId: GLOBAL_ADMINISTRATOR, isBuiltIn: true });
    const role = await client.api(`/roleManagement/directory/roleDefinitions/${GLOBAL_ADMINISTRATOR}`).get();
    expect(role.displayName).toBe('Global Administrator');
  });

  it('creates and renames a custom role', async () => {
    const role = await client.api('/roleManagement/directory/roleDefinitions').post({
      '@odata.type': '#microsoft.graph.unifiedRoleDefinition',
      description: 'Update basic properties of application registrations',
      displayName: 'Application Registration Support Administrator',
      rolePermissions: [{ allowedResourceActions: ['microsoft.directory/applications/basic/read'] }],
      isEnabled: true,
    });
    expect(role).toMatchObject({ isBuiltIn: false, templateId: role.id });
    await client.api(`/roleManagement/directory/roleDefinitions/${role.id}`).patch({ displayName: 'App Registration Support' });
    expect((await client.api(`/roleManagement/directory/roleDefinitions/${role.id}`).get()).displayName).toBe('App Registration Support');
  });

  describe('errors surface as GraphError with the status, code and request id', () => {
    it('409 for a duplicate userPrincipalName', async () => {
      const error = await graphError(client.api('/users').post(userBody('ADMIN')));
      expect({ statusCode: error.statusCode, code: error.code }).toEqual({ statusCode: 409, code: 'Request_MultipleObjectsWithSameKeyValue' });
      expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(error.date).toBeInstanceOf(Date);
      expect(error.message).toContain('userPrincipalName');
    });

    it('400 for an unknown property, with the details in the body', async () => {
      const error = await graphError(client.api('/users').post({ ...userBody('sdk.bad'), shoeSize: 44 }));
      expect({ statusCode: error.statusCode, code: error.code }).toEqual({ statusCode: 400, code: 'Request_BadRequest' });
      // The SDK keeps the `error` object of the answer as JSON text in `body`.
      expect(JSON.parse(error.body).details).toContainEqual(expect.objectContaining({ code: 'UnknownProperty', target: 'shoeSize' }));
    });

    it('400 for an unsupported filter and 400 for a bad $top', async () => {
      const unsupported = await graphError(client.api('/users').filter("startswith(jobTitle, 'A')").get());
      expect({ statusCode: unsupported.statusCode, code: unsupported.code }).toEqual({ statusCode: 400, code: 'Request_UnsupportedQuery' });
      const top = await graphError(client.api('/users').top(5000).get());
      expect({ statusCode: top.statusCode, code: top.code }).toEqual({ statusCode: 400, code: 'Request_UnsupportedQuery' });
    });

    it('400 for changing a built-in role, 405 for a method the resource lacks', async () => {
      const builtIn = await graphError(client.api(`/roleManagement/directory/roleDefinitions/${GLOBAL_ADMINISTRATOR}`).delete());
      expect({ statusCode: builtIn.statusCode, code: builtIn.code }).toEqual({ statusCode: 400, code: 'Request_BuiltInRoleReadOnly' });
      const method = await graphError(client.api('/users').put({}));
      expect({ statusCode: method.statusCode, code: method.code }).toEqual({ statusCode: 405, code: 'Request_MethodNotAllowed' });
    });

    it("401 when the SDK's default chain sends no token to an http URL", async () => {
      const plain = Client.init({ authProvider: (done) => done(null, token), baseUrl: stack.url, defaultVersion: 'v1.0' });
      const error = await graphError(plain.api('/users').get());
      expect({ statusCode: error.statusCode, code: error.code }).toEqual({ statusCode: 401, code: 'InvalidAuthenticationToken' });
    });
  });
});
