/**
 * The AuthZEN access decision endpoints, end to end against DynamoDB Local: who may ask, what is
 * answered and why, in force by the clock, one and many evaluations, and what is refused as bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import type { RoleRequestInput } from '../../../shared/contracts/role-requests.ts';
import { BUILTIN_ROLE_IDS as R } from '../../../shared/domain/builtin-roles.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import type { ScheduleKind } from '../../../shared/domain/schedule.ts';
import type { Actor } from '../../../shared/services/context.ts';
import { submitRoleRequest } from '../../../shared/services/roles/requests/submit-request.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';
import { expectGraphError, groupBody, listAll, ref, userBody } from './support.ts';

const PASSWORD = 'microsoft.directory/users/password/update';
const TENANT = { type: 'scope', id: '/' };

const evaluation = (subjectId: string, action = PASSWORD, resource: { type: string; id: string } = TENANT, type = 'user') => ({
  subject: { type, id: subjectId },
  action: { name: action },
  resource,
});

/** Harness shared by both stacks: ids of the seeded people, tokens, and role requests made as the admin. */
function harness(stack: () => LocalStack) {
  const people: Record<string, string> = {};
  let api: ApiClient;
  const h = {
    people,
    get api() {
      return api;
    },
    async init() {
      api = apiClient(stack());
      const token = await api.token('admin@contoso.test');
      for (const user of await listAll(stack(), api, token, '/v1.0/users')) people[user.userPrincipalName.split('@')[0]] = user.id;
    },
    actor(): Actor {
      const now = stack().runtime.services.clock.now();
      return { caller: { kind: 'user', id: people.admin!, authMethods: ['pwd', 'mfa'], authTime: Math.floor(now.getTime() / 1000) }, correlationId: 'test' };
    },
    /** An adminAssign made through the service, as the seeded Global Administrator. */
    async assign(kind: ScheduleKind, principalId: string, roleDefinitionId: string, directoryScopeId = '/', scheduleInfo?: RoleRequestInput['scheduleInfo']) {
      const input: RoleRequestInput = {
        action: { sent: 'adminAssign', canonical: 'adminAssign' },
        principalId,
        roleDefinitionId,
        directoryScopeId,
        justification: 'access decision test',
        scheduleInfo: scheduleInfo ?? { expiration: { type: 'noExpiration' } },
      };
      return (await submitRoleRequest(stack().runtime.services, h.actor(), kind, input)).request;
    },
    async decide(token: string, body: unknown, path = '/access/v1/evaluation') {
      return api.call('POST', path, { token, body });
    },
  };
  return h;
}

