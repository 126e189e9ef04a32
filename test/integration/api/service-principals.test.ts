import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';
import { auditTrail, expectGraphError, filter, listAll, userBody } from './support.ts';

describe('/v1.0/servicePrincipals', () => {
  let stack: LocalStack;
  let api: ApiClient;
  let token: string;

  beforeAll(async () => {
    stack = await startTestStack();
    api = apiClient(stack);
    token = await api.token('admin@contoso.test');
  });
  afterAll(() => stack.stop());

  const create = (body: unknown) => api.call('POST', '/v1.0/servicePrincipals', { token, body });
  const byAppId = async (appId: string) => (await api.call('GET', `/v1.0/servicePrincipals?${filter(`appId eq '${appId}'`)}`, { token })).body.value as any[];
  const all = () => listAll(stack, api, token, '/v1.0/servicePrincipals');

  it('lists the seeded deploy-pipeline service principal', async () => {
    const result = await api.call('GET', '/v1.0/servicePrincipals', { token });
    expect(result.status).toBe(200);
    expect(result.body['@odata.context']).toBe(`${stack.url}/v1.0/$metadata#servicePrincipals`);
    expect(result.body.value).toEqual([
      {
        id: expect.stringMatching(/^spn_[0-9A-HJKMNP-TV-Z]{26}$/),
        appId: 'deploy-pipeline',
        displayName: 'Deploy Pipeline',
        appDisplayName: 'Deploy Pipeline',
        description: null,
        servicePrincipalType: 'Application',
        accountEnabled: true,
        tags: [],
        '@stint.createdDateTime': expect.stringMatching(/Z$/),
      },
    ]);
  });

  it('creates a service principal (201, location, defaults) and reads it back', async () => {
    const result = await create({ appId: 'billing-exporter' });
    expect(result.status).toBe(201);
    const sp = result.body;
    expect(result.headers.get('location')).toBe(`${stack.url}/v1.0/servicePrincipals/${sp.id}`);
    expect(sp).toEqual({
      '@odata.context': `${stack.url}/v1.0/$metadata#servicePrincipals/$entity`,
      id: expect.stringMatching(/^spn_[0-9A-HJKMNP-TV-Z]{26}$/),
      appId: 'billing-exporter',
      displayName: 'billing-exporter',
      appDisplayName: null,
      description: null,
      servicePrincipalType: 'Application',
      accountEnabled: true,
      tags: [],
      '@stint.createdDateTime': expect.stringMatching(/Z$/),
    });
    const read = await api.call('GET', `/v1.0/servicePrincipals/${sp.id}`, { token });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(sp);
    const selected = await api.call('GET', `/v1.0/servicePrincipals/${sp.id}?$select=appId`, { token });
    expect(selected.body).toEqual({ '@odata.context': `${stack.url}/v1.0/$metadata#servicePrincipals/$entity`, id: sp.id, appId: 'billing-exporter' });
  });

  it('keeps everything a full create body sends', async () => {
    const body = {
      '@odata.type': '#microsoft.graph.servicePrincipal',
      appId: 'mi-backup',
      displayName: 'Backup identity',
      description: 'Nightly',
      servicePrincipalType: 'ManagedIdentity',
      accountEnabled: false,
      tags: ['prod', 'backup'],
    };
    const result = await create(body);
    expect(result.status).toBe(201);
    const { '@odata.type': _type, ...rest } = body;
    expect(result.body).toMatchObject({ ...rest, appDisplayName: 'Backup identity' });
  });

  it('finds service principals by appId and displayName, without regard to case', async () => {
    const { body: sp } = await create({ appId: 'Search-App', displayName: 'Search Indexer' });
    for (const expression of [
      "appId eq 'search-app'",
      "appId eq 'SEARCH-APP'",
      "displayName eq 'search indexer'",
      "displayName eq 'Search Indexer' and accountEnabled eq true",
    ]) {
      const result = await api.call('GET', `/v1.0/servicePrincipals?${filter(expression)}`, { token });
      expect(result.status, expression).toBe(200);
      expect(
        result.body.value.map((s: { id: string }) => s.id),
        expression,
      ).toEqual([sp.id]);
    }
    expect(await byAppId('no-such-app')).toEqual([]);
    expectGraphError(
      await api.call('GET', `/v1.0/servicePrincipals?${filter("servicePrincipalType eq 'Application'")}`, { token }),
      400,
      'Request_UnsupportedQuery',
    );
  });

  it('refuses a duplicate appId in any case with 409, and creates nothing', async () => {
    const before = await all();
    for (const appId of ['deploy-pipeline', 'DEPLOY-PIPELINE', 'Deploy-Pipeline']) {
      const error = expectGraphError(await create({ appId, displayName: 'Second pipeline' }), 409, 'Request_MultipleObjectsWithSameKeyValue');
      expect(error.message).toContain('already exists');
    }
    expect(await all()).toEqual(before);
    expect((await byAppId('deploy-pipeline')).map((s) => s.displayName)).toEqual(['Deploy Pipeline']);
  });

  it('lets exactly one of several concurrent creates with the same appId win', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => create({ appId: 'race-app', displayName: `Race ${i}` })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await byAppId('race-app')).toHaveLength(1);
  });

  it('deletes a service principal (204), frees its appId, and audits Add and Remove', async () => {
    const created = await create({ appId: 'short-lived-app' });
    const id = created.body.id;
    const deleted = await api.call('DELETE', `/v1.0/servicePrincipals/${id}`, { token });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expectGraphError(await api.call('GET', `/v1.0/servicePrincipals/${id}`, { token }), 404, 'Request_ResourceNotFound');
    expectGraphError(await api.call('DELETE', `/v1.0/servicePrincipals/${id}`, { token }), 404, 'Request_ResourceNotFound');
    expect(await byAppId('short-lived-app')).toEqual([]);
    expect((await all()).map((s) => s.id)).not.toContain(id);

    const again = await create({ appId: 'short-lived-app' });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(id);

    const trail = await auditTrail(stack, id);
    expect(trail.map((r) => r.activityDisplayName)).toEqual(['Add service principal', 'Remove service principal']);
    expect(trail.map((r) => r.correlationId)).toEqual([created, deleted].map((r) => r.headers.get('request-id')));
    for (const record of trail) {
      expect(record.category).toBe('ApplicationManagement');
      expect(record.targetResources[0]).toMatchObject({ id, type: 'ServicePrincipal', displayName: 'short-lived-app' });
    }
  });

  it('updates what a PATCH names (204), keeps the rest, finds it by its new name, and audits the update', async () => {
    const created = await create({ appId: 'report-runner', displayName: 'Report runner', tags: ['reports'] });
    const id = created.body.id;
    const patch = { displayName: 'Nightly reports', description: 'Runs at 02:00', accountEnabled: false, tags: ['reports', 'nightly'] };
    const updated = await api.call('PATCH', `/v1.0/servicePrincipals/${id}`, { token, body: patch });
    expect(updated.status).toBe(204);
    const read = await api.call('GET', `/v1.0/servicePrincipals/${id}`, { token });
    expect(read.body).toMatchObject({
      ...patch,
      appId: 'report-runner',
      servicePrincipalType: 'Application',
      '@stint.createdDateTime': created.body['@stint.createdDateTime'],
    });
    const found = await api.call('GET', `/v1.0/servicePrincipals?${filter("startswith(displayName,'nightly rep')")}`, { token });
    expect(found.body.value.map((s: { id: string }) => s.id)).toEqual([id]);
    const stale = await api.call('GET', `/v1.0/servicePrincipals?${filter("startswith(displayName,'Report runner')")}`, { token });
    expect(stale.body.value).toEqual([]);
    const trail = await auditTrail(stack, id);
    expect(trail.map((r) => r.activityDisplayName)).toEqual(['Add service principal', 'Update service principal']);
  });

  it('refuses a PATCH of what is fixed at creation, or of nothing, and changes nothing', async () => {
    const [sp] = await byAppId('deploy-pipeline');
    for (const body of [{ appId: 'other' }, { servicePrincipalType: 'ManagedIdentity' }, {}]) {
      expectGraphError(await api.call('PATCH', `/v1.0/servicePrincipals/${sp.id}`, { token, body }), 400, 'Request_BadRequest');
    }
    expect((await byAppId('deploy-pipeline'))[0]).toEqual(sp);
  });

  it('answers 404 for unknown ids and for a user id used as a service principal', async () => {
    const admin = (await api.call('GET', '/v1.0/users/admin@contoso.test', { token })).body;
    for (const id of ['spn_01J00000000000000000000000', admin.id]) {
      expectGraphError(await api.call('GET', `/v1.0/servicePrincipals/${id}`, { token }), 404, 'Request_ResourceNotFound');
      expectGraphError(await api.call('DELETE', `/v1.0/servicePrincipals/${id}`, { token }), 404, 'Request_ResourceNotFound');
    }
    expect((await api.call('GET', `/v1.0/users/${admin.id}`, { token })).status).toBe(200);
  });

  it('acts as itself with its own token, and is audited as an application', async () => {
    const { body: sp } = await create({ appId: 'provisioner', displayName: 'Provisioner' });
    // A workload identity holds an active role like anyone else: User Administrator lets it create users.
    const granted = await api.call('POST', '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests', {
      token,
      body: {
        action: 'adminAssign',
        justification: 'provisioning pipeline',
        principalId: sp.id,
        roleDefinitionId: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
        directoryScopeId: '/',
        scheduleInfo: { expiration: { type: 'noExpiration' } },
      },
    });
    expect(granted.status).toBe(201);
    const spToken = await api.servicePrincipalToken('provisioner');
    const created = await api.call('POST', '/v1.0/users', { token: spToken, body: userBody('made.by.app') });
    expect(created.status).toBe(201);
    const [record] = await auditTrail(stack, created.body.id);
    expect(record!.initiatedBy).toEqual({ user: null, app: { appId: 'provisioner', displayName: 'Provisioner', servicePrincipalId: sp.id } });
  });
});
