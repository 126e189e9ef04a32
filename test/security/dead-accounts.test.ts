/**
 * Dead accounts (reference/security.md): a disabled or deleted user or service principal is refused
 * on the next request, not when its token expires; a snapshotted approver who is disabled cannot decide,
 * and the approvers still able to (or, if none is left, the fallback administrators) can; a deleted
 * user's identities go with it; an app with no service principal gets nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail, userBody } from '../integration/api/support.ts';
import {
  activate,
  approvalRuleWith,
  customRole,
  expectGraphError,
  instancesOf,
  makeActive,
  makeEligible,
  newUser,
  patchRule,
  ROLES,
  startRolesStack,
  tokenOf,
  type CallResult,
  type Ctx,
  type TestUser,
} from '../integration/roles/helpers.ts';
import { createOtherIssuer, type OtherIssuer } from './other-issuer.ts';

const APPROVALS = '/beta/roleManagement/directory/roleAssignmentApprovals';
const REQUESTS = '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests';

let ctx: Ctx;
let idp: OtherIssuer;

beforeAll(async () => {
  idp = await createOtherIssuer();
  ctx = await startRolesStack({ otherIssuers: idp.trusted });
});
afterAll(() => ctx?.stop());

const evaluation = (subjectId: string, type = 'user') => ({
  subject: { type, id: subjectId },
  action: { name: 'microsoft.directory/users/password/update' },
  resource: { type: 'scope', id: '/' },
});

/** A sample of routes of every Lambda a signed-in principal may call. */
function everyRoute(selfId: string): [string, string, unknown?][] {
  return [
    ['GET', '/v1.0/users?$top=1'],
    ['GET', '/v1.0/groups?$top=1'],
    ['GET', `/v1.0/users/${selfId}`],
    ['POST', '/access/v1/evaluation', evaluation(selfId)],
    ['GET', "/v1.0/roleManagement/directory/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')"],
    ['GET', "/beta/roleManagement/directory/roleAssignmentApprovals/filterByCurrentUser(on='approver')"],
    ['GET', '/v1.0/auditLogs/directoryAudits?$top=1'],
    ['POST', '/v1.0/users', userBody(`made-by-dead-${selfId.slice(-6).toLowerCase()}`)],
  ];
}

async function expectRefusedEverywhere(token: string, selfId: string, message: RegExp) {
  for (const [method, path, body] of everyRoute(selfId)) {
    const error = expectGraphError(await ctx.api.call(method, path, { token, body }), 401, 'InvalidAuthenticationToken');
    expect(error.message, `${method} ${path}`).toMatch(message);
  }
}

async function decisionAbout(subjectId: string, type = 'user'): Promise<{ decision: boolean; context: { reason: string } }> {
  const result = await ctx.api.call('POST', '/access/v1/evaluation', { token: await ctx.admin(), body: evaluation(subjectId, type) });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body;
}

const setEnabled = async (user: TestUser, accountEnabled: boolean) => {
  const result = await ctx.api.call('PATCH', `/v1.0/users/${user.id}`, { token: await ctx.admin(), body: { accountEnabled } });
  expect(result.status, JSON.stringify(result.body)).toBe(204);
};

