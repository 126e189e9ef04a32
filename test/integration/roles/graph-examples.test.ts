/**
 * The contract: Microsoft Graph's documented PIM examples (/work/shared/reference/graph-examples), sent
 * with our ids and with their dates moved to today, are accepted, and the answers carry Graph's fields.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { BASE, customRole, instancesOf, iso, list, newUser, ROLES, schedulesOf, startRolesStack, tokenOf, type Ctx, type TestUser } from './helpers.ts';

interface Example {
  request: { method: string; url: string; body: any };
  response: { status: number; body: any };
}

const EXAMPLES = '/work/shared/reference/graph-examples';
const load = (name: string): Example => JSON.parse(readFileSync(`${EXAMPLES}/${name}`, 'utf8')) as Example;

const EX = {
  eligibilityAssign: load('01-eligibility-adminAssign-afterDateTime.json'),
  eligibilityRemove: load('02-eligibility-adminRemove.json'),
  assignmentPermanent: load('03-assignment-adminAssign-noExpiration.json'),
  selfActivate: load('04-assignment-selfActivate-justification-ticket.json'),
  mySchedules: load('06-eligibilitySchedules-filterByCurrentUser.json'),
};

/** The examples' ids, replaced by ours. */
const THEIR_PRINCIPAL = '071cc716-8147-4397-a5ba-b2105951cc0b';
const THEIR_ROLE = '8424c6f0-a189-499e-bbd0-26c1753c96d4'; // Attribute Assignment Administrator: not built in here

/** The examples were written on 2022-04-12; we replay them as if today were that day. */
const THEIR_TODAY = Date.parse('2022-04-12T09:00:00Z');

/** Graph's keys are all present; beyond them only what we document as ours. */
function expectGraphKeys(ours: Record<string, unknown>, theirs: Record<string, unknown>, extra: string[] = []) {
  const missing = Object.keys(theirs).filter((k) => !(k in ours));
  const added = Object.keys(ours).filter((k) => !(k in theirs) && !extra.includes(k));
  expect({ missing, added }).toEqual({ missing: [], added: [] });
}

