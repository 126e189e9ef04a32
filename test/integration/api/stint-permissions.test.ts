/**
 * "What may I do": AuthZEN evaluations of Stint's own permissions (`stint/<Permission>`), as the portal
 * asks them at sign-in to choose its Manage pages. The answer must be the API's own gate on the
 * assignments in force now, so each test checks it against the operation itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { BUILTIN_ROLE_IDS as R } from '../../../shared/domain/builtin-roles.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { PERMISSION_NAMES } from '../../../shared/domain/authorization.ts';
import type { Actor } from '../../../shared/services/context.ts';
import { submitRoleRequest } from '../../../shared/services/roles/requests/submit-request.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';
import { expectGraphError, listAll, userBody } from './support.ts';

const START = '2030-01-01T00:00:00.000Z';
const TENANT = { type: 'scope', id: '/' };
const MANAGE = ['stint/roleAssignments.manage', 'stint/policies.manage', 'stint/users.manage', 'stint/accessReviews.manage', 'stint/audit.readAll'];

/** The portal's sign-in call: one evaluations request about the caller, a `stint/` action per Manage page. */
const mayI = (subjectId: string, actions = MANAGE, resource = TENANT) => ({
  subject: { type: 'user', id: subjectId },
  resource,
  evaluations: actions.map((name) => ({ action: { name } })),
});

describe('what may I do: stint/ actions in AuthZEN evaluations', () => {
  const clock = new ManualClock(START);
  let stack: LocalStack;
  let api: ApiClient;
  let adminToken: string;
  const people: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startTestStack({ clock });
    api = apiClient(stack);
    adminToken = await api.token('admin@contoso.test');
    for (const user of await listAll(stack, api, adminToken, '/v1.0/users')) people[user.userPrincipalName.split('@')[0]] = user.id;
  });
  afterAll(() => stack.stop());

  const actorOf = (id: string): Actor => ({
    caller: { kind: 'user', id, authMethods: ['pwd', 'mfa'], authTime: Math.floor(clock.now().getTime() / 1000) },
    correlationId: 'test',
  });
  const evaluations = async (token: string, body: unknown) => api.call('POST', '/access/v1/evaluations', { token, body });
  const decisions = async (token: string, body: unknown) => {
    const result = await evaluations(token, body);
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    return (result.body.evaluations as { decision: boolean; context: { reason: string } }[]).map((d) => d.decision);
  };

  it('answers a Global Administrator true for every Manage permission, naming the assignment', async () => {
    const result = await evaluations(adminToken, mayI(people.admin!));
    expect(result.body.evaluations.map((d: { decision: boolean }) => d.decision)).toEqual(MANAGE.map(() => true));
    expect(result.body.evaluations[0].context.reason).toContain(
      "may use Stint's 'roleAssignments.manage' at '/' through an active assignment of 'Global Administrator'",
    );
  });

  it('answers a user without any role false for each, without needing a role to ask about themselves', async () => {
    const kai = await api.token('kai.tanaka@contoso.test');
    const result = await evaluations(kai, mayI(people['kai.tanaka']!));
    expect(result.status).toBe(200);
    expect(result.body.evaluations.map((d: { decision: boolean }) => d.decision)).toEqual(MANAGE.map(() => false));
    expect(result.body.evaluations[0].context.reason).toContain('it needs an active assignment of one of: Global Administrator, Privileged Role Administrator');
    // The API's own gate agrees.
    expectGraphError(await api.call('POST', '/v1.0/users', { token: kai, body: userBody('not.by.kai') }), 403, 'Authorization_RequestDenied');
  });

  it('follows an activation of Global Administrator: eligible says so, active is true, expired is false at once, as the API is', async () => {
    clock.set(START);
    const eva = (await api.call('POST', '/v1.0/users', { token: adminToken, body: userBody('eva.expiry') })).body.id as string;
    await submitRoleRequest(stack.runtime.services, actorOf(people.admin!), 'eligibility', {
      action: { sent: 'adminAssign', canonical: 'adminAssign' },
      principalId: eva,
      roleDefinitionId: R.globalAdministrator,
      directoryScopeId: '/',
      justification: 'what may I do test',
      scheduleInfo: { expiration: { type: 'noExpiration' } },
    });
    const token = await api.token('eva.expiry@contoso.test');
    const eligible = await evaluations(token, mayI(eva, ['stint/roleAssignments.manage']));
    expect(eligible.body.evaluations[0]).toMatchObject({
      decision: false,
      context: {
        reason: expect.stringContaining("It is eligible for 'Global Administrator' at '/'"),
        eligibility: { roleDefinitionId: R.globalAdministrator },
      },
    });

    await submitRoleRequest(stack.runtime.services, actorOf(eva), 'assignment', {
      action: { sent: 'selfActivate', canonical: 'selfActivate' },
      principalId: eva,
      roleDefinitionId: R.globalAdministrator,
      directoryScopeId: '/',
      justification: 'on call',
      scheduleInfo: { startDateTime: START, expiration: { type: 'afterDuration', duration: 'PT1H' } },
    });
    clock.set('2030-01-01T00:59:59.999Z');
    expect(await decisions(token, mayI(eva))).toEqual(MANAGE.map(() => true));
    expect((await api.call('POST', '/v1.0/users', { token, body: userBody('by.eva.active') })).status).toBe(201);

    clock.set('2030-01-01T01:00:00.000Z');
    expect(await decisions(token, mayI(eva))).toEqual(MANAGE.map(() => false));
    expectGraphError(await api.call('POST', '/v1.0/users', { token, body: userBody('by.eva.expired') }), 403, 'Authorization_RequestDenied');
  });

  it('asks about others only with the evaluateOthers rule', async () => {
    const kai = await api.token('kai.tanaka@contoso.test');
    expectGraphError(await evaluations(kai, mayI(people.admin!)), 403, 'Authorization_RequestDenied');
    expect(await decisions(adminToken, mayI(people['kai.tanaka']!))).toEqual(MANAGE.map(() => false));
  });

  it('mixes stint/ actions with resource actions in one call, and answers the single evaluation route too', async () => {
    const mixed = await decisions(adminToken, {
      subject: { type: 'user', id: people.admin! },
      resource: TENANT,
      evaluations: [{ action: { name: 'stint/identities.manage' } }, { action: { name: 'microsoft.directory/users/password/update' } }],
    });
    expect(mixed).toEqual([true, true]);
    const single = await api.call('POST', '/access/v1/evaluation', {
      token: adminToken,
      body: { subject: { type: 'user', id: people.admin! }, action: { name: 'stint/groupAccess.manage' }, resource: { type: 'scope', id: '/groups/grp_x' } },
    });
    expect(single.body.decision).toBe(true);
  });

  it('refuses an unknown stint/ permission with 400 naming every known one', async () => {
    for (const name of ['stint/roleAssignments.delete', 'stint/RoleAssignments.manage', 'STINT/roleAssignments.manage', 'stint/constructor']) {
      const error = expectGraphError(await evaluations(adminToken, mayI(people.admin!, [name])), 400, 'Request_BadRequest');
      expect(error.details?.map((d) => d.target)).toContain('evaluations.0.action.name');
      for (const permission of PERMISSION_NAMES) expect(error.details?.[0]?.message).toContain(`stint/${permission}`);
    }
  });
});
