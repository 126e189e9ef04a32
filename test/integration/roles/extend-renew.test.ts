/**
 * Extend and renew, for eligibility and active assignments: selfExtend (from 14 days before the end),
 * selfRenew (up to 30 days after it), both approved by a Privileged Role Administrator or Global
 * Administrator, and adminExtend / adminRenew; each under the policy's Expiration_Admin_* rule of its
 * level (maximum duration, permanent allowed or not).
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { keys } from '../../../shared/store/keys.ts';
import { auditTrail } from '../api/support.ts';
import {
  customRole,
  DAY,
  expectGraphError,
  expirationRule,
  failedRules,
  HOUR,
  instancesOf,
  iso,
  makeActive,
  makeEligible,
  newUser,
  patchRule,
  post,
  REQUESTS,
  requestBody,
  ROLES,
  schedulesOf,
  startRolesStack,
  tokenOf,
  type Ctx,
  type Kind,
  type TestUser,
} from './helpers.ts';

const BETA = '/beta/roleManagement/directory/roleAssignmentApprovals';
const LEVEL: Record<Kind, string> = { eligibility: 'Expiration_Admin_Eligibility', assignment: 'Expiration_Admin_Assignment' };

describe.each(['eligibility', 'assignment'] as const)('extend and renew: %s', (kind) => {
  const clock = new ManualClock('2034-02-01T10:00:00.000Z');
  const now = () => clock.now().getTime();
  let ctx: Ctx;
  let pra: TestUser;
  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
    pra = await newUser(ctx, 'pra');
    await makeActive(ctx, pra.id, ROLES.privilegedRoleAdministrator);
  });
  afterAll(() => ctx.stop());

  /** A role of its own (its policy limited when `max` is given) and a user holding it until `days` from now. */
  async function holder(days: number, max?: { required: boolean; duration: string }) {
    const role = await customRole(ctx, 'Extend');
    if (max) await patchRule(ctx, role, LEVEL[kind], expirationRule(LEVEL[kind], max.required, max.duration));
    const user = await newUser(ctx, 'ext');
    const o = { end: iso(now() + days * DAY) };
    const assigned = kind === 'eligibility' ? await makeEligible(ctx, user.id, role, o) : await makeActive(ctx, user.id, role, o);
    return { role, user, assigned, start: assigned.scheduleInfo.startDateTime as string, end: o.end };
  }

  const self = async (user: TestUser, role: string, action: string, expiration: Record<string, unknown>) =>
    post(
      ctx,
      kind,
      { action, principalId: user.id, roleDefinitionId: role, directoryScopeId: '/', justification: 'Still on the project', scheduleInfo: { expiration } },
      await tokenOf(ctx, user),
    );
  const until = (ms: number) => ({ type: 'afterDateTime', endDateTime: iso(ms) });
  const admin = (user: TestUser, role: string, action: string, o: { end?: string; permanent?: boolean }) =>
    post(
      ctx,
      kind,
      o.permanent
        ? { ...requestBody(user.id, role, { action }), scheduleInfo: { expiration: { type: 'noExpiration' } } }
        : requestBody(user.id, role, { action, end: o.end }),
    );
  const decide = async (who: TestUser | 'admin', id: string, reviewResult: 'Approve' | 'Deny') =>
    ctx.api.call('PATCH', `${BETA}/${id}/steps/${id}`, {
      token: who === 'admin' ? await ctx.admin() : await tokenOf(ctx, who),
      body: { reviewResult, justification: 'Reviewed' },
    });
  const requestOf = async (id: string) => (await ctx.api.call('GET', `${REQUESTS[kind]}/${id}`, { token: await ctx.admin() })).body;
  const scheduleOf = async (user: TestUser) => (await schedulesOf(ctx, kind, user.id))[0];
  /** What the sweeper does at the end of a schedule (issue #4's other half): status Expired on the stored item. */
  async function markExpired(user: TestUser, scheduleId: string) {
    const { db, tableName } = ctx.stack.runtime.services.table;
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.schedule(user.id, kind, scheduleId),
        UpdateExpression: 'SET #d.#s = :e',
        ExpressionAttributeNames: { '#d': 'data', '#s': 'status' },
        ExpressionAttributeValues: { ':e': 'Expired' },
      }),
    );
  }

  describe('selfExtend', () => {
    it('is open from 14 days before the end until the end, not earlier nor later', async () => {
      const h = await holder(20);
      expectGraphError(await self(h.user, h.role, 'selfExtend', until(now() + 60 * DAY)), 400, 'ExtensionNotAllowed');
      clock.advance(6 * DAY);
      const ok = await self(h.user, h.role, 'selfExtend', until(now() + 60 * DAY));
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expect(ok.body).toMatchObject({ status: 'PendingApproval', approvalId: ok.body.id, targetScheduleId: h.assigned.id });
      clock.advance(14 * DAY);
      expectGraphError(await self(h.user, h.role, 'selfExtend', until(now() + 60 * DAY)), 400, 'ExtensionNotAllowed');
    });

    it('is held to the policy maximum (Expiration_Admin_*): the whole window from the start, else ExpirationRule', async () => {
      const h = await holder(20, { required: true, duration: 'P30D' });
      clock.advance(10 * DAY);
      const over = await self(h.user, h.role, 'selfExtend', until(Date.parse(h.start) + 40 * DAY));
      expectGraphError(over, 400, 'RoleAssignmentRequestPolicyValidationFailed');
      expect(failedRules(over)).toEqual(['ExpirationRule']);
      const permanent = await self(h.user, h.role, 'selfExtend', { type: 'noExpiration' });
      expect(failedRules(permanent)).toEqual(['ExpirationRule']);
      expect((await self(h.user, h.role, 'selfExtend', until(Date.parse(h.start) + 29 * DAY))).status).toBe(201);
    });

    it('must end later than now: an earlier end is a 409 InvalidExtension at once', async () => {
      const h = await holder(10);
      expectGraphError(await self(h.user, h.role, 'selfExtend', until(now() + 5 * DAY)), 409, 'InvalidExtension');
    });

    it('approved by a Privileged Role Administrator: the same schedule ends later, its start kept, audited', async () => {
      const h = await holder(10);
      const newEnd = now() + 40 * DAY;
      const asked = await self(h.user, h.role, 'selfExtend', until(newEnd));
      expect(asked.status, JSON.stringify(asked.body)).toBe(201);
      expectGraphError(await decide(h.user, asked.body.id, 'Approve'), 403, 'Approval_SelfApprovalNotAllowed');
      clock.advance(HOUR);
      expect((await decide(pra, asked.body.id, 'Approve')).status).toBe(204);
      expect(await requestOf(asked.body.id)).toMatchObject({ status: 'Provisioned', targetScheduleId: h.assigned.id, completedDateTime: iso(now()) });
      expect(await scheduleOf(h.user)).toMatchObject({
        id: h.assigned.id,
        scheduleInfo: { startDateTime: h.start, expiration: { type: 'afterDateTime', endDateTime: iso(newEnd) } },
      });
      expect(await instancesOf(ctx, kind, h.user.id)).toEqual([expect.objectContaining({ id: h.assigned.id, endDateTime: iso(newEnd) })]);
      const eligible = kind === 'eligibility' ? 'eligible ' : '';
      expect((await auditTrail(ctx.stack, h.user.id)).map((a) => a.activityDisplayName)).toEqual(
        expect.arrayContaining([`Update ${eligible}member in PIM requested (extend)`, `Update ${eligible}member in PIM request approved (extend)`]),
      );
    });

    it('denied by a Global Administrator: Denied, the schedule unchanged', async () => {
      const h = await holder(10);
      const asked = await self(h.user, h.role, 'selfExtend', until(now() + 40 * DAY));
      expect((await decide('admin', asked.body.id, 'Deny')).status).toBe(204);
      expect((await requestOf(asked.body.id)).status).toBe('Denied');
      expect(await scheduleOf(h.user)).toMatchObject({ id: h.assigned.id, modifiedDateTime: null, scheduleInfo: { expiration: { endDateTime: h.end } } });
    });
  });

  describe('selfRenew', () => {
    it('is open up to 30 days after the end, not before it nor later', async () => {
      const h = await holder(2);
      expectGraphError(await self(h.user, h.role, 'selfRenew', until(now() + 30 * DAY)), 400, 'RenewalNotAllowed');
      clock.advance(2 * DAY);
      expect((await self(h.user, h.role, 'selfRenew', until(now() + 30 * DAY))).status).toBe(201);
      clock.advance(30 * DAY + 1);
      expectGraphError(await self(h.user, h.role, 'selfRenew', until(now() + 30 * DAY)), 400, 'RenewalNotAllowed');
    });

    it('is held to the policy maximum from the renewal on, else ExpirationRule', async () => {
      const h = await holder(2, { required: true, duration: 'P30D' });
      clock.advance(3 * DAY);
      const over = await self(h.user, h.role, 'selfRenew', { type: 'afterDuration', duration: 'P31D' });
      expect(failedRules(over)).toEqual(['ExpirationRule']);
      expect(failedRules(await self(h.user, h.role, 'selfRenew', { type: 'noExpiration' }))).toEqual(['ExpirationRule']);
      expect((await self(h.user, h.role, 'selfRenew', { type: 'afterDuration', duration: 'P30D' })).status).toBe(201);
    });

    it("renews a schedule the sweeper marked 'Expired': approved by a Privileged Role Administrator, in force again from the approval", async () => {
      const h = await holder(1);
      clock.advance(3 * DAY);
      await markExpired(h.user, h.assigned.id);
      const newEnd = now() + 20 * DAY;
      const asked = await self(h.user, h.role, 'selfRenew', until(newEnd));
      expect(asked.status, JSON.stringify(asked.body)).toBe(201);
      expect(asked.body.targetScheduleId).toBe(h.assigned.id);
      clock.advance(2 * HOUR);
      expect((await decide(pra, asked.body.id, 'Approve')).status).toBe(204);
      expect((await requestOf(asked.body.id)).status).toBe('Provisioned');
      expect(await instancesOf(ctx, kind, h.user.id)).toEqual([
        expect.objectContaining({ id: h.assigned.id, startDateTime: iso(now()), endDateTime: iso(newEnd) }),
      ]);
      expect((await scheduleOf(h.user)).status).toBe('Provisioned');
    });

    it('denied: Denied, nothing back in force', async () => {
      const h = await holder(1);
      clock.advance(2 * DAY);
      const asked = await self(h.user, h.role, 'selfRenew', until(now() + 20 * DAY));
      expect((await decide('admin', asked.body.id, 'Deny')).status).toBe(204);
      expect((await requestOf(asked.body.id)).status).toBe('Denied');
      expect(await instancesOf(ctx, kind, h.user.id)).toEqual([]);
    });
  });

  describe('adminExtend', () => {
    it('any time before the end (no 14-day window), within the maximum; over it is ExpirationRule and changes nothing', async () => {
      const h = await holder(20, { required: true, duration: 'P60D' });
      const over = await admin(h.user, h.role, 'adminExtend', { end: iso(Date.parse(h.start) + 61 * DAY) });
      expect(failedRules(over)).toEqual(['ExpirationRule']);
      expect(failedRules(await admin(h.user, h.role, 'adminExtend', { permanent: true }))).toEqual(['ExpirationRule']);
      expect((await scheduleOf(h.user)).modifiedDateTime).toBeNull();
      const ok = await admin(h.user, h.role, 'adminExtend', { end: iso(Date.parse(h.start) + 59 * DAY) });
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expect(ok.body).toMatchObject({ status: 'Provisioned', targetScheduleId: h.assigned.id });
    });

    it('to permanent where the policy allows permanent assignments (the directory default)', async () => {
      const h = await holder(5);
      const ok = await admin(h.user, h.role, 'adminExtend', { permanent: true });
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expect(await scheduleOf(h.user)).toMatchObject({ id: h.assigned.id, scheduleInfo: { expiration: { type: 'noExpiration', endDateTime: null } } });
    });

    it('after the end is refused (404: renew it instead)', async () => {
      const h = await holder(1);
      clock.advance(2 * DAY);
      expectGraphError(await admin(h.user, h.role, 'adminExtend', { end: iso(now() + 10 * DAY) }), 404, 'RoleAssignmentDoesNotExist');
    });
  });

  describe('adminRenew', () => {
    it('only once expired; within the maximum from now, else ExpirationRule', async () => {
      const h = await holder(1, { required: true, duration: 'P30D' });
      expectGraphError(await admin(h.user, h.role, 'adminRenew', { end: iso(now() + 10 * DAY) }), 409, 'RoleAssignmentNotExpired');
      clock.advance(5 * DAY);
      expect(failedRules(await admin(h.user, h.role, 'adminRenew', { end: iso(now() + 31 * DAY) }))).toEqual(['ExpirationRule']);
      expect(failedRules(await admin(h.user, h.role, 'adminRenew', { permanent: true }))).toEqual(['ExpirationRule']);
      const ok = await admin(h.user, h.role, 'adminRenew', { end: iso(now() + 29 * DAY) });
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expect(await instancesOf(ctx, kind, h.user.id)).toEqual([
        expect.objectContaining({ id: h.assigned.id, startDateTime: iso(now()), endDateTime: iso(now() + 29 * DAY) }),
      ]);
    });

    it("renews a schedule the sweeper marked 'Expired', and the latest of several expired ones", async () => {
      const h = await holder(1);
      clock.advance(2 * DAY);
      await markExpired(h.user, h.assigned.id);
      const o = { end: iso(now() + DAY) };
      const second = kind === 'eligibility' ? await makeEligible(ctx, h.user.id, h.role, o) : await makeActive(ctx, h.user.id, h.role, o);
      clock.advance(2 * DAY);
      await markExpired(h.user, second.id);
      const ok = await admin(h.user, h.role, 'adminRenew', { end: iso(now() + 10 * DAY) });
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expect(ok.body.targetScheduleId).toBe(second.id);
      expect(await instancesOf(ctx, kind, h.user.id)).toEqual([expect.objectContaining({ id: second.id, endDateTime: iso(now() + 10 * DAY) })]);
      expect((await schedulesOf(ctx, kind, h.user.id)).find((s) => s.id === second.id)?.status).toBe('Provisioned');
    });
  });
});