describe('Graph PIM examples 01–04 and 06', () => {
  const clock = new ManualClock('2033-05-20T09:00:00.000Z');
  let ctx: Ctx;
  let user: TestUser;
  let role: string;
  let shift: number;
  const ourBody = (example: Example) =>
    JSON.parse(
      JSON.stringify(example.request.body)
        .replaceAll(THEIR_PRINCIPAL, user.id)
        .replaceAll(THEIR_ROLE, role)
        .replace(/"(\d{4}-\d\d-\d\dT[\d:.]+Z)"/g, (_m, date: string) => JSON.stringify(iso(Date.parse(date) + shift))),
    );
  const send = async (example: Example, token?: string) => {
    const path = new URL(example.request.url).pathname.replace(/\/$/, '');
    expect(path.startsWith(BASE)).toBe(true);
    return ctx.api.call(example.request.method, path, { token: token ?? (await ctx.admin()), body: ourBody(example) });
  };

  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
    shift = clock.now().getTime() - THEIR_TODAY;
    user = await newUser(ctx, 'graph');
    role = await customRole(ctx, 'Attribute Assignment Administrator');
  });
  afterAll(() => ctx.stop());

  it('01: adminAssign of an eligibility with afterDateTime', async () => {
    const result = await send(EX.eligibilityAssign);
    const expected = EX.eligibilityAssign.response;
    expect(result.status, JSON.stringify(result.body)).toBe(expected.status);
    expectGraphKeys(result.body, expected.body);
    expect(result.body).toMatchObject({
      '@odata.context': `${ctx.stack.url}/v1.0/$metadata#roleManagement/directory/roleEligibilityScheduleRequests/$entity`,
      status: 'Provisioned',
      approvalId: null,
      customData: null,
      action: 'adminAssign',
      principalId: user.id,
      roleDefinitionId: role,
      directoryScopeId: '/',
      appScopeId: null,
      isValidationOnly: false,
      targetScheduleId: result.body.id,
      justification: expected.body.justification,
      createdBy: { application: null, device: null, user: { id: ctx.adminId } },
      // A start in the past becomes the provisioning time, as in the example's answer.
      scheduleInfo: {
        startDateTime: iso(clock.now().getTime()),
        recurrence: null,
        expiration: { type: 'afterDateTime', endDateTime: iso(Date.parse('2024-04-10T00:00:00Z') + shift), duration: null },
      },
      ticketInfo: { ticketNumber: null, ticketSystem: null },
    });
    expectGraphKeys(result.body.createdBy, expected.body.createdBy);
    expectGraphKeys(result.body.scheduleInfo, expected.body.scheduleInfo);
    expectGraphKeys(result.body.scheduleInfo.expiration, expected.body.scheduleInfo.expiration);
  });

  it("06: the user's eligibility schedules through filterByCurrentUser have Graph's fields", async () => {
    const result = await ctx.api.call('GET', `${BASE}/roleEligibilitySchedules/filterByCurrentUser(on='principal')`, { token: await tokenOf(ctx, user) });
    const expected = EX.mySchedules.response;
    expect(result.status).toBe(expected.status);
    expect(result.body['@odata.context']).toBe(`${ctx.stack.url}/v1.0/$metadata#Collection(unifiedRoleEligibilitySchedule)`);
    expect(result.body.value).toHaveLength(1);
    const [ours] = result.body.value;
    const [theirs] = expected.body.value;
    expectGraphKeys(ours, theirs);
    expect(ours).toMatchObject({
      '@odata.type': theirs['@odata.type'],
      status: 'Provisioned',
      memberType: 'Direct',
      principalId: user.id,
      roleDefinitionId: role,
    });
    expectGraphKeys(ours.scheduleInfo, theirs.scheduleInfo);
  });

  it('04: selfActivate with afterDuration PT5H, justification and ticket, for a future start → Granted', async () => {
    const result = await send(EX.selfActivate, await tokenOf(ctx, user));
    const expected = EX.selfActivate.response;
    expect(result.status, JSON.stringify(result.body)).toBe(expected.status);
    expectGraphKeys(result.body, expected.body, ['activatedUsing']);
    const start = iso(Date.parse('2022-04-14T00:00:00Z') + shift);
    expect(result.body).toMatchObject({
      '@odata.context': `${ctx.stack.url}/v1.0/$metadata#roleManagement/directory/roleAssignmentScheduleRequests/$entity`,
      status: 'Granted',
      completedDateTime: start,
      action: 'selfActivate',
      principalId: user.id,
      targetScheduleId: result.body.id,
      justification: expected.body.justification,
      createdBy: { user: { id: user.id } },
      scheduleInfo: { startDateTime: start, recurrence: null, expiration: { type: 'afterDuration', endDateTime: null, duration: 'PT5H' } },
      ticketInfo: expected.body.ticketInfo,
    });
    expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([]);
    expect(await schedulesOf(ctx, 'assignment', user.id)).toEqual([expect.objectContaining({ id: result.body.id, status: 'Granted' })]);
  });

  it('02: adminRemove of the eligibility → Revoked, and the planned activation goes with it', async () => {
    const result = await send(EX.eligibilityRemove);
    const expected = EX.eligibilityRemove.response;
    expect(result.status, JSON.stringify(result.body)).toBe(expected.status);
    expectGraphKeys(result.body, expected.body);
    expect(result.body).toMatchObject({
      status: 'Revoked',
      completedDateTime: null,
      action: 'adminRemove',
      targetScheduleId: null,
      justification: null,
      scheduleInfo: null,
      ticketInfo: expected.body.ticketInfo,
    });
    expect(await schedulesOf(ctx, 'eligibility', user.id)).toEqual([]);
    expect(await schedulesOf(ctx, 'assignment', user.id)).toEqual([]);
  });

  it('03: adminAssign of a permanent active assignment with NoExpiration', async () => {
    const result = await send(EX.assignmentPermanent);
    const expected = EX.assignmentPermanent.response;
    expect(result.status, JSON.stringify(result.body)).toBe(expected.status);
    expectGraphKeys(result.body, expected.body, ['activatedUsing']);
    expect(result.body).toMatchObject({
      status: 'Provisioned',
      roleDefinitionId: ROLES.groupsAdministrator,
      targetScheduleId: result.body.id,
      scheduleInfo: { startDateTime: iso(clock.now().getTime()), expiration: { type: 'noExpiration', endDateTime: null, duration: null } },
    });
    expect(await instancesOf(ctx, 'assignment', user.id)).toEqual([
      expect.objectContaining({ id: result.body.id, roleDefinitionId: ROLES.groupsAdministrator, endDateTime: null, assignmentType: 'Assigned' }),
    ]);
    const assignments = await list(ctx, `${BASE}/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${user.id}'`)}`);
    expect(assignments.map((a) => a.id)).toEqual([result.body.id]);
  });
});