describe('users', () => {
  it('a disabled Global Administrator is refused on every route at the next request, and holds nothing while disabled', async () => {
    const user = await newUser(ctx, 'disabled-ga');
    await makeActive(ctx, user.id, ROLES.globalAdministrator);
    const token = await tokenOf(ctx, user);
    expect((await ctx.api.call('GET', '/v1.0/auditLogs/directoryAudits?$top=1', { token })).status).toBe(200);
    expect((await decisionAbout(user.id)).decision).toBe(true);

    await setEnabled(user, false);
    await expectRefusedEverywhere(token, user.id, new RegExp(`The account '${user.upn}' is disabled`));
    const denied = await decisionAbout(user.id);
    expect(denied).toMatchObject({ decision: false, context: { reason: expect.stringMatching(/disabled/) } });
    expect((await ctx.api.call('GET', `/v1.0/users/made-by-dead-${user.id.slice(-6).toLowerCase()}@contoso.test`, { token: await ctx.admin() })).status).toBe(
      404,
    );

    // Enabled again, the same token works at once: nothing remembered "disabled" either.
    await setEnabled(user, true);
    expect((await ctx.api.call('GET', '/v1.0/users?$top=1', { token })).status).toBe(200);
  });

  it("a deleted user's token is refused, and a new user with its name is not it", async () => {
    const user = await newUser(ctx, 'deleted');
    const token = await tokenOf(ctx, user);
    expect((await ctx.api.call('GET', '/v1.0/users?$top=1', { token })).status).toBe(200);
    const deleted = await ctx.api.call('DELETE', `/v1.0/users/${user.id}`, { token: await ctx.admin() });
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(204);

    await expectRefusedEverywhere(token, user.id, /no longer exists in the directory \(it was deleted\)/);
    // The dev issuer names directory ids, so this user had no link to remove (an outside issuer's link is
    // removed with the user: identity.test.ts); the deletion itself is audited.
    expect((await auditTrail(ctx.stack, user.id)).some((a) => a.activityDisplayName === 'Delete user')).toBe(true);

    // Someone else is given the name: the deleted user's token does not become them.
    const reborn = await ctx.api.call('POST', '/v1.0/users', { token: await ctx.admin(), body: { displayName: 'Someone new', userPrincipalName: user.upn } });
    expect(reborn.status).toBe(201);
    await makeActive(ctx, reborn.body.id, ROLES.globalReader);
    expectGraphError(await ctx.api.call('GET', '/v1.0/users?$top=1', { token }), 401, 'InvalidAuthenticationToken');
    const identities = await ctx.api.call('GET', `/v1.0/users/${reborn.body.id}/identities`, { token: await ctx.admin() });
    expect(identities.body.value).toEqual([]);
  });
});

describe('approvers', () => {
  async function pendingWithApprovers(approvers: TestUser[]): Promise<{ requester: TestUser; requestId: string }> {
    const requester = await newUser(ctx, 'requester');
    const role = await customRole(ctx, 'Approved');
    await patchRule(ctx, role, 'Approval_EndUser_Assignment', approvalRuleWith([{ approvers: approvers.map((a) => ({ userId: a.id })) }]));
    await makeEligible(ctx, requester.id, role);
    const pending = await activate(ctx, requester, role);
    expect(pending.status, JSON.stringify(pending.body)).toBe(201);
    expect(pending.body.status).toBe('PendingApproval');
    return { requester, requestId: pending.body.id };
  }

  const decide = (token: string, requestId: string): Promise<CallResult> =>
    ctx.api.call('PATCH', `${APPROVALS}/${requestId}/steps/${requestId}`, { token, body: { reviewResult: 'Approve', justification: 'ok' } });

  const statusOf = async (requestId: string) => (await ctx.api.call('GET', `${REQUESTS}/${requestId}`, { token: await ctx.admin() })).body.status;

  it('a disabled approver cannot decide a snapshotted approval; the other approver still can', async () => {
    const [dead, alive] = [await newUser(ctx, 'dead-approver'), await newUser(ctx, 'live-approver')];
    const deadToken = await tokenOf(ctx, dead);
    const { requester, requestId } = await pendingWithApprovers([dead, alive]);
    await setEnabled(dead, false);

    expect(expectGraphError(await decide(deadToken, requestId), 401, 'InvalidAuthenticationToken').message).toMatch(/disabled/);
    expect(await statusOf(requestId)).toBe('PendingApproval');
    expect(await instancesOf(ctx, 'assignment', requester.id)).toEqual([]);

    const ok = await decide(await tokenOf(ctx, alive), requestId);
    expect(ok.status, JSON.stringify(ok.body)).toBe(204);
    expect(await statusOf(requestId)).toBe('Provisioned');
  });

  it('when no approver of a stage is left, a Global Administrator decides in their place (and nobody else does)', async () => {
    const [dead, gone, outsider] = [await newUser(ctx, 'only-approver'), await newUser(ctx, 'gone-approver'), await newUser(ctx, 'outsider')];
    const deadToken = await tokenOf(ctx, dead);
    const { requester, requestId } = await pendingWithApprovers([dead, gone]);
    await setEnabled(dead, false);
    expect((await ctx.api.call('DELETE', `/v1.0/users/${gone.id}`, { token: await ctx.admin() })).status).toBe(204);

    expectGraphError(await decide(deadToken, requestId), 401, 'InvalidAuthenticationToken');
    expectGraphError(await decide(await tokenOf(ctx, outsider), requestId), 403, 'Approval_NotAnApprover');
    expectGraphError(await decide(await tokenOf(ctx, requester), requestId), 403, 'Approval_SelfApprovalNotAllowed');
    expect(await statusOf(requestId)).toBe('PendingApproval');

    const ok = await decide(await ctx.admin(), requestId);
    expect(ok.status, JSON.stringify(ok.body)).toBe(204);
    expect(await statusOf(requestId)).toBe('Provisioned');
    const approval = await ctx.api.call('GET', `${APPROVALS}/${requestId}`, { token: await ctx.admin() });
    expect(approval.body.steps[0].reviewedBy).toEqual([expect.objectContaining({ id: ctx.adminId })]);
  });

  it('a disabled administrator is no fallback approver: a request made meanwhile goes to the administrators who can act', async () => {
    const [disabledAdmin, requester] = [await newUser(ctx, 'disabled-admin'), await newUser(ctx, 'fallback-requester')];
    await makeActive(ctx, disabledAdmin.id, ROLES.globalAdministrator);
    await setEnabled(disabledAdmin, false);
    // The policy names only the requester, who cannot approve their own request: the stage falls back to the administrators.
    const role = await customRole(ctx, 'Fallback');
    await patchRule(ctx, role, 'Approval_EndUser_Assignment', approvalRuleWith([{ approvers: [{ userId: requester.id }] }]));
    await makeEligible(ctx, requester.id, role);
    const pending = await activate(ctx, requester, role);
    expect(pending.status, JSON.stringify(pending.body)).toBe(201);
    expect(pending.body.status).toBe('PendingApproval');
    await setEnabled(disabledAdmin, true);

    const asked = async (user: TestUser | string) => {
      const token = typeof user === 'string' ? await ctx.admin() : await tokenOf(ctx, user);
      const result = await ctx.api.call('GET', `${REQUESTS}/filterByCurrentUser(on='approver')`, { token });
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      return (result.body.value as Array<{ id: string }>).map((r) => r.id);
    };
    expect(await asked(disabledAdmin)).not.toContain(pending.body.id);
    expect(await asked(ctx.adminId)).toContain(pending.body.id);
  });
});

