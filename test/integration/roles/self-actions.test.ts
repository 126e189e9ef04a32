/**
 * A principal's own requests: selfActivate under the end-user rules (MFA, justification, ticket,
 * maximum duration, eligibility, approval), selfDeactivate, selfExtend, selfRenew, and cancel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import {
  activatedUsingOf,
  activate,
  activationBody,
  approvalRule,
  ASSIGNMENT_REQUESTS,
  BASE,
  customRole,
  DAY,
  enablementRule,
  ELIGIBILITY_REQUESTS,
  expectGraphError,
  failedRules,
  filter,
  HOUR,
  instancesOf,
  iso,
  list,
  makeActive,
  makeEligible,
  MINUTE,
  newUser,
  patchRule,
  post,
  requestBody,
  requestsOf,
  ROLES,
  schedulesOf,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from './helpers.ts';

const ROLE = ROLES.securityAdministrator;

describe('self actions on roles', () => {
  const clock = new ManualClock('2031-06-02T08:00:00.000Z');
  let ctx: Ctx;
  const now = () => clock.now().getTime();
  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
  });
  afterAll(() => ctx.stop());

  async function eligibleUser(o: { role?: string; end?: string } = {}): Promise<{ user: TestUser; eligibility: any }> {
    const user = await newUser(ctx, 'self');
    return { user, eligibility: await makeEligible(ctx, user.id, o.role ?? ROLE, o.end ? { end: o.end } : {}) };
  }

  const nothingActive = async (user: TestUser) => {
    expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
    expect(await schedulesOf(ctx, 'assignment', user.id)).toEqual([]);
  };

  describe('selfActivate', () => {
    it('activates an eligibility at once: Provisioned, an Activated instance, the eligibility kept', async () => {
      const { user, eligibility } = await eligibleUser();
      const result = await activate(ctx, user, ROLE, { duration: 'PT2H', ticket: 'INC-1' });
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      const at = iso(now());
      expect(result.body).toMatchObject({
        action: 'selfActivate',
        status: 'Provisioned',
        principalId: user.id,
        roleDefinitionId: ROLE,
        directoryScopeId: '/',
        targetScheduleId: result.body.id,
        approvalId: null,
        createdDateTime: at,
        completedDateTime: at,
        justification: 'Needed for the test',
        createdBy: { application: null, device: null, user: { id: user.id } },
        ticketInfo: { ticketNumber: 'INC-1', ticketSystem: 'Jira' },
        scheduleInfo: { startDateTime: at, recurrence: null, expiration: { type: 'afterDuration', endDateTime: null, duration: 'PT2H' } },
      });
      expect(await activatedUsingOf(ctx, result.body.id)).toBe(eligibility.id);
      expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([
        expect.objectContaining({
          id: result.body.id,
          assignmentType: 'Activated',
          memberType: 'Direct',
          startDateTime: at,
          endDateTime: iso(now() + 2 * HOUR),
        }),
      ]);
      expect(await instancesOf(ctx, 'eligibility', user.id)).toEqual([expect.objectContaining({ id: eligibility.id })]);
      const mine = await list(ctx, `${BASE}/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')`, await tokenOf(ctx, user));
      expect(mine.map((i) => i.id)).toEqual([result.body.id]);
    });

    it('lasts the policy maximum (PT8H) when no expiration is given', async () => {
      const { user } = await eligibleUser();
      const body = { ...activationBody(user.id, ROLE), scheduleInfo: { startDateTime: null } };
      const result = await post(ctx, 'assignment', body, await tokenOf(ctx, user));
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([expect.objectContaining({ endDateTime: iso(now() + 8 * HOUR) })]);
    });

    it("takes expiration type 'notSpecified' as no expiration given: the maximum", async () => {
      const { user } = await eligibleUser();
      const body = { ...activationBody(user.id, ROLE), scheduleInfo: { expiration: { type: 'NotSpecified' } } };
      const result = await post(ctx, 'assignment', body, await tokenOf(ctx, user));
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([expect.objectContaining({ endDateTime: iso(now() + 8 * HOUR) })]);
    });

    it('accepts PascalCase, echoing SelfActivate and normalising AfterDuration', async () => {
      const { user } = await eligibleUser();
      const body = { ...activationBody(user.id, ROLE), action: 'SelfActivate', scheduleInfo: { expiration: { type: 'AfterDuration', duration: 'PT1H' } } };
      const result = await post(ctx, 'assignment', body, await tokenOf(ctx, user));
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body.action).toBe('SelfActivate');
      expect(result.body.scheduleInfo.expiration).toEqual({ type: 'afterDuration', endDateTime: null, duration: 'PT1H' });
    });

    it.each([
      ['without MFA', { mfa: false }],
      ['with an MFA sign-in an hour old', { mfa: true, authAgeSeconds: 3600 }],
    ])('answers 401 with a step-up challenge %s, when MFA is the only failure', async (_name, tokenOptions) => {
      const { user } = await eligibleUser();
      const result = await activate(ctx, user, ROLE, { token: await tokenOf(ctx, user, tokenOptions) });
      const error = expectGraphError(result, 401, 'RoleAssignmentRequestPolicyValidationFailed');
      expect(error.message).toContain('["MfaRule"]');
      expect(error.details).toEqual([expect.objectContaining({ code: 'MfaRule' })]);
      const challenge = result.headers.get('www-authenticate') ?? '';
      expect(challenge).toMatch(/^Bearer error="insufficient_user_authentication"/);
      expect(challenge).toContain('max_age=900');
      await nothingActive(user);
      expect(await requestsOf(ctx, 'assignment', user.id)).toEqual([]);
    });

    it('accepts an MFA sign-in that is still fresh (10 minutes old)', async () => {
      const { user } = await eligibleUser();
      expect((await activate(ctx, user, ROLE, { token: await tokenOf(ctx, user, { mfa: true, authAgeSeconds: 600 }) })).status).toBe(201);
    });

    it('answers 400 naming every failed rule when more than MFA fails', async () => {
      const { user } = await eligibleUser();
      const result = await activate(ctx, user, ROLE, { token: await tokenOf(ctx, user, { mfa: false }), justification: null, duration: 'PT9H' });
      const error = expectGraphError(result, 400, 'RoleAssignmentRequestPolicyValidationFailed');
      expect(failedRules(result)).toEqual(['ExpirationRule', 'JustificationRule', 'MfaRule']);
      for (const rule of ['ExpirationRule', 'JustificationRule', 'MfaRule']) expect(error.message).toContain(rule);
      expect(result.headers.get('www-authenticate')).toBeNull();
      await nothingActive(user);
    });

    it('names EligibilityRule with the others when the user is not eligible', async () => {
      const user = await newUser(ctx);
      await makeEligible(ctx, user.id, ROLES.globalReader); // another role does not count
      const alone = await activate(ctx, user, ROLE);
      expectGraphError(alone, 400, 'RoleAssignmentRequestPolicyValidationFailed');
      expect(failedRules(alone)).toEqual(['EligibilityRule']);
      const all = await activate(ctx, user, ROLE, { token: await tokenOf(ctx, user, { mfa: false }), justification: null, duration: 'PT12H' });
      expect(failedRules(all)).toEqual(['EligibilityRule', 'ExpirationRule', 'JustificationRule', 'MfaRule']);
      await nothingActive(user);
    });

    it.each([
      ['PT8H', 201],
      ['PT8H1M', 201], // a minute of slack for clock skew
      ['PT9H', 400],
      ['P1D', 400],
    ])('holds activation to the maximum duration: %s → %i', async (duration, status) => {
      const { user } = await eligibleUser();
      const result = await activate(ctx, user, ROLE, { duration });
      expect(result.status, JSON.stringify(result.body)).toBe(status);
      if (status === 400) {
        expect(failedRules(result)).toEqual(['ExpirationRule']);
        await nothingActive(user);
      }
    });

    it('refuses an activation without an end (ExpirationRule)', async () => {
      const { user } = await eligibleUser();
      const result = await post(
        ctx,
        'assignment',
        { ...activationBody(user.id, ROLE), scheduleInfo: { expiration: { type: 'noExpiration' } } },
        await tokenOf(ctx, user),
      );
      expect(failedRules(result)).toEqual(['ExpirationRule']);
    });

    it('requires a ticket once the policy enables Ticketing, and echoes it', async () => {
      const role = await customRole(ctx, 'Ticketed');
      await patchRule(
        ctx,
        role,
        'Enablement_EndUser_Assignment',
        enablementRule('Enablement_EndUser_Assignment', ['MultiFactorAuthentication', 'Justification', 'Ticketing']),
      );
      const { user } = await eligibleUser({ role });
      const without = await activate(ctx, user, role);
      expect(failedRules(without)).toEqual(['TicketingRule']);
      await nothingActive(user);
      const withTicket = await activate(ctx, user, role, { ticket: 'CHG-42' });
      expect(withTicket.status, JSON.stringify(withTicket.body)).toBe(201);
      expect(withTicket.body.ticketInfo).toEqual({ ticketNumber: 'CHG-42', ticketSystem: 'Jira' });
    });

    it('never outlives the eligibility: the activation is clipped to its end', async () => {
      const eligibleUntil = iso(now() + 2 * HOUR);
      const { user } = await eligibleUser({ end: eligibleUntil });
      const result = await activate(ctx, user, ROLE, { duration: 'PT8H' });
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      // The answer tells the truth about the end the user really gets.
      expect(result.body.scheduleInfo.expiration).toEqual({ type: 'afterDateTime', endDateTime: eligibleUntil, duration: null });
      expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([expect.objectContaining({ id: result.body.id, endDateTime: eligibleUntil })]);
    });

    it('grants a future start (Granted, completed at the start) and puts it in force only then', async () => {
      const { user } = await eligibleUser();
      const start = iso(now() + 3 * HOUR);
      const result = await activate(ctx, user, ROLE, { start, duration: 'PT5H' });
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body).toMatchObject({
        status: 'Granted',
        completedDateTime: start,
        targetScheduleId: result.body.id,
        scheduleInfo: { startDateTime: start },
      });
      expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
      expect(await schedulesOf(ctx, 'assignment', user.id)).toEqual([
        expect.objectContaining({ id: result.body.id, status: 'Granted', assignmentType: 'Activated' }),
      ]);
      clock.advance(3 * HOUR);
      expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([
        expect.objectContaining({ id: result.body.id, startDateTime: start, endDateTime: iso(Date.parse(start) + 5 * HOUR) }),
      ]);
    });

    it('refuses a start at or after the end of the eligibility', async () => {
      const { user } = await eligibleUser({ end: iso(now() + 2 * HOUR) });
      const result = await activate(ctx, user, ROLE, { start: iso(now() + 3 * HOUR), duration: 'PT1H' });
      expectGraphError(result, 400, 'RoleAssignmentRequestPolicyValidationFailed');
      expect(failedRules(result)).toEqual(['EligibilityRule']);
      await nothingActive(user);
    });

    it('refuses a second activation while one is active (409 RoleAssignmentExists)', async () => {
      const { user } = await eligibleUser();
      const first = await activate(ctx, user, ROLE, { duration: 'PT1H' });
      expect(first.status).toBe(201);
      expectGraphError(await activate(ctx, user, ROLE, { duration: 'PT2H' }), 409, 'RoleAssignmentExists');
      expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([expect.objectContaining({ id: first.body.id })]);
    });

    it('validates only when isValidationOnly is true: nothing is written', async () => {
      const { user } = await eligibleUser();
      const result = await activate(ctx, user, ROLE, { isValidationOnly: true });
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body.isValidationOnly).toBe(true);
      await nothingActive(user);
      expect(await requestsOf(ctx, 'assignment', user.id)).toEqual([]);
      // Its purpose: learn that MFA is needed before really submitting.
      const noMfa = await activate(ctx, user, ROLE, { isValidationOnly: true, token: await tokenOf(ctx, user, { mfa: false }) });
      expectGraphError(noMfa, 401, 'RoleAssignmentRequestPolicyValidationFailed');
      expect((await activate(ctx, user, ROLE)).status).toBe(201);
    });

    it.each(['selfActivate', 'selfDeactivate', 'selfExtend', 'selfRenew'])('forbids %s on somebody else (403)', async (action) => {
      const { user: victim } = await eligibleUser({ end: iso(now() + 5 * DAY) });
      const attacker = await newUser(ctx, 'attacker');
      const kind = action === 'selfActivate' || action === 'selfDeactivate' ? 'assignment' : 'eligibility';
      const body = { ...requestBody(victim.id, ROLE, { duration: 'PT1H' }), action };
      expectGraphError(await post(ctx, kind, body, await tokenOf(ctx, attacker)), 403, 'Authorization_RequestDenied');
      await nothingActive(victim);
      expect(await requestsOf(ctx, kind, victim.id)).toHaveLength(kind === 'eligibility' ? 1 : 0);
    });
  });

  describe('selfDeactivate', () => {
    it('is refused within five minutes of the activation, then revokes it', async () => {
      const { user, eligibility } = await eligibleUser();
      const activation = await activate(ctx, user, ROLE, { duration: 'PT4H' });
      expect(activation.status).toBe(201);
      const deactivate = async () =>
        post(ctx, 'assignment', { action: 'selfDeactivate', principalId: user.id, roleDefinitionId: ROLE, directoryScopeId: '/' }, await tokenOf(ctx, user));

      clock.advance(4 * MINUTE + 59_000);
      expectGraphError(await deactivate(), 400, 'ActiveDurationTooShort');
      expect(await instancesOf(ctx, 'assignment', user.id)).toHaveLength(1);

      clock.advance(1000);
      const result = await deactivate();
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body).toMatchObject({
        action: 'selfDeactivate',
        status: 'Revoked',
        targetScheduleId: activation.body.id,
        scheduleInfo: null,
        completedDateTime: iso(now()),
      });
      await nothingActive(user);
      expect(await instancesOf(ctx, 'eligibility', user.id)).toEqual([expect.objectContaining({ id: eligibility.id })]);
      // The slot is free: activating again works.
      expect((await activate(ctx, user, ROLE)).status).toBe(201);
    });

    it('answers 404 RoleAssignmentDoesNotExist when nothing is active', async () => {
      const { user } = await eligibleUser();
      const result = await post(
        ctx,
        'assignment',
        { action: 'selfDeactivate', principalId: user.id, roleDefinitionId: ROLE, directoryScopeId: '/' },
        await tokenOf(ctx, user),
      );
      expectGraphError(result, 404, 'RoleAssignmentDoesNotExist');
    });
  });

  describe('selfExtend and selfRenew', () => {
    const selfRequest = async (user: TestUser, action: string, kind: 'eligibility' | 'assignment' = 'eligibility', role: string = ROLE) =>
      post(ctx, kind, { ...requestBody(user.id, role, { end: iso(now() + 60 * DAY) }), action }, await tokenOf(ctx, user));

    it('selfExtend waits for approval within 14 days of the end, and is refused earlier', async () => {
      const { user, eligibility } = await eligibleUser({ end: iso(now() + 20 * DAY) });
      expectGraphError(await selfRequest(user, 'selfExtend'), 400, 'ExtensionNotAllowed');
      clock.advance(7 * DAY);
      const result = await selfRequest(user, 'selfExtend');
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body).toMatchObject({ status: 'PendingApproval', approvalId: result.body.id, targetScheduleId: eligibility.id, completedDateTime: null });
      // Nothing changes until someone approves.
      expect(await schedulesOf(ctx, 'eligibility', user.id)).toEqual([expect.objectContaining({ id: eligibility.id, modifiedDateTime: null })]);
      expect(await instancesOf(ctx, 'eligibility', user.id)).toEqual([
        expect.objectContaining({ endDateTime: eligibility.scheduleInfo.expiration.endDateTime }),
      ]);
    });

    it('selfExtend and selfRenew concern the current assignment, not an expired one before it', async () => {
      const { user, eligibility: old } = await eligibleUser({ end: iso(now() + DAY) });
      clock.advance(DAY + HOUR);
      const current = await makeEligible(ctx, user.id, ROLE, { end: iso(now() + 10 * DAY) });
      const extend = await selfRequest(user, 'selfExtend');
      expect(extend.status, JSON.stringify(extend.body)).toBe(201);
      expect(extend.body).toMatchObject({ status: 'PendingApproval', targetScheduleId: current.id });
      // Renewing is for expired assignments; while the current one lasts there is nothing to renew.
      expectGraphError(await selfRequest(user, 'selfRenew'), 400, 'RenewalNotAllowed');
      expect(old.id).not.toBe(current.id);
    });

    it('selfExtend works for a time-bound active assignment too, not for a permanent one', async () => {
      const user = await newUser(ctx);
      await makeActive(ctx, user.id, ROLES.globalReader, { end: iso(now() + 3 * DAY) });
      const result = await selfRequest(user, 'selfExtend', 'assignment', ROLES.globalReader);
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body.status).toBe('PendingApproval');
      const permanent = await eligibleUser();
      expectGraphError(await selfRequest(permanent.user, 'selfExtend'), 404, 'RoleAssignmentDoesNotExist');
    });

    it('selfRenew waits for approval within 30 days after the end, and is refused before it and later', async () => {
      const { user, eligibility } = await eligibleUser({ end: iso(now() + DAY) });
      expectGraphError(await selfRequest(user, 'selfRenew'), 400, 'RenewalNotAllowed');
      clock.advance(2 * DAY);
      expectGraphError(await selfRequest(user, 'selfExtend'), 400, 'ExtensionNotAllowed');
      const result = await selfRequest(user, 'SelfRenew');
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body).toMatchObject({ action: 'SelfRenew', status: 'PendingApproval', approvalId: result.body.id, targetScheduleId: eligibility.id });
      expect(await instancesOf(ctx, 'eligibility', user.id)).toEqual([]);
      clock.advance(30 * DAY);
      expectGraphError(await selfRequest(user, 'selfRenew'), 400, 'RenewalNotAllowed');
    });
  });

  describe('approval and cancel', () => {
    it('waits for approval when the policy requires it: PendingApproval, approvalId = id, nothing in force', async () => {
      const role = await customRole(ctx, 'Approval');
      await patchRule(ctx, role, 'Approval_EndUser_Assignment', approvalRule(true, [ctx.adminId]));
      const { user, eligibility } = await eligibleUser({ role });
      const result = await activate(ctx, user, role, { duration: 'PT2H' });
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body).toMatchObject({
        status: 'PendingApproval',
        approvalId: result.body.id,
        targetScheduleId: null,
        completedDateTime: null,
      });
      expect(await activatedUsingOf(ctx, result.body.id)).toBe(eligibility.id);
      await nothingActive(user);
      const mine = await list(
        ctx,
        `${ASSIGNMENT_REQUESTS}/filterByCurrentUser(on='principal')?${filter("status eq 'PendingApproval'")}`,
        await tokenOf(ctx, user),
      );
      expect(mine.map((r) => r.id)).toEqual([result.body.id]);
    });

    it('cancels a pending request (204, Canceled); a second cancel is a 400; others get a 404', async () => {
      const role = await customRole(ctx, 'Cancel');
      await patchRule(ctx, role, 'Approval_EndUser_Assignment', approvalRule(true, [ctx.adminId]));
      const { user } = await eligibleUser({ role });
      const pending = (await activate(ctx, user, role)).body;
      const cancel = async (who: TestUser | string, id = pending.id, path = ASSIGNMENT_REQUESTS) =>
        ctx.api.call('POST', `${path}/${id}/cancel`, { token: await tokenOf(ctx, who) });

      const stranger = await newUser(ctx, 'stranger');
      expectGraphError(await cancel(stranger), 404, 'Request_ResourceNotFound');
      expectGraphError(await cancel(user, pending.id, ELIGIBILITY_REQUESTS), 404, 'Request_ResourceNotFound');
      expectGraphError(await cancel(user, 'req_01ZZZZZZZZZZZZZZZZZZZZZZZZ'), 404, 'Request_ResourceNotFound');

      const result = await cancel(user);
      expect(result.status).toBe(204);
      expect(result.body).toBeUndefined();
      const read = await ctx.api.call('GET', `${ASSIGNMENT_REQUESTS}/${pending.id}`, { token: await tokenOf(ctx, user) });
      expect(read.body).toMatchObject({ id: pending.id, status: 'Canceled', completedDateTime: iso(now()) });
      expectGraphError(await cancel(user), 400, 'RequestNotCancelable');
      await nothingActive(user);
    });

    it('refuses to cancel a Provisioned request (400), and cancels a Granted future one, freeing its slot', async () => {
      const { user } = await eligibleUser();
      const provisioned = (await activate(ctx, user, ROLE)).body;
      const cancel = async (id: string) => ctx.api.call('POST', `${ASSIGNMENT_REQUESTS}/${id}/cancel`, { token: await tokenOf(ctx, user) });
      expectGraphError(await cancel(provisioned.id), 400, 'RequestNotCancelable');
      expect(await instancesOf(ctx, 'assignment', user.id)).toHaveLength(1);

      const other = await eligibleUser();
      const granted = (await activate(ctx, other.user, ROLE, { start: iso(now() + HOUR) })).body;
      expect(granted.status).toBe('Granted');
      const result = await ctx.api.call('POST', `${ASSIGNMENT_REQUESTS}/${granted.id}/cancel`, { token: await tokenOf(ctx, other.user) });
      expect(result.status).toBe(204);
      await nothingActive(other.user);
      expect((await activate(ctx, other.user, ROLE)).status).toBe(201);
    });

    it('refuses to cancel a Granted request once its start has come (400)', async () => {
      const { user } = await eligibleUser();
      const granted = (await activate(ctx, user, ROLE, { start: iso(now() + HOUR) })).body;
      clock.advance(HOUR);
      const result = await ctx.api.call('POST', `${ASSIGNMENT_REQUESTS}/${granted.id}/cancel`, { token: await tokenOf(ctx, user) });
      expectGraphError(result, 400, 'RequestAlreadyProvisioned');
      expect((await instancesOf(ctx, 'assignment', user.id)).map((i) => i.id)).toEqual([granted.id]);
    });

    it('lets an administrator cancel a request of someone else', async () => {
      const role = await customRole(ctx, 'Admin cancel');
      await patchRule(ctx, role, 'Approval_EndUser_Assignment', approvalRule(true, [ctx.adminId]));
      const { user } = await eligibleUser({ role });
      const pending = (await activate(ctx, user, role)).body;
      expect((await ctx.api.call('POST', `${ASSIGNMENT_REQUESTS}/${pending.id}/cancel`, { token: await ctx.admin() })).status).toBe(204);
      expect((await requestsOf(ctx, 'assignment', user.id)).map((r) => r.status)).toEqual(['Canceled']);
    });
  });
});
