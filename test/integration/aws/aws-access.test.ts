/**
 * AWS access end to end, through the API, the real lifecycle state machine and moto_server's Identity
 * Center: AWS roles from the managed permission sets, eligibility on an account and on an OU, activation →
 * the account assignment exists in the emulator; deactivation, expiry and removal → it is gone; an
 * activation and an admin assignment of the same triple share one assignment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Background } from '../../../infra/local/background.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { runDueReviews } from '../../../shared/services/access-reviews/run-due.ts';
import { auditTrail } from '../api/support.ts';
import { filter, HOUR, startRolesStack, type Ctx } from '../roles/helpers.ts';
import { approvalRuleFor, eventually } from '../workflow/support.ts';

const AWS = '/v1.0/roleManagement/aws';
const MINUTE = 60_000;

describe('AWS access through IAM Identity Center (emulator)', () => {
  const clock = new ManualClock('2031-10-01T08:00:00.000Z');
  let ctx: Ctx;
  let bg: Background;
  let roles: Record<string, any>;
  let accounts: Record<string, any>;
  let sam: { id: string; upn: string };
  let kai: { id: string; upn: string };

  beforeAll(async () => {
    ctx = await startRolesStack({ clock, background: true, awsPort: 0 });
    bg = ctx.stack.background!;
    const token = await ctx.admin();
    const defs = await ctx.api.call('GET', `${AWS}/roleDefinitions`, { token });
    roles = Object.fromEntries(defs.body.value.map((r: any) => [r.displayName, r]));
    const listed = await ctx.api.call('GET', `${AWS}/accounts`, { token });
    accounts = Object.fromEntries(listed.body.value.map((a: any) => [a.displayName, a]));
    const user = async (upn: string) => ({ id: (await ctx.api.call('GET', `/v1.0/users/${upn}`, { token })).body.id as string, upn });
    sam = await user('sam.rivera@contoso.test');
    kai = await user('kai.tanaka@contoso.test');
  });
  afterAll(() => ctx?.stop());

  const post = async (kind: 'Eligibility' | 'Assignment', body: Record<string, unknown>, token?: string) =>
    ctx.api.call('POST', `${AWS}/role${kind}ScheduleRequests`, { token: token ?? (await ctx.admin()), body });
  const eligible = (principalId: string, role: string, scope: string) =>
    post('Eligibility', {
      action: 'adminAssign',
      principalId,
      roleDefinitionId: roles[role].id,
      directoryScopeId: scope,
      justification: 'test',
      scheduleInfo: { expiration: { type: 'noExpiration' } },
    });
  const activate = async (who: { id: string; upn: string }, role: string, account: string, duration = 'PT1H') =>
    post(
      'Assignment',
      {
        action: 'selfActivate',
        principalId: who.id,
        roleDefinitionId: roles[role].id,
        directoryScopeId: `/accounts/${accounts[account].id}`,
        justification: 'deploy',
        scheduleInfo: { expiration: { type: 'afterDuration', duration } },
      },
      await ctx.api.token(who.upn),
    );
  const inEmulator = async () => (await ctx.api.call('GET', '/local/aws/assignments')).body.value as any[];
  const holds = async (who: { upn: string }, role: string, account: string) =>
    (await inEmulator()).some((a) => a.userName === who.upn && a.permissionSetName === role && a.accountName === account);
  const request = async (id: string, token?: string) =>
    (await ctx.api.call('GET', `${AWS}/roleAssignmentScheduleRequests/${id}`, { token: token ?? (await ctx.admin()) })).body;

  it('lists the managed permission sets as AWS roles, and the organization’s accounts without the management account', () => {
    expect(Object.keys(roles).sort()).toEqual(['AdministratorAccess', 'ReadOnlyAccess']);
    expect(roles.ReadOnlyAccess).toMatchObject({ id: expect.stringMatching(/^ps-/), isEnabled: true, sessionDuration: 'PT1H' });
    expect(Object.keys(accounts).sort()).toEqual(['dev', 'prod', 'staging']);
    expect(accounts.dev.parents.map((p: any) => p.displayName)).toEqual(['NonProd', 'Workloads', 'Root']);
  });

  it('an eligibility on an OU lets its holder activate in an account below it; the assignment appears, then goes on deactivation', async () => {
    const ou = accounts.dev.parents[0].id;
    const created = await eligible(sam.id, 'ReadOnlyAccess', `/ous/${ou}`);
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    const outside = await activate(sam, 'ReadOnlyAccess', 'prod');
    expect(outside.status).toBe(400);
    expect(outside.body.error.message).toMatch(/not eligible/);

    const started = await activate(sam, 'ReadOnlyAccess', 'dev');
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.status).toBe('PendingProvisioning');
    await eventually(async () => (await request(started.body.id)).status === 'Provisioned', 'the activation is provisioned');
    expect(await holds(sam, 'ReadOnlyAccess', 'dev')).toBe(true);
    const [instance] = (
      await ctx.api.call('GET', `${AWS}/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')`, { token: await ctx.api.token(sam.upn) })
    ).body.value;
    expect(instance.awsAccess).toMatchObject({
      accountId: accounts.dev.id,
      provisioningState: 'provisioned',
      usableDateTime: clock.now().toISOString(),
      sessionDuration: 'PT1H',
    });

    clock.advance(6 * MINUTE);
    const ended = await post(
      'Assignment',
      { action: 'selfDeactivate', principalId: sam.id, roleDefinitionId: roles.ReadOnlyAccess.id, directoryScopeId: `/accounts/${accounts.dev.id}` },
      await ctx.api.token(sam.upn),
    );
    expect(ended.status, JSON.stringify(ended.body)).toBe(201);
    await eventually(async () => !(await holds(sam, 'ReadOnlyAccess', 'dev')), 'the assignment is deleted after deactivation');
    const trail = await auditTrail(ctx.stack, sam.id);
    expect(trail.map((a) => a.activityDisplayName)).toEqual(
      expect.arrayContaining(['Link user to IAM Identity Center user', 'Add member to role completed (AWS account assignment provisioned)']),
    );
  });

  it('a holder reads their AWS role’s settings (its one policy, at /), and no other AWS role’s', async () => {
    const token = await ctx.api.token(sam.upn);
    const read = (role: string) =>
      ctx.api.call(
        'GET',
        `/v1.0/policies/roleManagementPolicyAssignments?$filter=${encodeURIComponent(`scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${roles[role].id}'`)}&$expand=policy($expand=rules)`,
        { token },
      );
    const mine = await read('ReadOnlyAccess');
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    expect(mine.body.value).toHaveLength(1);
    expect(mine.body.value[0].policy.rules.map((r: any) => r.id)).toContain('Enablement_EndUser_Assignment');
    const other = await read('AdministratorAccess');
    expect(other.status === 403 || other.body.value.length === 0).toBe(true);
  });

  it('expiry removes the assignment at the end of the activation', async () => {
    const started = await activate(sam, 'ReadOnlyAccess', 'staging', 'PT1H');
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    await eventually(() => holds(sam, 'ReadOnlyAccess', 'staging'), 'granted');
    clock.advance(HOUR);
    await eventually(async () => !(await holds(sam, 'ReadOnlyAccess', 'staging')), 'revoked at expiry');
    // The schedule says so once the run has confirmed the deletion (the step after it).
    const expired = async () =>
      (
        await ctx.api.call('GET', `${AWS}/roleAssignmentSchedules?${filter(`principalId eq '${sam.id}' and status eq 'Expired'`)}`, {
          token: await ctx.admin(),
        })
      ).body.value[0];
    await eventually(async () => (await expired())?.awsAccess?.provisioningState === 'revoked', 'the expired schedule says revoked');
    const schedule = await expired();
    expect(schedule?.awsAccess).toMatchObject({ provisioningState: 'revoked', sessionsMayLastUntil: expect.any(String) });
  });

  it('an activation and an admin assignment of one triple share one assignment: it goes only when the last ends', async () => {
    expect((await eligible(kai.id, 'AdministratorAccess', `/accounts/${accounts.prod.id}`)).status).toBe(201);
    const activation = await activate(kai, 'AdministratorAccess', 'prod');
    expect(activation.status, JSON.stringify(activation.body)).toBe(201);
    const assigned = await post('Assignment', {
      action: 'adminAssign',
      principalId: kai.id,
      roleDefinitionId: roles.AdministratorAccess.id,
      directoryScopeId: `/accounts/${accounts.prod.id}`,
      justification: 'on call',
      scheduleInfo: { expiration: { type: 'noExpiration' } },
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(201);
    await eventually(async () => (await request(assigned.body.id)).status === 'Provisioned', 'the admin assignment is provisioned');
    await eventually(async () => (await request(activation.body.id)).status === 'Provisioned', 'the activation is provisioned');
    expect((await inEmulator()).filter((a) => a.userName === kai.upn)).toHaveLength(1);

    clock.advance(6 * MINUTE);
    const deactivated = await post(
      'Assignment',
      { action: 'selfDeactivate', principalId: kai.id, roleDefinitionId: roles.AdministratorAccess.id, directoryScopeId: `/accounts/${accounts.prod.id}` },
      await ctx.api.token(kai.upn),
    );
    expect(deactivated.status).toBe(201);
    await eventually(() => bg.workflows.runs().every((r) => r.status !== 'running' || !r.name.includes('-aws-')), 'the sync runs are done');
    expect(await holds(kai, 'AdministratorAccess', 'prod')).toBe(true);

    const removed = await post('Assignment', {
      action: 'adminRemove',
      principalId: kai.id,
      roleDefinitionId: roles.AdministratorAccess.id,
      directoryScopeId: `/accounts/${accounts.prod.id}`,
    });
    expect(removed.status, JSON.stringify(removed.body)).toBe(201);
    await eventually(async () => !(await holds(kai, 'AdministratorAccess', 'prod')), 'revoked when the last holder ended');
  });

  it('twenty parallel activations of one triple make one activation and one assignment; twenty parallel deactivations remove it once', async () => {
    const mei = {
      id: (await ctx.api.call('GET', '/v1.0/users/mei.chen@contoso.test', { token: await ctx.admin() })).body.id as string,
      upn: 'mei.chen@contoso.test',
    };
    expect((await eligible(mei.id, 'ReadOnlyAccess', `/accounts/${accounts.staging.id}`)).status).toBe(201);
    const token = await ctx.api.token(mei.upn);
    const scope = `/accounts/${accounts.staging.id}`;
    const body = (action: string, i: number) => ({
      action,
      principalId: mei.id,
      roleDefinitionId: roles.ReadOnlyAccess.id,
      directoryScopeId: scope,
      justification: `race ${i}`,
      scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
    });
    const started = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ctx.api.call('POST', `${AWS}/roleAssignmentScheduleRequests`, { token, body: body('selfActivate', i) })),
    );
    const won = started.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    expect(started.filter((r) => r.status !== 201).map((r) => r.status)).toEqual(Array(19).fill(409));
    await eventually(async () => (await request(won[0]!.body.id)).status === 'Provisioned', 'the one activation is provisioned');
    expect((await inEmulator()).filter((a) => a.userName === mei.upn)).toHaveLength(1);

    clock.advance(6 * MINUTE);
    const ended = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const { scheduleInfo: _s, ...rest } = body('selfDeactivate', i);
        return ctx.api.call('POST', `${AWS}/roleAssignmentScheduleRequests`, { token, body: rest });
      }),
    );
    expect(ended.filter((r) => r.status === 201)).toHaveLength(1);
    await eventually(async () => !(await holds(mei, 'ReadOnlyAccess', 'staging')), 'the assignment is removed');
    expect((await inEmulator()).filter((a) => a.userName === mei.upn)).toEqual([]);
  });

  it('an AWS role whose policy requires approval waits for the approver, then is granted', async () => {
    const token = await ctx.admin();
    const lena = { id: (await ctx.api.call('GET', '/v1.0/users/lena.fischer@contoso.test', { token })).body.id as string, upn: 'lena.fischer@contoso.test' };
    const policyId = `DirectoryRole_stint_${roles.AdministratorAccess.id}`;
    const patched = await ctx.api.call('PATCH', `/v1.0/policies/roleManagementPolicies/${policyId}/rules/Approval_EndUser_Assignment`, {
      token,
      body: approvalRuleFor([{ userId: ctx.adminId }]),
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(204);
    expect((await eligible(lena.id, 'AdministratorAccess', `/accounts/${accounts.dev.id}`)).status).toBe(201);
    const asked = await activate(lena, 'AdministratorAccess', 'dev');
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body.status).toBe('PendingApproval');
    expect(await holds(lena, 'AdministratorAccess', 'dev')).toBe(false);
    const id = asked.body.id;
    const approved = await ctx.api.call('PATCH', `/beta/roleManagement/directory/roleAssignmentApprovals/${id}/steps/${id}`, {
      token,
      body: { reviewResult: 'Approve', justification: 'ok' },
    });
    expect(approved.status, JSON.stringify(approved.body)).toBe(204);
    await eventually(async () => (await request(id)).status === 'Provisioned', 'provisioned after approval');
    expect(await holds(lena, 'AdministratorAccess', 'dev')).toBe(true);
  });

  it('an active assignment that starts later is granted at its start; an access review’s denial removes it from AWS', async () => {
    const token = await ctx.admin();
    const tom = { id: (await ctx.api.call('GET', '/v1.0/users/tom.becker@contoso.test', { token })).body.id as string, upn: 'tom.becker@contoso.test' };
    const start = new Date(clock.now().getTime() + HOUR).toISOString();
    const assigned = await post('Assignment', {
      action: 'adminAssign',
      principalId: tom.id,
      roleDefinitionId: roles.ReadOnlyAccess.id,
      directoryScopeId: `/accounts/${accounts.prod.id}`,
      justification: 'audit week',
      scheduleInfo: { startDateTime: start, expiration: { type: 'noExpiration' } },
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(201);
    await eventually(() => bg.workflows.waitingFor(assigned.body.id)?.phase === 'waitForStart', 'the run waits for the start');
    expect(await holds(tom, 'ReadOnlyAccess', 'prod')).toBe(false);
    clock.advance(HOUR);
    await eventually(() => holds(tom, 'ReadOnlyAccess', 'prod'), 'granted at the start');
    await eventually(async () => (await request(assigned.body.id)).status === 'Provisioned', 'provisioned');

    const DEFS = '/v1.0/identityGovernance/accessReviews/definitions';
    const review = await ctx.api.call('POST', DEFS, {
      token,
      body: {
        displayName: 'AWS ReadOnlyAccess holders',
        scope: {
          '@odata.type': '#microsoft.graph.principalResourceMembershipsScope',
          principalScopes: [{ '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: '/users', queryType: 'MicrosoftGraph' }],
          resourceScopes: [
            {
              '@odata.type': '#microsoft.graph.accessReviewQueryScope',
              query: `/roleManagement/aws/roleDefinitions/${roles.ReadOnlyAccess.id}`,
              queryType: 'MicrosoftGraph',
            },
          ],
        },
        reviewers: [{ query: `/users/${ctx.adminId}`, queryType: 'MicrosoftGraph' }],
        settings: { instanceDurationInDays: 3 },
      },
    });
    expect(review.status, JSON.stringify(review.body)).toBe(201);
    await runDueReviews(ctx.stack.runtime.services);
    const [instance] = (await ctx.api.call('GET', `${DEFS}/${review.body.id}/instances`, { token })).body.value;
    const base = `${DEFS}/${review.body.id}/instances/${instance.id}`;
    const decisions = (await ctx.api.call('GET', `${base}/decisions`, { token })).body.value;
    const tomsItem = decisions.find((d: any) => d.principal.id === tom.id && d['@stint.accessType'] === 'Active');
    expect(tomsItem, JSON.stringify(decisions)).toBeDefined();
    expect((await ctx.api.call('PATCH', `${base}/decisions/${tomsItem.id}`, { token, body: { decision: 'Deny', justification: 'audit over' } })).status).toBe(
      204,
    );
    expect((await ctx.api.call('POST', `${base}/stop`, { token })).status).toBe(204);
    expect((await ctx.api.call('POST', `${base}/applyDecisions`, { token })).status).toBe(204);
    await eventually(async () => !(await holds(tom, 'ReadOnlyAccess', 'prod')), 'removed from AWS after the denial was applied');
  });

  it('refuses what cannot work, before anything is written', async () => {
    const token = await ctx.admin();
    const stranger = await ctx.api.call('POST', '/v1.0/users', {
      token,
      body: {
        displayName: 'No AWS',
        userPrincipalName: 'no.aws@contoso.test',
        mailNickname: 'noaws',
        accountEnabled: true,
        passwordProfile: { password: 'Str0ng!pass-123' },
      },
    });
    expect(stranger.status, JSON.stringify(stranger.body)).toBe(201);
    const noMatch = await eligible(stranger.body.id, 'ReadOnlyAccess', `/accounts/${accounts.dev.id}`);
    expect(noMatch.status).toBe(400);
    expect(noMatch.body.error.code).toBe('AwsUserNotFound');

    const badScope = await eligible(sam.id, 'ReadOnlyAccess', '/accounts/12');
    expect(badScope.status).toBe(400);
    expect(badScope.body.error.code).toBe('InvalidScope');
    const management = await eligible(sam.id, 'ReadOnlyAccess', `/accounts/${ctx.stack.aws!.managementAccountId}`);
    expect(management.status).toBe(400);
    expect(management.body.error.code).toBe('AccountExcluded');
    const directoryScope = await eligible(sam.id, 'ReadOnlyAccess', '/');
    expect(directoryScope.status).toBe(400);

    const byUser = await eligible(sam.id, 'ReadOnlyAccess', `/accounts/${accounts.dev.id}`).then(async () =>
      post(
        'Eligibility',
        {
          action: 'adminAssign',
          principalId: kai.id,
          roleDefinitionId: roles.ReadOnlyAccess.id,
          directoryScopeId: `/accounts/${accounts.dev.id}`,
          justification: 'x',
          scheduleInfo: { expiration: { type: 'noExpiration' } },
        },
        await ctx.api.token(sam.upn),
      ),
    );
    expect(byUser.status).toBe(403);
  });
});