describe('service principals', () => {
  async function newServicePrincipal(appId: string, accountEnabled = true): Promise<string> {
    const result = await ctx.api.call('POST', '/v1.0/servicePrincipals', { token: await ctx.admin(), body: { appId, displayName: appId, accountEnabled } });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    return result.body.id;
  }

  it('a deleted service principal is refused at the next request, and a disabled one from the start', async () => {
    const id = await newServicePrincipal('doomed-app');
    const token = await ctx.api.servicePrincipalToken('doomed-app');
    expect((await ctx.api.call('GET', '/v1.0/users?$top=1', { token })).status).toBe(200);
    expect((await ctx.api.call('DELETE', `/v1.0/servicePrincipals/${id}`, { token: await ctx.admin() })).status).toBe(204);
    await expectRefusedEverywhere(token, id, /has no service principal in Stint's directory/);
    expect((await decisionAbout(id, 'servicePrincipal')).decision).toBe(false);

    const disabledId = await newServicePrincipal('disabled-app', false);
    await expectRefusedEverywhere(await ctx.api.servicePrincipalToken('disabled-app'), disabledId, /is disabled/);
  });

  it('an app with no service principal gets nothing, whatever its token claims to be', async () => {
    const rogue = await idp.token({ sub: 'rogue-app', client_id: 'rogue-app', token_use: 'access', scope: 'stint/api' });
    await expectRefusedEverywhere(rogue, 'rogue-app', /'rogue-app' has no service principal.*POST \/v1\.0\/servicePrincipals/);
    // Nor as an app that claims the seeded admin's id as its subject.
    const impostor = await idp.token({ sub: ctx.adminId, idtyp: 'app', appid: 'impostor-app', oid: ctx.adminId });
    await expectRefusedEverywhere(impostor, ctx.adminId, /'impostor-app' has no service principal/);
  });
});
