/**
 * Signing in with an identity provider's own subject ids: the first token of an identity links it to
 * the directory user with its user principal name (the deploy-time first Global Administrator, say) or
 * creates that user from the token's claims; later tokens are that user; two first requests at once
 * make one user; a token without a user principal name is refused with a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { ensureFirstAdministrator } from '../../../shared/services/tenant/first-administrator.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';

let stack: LocalStack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startTestStack();
  api = apiClient(stack);
});
afterAll(() => stack?.stop());

const tokenFor = async (subject: string, upn?: string, name?: string) =>
  (await stack.devIssuer.issue({ kind: 'user', id: subject, displayName: name ?? 'Someone', userPrincipalName: upn }, { mfa: true })).access_token;

const usersNamed = async (upn: string) => {
  const admin = await api.token('admin@contoso.test');
  const found = await api.call('GET', `/v1.0/users?$filter=${encodeURIComponent(`userPrincipalName eq '${upn}'`)}`, { token: admin });
  return found.body.value as { id: string; displayName: string }[];
};

describe('first sign-in of an identity', () => {
  it('creates the user from the claims and is that user from then on', async () => {
    const token = await tokenFor('idp-subject-1', 'new.person@contoso.test', 'New Person');
    const first = await api.call('GET', '/v1.0/users?$top=1', { token });
    expect(first.status).toBe(200);
    const [user] = await usersNamed('new.person@contoso.test');
    expect(user).toMatchObject({ displayName: 'New Person', id: expect.stringMatching(/^usr_/) });
    // An access decision about oneself is allowed to anyone signed in: the caller is the directory user.
    const mine = await api.call('POST', '/access/v1/evaluation', {
      token: await tokenFor('idp-subject-1', 'new.person@contoso.test'),
      body: { subject: { type: 'user', id: user!.id }, action: { name: 'microsoft.directory/users/password/update' }, resource: { type: 'scope', id: '/' } },
    });
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    expect(await usersNamed('new.person@contoso.test')).toHaveLength(1);
  });

  it('links to the first Global Administrator made at deploy time, who can then administer', async () => {
    const { userId } = await ensureFirstAdministrator(stack.runtime.services, { userPrincipalName: 'ada@contoso.test', displayName: 'Ada' }, 'test');
    const token = await tokenFor('entra-oid-ada', 'ada@contoso.test');
    const created = await api.call('POST', '/v1.0/users', { token, body: { displayName: 'Made by Ada', userPrincipalName: 'made.by.ada@contoso.test' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await usersNamed('ada@contoso.test')).map((u) => u.id)).toEqual([userId]);
  });

  it('makes one user when the first requests of an identity arrive together', async () => {
    const token = await tokenFor('idp-subject-race', 'racer@contoso.test');
    const answers = await Promise.all(Array.from({ length: 6 }, () => api.call('GET', '/v1.0/users?$top=1', { token })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await usersNamed('racer@contoso.test')).toHaveLength(1);
  });

  it('refuses a token that names no user principal name, saying why', async () => {
    const result = await api.call('GET', '/v1.0/users?$top=1', { token: await tokenFor('idp-subject-anon') });
    expect(result.status).toBe(401);
    expect(result.body.error.message).toMatch(/user principal name/);
  });
});
