/**
 * The alerts' evaluation over the real table: each drifting condition is made through the API (the AWS
 * one as the reconciler records it), read back with loadAlertSnapshot and found by evaluateAlerts, on a
 * manual clock so that days pass in an instant. Also: the last sign-in, recorded by real requests at most
 * once an hour.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../../shared/domain/alerts/evaluate.ts';
import type { AlertConfigs, AlertFindings, AlertType } from '../../../shared/domain/alerts/types.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { loadAlertSnapshot } from '../../../shared/services/alerts/snapshot.ts';
import { putOutsideAssignment } from '../../../shared/store/aws-outside.ts';
import { keys } from '../../../shared/store/keys.ts';
import { recordSignIn } from '../../../shared/store/sign-ins.ts';
import {
  activate,
  addMember,
  DAY,
  enablementRule,
  HOUR,
  makeActive,
  makeEligible,
  MINUTE,
  newGroup,
  newUser,
  patchRule,
  ROLES,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from '../roles/helpers.ts';

const T0 = new Date('2031-03-01T08:00:00.000Z');
const clock = new ManualClock(T0);
let ctx: Ctx;

const CONFIGS: AlertConfigs = {
  RedundantAssignmentAlert: { isEnabled: true, duration: 'P30D' },
  NoMfaOnRoleActivationAlert: { isEnabled: true },
  StaleSignInAlert: { isEnabled: true, duration: 'P30D' },
  RolesAssignedOutsidePrivilegedIdentityManagementAlert: { isEnabled: true },
  TooManyGlobalAdminsAssignedToTenantAlert: { isEnabled: true, globalAdminCountThreshold: 3, percentageOfGlobalAdminsOutOfRolesThreshold: 10 },
  SequentialActivationRenewalsAlert: { isEnabled: true, sequentialActivationCounterThreshold: 10, timeIntervalBetweenActivations: 'PT1H' },
};

const evaluate = async (): Promise<AlertFindings> =>
  evaluateAlerts(await loadAlertSnapshot(ctx.stack.runtime.services, clock.now(), CONFIGS), CONFIGS, clock.now());
const assignees = (findings: AlertFindings, type: AlertType) => findings[type].map((i) => i.properties.assigneeId).sort();
/** Signs in as the user: any authenticated request. */
const signIn = async (user: TestUser) => expect((await ctx.api.call('GET', `/v1.0/users/${user.id}`, { token: await tokenOf(ctx, user) })).status).toBe(200);
const storedSignIn = async (userId: string) => {
  const { db, tableName } = ctx.stack.runtime.services.table;
  return (await db.send(new GetCommand({ TableName: tableName, Key: keys.lastSignIn(userId), ConsistentRead: true }))).Item?.lastSignInDateTime as
    string | undefined;
};

let unused: TestUser;
let frequent: TestUser;
let neverSignedIn: TestUser;
let signedIn: TestUser;
let member: TestUser;
let admins: TestUser[];
let group: { id: string };

beforeAll(async () => {
  ctx = await startRolesStack({ clock });
  const made = await Promise.all(['unused', 'frequent', 'never', 'signed', 'member'].map((l) => newUser(ctx, l)));
  [unused, frequent, neverSignedIn, signedIn, member] = made as [TestUser, TestUser, TestUser, TestUser, TestUser];
  admins = [await newUser(ctx, 'ga'), await newUser(ctx, 'ga')];
  await makeEligible(ctx, unused.id, ROLES.privilegedRoleAdministrator);
  await makeEligible(ctx, frequent.id, ROLES.securityAdministrator);
  await makeActive(ctx, neverSignedIn.id, ROLES.userAdministrator);
  await makeActive(ctx, signedIn.id, ROLES.helpdeskAdministrator);
  for (const a of admins) await makeActive(ctx, a.id, ROLES.globalAdministrator);
  // A standing member of a role-assignable group holding a privileged role: assigned outside PIM.
  group = await newGroup(ctx, 'outside', { roleAssignable: true });
  await makeActive(ctx, group.id, ROLES.privilegedRoleAdministrator);
  await addMember(ctx, group.id, member.id);
  await patchRule(ctx, ROLES.applicationAdministrator, 'Enablement_EndUser_Assignment', enablementRule('Enablement_EndUser_Assignment', ['Justification']));
  // An AWS assignment made outside Stint, as the reconciler records it.
  const { db, tableName } = ctx.stack.runtime.services.table;
  const outside = putOutsideAssignment({
    accountId: '111122223333',
    permissionSetId: 'ps-0123456789abcdef',
    userId: 'idst-user-1',
    permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-0123456789abcdef',
    principalId: null,
    at: T0.toISOString(),
  });
  if (!('put' in outside)) throw new Error('expected a put');
  await db.send(new PutCommand({ TableName: tableName, ...outside.put }));
  // Ten activations of five minutes, one every five minutes: 45 minutes from first to last.
  for (let i = 0; i < 10; i++) {
    const result = await activate(ctx, frequent, ROLES.securityAdministrator, { duration: 'PT5M' });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    if (i < 9) clock.advance(5 * MINUTE);
  }
  await signIn(signedIn);
}, 120_000);
afterAll(() => ctx?.stop());

