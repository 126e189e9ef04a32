/**
 * Issue 12, item 3: membership (and ownership) of a group that holds a role, or is eligible for one, is
 * that role; so activating it through PIM for groups meets at least the strictest activation rules of
 * those roles (MFA and its freshness, justification, ticket, maximum duration, approval), and the policy
 * view says which role's rule applied. A group that holds no role keeps the group defaults.
 *
 * Global Administrator's activation policy here: MFA within 10 minutes, justification and ticket, at most
 * one hour. Entra's group defaults ask only for a justification and allow eight hours, without MFA.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/domain/clock.ts';
import {
  approvalRule,
  enablementRule,
  expectGraphError,
  expirationRule,
  failedRules,
  filter,
  list,
  makeActive,
  makeEligible,
  newGroup,
  newUser,
  patchRule,
  ROLES,
  startRolesStack,
  type Ctx,
  type TestUser,
} from '../integration/roles/helpers.ts';
import { decide, GROUP_BASE, GROUP_REQUESTS, groupRequestBody, makeGroupEligible, type GroupRequestOptions } from '../integration/groups/helpers.ts';

const GA_ONLY = 'microsoft.commerce.billing/allEntities/allProperties/allTasks';
const POLICY_FAILED = 'RoleAssignmentRequestPolicyValidationFailed';
const TICKET = { ticketNumber: 'CHG-1234', ticketSystem: 'ServiceNow' };

describe("group membership that carries roles follows the roles' rules", () => {
  const clock = new ManualClock('2033-05-02T09:00:00.000Z');
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
    await patchRule(ctx, ROLES.globalAdministrator, 'Enablement_EndUser_Assignment', {
      ...enablementRule('Enablement_EndUser_Assignment', ['MultiFactorAuthentication', 'Justification', 'Ticketing']),
      maximumAuthenticationAge: 'PT10M',
    });
    await patchRule(ctx, ROLES.globalAdministrator, 'Expiration_EndUser_Assignment', expirationRule('Expiration_EndUser_Assignment', true, 'PT1H'));
  });
  afterAll(() => ctx.stop());

  /** A role-assignable group that holds Global Administrator (active or eligible), and a user eligible for its membership or ownership. */
  async function gaGroup(
    holding: 'active' | 'eligible',
    accessId: 'member' | 'owner' = 'member',
  ): Promise<{ group: { id: string; displayName: string }; user: TestUser }> {
    const group = await newGroup(ctx, `ga-${holding}`, { roleAssignable: true });
    if (holding === 'active') await makeActive(ctx, group.id, ROLES.globalAdministrator);
    else await makeEligible(ctx, group.id, ROLES.globalAdministrator);
    const user = await newUser(ctx, `carry-${accessId}`);
    await makeGroupEligible(ctx, user.id, group.id, { accessId });
    return { group, user };
  }

  interface Activation extends GroupRequestOptions {
    token?: { mfa?: boolean; authAgeSeconds?: number };
    ticket?: boolean;
    validationOnly?: boolean;
    /** Send expiration type 'notSpecified' (the activation then lasts the policy's maximum). */
    unbounded?: boolean;
  }

  /** The user's selfActivate of the group's membership (or ownership): by default with fresh MFA, a justification and a ticket, for 30 minutes. */
  async function activate(user: TestUser, groupId: string, o: Activation = {}) {
    const body = {
      ...groupRequestBody(user.id, groupId, { duration: 'PT30M', ...o, action: 'selfActivate' }),
      ...(o.ticket === false ? {} : { ticketInfo: TICKET }),
      ...(o.validationOnly ? { isValidationOnly: true } : {}),
      ...(o.unbounded ? { scheduleInfo: { expiration: { type: 'notSpecified' } } } : {}),
    };
    return ctx.api.call('POST', GROUP_REQUESTS.assignment, { token: await ctx.api.token(user.upn, o.token), body });
  }

  /** Nothing left behind: no group access in force for the user, and no Global Administrator power. */
  async function expectNothingHeld(user: TestUser, groupId: string): Promise<void> {
    const instances = await list(ctx, `${GROUP_BASE}/assignmentScheduleInstances?${filter(`groupId eq '${groupId}'`)}`);
    expect(instances.filter((i) => i.principalId === user.id)).toEqual([]);
    expect((await decide(ctx, user.id, GA_ONLY)).decision).toBe(false);
  }

  it('activating membership of a group holding Global Administrator without MFA is answered with the step-up challenge', async () => {
    // Prepare
    const { group, user } = await gaGroup('active');
    // Act
    const result = await activate(user, group.id, { token: { mfa: false } });
    // Assess
    const error = expectGraphError(result, 401, POLICY_FAILED);
    expect(result.headers.get('www-authenticate')).toContain('error="insufficient_user_authentication"');
    expect(result.headers.get('www-authenticate')).toContain('max_age=600');
    expect(error.message).toContain('Global Administrator');
    await expectNothingHeld(user, group.id);
  });

  it("activating it with an MFA older than Global Administrator's freshness (10 minutes) is answered with the step-up challenge", async () => {
    // Prepare: twelve minutes is stale for Global Administrator, though younger than the 15-minute default
    const { group, user } = await gaGroup('eligible');
    // Act
    const result = await activate(user, group.id, { token: { authAgeSeconds: 12 * 60 } });
    // Assess
    expectGraphError(result, 401, POLICY_FAILED);
    expect(result.headers.get('www-authenticate')).toContain('max_age=600');
    await expectNothingHeld(user, group.id);
  });

  it('activating it without the ticket (and justification) that Global Administrator requires is refused, naming the role', async () => {
    // Prepare
    const { group, user } = await gaGroup('eligible');
    // Act
    const withoutTicket = await activate(user, group.id, { ticket: false });
    const withNeither = await activate(user, group.id, { ticket: false, justification: null });
    const validating = await activate(user, group.id, { ticket: false, validationOnly: true });
    // Assess
    const error = expectGraphError(withoutTicket, 400, POLICY_FAILED);
    expect(failedRules(withoutTicket)).toEqual(['TicketingRule']);
    expect(error.message).toMatch(/ticket number is required.*Global Administrator/);
    expect(failedRules(withNeither)).toEqual(['JustificationRule', 'TicketingRule']);
    // isValidationOnly reports the same
    expectGraphError(validating, 400, POLICY_FAILED);
    expect(failedRules(validating)).toEqual(['TicketingRule']);
    await expectNothingHeld(user, group.id);
  });

  it("activating it for longer than Global Administrator's maximum (1 hour, where the group allows 8) is refused, naming the role", async () => {
    // Prepare
    const { group, user } = await gaGroup('active');
    // Act
    const result = await activate(user, group.id, { duration: 'PT2H' });
    const validating = await activate(user, group.id, { duration: 'PT2H', validationOnly: true });
    // Assess
    const error = expectGraphError(result, 400, POLICY_FAILED);
    expect(failedRules(result)).toEqual(['ExpirationRule']);
    expect(error.message).toContain('PT1H');
    expect(error.message).toContain('Global Administrator');
    expect(failedRules(validating)).toEqual(['ExpirationRule']);
    await expectNothingHeld(user, group.id);
    // Without an expiration, the activation lasts Global Administrator's maximum, not the group's eight hours
    const granted = await activate(user, group.id, { unbounded: true });
    expect(granted.status, JSON.stringify(granted.body)).toBe(201);
    expect(granted.body.scheduleInfo.expiration).toMatchObject({ type: 'afterDuration', duration: 'PT1H' });
  });

  it("activating it waits for approval when Global Administrator's policy requires approval, by that policy's approver", async () => {
    // Prepare
    const { group, user } = await gaGroup('eligible');
    const approver = await newUser(ctx, 'ga-approver');
    await patchRule(ctx, ROLES.globalAdministrator, 'Approval_EndUser_Assignment', approvalRule(true, [approver.id]));
    try {
      // Act
      const validating = await activate(user, group.id, { validationOnly: true });
      const pending = await activate(user, group.id);
      // Assess
      expect(validating.status, JSON.stringify(validating.body)).toBe(201);
      expect(validating.body.status).toBe('PendingApproval');
      expect(pending.status, JSON.stringify(pending.body)).toBe(201);
      expect(pending.body).toMatchObject({ status: 'PendingApproval', approvalId: pending.body.id });
      const queue = await list(ctx, `${GROUP_BASE}/assignmentApprovals/filterByCurrentUser(on='approver')`, await ctx.api.token(approver.upn));
      expect(queue).toEqual([expect.objectContaining({ id: pending.body.id })]);
      await expectNothingHeld(user, group.id);
    } finally {
      await patchRule(ctx, ROLES.globalAdministrator, 'Approval_EndUser_Assignment', approvalRule(false));
    }
  });

  it('activating ownership of such a group is held to the same rules (an owner can add members)', async () => {
    // Prepare
    const { group, user } = await gaGroup('active', 'owner');
    // Act
    const withoutMfa = await activate(user, group.id, { accessId: 'owner', token: { mfa: false } });
    const tooLong = await activate(user, group.id, { accessId: 'owner', duration: 'PT2H' });
    const withoutTicket = await activate(user, group.id, { accessId: 'owner', ticket: false });
    // Assess
    expectGraphError(withoutMfa, 401, POLICY_FAILED);
    expect(failedRules(tooLong)).toEqual(['ExpirationRule']);
    expect(failedRules(withoutTicket)).toEqual(['TicketingRule']);
    const owners = await list(ctx, `${GROUP_BASE}/assignmentScheduleInstances?${filter(`groupId eq '${group.id}'`)}`);
    expect(owners.filter((i) => i.principalId === user.id)).toEqual([]);
  });

  it("the group's policy view says which role's rule applies to activating its membership", async () => {
    // Prepare
    const { group } = await gaGroup('eligible');
    const token = await ctx.admin();
    // Act
    const policies = await list(
      ctx,
      `/v1.0/policies/roleManagementPolicies?${filter(`scopeId eq '${group.id}' and scopeType eq 'Group'`)}&$expand=rules,effectiveRules`,
      token,
    );
    const assignments = await list(ctx, `/v1.0/policies/roleManagementPolicyAssignments?${filter(`scopeId eq '${group.id}' and scopeType eq 'Group'`)}`, token);
    const memberPolicyId = assignments.find((a) => a.roleDefinitionId === 'member').policyId;
    const ruleGet = await ctx.api.call('GET', `/v1.0/policies/roleManagementPolicies/${memberPolicyId}/rules/Expiration_EndUser_Assignment`, { token });
    // Assess: `rules` keep the group's own values (what PATCH changes); each names the stricter setting a role imposes
    expect(policies.map((p) => p.id)).toContain(memberPolicyId);
    const own = (id: string) => policies.find((p) => p.id === memberPolicyId).rules.find((r: { id: string }) => r.id === id);
    const effective = (id: string) => policies.find((p) => p.id === memberPolicyId).effectiveRules.find((r: { id: string }) => r.id === id);
    const byGa = expect.arrayContaining([
      expect.objectContaining({ roleDefinitionId: ROLES.globalAdministrator, displayName: 'Global Administrator', directoryScopeId: '/' }),
    ]);
    expect(own('Expiration_EndUser_Assignment')).toMatchObject({
      maximumDuration: 'PT8H',
      '@stint.groupRoleRules': [{ setting: 'maximumDuration', value: 'PT1H', imposedBy: byGa }],
    });
    expect(own('Enablement_EndUser_Assignment').enabledRules).toEqual(['Justification']);
    const carried: { setting: string }[] = own('Enablement_EndUser_Assignment')['@stint.groupRoleRules'];
    expect(carried.map((s) => s.setting).sort()).toEqual(['MultiFactorAuthentication', 'Ticketing', 'maximumAuthenticationAge']);
    // `effectiveRules` show the rules as applied
    expect(effective('Expiration_EndUser_Assignment')).toMatchObject({ isExpirationRequired: true, maximumDuration: 'PT1H' });
    expect([...effective('Enablement_EndUser_Assignment').enabledRules].sort()).toEqual(['Justification', 'MultiFactorAuthentication', 'Ticketing']);
    expect(effective('Enablement_EndUser_Assignment')['@stint.maximumAuthenticationAge']).toBe('PT10M');
    expect(ruleGet.status, JSON.stringify(ruleGet.body)).toBe(200);
    expect(ruleGet.body).toMatchObject({
      maximumDuration: 'PT8H',
      '@stint.groupRoleRules': [{ setting: 'maximumDuration', value: 'PT1H', imposedBy: byGa }],
    });
    // The rule as GET shows it can be sent back: the read-only extension is not a setting, and stays a role's
    const { '@odata.context': _context, ...rule } = ruleGet.body;
    const rulePath = `/v1.0/policies/roleManagementPolicies/${memberPolicyId}/rules/Expiration_EndUser_Assignment`;
    expect((await ctx.api.call('PATCH', rulePath, { token, body: { ...rule, maximumDuration: 'PT4H' } })).status).toBe(204);
    expect((await ctx.api.call('GET', rulePath, { token })).body).toMatchObject({
      maximumDuration: 'PT4H',
      '@stint.groupRoleRules': [{ setting: 'maximumDuration', value: 'PT1H' }],
    });
  });

  it('a group that holds no role keeps the group defaults: no MFA or ticket, up to eight hours (control)', async () => {
    // Prepare
    const group = await newGroup(ctx, 'no-roles', { roleAssignable: true });
    const user = await newUser(ctx, 'plain');
    await makeGroupEligible(ctx, user.id, group.id);
    // Act
    const result = await activate(user, group.id, { token: { mfa: false }, ticket: false, duration: 'PT8H' });
    // Assess
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(result.body.status).toBe('Provisioned');
  });
});
