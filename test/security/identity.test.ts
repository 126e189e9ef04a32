/**
 * Identity confusion (reference/security.md): a new (issuer, subject) takes over an existing user only
 * on a name its issuer vouches for, and never a user who already signs in; only access tokens count; a
 * custom MFA claim counts only from the stack's own pool; names come from the directory; only Privileged
 * Role Administrators and Global Administrators link identities by hand. The attacker's issuer is one
 * the stack trusts to sign tokens, as a partner's or a social login's would be, but for no claim.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail } from '../integration/api/support.ts';
import {
  activate,
  approvalRuleWith,
  customRole,
  enablementRule,
  expectGraphError,
  instancesOf,
  makeActive,
  makeEligible,
  newUser,
  patchRule,
  ROLES,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from '../integration/roles/helpers.ts';
import { createOtherIssuer, type OtherIssuer } from './other-issuer.ts';

const WHO_LINKS = /Privileged Role Administrator or Global Administrator/;

let ctx: Ctx;
let idp: OtherIssuer;
let subjects = 0;
const newSubject = (label: string) => `${label}-${++subjects}`;

beforeAll(async () => {
  idp = await createOtherIssuer();
  ctx = await startRolesStack({ otherIssuers: idp.trusted });
});
afterAll(() => ctx?.stop());

const whoAmI = (token: string) =>
  ctx.api.call('GET', "/v1.0/roleManagement/directory/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')", { token });

async function identitiesOf(user: { id: string }): Promise<{ issuer: string; issuerAssignedId: string }[]> {
  const result = await ctx.api.call('GET', `/v1.0/users/${user.id}/identities`, { token: await ctx.admin() });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body.value;
}

/** Whether the user may reset passwords now (a Global Administrator may), asked by the admin. */
async function decisionAbout(userId: string): Promise<boolean> {
  const result = await ctx.api.call('POST', '/access/v1/evaluation', {
    token: await ctx.admin(),
    body: { subject: { type: 'user', id: userId }, action: { name: 'microsoft.directory/users/password/update' }, resource: { type: 'scope', id: '/' } },
  });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body.decision;
}

/** A user made by an administrator who has never signed in (so has no identity), optionally a Global Administrator. */
async function unlinkedUser(label: string, globalAdmin = false): Promise<TestUser> {
  const user = await newUser(ctx, label);
  if (globalAdmin) await makeActive(ctx, user.id, ROLES.globalAdministrator);
  return user;
}

/** Links a subject of the other issuer to the user through a verified email (allowed: the user has no identity yet). */
async function linkedAtOtherIssuer(user: TestUser): Promise<string> {
  const sub = newSubject('linked');
  const first = await whoAmI(await idp.token({ sub, email: user.upn, email_verified: true }));
  expect(first.status, JSON.stringify(first.body)).toBe(200);
  return sub;
}

function expectRefusedLink(result: Awaited<ReturnType<Ctx['api']['call']>>, message: RegExp) {
  const error = expectGraphError(result, 403, 'Authorization_IdentityNotLinked');
  expect(error.message).toMatch(message);
  expect(error.message).toMatch(WHO_LINKS);
}

