/**
 * Administrators' schedule requests (adminAssign, adminRemove, adminUpdate, adminExtend, adminRenew)
 * against the real API: the answer, and what the schedules and instances look like afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import {
  activatedUsingOf,
  activate,
  activationBody,
  approvalRule,
  customRole,
  DAY,
  enablementRule,
  expectGraphError,
  expirationRule,
  failedRules,
  filter,
  HOUR,
  instancesOf,
  iso,
  list,
  makeActive,
  makeEligible,
  newGroup,
  newUser,
  patchRule,
  post,
  removeBody,
  requestBody,
  requestsOf,
  ROLES,
  BASE,
  schedulesOf,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from './helpers.ts';

describe('admin actions on role eligibility and assignment', () => {
  const clock = new ManualClock('2031-03-03T09:00:00.000Z');
  let ctx: Ctx;
  const now = () => clock.now().getTime();
  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
  });
  afterAll(() => ctx.stop());

  describe('adminAssign', () => {
    let refused: TestUser | undefined;
    it('makes a permanent eligibility: Provisioned, a schedule and an instance, but no access', async () => {
      const user = await newUser(ctx);
      const at = iso(now());
      const request = await makeEligible(ctx, user.id, ROLES.securityAdministrator);
      expect(request).toMatchObject({
        action: 'adminAssign',
        status: 'Provisioned',
        principalId: user.id,
        roleDefinitionId: ROLES.securityAdministrator,
        directoryScopeId: '/',
        appScopeId: null,
        approvalId: null,
        isValidationOnly: false,
        targetScheduleId: request.id,
        createdDateTime: at,
        completedDateTime: at,
        justification: 'Needed for the test',
        createdBy: { application: null, device: null, user: { id: ctx.adminId, displayName: 'Ada Admin' } },
        scheduleInfo: { startDateTime: at, recurrence: null, expiration: { type: 'noExpiration', endDateTime: null, duration: null } },
        ticketInfo: { ticketNumber: null, ticketSystem: null },
      });
      expect(request['@odata.context']).toBe(`${ctx.stack.url}/v1.0/$metadata#roleManagement/directory/roleEligibilityScheduleRequests/$entity`);

      const [schedule, ...more] = await schedulesOf(ctx, 'eligibility', user.id);
      expect(more).toEqual([]);
      expect(schedule).toMatchObject({
        '@odata.type': '#microsoft.graph.unifiedRoleEligibilitySchedule',
        id: request.id,
        createdUsing: request.id,
        status: 'Provisioned',
        memberType: 'Direct',
        scheduleInfo: request.scheduleInfo,
      });
      expect(await instancesOf(ctx, 'eligibility', user.id)).toEqual([
        expect.objectContaining({ id: request.id, startDateTime: at, endDateTime: null, memberType: 'Direct', roleEligibilityScheduleId: request.id }),
      ]);
      // Eligible is not active: nothing in force on the assignment side.
      expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
    });

    it('makes a time-bound eligibility (afterDateTime) whose instance ends at the given end', async () => {
      const user = await newUser(ctx);
      const end = iso(now() + 30 * DAY);
      const request = await makeEligible(ctx, user.id, ROLES.securityAdministrator, { end });
      expect(request.scheduleInfo.expiration).toEqual({ type: 'afterDateTime', endDateTime: end, duration: null });
      expect(await instancesOf(ctx, 'eligibility', user.id)).toEqual([expect.objectContaining({ id: request.id, endDateTime: end })]);
    });

    it('makes a time-bound active assignment (afterDuration): Assigned, in force, and listed in roleAssignments', async () => {
      const user = await newUser(ctx);
      const request = await makeActive(ctx, user.id, ROLES.globalReader, { duration: 'P30D' });
      expect(request).toMatchObject({ status: 'Provisioned', targetScheduleId: request.id });
      expect(request).not.toHaveProperty('activatedUsing');
      expect(await activatedUsingOf(ctx, request.id)).toBeNull();
      expect(request.scheduleInfo.expiration).toEqual({ type: 'afterDuration', endDateTime: null, duration: 'P30D' });
      const [instance] = await instancesOf(ctx, 'assignment', user.id);
      expect(instance).toMatchObject({
        '@odata.type': '#microsoft.graph.unifiedRoleAssignmentScheduleInstance',
        id: request.id,
        assignmentType: 'Assigned',
        memberType: 'Direct',
        startDateTime: iso(now()),
        endDateTime: iso(now() + 30 * DAY),
        roleAssignmentScheduleId: request.id,
      });
      const assignments = await list(ctx, `${BASE}/roleAssignments?${filter(`principalId eq '${user.id}'`)}`);
      expect(assignments).toEqual([expect.objectContaining({ id: request.id, roleDefinitionId: ROLES.globalReader, directoryScopeId: '/' })]);
    });

    it('makes a permanent active assignment with no end', async () => {
      const user = await newUser(ctx);
      const request = await makeActive(ctx, user.id, ROLES.globalReader);
      expect(request.scheduleInfo.expiration.type).toBe('noExpiration');
      expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([
        expect.objectContaining({ id: request.id, endDateTime: null, assignmentType: 'Assigned' }),
      ]);
    });

    it('takes a start in the past as now, and a future start as planned: scheduled but not in force until then', async () => {
      const past = await newUser(ctx);
      const request = await makeEligible(ctx, past.id, ROLES.securityAdministrator, { start: '2020-01-01T00:00:00Z' });
      expect(request.scheduleInfo.startDateTime).toBe(iso(now()));

      const future = await newUser(ctx);
      const start = iso(now() + 2 * HOUR);
      const planned = await makeEligible(ctx, future.id, ROLES.securityAdministrator, { start, end: iso(now() + 10 * DAY) });
      expect(planned.scheduleInfo.startDateTime).toBe(start);
      expect(await schedulesOf(ctx, 'eligibility', future.id)).toEqual([expect.objectContaining({ id: planned.id })]);
      expect(await instancesOf(ctx, 'eligibility', future.id)).toEqual([]);
      // Not yet eligible, so not yet activatable.
      expect(failedRules(await activate(ctx, future, ROLES.securityAdministrator))).toContain('EligibilityRule');
      clock.advance(2 * HOUR);
      expect(await instancesOf(ctx, 'eligibility', future.id)).toEqual([expect.objectContaining({ id: planned.id, startDateTime: start })]);
    });

    it('accepts PascalCase enums, echoes the action as sent and normalises the expiration type', async () => {
      const user = await newUser(ctx);
      const end = iso(now() + 5 * DAY);
      const result = await post(ctx, 'eligibility', {
        action: 'AdminAssign',
        principalId: user.id,
        roleDefinitionId: ROLES.securityAdministrator,
        directoryScopeId: '/',
        justification: 'casing',
        scheduleInfo: { startDateTime: iso(now()), expiration: { type: 'AfterDateTime', endDateTime: end } },
      });
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body.action).toBe('AdminAssign');
      expect(result.body.scheduleInfo.expiration).toEqual({ type: 'afterDateTime', endDateTime: end, duration: null });
      const noExpiration = await post(ctx, 'assignment', {
        ...requestBody(user.id, ROLES.globalReader),
        action: 'ADMINASSIGN',
        scheduleInfo: { expiration: { type: 'NoExpiration' } },
      });
      expect(noExpiration.status, JSON.stringify(noExpiration.body)).toBe(201);
      expect(noExpiration.body.scheduleInfo.expiration.type).toBe('noExpiration');
    });

    it.each([
      ['an unknown action', { action: 'adminSteal' }, 400, 'Request_BadRequest'],
      ['an unknown role', { roleDefinitionId: '00000000-0000-0000-0000-000000000000' }, 400, 'RoleNotFound'],
      ['an unknown principal', { principalId: 'usr_00000000000000000000000000' }, 400, 'SubjectNotFound'],
      ['a directory role at a resource scope', { directoryScopeId: '/subscriptions/s1' }, 400, 'InvalidScope'],
      ['a malformed scope', { directoryScopeId: 'subscriptions' }, 400, 'InvalidScope'],
      ['an appScopeId', { appScopeId: '/apps/x' }, 400, 'InvalidScope'],
      ['an end before the start', { scheduleInfo: { expiration: { type: 'afterDateTime', endDateTime: '2001-01-01T00:00:00Z' } } }, 400, 'Request_BadRequest'],
      ['a duration in months', { scheduleInfo: { expiration: { type: 'afterDuration', duration: 'P1M' } } }, 400, 'InvalidDuration'],
      ['an unknown property', { roleId: 'x' }, 400, 'Request_BadRequest'],
      ['selfActivate on eligibility requests', { action: 'selfActivate' }, 400, 'Request_BadRequest'],
    ])('refuses %s and writes nothing', async (_name, change, status, code) => {
      refused ??= await newUser(ctx, 'refused');
      const user = refused;
      const result = await post(ctx, 'eligibility', { ...requestBody(user.id, ROLES.securityAdministrator), ...change });
      expectGraphError(result, status, code);
      expect(await schedulesOf(ctx, 'eligibility', user.id)).toEqual([]);
      expect(await requestsOf(ctx, 'eligibility', user.id)).toEqual([]);
    });

    it('requires a justification for active assignment (Enablement_Admin_Assignment) but not for eligibility', async () => {
      const user = await newUser(ctx);
      const active = await post(ctx, 'assignment', requestBody(user.id, ROLES.globalReader, { justification: null }));
      const error = expectGraphError(active, 400, 'RoleAssignmentRequestPolicyValidationFailed');
      expect(error.message).toContain('["JustificationRule"]');
      expect(failedRules(active)).toEqual(['JustificationRule']);
      expect(await schedulesOf(ctx, 'assignment', user.id)).toEqual([]);
      await makeEligible(ctx, user.id, ROLES.securityAdministrator, { justification: null });
    });

    it('enforces Expiration_Admin_Eligibility once it requires an end (max and isExpirationRequired)', async () => {
      const role = await customRole(ctx, 'Eligibility expiry');
      const user = await newUser(ctx);
      // Entra's default: permanent eligibility is allowed, and so is a long one.
      await makeEligible(ctx, user.id, role, { end: iso(now() + 400 * DAY) });
      await patchRule(ctx, role, 'Expiration_Admin_Eligibility', expirationRule('Expiration_Admin_Eligibility', true, 'P30D'));

      const others = [await newUser(ctx), await newUser(ctx), await newUser(ctx)];
      const permanent = await post(ctx, 'eligibility', requestBody(others[0]!.id, role));
      expectGraphError(permanent, 400, 'RoleAssignmentRequestPolicyValidationFailed');
      expect(failedRules(permanent)).toEqual(['ExpirationRule']);
      const tooLong = await post(ctx, 'eligibility', requestBody(others[1]!.id, role, { duration: 'P31D' }));
      expectGraphError(tooLong, 400, 'RoleAssignmentRequestPolicyValidationFailed');
      expect(failedRules(tooLong)).toEqual(['ExpirationRule']);
      for (const u of others.slice(0, 2)) expect(await schedulesOf(ctx, 'eligibility', u.id)).toEqual([]);
      await makeEligible(ctx, others[2]!.id, role, { duration: 'P30D' });
      await makeEligible(ctx, (await newUser(ctx)).id, role, { end: iso(now() + 30 * DAY) });
    });

    it('enforces Expiration_Admin_Assignment once it requires an end', async () => {
      const role = await customRole(ctx, 'Assignment expiry');
      await makeActive(ctx, (await newUser(ctx)).id, role);
      await patchRule(ctx, role, 'Expiration_Admin_Assignment', expirationRule('Expiration_Admin_Assignment', true, 'P15D'));
      const user = await newUser(ctx);
      expect(failedRules(await post(ctx, 'assignment', requestBody(user.id, role)))).toEqual(['ExpirationRule']);
      expect(failedRules(await post(ctx, 'assignment', requestBody(user.id, role, { duration: 'P16D' })))).toEqual(['ExpirationRule']);
      expect(await schedulesOf(ctx, 'assignment', user.id)).toEqual([]);
      const ok = await makeActive(ctx, user.id, role, { duration: 'P15D' });
      expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([expect.objectContaining({ id: ok.id, endDateTime: iso(now() + 15 * DAY) })]);
    });

    it('asks an administrator without MFA to step up when Enablement_Admin_Assignment requires it', async () => {
      const role = await customRole(ctx, 'Admin MFA');
      await patchRule(ctx, role, 'Enablement_Admin_Assignment', enablementRule('Enablement_Admin_Assignment', ['Justification', 'MultiFactorAuthentication']));
      const user = await newUser(ctx);
      const result = await post(ctx, 'assignment', requestBody(user.id, role), await tokenOf(ctx, 'admin@contoso.test', { mfa: false }));
      expectGraphError(result, 401, 'RoleAssignmentRequestPolicyValidationFailed');
      expect(result.headers.get('www-authenticate')).toMatch(/^Bearer error="insufficient_user_authentication"/);
      expect(await schedulesOf(ctx, 'assignment', user.id)).toEqual([]);
      await makeActive(ctx, user.id, role);
    });

    it('gives a service principal an active assignment, never an eligibility', async () => {
      const sps = await list(ctx, `/v1.0/servicePrincipals?${filter("appId eq 'deploy-pipeline'")}`);
      const sp = sps[0];
      expect(sp).toBeDefined();
      const eligible = await post(ctx, 'eligibility', requestBody(sp.id, ROLES.helpdeskAdministrator));
      expectGraphError(eligible, 400, 'InvalidPrincipal');
      expect(await schedulesOf(ctx, 'eligibility', sp.id)).toEqual([]);
      const active = await makeActive(ctx, sp.id, ROLES.helpdeskAdministrator, { duration: 'P7D' });
      expect(await instancesOf(ctx, 'assignment', sp.id)).toEqual([expect.objectContaining({ id: active.id, assignmentType: 'Assigned' })]);
      // A service principal cannot activate anything for itself.
      const self = await post(
        ctx,
        'assignment',
        { ...requestBody(sp.id, ROLES.helpdeskAdministrator, { duration: 'PT1H' }), action: 'selfActivate' },
        await ctx.api.servicePrincipalToken('deploy-pipeline'),
      );
      expectGraphError(self, 403, 'Authorization_RequestDenied');
    });

    it('assigns roles to role-assignable groups only', async () => {
      const assignable = await newGroup(ctx, 'assignable', { roleAssignable: true });
      await makeEligible(ctx, assignable.id, ROLES.securityAdministrator);
      const plain = await newGroup(ctx, 'plain', { roleAssignable: false });
      for (const kind of ['eligibility', 'assignment'] as const) {
        const result = await post(ctx, kind, requestBody(plain.id, ROLES.securityAdministrator));
        expectGraphError(result, 400, 'InvalidPrincipal');
        expect(await schedulesOf(ctx, kind, plain.id)).toEqual([]);
      }
    });

    it('validates without writing anything when isValidationOnly is true', async () => {
      const user = await newUser(ctx);
      const result = await post(ctx, 'assignment', { ...requestBody(user.id, ROLES.globalReader), isValidationOnly: true });
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body).toMatchObject({ isValidationOnly: true, principalId: user.id });
      expect(await schedulesOf(ctx, 'assignment', user.id)).toEqual([]);
      expect(await requestsOf(ctx, 'assignment', user.id)).toEqual([]);
      const get = await ctx.api.call('GET', `${BASE}/roleAssignmentScheduleRequests/${result.body.id}`, { token: await ctx.admin() });
      expectGraphError(get, 404, 'Request_ResourceNotFound');
      // Failing validation answers as the real request would.
      const invalid = await post(ctx, 'assignment', { ...requestBody(user.id, ROLES.globalReader, { justification: null }), isValidationOnly: true });
      expect(failedRules(invalid)).toEqual(['JustificationRule']);
    });

    it('reports at validation what the real request would clash with, and approval it would wait for', async () => {
      const user = await newUser(ctx);
      await makeActive(ctx, user.id, ROLES.globalReader);
      const clash = await post(ctx, 'assignment', { ...requestBody(user.id, ROLES.globalReader), isValidationOnly: true });
      expectGraphError(clash, 409, 'RoleAssignmentExists');
      const role = await customRole(ctx, 'Needs approval');
      await makeEligible(ctx, user.id, role);
      await patchRule(ctx, role, 'Approval_EndUser_Assignment', approvalRule(true, [ctx.adminId]));
      const pending = await post(ctx, 'assignment', { ...activationBody(user.id, role), isValidationOnly: true }, await tokenOf(ctx, user));
      expect(pending.status, JSON.stringify(pending.body)).toBe(201);
      expect(pending.body.status).toBe('PendingApproval');
      expect(await requestsOf(ctx, 'assignment', user.id)).toHaveLength(1);
    });
  });

  describe('adminRemove', () => {
    it('ends an activation at once when the principal holds the role only through it', async () => {
      const user = await newUser(ctx);
      await makeEligible(ctx, user.id, ROLES.securityAdministrator);
      const activation = await activate(ctx, user, ROLES.securityAdministrator);
      expect(activation.status, JSON.stringify(activation.body)).toBe(201);
      const result = await post(ctx, 'assignment', removeBody(user.id, ROLES.securityAdministrator));
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body.status).toBe('Revoked');
      expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
      // The eligibility stays: the user may activate again.
      expect(await instancesOf(ctx, 'eligibility', user.id)).toHaveLength(1);
      expect((await activate(ctx, user, ROLES.securityAdministrator)).status).toBe(201);
    });

    it('revokes an eligibility: Revoked, no scheduleInfo, no target schedule; schedule and instance gone', async () => {
      const user = await newUser(ctx);
      await makeEligible(ctx, user.id, ROLES.securityAdministrator);
      const result = await post(ctx, 'eligibility', removeBody(user.id, ROLES.securityAdministrator));
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body).toMatchObject({
        action: 'adminRemove',
        status: 'Revoked',
        scheduleInfo: null,
        targetScheduleId: null,
        completedDateTime: null,
        justification: null,
        principalId: user.id,
        ticketInfo: { ticketNumber: null, ticketSystem: null },
      });
      expect(await schedulesOf(ctx, 'eligibility', user.id)).toEqual([]);
      expect(await instancesOf(ctx, 'eligibility', user.id)).toEqual([]);
      expect((await requestsOf(ctx, 'eligibility', user.id)).map((r) => r.status).sort()).toEqual(['Provisioned', 'Revoked']);
      // The slot is free again.
      await makeEligible(ctx, user.id, ROLES.securityAdministrator);
    });

    it('removes an active assignment: gone from instances and roleAssignments', async () => {
      const user = await newUser(ctx);
      await makeActive(ctx, user.id, ROLES.globalReader, { duration: 'P1D' });
      const result = await post(ctx, 'assignment', removeBody(user.id, ROLES.globalReader));
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body).toMatchObject({ status: 'Revoked', scheduleInfo: null, targetScheduleId: null });
      expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
      expect(await list(ctx, `${BASE}/roleAssignments?${filter(`principalId eq '${user.id}'`)}`)).toEqual([]);
    });

    it('ends the activations made from a removed eligibility, and frees their slot', async () => {
      const user = await newUser(ctx);
      const eligibility = await makeEligible(ctx, user.id, ROLES.securityAdministrator);
      const activation = await activate(ctx, user, ROLES.securityAdministrator, { duration: 'PT4H' });
      expect(activation.status, JSON.stringify(activation.body)).toBe(201);
      expect(await activatedUsingOf(ctx, activation.body.id)).toBe(eligibility.id);
      expect(await instancesOf(ctx, 'assignment', user.id)).toHaveLength(1);

      expect((await post(ctx, 'eligibility', removeBody(user.id, ROLES.securityAdministrator))).status).toBe(201);
      expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
      expect(await schedulesOf(ctx, 'assignment', user.id)).toEqual([]);

      await makeEligible(ctx, user.id, ROLES.securityAdministrator);
      expect((await activate(ctx, user, ROLES.securityAdministrator)).status).toBe(201);
    });

    it('answers 404 RoleAssignmentDoesNotExist when there is nothing to remove', async () => {
      const user = await newUser(ctx);
      expectGraphError(await post(ctx, 'eligibility', removeBody(user.id, ROLES.securityAdministrator)), 404, 'RoleAssignmentDoesNotExist');
      expectGraphError(await post(ctx, 'assignment', removeBody(user.id, ROLES.securityAdministrator)), 404, 'RoleAssignmentDoesNotExist');
      expect(await requestsOf(ctx, 'eligibility', user.id)).toEqual([]);
      expect(await requestsOf(ctx, 'assignment', user.id)).toEqual([]);
    });
  });

  describe('adminUpdate, adminExtend, adminRenew', () => {
    it('adminUpdate gives the same schedule a new window', async () => {
      const user = await newUser(ctx);
      const assigned = await makeEligible(ctx, user.id, ROLES.securityAdministrator);
      clock.advance(60_000);
      const end = iso(now() + 20 * DAY);
      const result = await post(ctx, 'eligibility', requestBody(user.id, ROLES.securityAdministrator, { action: 'adminUpdate', end }));
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body).toMatchObject({ action: 'adminUpdate', status: 'Provisioned', targetScheduleId: assigned.id });
      expect(result.body.id).not.toBe(assigned.id);
      const [schedule, ...more] = await schedulesOf(ctx, 'eligibility', user.id);
      expect(more).toEqual([]);
      expect(schedule).toMatchObject({
        id: assigned.id,
        createdUsing: assigned.id,
        modifiedDateTime: iso(now()),
        scheduleInfo: { startDateTime: assigned.scheduleInfo.startDateTime, expiration: { type: 'afterDateTime', endDateTime: end } },
      });
      expect(await instancesOf(ctx, 'eligibility', user.id)).toEqual([expect.objectContaining({ id: assigned.id, endDateTime: end })]);
    });

    it('adminUpdate that shortens an eligibility shortens the activation made from it; one that moves its start ends it', async () => {
      const user = await newUser(ctx);
      await makeEligible(ctx, user.id, ROLES.securityAdministrator);
      const activation = await activate(ctx, user, ROLES.securityAdministrator, { duration: 'PT8H' });
      expect(activation.status).toBe(201);
      const end = iso(now() + 2 * HOUR);
      expect((await post(ctx, 'eligibility', requestBody(user.id, ROLES.securityAdministrator, { action: 'adminUpdate', end }))).status).toBe(201);
      expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([expect.objectContaining({ id: activation.body.id, endDateTime: end })]);

      const later = iso(now() + DAY);
      expect(
        (await post(ctx, 'eligibility', requestBody(user.id, ROLES.securityAdministrator, { action: 'adminUpdate', start: later, end: iso(now() + 2 * DAY) })))
          .status,
      ).toBe(201);
      expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
      expect(await schedulesOf(ctx, 'assignment', user.id)).toEqual([]);
    });

    it('adminUpdate beyond the policy maximum fails and changes nothing', async () => {
      const role = await customRole(ctx, 'Update max');
      await patchRule(ctx, role, 'Expiration_Admin_Eligibility', expirationRule('Expiration_Admin_Eligibility', true, 'P10D'));
      const user = await newUser(ctx);
      const assigned = await makeEligible(ctx, user.id, role, { duration: 'P5D' });
      const result = await post(ctx, 'eligibility', requestBody(user.id, role, { action: 'adminUpdate', end: iso(now() + 20 * DAY) }));
      expect(failedRules(result)).toEqual(['ExpirationRule']);
      const [schedule] = await schedulesOf(ctx, 'eligibility', user.id);
      expect(schedule).toMatchObject({
        id: assigned.id,
        modifiedDateTime: null,
        scheduleInfo: { startDateTime: assigned.scheduleInfo.startDateTime, expiration: { type: 'afterDuration', duration: 'P5D' } },
      });
      expect(await instancesOf(ctx, 'eligibility', user.id)).toEqual([
        expect.objectContaining({ id: assigned.id, endDateTime: iso(Date.parse(assigned.scheduleInfo.startDateTime) + 5 * DAY) }),
      ]);
    });

    it('adminUpdate, adminExtend and adminRenew of nothing answer 404 RoleAssignmentDoesNotExist', async () => {
      const user = await newUser(ctx);
      for (const action of ['adminUpdate', 'adminExtend', 'adminRenew']) {
        expectGraphError(
          await post(ctx, 'eligibility', requestBody(user.id, ROLES.securityAdministrator, { action, end: iso(now() + DAY) })),
          404,
          'RoleAssignmentDoesNotExist',
        );
      }
    });

    it('adminExtend moves the end of a time-bound assignment later, keeping its start', async () => {
      const user = await newUser(ctx);
      const assigned = await makeActive(ctx, user.id, ROLES.globalReader, { end: iso(now() + 2 * DAY) });
      clock.advance(HOUR);
      const end = iso(now() + 10 * DAY);
      const result = await post(ctx, 'assignment', requestBody(user.id, ROLES.globalReader, { action: 'adminExtend', end }));
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body).toMatchObject({
        status: 'Provisioned',
        targetScheduleId: assigned.id,
        scheduleInfo: { startDateTime: assigned.scheduleInfo.startDateTime },
      });
      expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([
        expect.objectContaining({ id: assigned.id, startDateTime: assigned.scheduleInfo.startDateTime, endDateTime: end }),
      ]);

      const earlier = await post(ctx, 'assignment', requestBody(user.id, ROLES.globalReader, { action: 'adminExtend', end: iso(now() + DAY) }));
      expectGraphError(earlier, 409, 'InvalidExtension');
      expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([expect.objectContaining({ endDateTime: end })]);
    });

    it('adminExtend of a planned (future) assignment keeps its start', async () => {
      const user = await newUser(ctx);
      const start = iso(now() + 2 * DAY);
      const planned = await makeEligible(ctx, user.id, ROLES.securityAdministrator, { start, end: iso(now() + 10 * DAY) });
      const end = iso(now() + 20 * DAY);
      const result = await post(ctx, 'eligibility', requestBody(user.id, ROLES.securityAdministrator, { action: 'adminExtend', end }));
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body.scheduleInfo.startDateTime).toBe(start);
      expect(await instancesOf(ctx, 'eligibility', user.id)).toEqual([]);
      expect(await schedulesOf(ctx, 'eligibility', user.id)).toEqual([
        expect.objectContaining({ id: planned.id, scheduleInfo: expect.objectContaining({ startDateTime: start }) }),
      ]);
    });

    it('adminExtend of a permanent assignment is refused', async () => {
      const user = await newUser(ctx);
      await makeActive(ctx, user.id, ROLES.globalReader);
      expectGraphError(
        await post(ctx, 'assignment', requestBody(user.id, ROLES.globalReader, { action: 'adminExtend', end: iso(now() + DAY) })),
        409,
        'RoleAssignmentPermanent',
      );
    });

    it('adminRenew brings back an expired assignment, and only an expired one', async () => {
      const user = await newUser(ctx);
      const assigned = await makeEligible(ctx, user.id, ROLES.securityAdministrator, { end: iso(now() + DAY) });
      expectGraphError(
        await post(ctx, 'eligibility', requestBody(user.id, ROLES.securityAdministrator, { action: 'adminRenew', end: iso(now() + 5 * DAY) })),
        409,
        'RoleAssignmentNotExpired',
      );

      clock.advance(DAY + HOUR);
      expect(await instancesOf(ctx, 'eligibility', user.id)).toEqual([]);
      const end = iso(now() + 30 * DAY);
      const result = await post(ctx, 'eligibility', requestBody(user.id, ROLES.securityAdministrator, { action: 'AdminRenew', end }));
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body).toMatchObject({
        action: 'AdminRenew',
        status: 'Provisioned',
        targetScheduleId: assigned.id,
        scheduleInfo: { startDateTime: iso(now()) },
      });
      expect(await instancesOf(ctx, 'eligibility', user.id)).toEqual([
        expect.objectContaining({ id: assigned.id, startDateTime: iso(now()), endDateTime: end }),
      ]);
      expect((await activate(ctx, user, ROLES.securityAdministrator)).status).toBe(201);
    });
  });
});