describe('alerts over the real table', () => {
  let first: AlertFindings;

  it('finds, right away, the frequent activations, the role without MFA, too many Global Administrators and the roles assigned outside PIM', async () => {
    first = await evaluate();
    expect(first.SequentialActivationRenewalsAlert.map((i) => i.properties)).toEqual([
      expect.objectContaining({
        assigneeId: frequent.id,
        assigneeUserPrincipalName: frequent.upn,
        roleDefinitionId: ROLES.securityAdministrator,
        activationCount: 10,
        sequenceStartDateTime: T0.toISOString(),
        sequenceEndDateTime: new Date(T0.getTime() + 45 * MINUTE).toISOString(),
      }),
    ]);
    expect(first.NoMfaOnRoleActivationAlert.map((i) => [i.properties.roleDefinitionId, i.remedy])).toEqual([
      [ROLES.applicationAdministrator, { kind: 'requireMfa', roleDefinitionId: ROLES.applicationAdministrator }],
    ]);
    expect(assignees(first, 'TooManyGlobalAdminsAssignedToTenantAlert')).toEqual([ctx.adminId, ...admins.map((a) => a.id)].sort());
    expect(first.RolesAssignedOutsidePrivilegedIdentityManagementAlert.map((i) => [i.properties.assigneeId, i.properties.roleDefinitionId, i.remedy])).toEqual(
      expect.arrayContaining([
        [member.id, ROLES.privilegedRoleAdministrator, { kind: 'removeGroupMember', groupId: group.id, memberId: member.id }],
        [
          'idst-user-1',
          'ps-0123456789abcdef',
          { kind: 'removeAwsAssignment', accountId: '111122223333', permissionSetId: 'ps-0123456789abcdef', identityStoreUserId: 'idst-user-1' },
        ],
      ]),
    );
    expect(first.RolesAssignedOutsidePrivilegedIdentityManagementAlert).toHaveLength(2);
    // Nothing has been idle for 30 days yet.
    expect(first.RedundantAssignmentAlert).toEqual([]);
    expect(first.StaleSignInAlert).toEqual([]);
  });

  it('finds the same incidents under the same ids on a second run', async () => {
    expect(await evaluate()).toEqual(first);
  });

  it('records a sign-in at most once an hour: a second within the hour writes nothing, one after the hour moves it', async () => {
    const at = clock.now().toISOString();
    expect(await storedSignIn(signedIn.id)).toBe(at);
    clock.advance(HOUR - 1);
    await signIn(signedIn);
    expect(await storedSignIn(signedIn.id)).toBe(at);
    // Another process (its own memory) is held back by the condition.
    expect(await recordSignIn(ctx.stack.runtime.services.table, signedIn.id, clock.now(), HOUR)).toBe(false);
    clock.advance(1);
    await signIn(signedIn);
    expect(await storedSignIn(signedIn.id)).toBe(clock.now().toISOString());
  });

  it('thirty days on to the millisecond, finds the unused eligibility and the accounts that never signed in, and no longer the old activations', async () => {
    // Everything was made at T0 (the clock stands still until moved).
    clock.set(new Date(T0.getTime() + 30 * DAY - 1));
    const before = await evaluate();
    expect(before.RedundantAssignmentAlert).toEqual([]);
    expect(before.StaleSignInAlert).toEqual([]);

    clock.set(new Date(T0.getTime() + 30 * DAY));
    const later = await evaluate();
    expect(later.RedundantAssignmentAlert.map((i) => [i.properties.assigneeId, i.properties.roleDefinitionId, i.properties.lastActivationDateTime])).toEqual([
      [unused.id, ROLES.privilegedRoleAdministrator, null],
    ]);
    // Those who never signed in, and those whose last recorded sign-in was at T0 (the admin and the user who
    // activated: later requests within that hour were not recorded); not the user who signed in later.
    const never = [unused, neverSignedIn, ...admins].map((u) => [u.id, null]);
    const atT0 = [ctx.adminId, frequent.id].map((id) => [id, T0.toISOString()]);
    expect(later.StaleSignInAlert.map((i) => [i.properties.assigneeId, i.properties.lastSignInDateTime]).sort()).toEqual([...never, ...atT0].sort());
    expect(later.StaleSignInAlert.every((i) => i.properties.assignmentCreatedDateTime === T0.toISOString())).toBe(true);
    // The activations are older than the look-back: that alert has nothing left.
    expect(later.SequentialActivationRenewalsAlert).toEqual([]);
    expect(later.TooManyGlobalAdminsAssignedToTenantAlert.map((i) => i.id)).toEqual(first.TooManyGlobalAdminsAssignedToTenantAlert.map((i) => i.id));
  });

  it("shows a user's last sign-in as signInActivity when $select names it, to readers of the audit log only", async () => {
    const admin = await ctx.admin();
    const select = '$select=id,displayName,signInActivity';
    const one = await ctx.api.call('GET', `/v1.0/users/${signedIn.id}?${select}`, { token: admin });
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body.signInActivity).toMatchObject({
      lastSignInDateTime: await storedSignIn(signedIn.id),
      lastSuccessfulSignInDateTime: await storedSignIn(signedIn.id),
    });
    const never = await ctx.api.call('GET', `/v1.0/users/${neverSignedIn.id}?${select}`, { token: admin });
    expect(never.body.signInActivity.lastSignInDateTime).toBeNull();
    const listed = await ctx.api.call('GET', `/v1.0/users?$filter=${encodeURIComponent(`userPrincipalName eq '${signedIn.upn}'`)}&${select}`, { token: admin });
    expect(listed.body.value.map((u: { signInActivity: unknown }) => u.signInActivity)).toEqual([one.body.signInActivity]);
    // Not asked for, not there (Graph returns it only when selected).
    expect((await ctx.api.call('GET', `/v1.0/users/${signedIn.id}`, { token: admin })).body).not.toHaveProperty('signInActivity');
    // A user without an active audit-reading role (only eligible for one) may read users, but not when they signed in.
    const plain = await tokenOf(ctx, unused);
    expect((await ctx.api.call('GET', `/v1.0/users/${signedIn.id}`, { token: plain })).status).toBe(200);
    expect((await ctx.api.call('GET', `/v1.0/users/${signedIn.id}?${select}`, { token: plain })).status).toBe(403);
  });
});