describe('linking a new identity to an existing user', () => {
  it('an unverified email does not take over the Global Administrator; the refusal is audited', async () => {
    const admin = await ctx.admin();
    expect((await whoAmI(admin)).status).toBe(200);
    const attacker = await idp.token({ sub: newSubject('mallory'), email: 'admin@contoso.test', email_verified: false, name: 'Mallory' });
    expectRefusedLink(await whoAmI(attacker), /does not vouch for the name 'admin@contoso.test'/);
    expectRefusedLink(
      await ctx.api.call('POST', '/v1.0/users', { token: attacker, body: { displayName: 'Backdoor', userPrincipalName: 'backdoor@contoso.test' } }),
      /does not vouch/,
    );
    expect((await ctx.api.call('GET', '/v1.0/users/backdoor@contoso.test', { token: admin })).status).toBe(404);
    // No link was made for the attacker (the admin signs in through the dev issuer, which names directory ids: no link either).
    expect(await identitiesOf({ id: ctx.adminId })).toEqual([]);
    const refused = (await auditTrail(ctx.stack, ctx.adminId)).filter((a) => a.activityDisplayName === 'Link sign-in identity' && a.result === 'failure');
    // One record, however often the same identity retries (within the hour).
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ result: 'failure', resultReason: expect.stringMatching(/does not vouch/) });
    expect(refused[0]!.additionalDetails).toContainEqual({ key: 'issuer', value: idp.issuer });
  });

  it('an unverified email does not take over a Global Administrator who has not signed in yet', async () => {
    const victim = await unlinkedUser('new-ga', true);
    const attacker = await idp.token({ sub: newSubject('mallory'), email: victim.upn });
    expectRefusedLink(await whoAmI(attacker), /email_verified/);
    expectRefusedLink(
      await ctx.api.call('POST', '/v1.0/users', { token: attacker, body: { displayName: 'Backdoor', userPrincipalName: 'backdoor2@contoso.test' } }),
      /does not vouch/,
    );
    expect(await identitiesOf(victim)).toEqual([]);
    // The victim's own first sign-in still links them.
    expect((await whoAmI(await tokenOf(ctx, victim))).status).toBe(200);
    expect(await decisionAbout(victim.id)).toBe(true);
  });

  it('upn and preferred_username from an issuer not authoritative for them do not link', async () => {
    const victim = await unlinkedUser('upn-victim', true);
    const attacker = await idp.token({
      sub: newSubject('mallory'),
      upn: victim.upn,
      preferred_username: victim.upn,
      email: victim.upn,
      email_verified: 'false',
    });
    expectRefusedLink(await whoAmI(attacker), /upn or preferred_username count only from an issuer configured as authoritative/);
    expect(await identitiesOf(victim)).toEqual([]);
  });

  it('a verified email does not add a second identity to a user who already signs in', async () => {
    const victim = await unlinkedUser('linked-ga', true);
    const first = await linkedAtOtherIssuer(victim);
    const attacker = await idp.token({ sub: newSubject('mallory'), email: victim.upn, email_verified: true });
    expectRefusedLink(await whoAmI(attacker), /already signs in with another identity/);
    expect(await identitiesOf(victim)).toEqual([{ signInType: 'federated', issuer: idp.issuer, issuerAssignedId: first }]);
    const trail = await auditTrail(ctx.stack, victim.id);
    expect(trail.filter((a) => a.activityDisplayName === 'Link sign-in identity').map((a) => a.result)).toEqual(['success', 'failure']);
  });

  it("a deleted user's link goes with it (audited), and its token does not reach a new user given the name", async () => {
    const user = await unlinkedUser('leaver');
    const sub = await linkedAtOtherIssuer(user);
    const token = await idp.token({ sub, email: user.upn, email_verified: true });
    expect((await ctx.api.call('DELETE', `/v1.0/users/${user.id}`, { token: await ctx.admin() })).status).toBe(204);
    const record = (await auditTrail(ctx.stack, user.id)).find((a) => a.activityDisplayName === 'Delete user');
    expect(record?.additionalDetails).toEqual([{ key: 'removedIdentities', value: `${idp.issuer} ${sub}` }]);
    const reborn = await ctx.api.call('POST', '/v1.0/users', { token: await ctx.admin(), body: { displayName: 'Someone new', userPrincipalName: user.upn } });
    expect(reborn.status).toBe(201);
    expectGraphError(await whoAmI(token), 401, 'InvalidAuthenticationToken');
    expect(await identitiesOf({ id: reborn.body.id })).toEqual([]);
  });

  it('two new identities claiming one user at once: one is linked, the other refused', async () => {
    const victim = await unlinkedUser('raced');
    const tokens = await Promise.all([1, 2, 3].map(() => idp.token({ sub: newSubject('racer'), email: victim.upn, email_verified: true })));
    const answers = await Promise.all(tokens.map((token) => whoAmI(token)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 403, 403]);
    expect(await identitiesOf(victim)).toHaveLength(1);
  });
});