describe('POST /access/v1/evaluation and /access/v1/evaluations', () => {
  let stack: LocalStack;
  const h = harness(() => stack);
  let admin: string;
  let kai: string;

  beforeAll(async () => {
    stack = await startTestStack();
    await h.init();
    admin = await h.api.token('admin@contoso.test');
    kai = await h.api.token('kai.tanaka@contoso.test');
  });
  afterAll(() => stack.stop());

  /** A new user with a token of their own. */
  async function newUser(alias: string) {
    const created = await h.api.call('POST', '/v1.0/users', { token: admin, body: userBody(alias) });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, token: await h.api.token(`${alias}@contoso.test`) };
  }

  describe('the decision and its reason', () => {
    it('allows the seeded Global Administrator at the tenant, naming the direct permanent assignment', async () => {
      const result = await h.decide(admin, evaluation(h.people.admin!));
      expect(result.status).toBe(200);
      expect(result.headers.get('content-type')).toMatch(/^application\/json/);
      expect(result.body).toEqual({
        decision: true,
        context: {
          reason: expect.stringContaining("through an active assignment of 'Global Administrator' at '/', held directly, with no end"),
          grant: {
            scheduleId: expect.stringMatching(/^req_/),
            roleDefinitionId: R.globalAdministrator,
            roleDisplayName: 'Global Administrator',
            directoryScopeId: '/',
            assignmentType: 'Assigned',
            memberType: 'Direct',
            viaGroup: null,
            startDateTime: expect.any(String),
            endDateTime: null,
          },
        },
      });
    });

    it('denies a user who holds nothing, saying what was asked and when', async () => {
      const result = await h.decide(kai, evaluation(h.people['kai.tanaka']!));
      expect(result.status).toBe(200);
      expect(result.body).toEqual({
        decision: false,
        context: {
          reason: expect.stringMatching(new RegExp(`^No active assignment grants '${PASSWORD}' at '/' to user '${h.people['kai.tanaka']}' at \\d{4}-`)),
        },
      });
    });

    it('allows through a group the user belongs to, naming the group', async () => {
      const grace = await newUser('grace.hopper');
      const group = await h.api.call('POST', '/v1.0/groups', { token: admin, body: groupBody('Password Helpers', { isAssignableToRole: true }) });
      expect(group.status).toBe(201);
      expect((await h.api.call('POST', `/v1.0/groups/${group.body.id}/members/$ref`, { token: admin, body: ref(grace.id) })).status).toBe(204);

      expect((await h.decide(grace.token, evaluation(grace.id))).body.decision).toBe(false);
      await h.assign('assignment', group.body.id, R.userAdministrator);
      const result = await h.decide(grace.token, evaluation(grace.id));
      expect(result.body).toMatchObject({
        decision: true,
        context: {
          reason: expect.stringContaining("of 'User Administrator' at '/', held through group 'Password Helpers', with no end"),
          grant: { roleDefinitionId: R.userAdministrator, memberType: 'Group', viaGroup: { id: group.body.id, displayName: 'Password Helpers' } },
        },
      });
      // The group itself may be asked about, by someone allowed to ask about others.
      expect((await h.decide(admin, evaluation(group.body.id, PASSWORD, TENANT, 'group'))).body).toMatchObject({
        decision: true,
        context: { grant: { memberType: 'Direct' } },
      });
    });

    it('allows at the assignment scope and below, denies elsewhere and what the role excludes', async () => {
      const ray = await newUser('ray.contrib');
      await h.assign('assignment', ray.id, R.contributor, '/subscriptions/sub-a');
      const at = (id: string) => ({ type: 'scope', id });
      const cases: [string, string, boolean][] = [
        ['Microsoft.Compute/virtualMachines/write', '/subscriptions/sub-a', true],
        ['Microsoft.Compute/virtualMachines/write', '/subscriptions/sub-a/resourceGroups/rg1', true],
        ['Microsoft.Compute/virtualMachines/write', '/subscriptions/SUB-A/resourceGroups/rg1/', true],
        ['Microsoft.Compute/virtualMachines/write', '/subscriptions/sub-b', false],
        ['Microsoft.Compute/virtualMachines/write', '/subscriptions/sub-ab', false],
        ['Microsoft.Compute/virtualMachines/write', '/', false],
        ['Microsoft.Authorization/roleAssignments/write', '/subscriptions/sub-a', false],
        [PASSWORD, '/subscriptions/sub-a', false],
      ];
      for (const [action, scope, allowed] of cases) {
        const result = await h.decide(ray.token, evaluation(ray.id, action, at(scope)));
        expect({ action, scope, decision: result.body.decision }).toEqual({ action, scope, decision: allowed });
      }
      const denied = await h.decide(ray.token, evaluation(ray.id, 'Microsoft.Compute/virtualMachines/write', at('/subscriptions/sub-b')));
      expect(denied.body.context.reason).toContain("at '/subscriptions/sub-b'");
    });

    it('denies an eligible user, pointing at the eligibility; activation makes it allowed at once', async () => {
      const eli = await newUser('eli.gible');
      const eligibility = await h.assign('eligibility', eli.id, R.helpdeskAdministrator);
      const denied = await h.decide(eli.token, evaluation(eli.id));
      expect(denied.body).toMatchObject({
        decision: false,
        context: {
          reason: expect.stringContaining("it is eligible for 'Helpdesk Administrator' at '/', held directly, with no end — activate it."),
          eligibility: { scheduleId: eligibility.targetScheduleId, roleDisplayName: 'Helpdesk Administrator', memberType: 'Direct', viaGroup: null },
        },
      });

      const now = stack.runtime.services.clock.now();
      await submitRoleRequest(
        stack.runtime.services,
        { caller: { kind: 'user', id: eli.id, authMethods: ['pwd', 'mfa'], authTime: Math.floor(now.getTime() / 1000) }, correlationId: 'test' },
        'assignment',
        {
          action: { sent: 'selfActivate', canonical: 'selfActivate' },
          principalId: eli.id,
          roleDefinitionId: R.helpdeskAdministrator,
          directoryScopeId: '/',
          justification: 'on call',
          scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
        },
      );
      const allowed = await h.decide(eli.token, evaluation(eli.id));
      expect(allowed.body).toMatchObject({
        decision: true,
        context: { reason: expect.stringContaining('through an activation of'), grant: { assignmentType: 'Activated', endDateTime: expect.any(String) } },
      });
    });

    it('answers an unknown principal with decision false and a reason, not 404', async () => {
      const ghost = 'usr_01J0000000000000000000GH0S';
      const result = await h.decide(admin, evaluation(ghost));
      expect(result.status).toBe(200);
      expect(result.body).toEqual({ decision: false, context: { reason: `Unknown principal: no user with id '${ghost}' exists in the directory.` } });
      // An existing id asked about as the wrong type is unknown as that type.
      const asGroup = await h.decide(admin, evaluation(h.people['kai.tanaka']!, PASSWORD, TENANT, 'group'));
      expect(asGroup.body.context.reason).toMatch(/^Unknown principal: no group with id/);
      // 'identity' takes whichever kind the id is.
      expect((await h.decide(admin, evaluation(h.people.admin!, PASSWORD, TENANT, 'identity'))).body.decision).toBe(true);
    });
  });

  describe('who may ask', () => {
    it('lets anyone ask about themselves, but about others only with a reader role (else 403)', async () => {
      const error = expectGraphError(await h.decide(kai, evaluation(h.people.admin!)), 403, 'Authorization_RequestDenied');
      expect(error.message).toContain('Global Reader');
      expectGraphError(
        await h.decide(kai, { evaluations: [evaluation(h.people['kai.tanaka']!), evaluation(h.people.admin!)] }, '/access/v1/evaluations'),
        403,
        'Authorization_RequestDenied',
      );

      expect((await h.decide(admin, evaluation(h.people['kai.tanaka']!))).body.decision).toBe(false);

      const rosa = h.people['rosa.lopez']!;
      const rosaToken = await h.api.token('rosa.lopez@contoso.test');
      expectGraphError(await h.decide(rosaToken, evaluation(h.people.admin!)), 403, 'Authorization_RequestDenied');
      await h.assign('assignment', rosa, R.globalReader);
      expect((await h.decide(rosaToken, evaluation(h.people.admin!))).body.decision).toBe(true);
    });

    it('lets a service principal ask about itself, and not about others without a reader role', async () => {
      const pipeline = await h.api.servicePrincipalToken('deploy-pipeline');
      const sp = (await h.api.call('GET', `/v1.0/servicePrincipals?$filter=${encodeURIComponent("appId eq 'deploy-pipeline'")}`, { token: admin })).body
        .value[0];
      const self = await h.decide(pipeline, evaluation(sp.id, PASSWORD, TENANT, 'servicePrincipal'));
      expect(self.status).toBe(200);
      expect(self.body.decision).toBe(false);
      expectGraphError(await h.decide(pipeline, evaluation(h.people.admin!)), 403, 'Authorization_RequestDenied');
    });

    it('needs a token', async () => {
      expectGraphError(await h.api.call('POST', '/access/v1/evaluation', { body: evaluation(h.people.admin!) }), 401, 'InvalidAuthenticationToken');
    });
  });

  describe('evaluations (batch)', () => {
    it('applies top-level defaults, lets each evaluation override them, and answers in order', async () => {
      const result = await h.decide(
        admin,
        {
          subject: { type: 'user', id: h.people.admin },
          action: { name: PASSWORD },
          resource: TENANT,
          context: { time: '2030-01-01T00:00:00Z' },
          evaluations: [
            {},
            { subject: { type: 'user', id: h.people['kai.tanaka'] } },
            { action: { name: 'microsoft.directory/users/delete' } },
            { resource: { type: 'scope', id: '/administrativeUnits/au1' } },
            { action: { name: 'Microsoft.Compute/virtualMachines/write' }, resource: { type: 'scope', id: '/subscriptions/sub-z' } },
          ],
        },
        '/access/v1/evaluations',
      );
      expect(result.status).toBe(200);
      expect(Object.keys(result.body)).toEqual(['evaluations']);
      expect(result.body.evaluations.map((e: { decision: boolean }) => e.decision)).toEqual([true, false, true, true, false]);
      expect(result.body.evaluations[1].context.reason).toContain(h.people['kai.tanaka']);
      expect(result.body.evaluations[3].context.grant.directoryScopeId).toBe('/');
    });

    it('stops at the first deny or first permit when asked to', async () => {
      const kaiId = h.people['kai.tanaka']!;
      const subjects = [h.people.admin!, kaiId, h.people.admin!];
      const body = (semantic: string) => ({
        action: { name: PASSWORD },
        resource: TENANT,
        options: { evaluations_semantic: semantic },
        evaluations: subjects.map((id) => ({ subject: { type: 'user', id } })),
      });
      const decisions = async (semantic: string) =>
        (await h.decide(admin, body(semantic), '/access/v1/evaluations')).body.evaluations.map((e: { decision: boolean }) => e.decision);
      expect(await decisions('execute_all')).toEqual([true, false, true]);
      expect(await decisions('deny_on_first_deny')).toEqual([true, false]);
      expect(await decisions('permit_on_first_permit')).toEqual([true]);
    });

    it('behaves as a single evaluation without an evaluations array', async () => {
      for (const extra of [{}, { evaluations: [] }]) {
        const result = await h.decide(admin, { ...evaluation(h.people.admin!), ...extra }, '/access/v1/evaluations');
        expect(result.status).toBe(200);
        expect(result.body).toMatchObject({ decision: true, context: { grant: { roleDisplayName: 'Global Administrator' } } });
      }
    });

    it('accepts 100 evaluations and refuses 101', async () => {
      const many = (n: number) => ({
        subject: { type: 'user', id: h.people.admin },
        action: { name: PASSWORD },
        evaluations: Array.from({ length: n }, () => ({ resource: TENANT })),
      });
      const ok = await h.decide(admin, many(100), '/access/v1/evaluations');
      expect(ok.status).toBe(200);
      expect(ok.body.evaluations).toHaveLength(100);
      const error = expectGraphError(await h.decide(admin, many(101), '/access/v1/evaluations'), 400, 'Request_BadRequest');
      expect(error.message).toContain('at most 100');
    });
  });

  describe('bad input', () => {
    const admin_ = () => h.people.admin!;
    const good = () => evaluation(admin_());
    const cases: [string, () => unknown, string][] = [
      ['an empty object', () => ({}), 'subject'],
      ['no action', () => ({ subject: good().subject, resource: TENANT }), 'action'],
      ['a null subject', () => ({ ...good(), subject: null }), 'subject'],
      ['an unknown subject type', () => ({ ...good(), subject: { type: 'robot', id: admin_() } }), 'subject.type'],
      ['an empty subject id', () => ({ ...good(), subject: { type: 'user', id: '' } }), 'subject.id'],
      ['a subject id that is not a string', () => ({ ...good(), subject: { type: 'user', id: 42 } }), 'subject.id'],
      ['a resource that is not a scope', () => ({ ...good(), resource: { type: 'document', id: '1' } }), 'resource.type'],
      ['a scope without a leading slash', () => ({ ...good(), resource: { type: 'scope', id: 'subscriptions/a' } }), 'resource.id'],
      ['a scope with an odd resource path', () => ({ ...good(), resource: { type: 'scope', id: '/subscriptions' } }), 'resource.id'],
      ['a wildcard action', () => ({ ...good(), action: { name: 'microsoft.directory/users/*' } }), 'action.name'],
      ['an action without a namespace', () => ({ ...good(), action: { name: 'read' } }), 'action.name'],
      ['an action that is not an object', () => ({ ...good(), action: PASSWORD }), 'action'],
      ['properties that are not an object', () => ({ ...good(), subject: { ...good().subject, properties: 'x' } }), 'subject.properties'],
      ['a context that is not an object', () => ({ ...good(), context: [1] }), 'context'],
    ];

    it.each(cases)('refuses %s with 400 naming the field', async (_, body, target) => {
      for (const path of ['/access/v1/evaluation', '/access/v1/evaluations']) {
        const error = expectGraphError(await h.decide(admin, body(), path), 400, 'Request_BadRequest');
        expect(error.details?.map((d) => d.target)).toContain(target);
      }
    });

    it('refuses a batch entry with no value and no default, and an unknown semantic', async () => {
      const missing = expectGraphError(
        await h.decide(
          admin,
          { action: { name: PASSWORD }, resource: TENANT, evaluations: [{ subject: good().subject }, { resource: TENANT }] },
          '/access/v1/evaluations',
        ),
        400,
        'Request_BadRequest',
      );
      expect(missing.details?.map((d) => d.target)).toEqual(['evaluations.1.subject']);
      const semantic = expectGraphError(
        await h.decide(admin, { ...good(), evaluations: [{}], options: { evaluations_semantic: 'first' } }, '/access/v1/evaluations'),
        400,
        'Request_BadRequest',
      );
      expect(semantic.details?.map((d) => d.target)).toEqual(['options.evaluations_semantic']);
    });

    it('refuses a body that is not JSON, or missing', async () => {
      expectGraphError(
        await h.api.call('POST', '/access/v1/evaluation', { token: admin, rawBody: '{"subject":', headers: { 'content-type': 'application/json' } }),
        400,
        'BadRequest',
      );
      expectGraphError(await h.api.call('POST', '/access/v1/evaluation', { token: admin }), 400, 'Request_BadRequest');
      expectGraphError(await h.api.call('POST', '/access/v1/evaluation', { token: admin, body: [good()] }), 400, 'Request_BadRequest');
    });

    it('ignores unknown fields, as AuthZEN requires of receivers', async () => {
      const result = await h.decide(admin, {
        ...good(),
        subject: { ...good().subject, extra: 1 },
        futureField: { x: 1 },
        options: { another_option: 'value' },
      });
      expect(result.status).toBe(200);
      expect(result.body.decision).toBe(true);
    });

    it('answers GET with 405', async () => {
      expectGraphError(await h.api.call('GET', '/access/v1/evaluation', { token: admin }), 405, 'Request_MethodNotAllowed');
    });
  });
});