describe('tokens', () => {
  it('an ID token (typ JWT, or token_use id) is refused, even from a trusted issuer for a linked identity', async () => {
    const user = await unlinkedUser('idtoken');
    const sub = await linkedAtOtherIssuer(user);
    for (const token of [await idp.token({ sub }, { typ: 'JWT' }), await idp.token({ sub, token_use: 'id' })]) {
      const error = expectGraphError(await whoAmI(token), 401, 'InvalidAuthenticationToken');
      expect(error.message).toMatch(/access token/);
    }
    expect((await whoAmI(await idp.token({ sub }))).status).toBe(200);
  });

  it("stint_amr from an issuer other than the stack's own pool is no MFA", async () => {
    const user = await unlinkedUser('amr');
    const sub = await linkedAtOtherIssuer(user);
    const role = await customRole(ctx, 'MfaRole');
    await patchRule(
      ctx,
      role,
      'Enablement_EndUser_Assignment',
      enablementRule('Enablement_EndUser_Assignment', ['MultiFactorAuthentication', 'Justification']),
    );
    await makeEligible(ctx, user.id, role);
    const token = await idp.token({ sub, stint_amr: ['pwd', 'mfa'], auth_time: Math.floor(Date.now() / 1000) });
    const result = await activate(ctx, user, role, { token });
    expect(expectGraphError(result, 401, 'RoleAssignmentRequestPolicyValidationFailed').message).toMatch(/Multi-factor authentication/);
    expect(result.headers.get('www-authenticate')).toMatch(/insufficient_user_authentication/);
    expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
  });

  it('names in approval steps and audit records come from the directory, not the token', async () => {
    const [requester, approver] = [await unlinkedUser('requester'), await unlinkedUser('approver')];
    const sub = await linkedAtOtherIssuer(approver);
    const role = await customRole(ctx, 'Approved');
    await patchRule(ctx, role, 'Approval_EndUser_Assignment', approvalRuleWith([{ approvers: [{ userId: approver.id }] }]));
    await makeEligible(ctx, requester.id, role);
    const pending = await activate(ctx, requester, role);
    expect(pending.status, JSON.stringify(pending.body)).toBe(201);
    const lying = await idp.token({ sub, name: 'Global Administrator', upn: 'admin@contoso.test', preferred_username: 'admin@contoso.test' });
    const decided = await ctx.api.call('PATCH', `/beta/roleManagement/directory/roleAssignmentApprovals/${pending.body.id}/steps/${pending.body.id}`, {
      token: lying,
      body: { reviewResult: 'Approve', justification: 'ok' },
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(204);
    const approval = await ctx.api.call('GET', `/beta/roleManagement/directory/roleAssignmentApprovals/${pending.body.id}`, { token: await ctx.admin() });
    expect(approval.body.steps[0].reviewedBy).toEqual([{ id: approver.id, displayName: approver.displayName }]);
    const record = (await auditTrail(ctx.stack, requester.id)).find((a) => a.activityDisplayName === 'Add member to role request approved (PIM activation)');
    expect(record?.initiatedBy.user).toMatchObject({ id: approver.id, displayName: approver.displayName, userPrincipalName: approver.upn });
    expect(JSON.stringify(record)).not.toMatch(/Global Administrator|admin@contoso\.test/);
  });
});

describe('linking by an administrator', () => {
  it('only Privileged Role Administrators and Global Administrators link an identity to a user; the link is audited', async () => {
    const victim = await unlinkedUser('linked-by-admin', true);
    const userAdmin = await unlinkedUser('user-admin');
    await makeActive(ctx, userAdmin.id, ROLES.userAdministrator);
    const sub = newSubject('partner');
    const body = { signInType: 'federated', issuer: idp.issuer, issuerAssignedId: sub };
    const path = `/v1.0/users/${victim.id}/identities`;
    const denied = expectGraphError(await ctx.api.call('POST', path, { token: await tokenOf(ctx, userAdmin), body }), 403, 'Authorization_RequestDenied');
    expect(denied.message).toMatch(/Global Administrator, Privileged Role Administrator/);
    expectRefusedLink(await whoAmI(await idp.token({ sub, email: victim.upn })), /does not vouch/);
    expect(await decisionAbout(victim.id)).toBe(true);
    expect(await identitiesOf(victim)).toEqual([]);

    const linked = await ctx.api.call('POST', path, { token: await ctx.admin(), body });
    expect(linked.status, JSON.stringify(linked.body)).toBe(201);
    expect(linked.body).toMatchObject(body);
    expect((await whoAmI(await idp.token({ sub }))).status).toBe(200);
    expectGraphError(await ctx.api.call('POST', `/v1.0/users/${userAdmin.id}/identities`, { token: await ctx.admin(), body }), 409, 'Identity_AlreadyLinked');
    const record = (await auditTrail(ctx.stack, victim.id)).find((a) => a.activityDisplayName === 'Link sign-in identity' && a.result === 'success');
    expect(record?.initiatedBy.user?.id).toBe(ctx.adminId);
    expect(record?.additionalDetails).toEqual(
      expect.arrayContaining([
        { key: 'issuerAssignedId', value: sub },
        { key: 'linkedBy', value: 'administrator' },
      ]),
    );
  });
});