describe('access decisions follow the clock to the millisecond', () => {
  const START = '2030-01-01T00:00:00.000Z';
  const clock = new ManualClock(START);
  let stack: LocalStack;
  const h = harness(() => stack);

  beforeAll(async () => {
    stack = await startTestStack({ clock });
    await h.init();
  });
  afterAll(() => stack.stop());

  it('allows until one millisecond before the end, and denies from the end instant on', async () => {
    clock.set(START);
    const kaiId = h.people['kai.tanaka']!;
    // Tokens come from the same clock and live an hour: everything below happens within it.
    const token = await h.api.token('kai.tanaka@contoso.test');
    await h.assign('assignment', kaiId, R.userAdministrator, '/', {
      startDateTime: START,
      expiration: { type: 'afterDateTime', endDateTime: '2030-01-01T00:30:00.000Z' },
    });

    clock.set('2030-01-01T00:29:59.999Z');
    const before = await h.decide(token, evaluation(kaiId));
    expect(before.body).toMatchObject({ decision: true, context: { grant: { endDateTime: '2030-01-01T00:30:00.000Z' } } });
    expect(before.body.context.reason).toContain('until 2030-01-01T00:30:00.000Z');

    clock.set('2030-01-01T00:30:00.000Z');
    const at = await h.decide(token, evaluation(kaiId));
    expect(at.body).toEqual({
      decision: false,
      context: { reason: `No active assignment grants '${PASSWORD}' at '/' to user '${kaiId}' at 2030-01-01T00:30:00.000Z.` },
    });
  });

  it('denies before a future assignment starts, from its exact start allows', async () => {
    clock.set(START);
    const samId = h.people['sam.rivera']!;
    const token = await h.api.token('sam.rivera@contoso.test');
    await h.assign('assignment', samId, R.helpdeskAdministrator, '/', {
      startDateTime: '2030-01-01T00:10:00.000Z',
      expiration: { type: 'afterDateTime', endDateTime: '2030-01-01T00:20:00.000Z' },
    });
    const decisionAt = async (instant: string) => {
      clock.set(instant);
      return (await h.decide(token, evaluation(samId))).body.decision;
    };
    expect(await decisionAt('2030-01-01T00:09:59.999Z')).toBe(false);
    expect(await decisionAt('2030-01-01T00:10:00.000Z')).toBe(true);
    expect(await decisionAt('2030-01-01T00:19:59.999Z')).toBe(true);
    expect(await decisionAt('2030-01-01T00:20:00.000Z')).toBe(false);
  });
});
