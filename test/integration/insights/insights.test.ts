/**
 * Discovery and insights through the real API on DynamoDB Local, with the injected clock: the overview's
 * figures, the three lists, and "Eliminate standing access" / "Reduce Global Administrators" through the
 * audited role request paths (one step for a selection; the last Global Administrator refused and left
 * exactly as it was; readers and others refused; bad input changes nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import {
  activate,
  DAY,
  expectGraphError,
  expirationRule,
  filter,
  HOUR,
  makeActive,
  makeEligible,
  newUser,
  patchRule,
  ROLES,
  schedulesOf,
  startRolesStack,
  tokenOf,
  type Ctx,
} from '../roles/helpers.ts';

const B = '/beta/identityGovernance/roleManagementInsights';

describe('Discovery and insights', () => {
  // A Thursday; the stack (and its seeded Global Administrator) starts six days before the overview is read.
  const clock = new ManualClock('2034-05-04T10:00:00.000Z');
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await startRolesStack({ clock });
  });
  afterAll(() => ctx.stop());

  const get = async (path: string, token?: string) => ctx.api.call('GET', `${B}/${path}`, { token: token ?? (await ctx.admin()) });
  const post = async (path: string, body: unknown, token?: string) => ctx.api.call('POST', `${B}/${path}`, { token: token ?? (await ctx.admin()), body });

  it('counts activations by day, the assignment split, new assignments and who holds privileged roles', async () => {
    const [a, b, c, d, e] = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((label) => newUser(ctx, `overview-${label}`)));
    await makeEligible(ctx, a!.id, ROLES.helpdeskAdministrator);
    await makeEligible(ctx, b!.id, ROLES.helpdeskAdministrator);
    await makeEligible(ctx, e!.id, ROLES.globalAdministrator);
    await makeActive(ctx, c!.id, ROLES.securityAdministrator);
    await makeActive(ctx, d!.id, ROLES.exchangeAdministrator, { end: new Date(clock.now().getTime() + 90 * DAY).toISOString() });
    const sp = (await ctx.api.call('GET', `/v1.0/servicePrincipals?${filter("appId eq 'deploy-pipeline'")}`, { token: await ctx.admin() })).body.value[0];
    await makeActive(ctx, sp.id, ROLES.applicationAdministrator);

    expect((await activate(ctx, a!, ROLES.helpdeskAdministrator)).status).toBe(201); // 2034-05-04
    clock.advance(3 * DAY);
    expect((await activate(ctx, b!, ROLES.helpdeskAdministrator)).status).toBe(201); // 2034-05-07
    clock.advance(3 * DAY);
    expect((await activate(ctx, a!, ROLES.helpdeskAdministrator)).status).toBe(201); // 2034-05-10, in force now

    const overview = await get('overview');
    expect(overview.status, JSON.stringify(overview.body)).toBe(200);
    expect(overview.body).toMatchObject({
      generatedDateTime: '2034-05-10T10:00:00.000Z',
      activationsLast7Days: [
        { date: '2034-05-04', count: 1 },
        { date: '2034-05-05', count: 0 },
        { date: '2034-05-06', count: 0 },
        { date: '2034-05-07', count: 1 },
        { date: '2034-05-08', count: 0 },
        { date: '2034-05-09', count: 0 },
        { date: '2034-05-10', count: 1 },
      ],
      // The seeded admin's Global Administrator, Security Administrator, Exchange Administrator (time-bound), the service principal's.
      directoryRoleAssignments: { eligible: 3, active: 4, permanentActive: 3, activated: 1 },
      // Exchange Administrator is not privileged.
      privilegedRoleAssignments: { eligible: 3, active: 3, permanentActive: 3, activated: 1 },
      // The seed's first Global Administrator was assigned when the stack started, six days ago.
      newAssignmentsLast30Days: { eligible: 3, active: 4 },
      globalAdministrators: { eligible: 1, active: 1, permanentActive: 1, activated: 0 },
      privilegedServicePrincipalCount: 1,
    });
    expect(overview.body['@odata.context']).toMatch(/\/beta\/\$metadata#identityGovernance\/roleManagementInsights\/overview\/\$entity$/);

    const admins = (await get('globalAdministrators')).body.value;
    expect(admins.map((x: any) => [x.principalId, x.standing])).toEqual(
      expect.arrayContaining([
        [ctx.adminId, 'permanentActive'],
        [e!.id, 'eligible'],
      ]),
    );
    expect(admins).toHaveLength(2);
    const standing = (await get('standingAccess')).body.value;
    expect(standing.map((x: any) => x.principalId).sort()).toEqual([ctx.adminId, c!.id].sort());
    expect(standing.find((x: any) => x.principalId === c!.id)).toMatchObject({
      scheduleKind: 'assignment',
      standing: 'permanentActive',
      roleDefinitionId: ROLES.securityAdministrator,
      roleDisplayName: 'Security Administrator',
      principalType: 'user',
      userPrincipalName: c!.upn,
      directoryScopeId: '/',
      endDateTime: null,
    });
    const sps = (await get('privilegedServicePrincipals')).body.value;
    expect(sps).toEqual([
      expect.objectContaining({ principalId: sp.id, appId: 'deploy-pipeline', roleDisplayName: 'Application Administrator', standing: 'permanentActive' }),
    ]);
    expect(admins.find((x: any) => x.principalId === e!.id)).toMatchObject({ lastActivationDateTime: null, lastSignInDateTime: null });
    // The admin has been signing in all along (recorded at most hourly); e activates now.
    expect(admins.find((x: any) => x.principalId === ctx.adminId).lastSignInDateTime).toMatch(/^2034-05-/);
    expect((await activate(ctx, e!, ROLES.globalAdministrator)).status).toBe(201);
    const activated = (await get('globalAdministrators')).body.value.find((x: any) => x.principalId === e!.id);
    expect(activated).toMatchObject({ standing: 'eligible', lastActivationDateTime: clock.now().toISOString() });
    expect(activated.lastSignInDateTime).not.toBeNull();
  });

  it('converts a selection of standing assignments to eligible in one step, within the eligibility policy', async () => {
    const [f, g, h] = await Promise.all(['f', 'g', 'h'].map((label) => newUser(ctx, `standing-${label}`)));
    await makeActive(ctx, f!.id, ROLES.securityAdministrator);
    await patchRule(ctx, ROLES.userAdministrator, 'Expiration_Admin_Eligibility', expirationRule('Expiration_Admin_Eligibility', true, 'P90D'));
    await makeActive(ctx, g!.id, ROLES.userAdministrator);
    const hEnd = new Date(clock.now().getTime() + 10 * DAY).toISOString();
    await makeActive(ctx, h!.id, ROLES.authenticationAdministrator, { end: hEnd });
    const standing = (await get('standingAccess')).body.value;
    const idOf = (userId: string) => standing.find((x: any) => x.principalId === userId).id;

    const result = await post('eliminateStandingAccess', { scheduleIds: [idOf(f!.id), idOf(g!.id), idOf(h!.id)] });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body.value.map((o: any) => [o.status, o.error])).toEqual([
      ['succeeded', null],
      ['succeeded', null],
      ['succeeded', null],
    ]);
    for (const user of [f!, g!, h!]) expect(await schedulesOf(ctx, 'assignment', user.id)).toEqual([]);
    const [fEligible] = await schedulesOf(ctx, 'eligibility', f!.id);
    expect(fEligible).toMatchObject({
      roleDefinitionId: ROLES.securityAdministrator,
      directoryScopeId: '/',
      scheduleInfo: { expiration: { type: 'noExpiration' } },
    });
    expect(result.body.value[0].eligibilityScheduleId).toBe(fEligible.id);
    const [gEligible] = await schedulesOf(ctx, 'eligibility', g!.id);
    expect(Date.parse(gEligible.scheduleInfo.expiration.endDateTime) - clock.now().getTime()).toBe(90 * DAY);
    const [hEligible] = await schedulesOf(ctx, 'eligibility', h!.id);
    expect(hEligible.scheduleInfo.expiration.endDateTime).toBe(hEnd);
    // The new eligibility is usable at once.
    clock.advance(HOUR);
    expect((await activate(ctx, f!, ROLES.securityAdministrator)).status).toBe(201);
  });

  it('refuses to convert the last permanent Global Administrator and leaves it exactly as it was', async () => {
    const adminGa = (await get('globalAdministrators')).body.value.find((x: any) => x.principalId === ctx.adminId && x.standing === 'permanentActive');
    const result = await post('eliminateStandingAccess', { scheduleIds: [adminGa.id] });
    expect(result.status).toBe(200);
    expect(result.body.value).toEqual([
      {
        scheduleId: adminGa.id,
        action: 'convertToEligible',
        status: 'failed',
        eligibilityScheduleId: null,
        error: { code: 'LastAdministratorProtected', message: expect.stringContaining('last permanent active') },
      },
    ]);
    expect((await schedulesOf(ctx, 'assignment', ctx.adminId)).map((s) => s.id)).toContain(adminGa.id);
    expect((await schedulesOf(ctx, 'eligibility', ctx.adminId)).filter((s) => s.roleDefinitionId === ROLES.globalAdministrator)).toEqual([]);

    // reduceGlobalAdministrators goes the same way, and removes what it may.
    const other = await newUser(ctx, 'ga-eligible');
    await makeEligible(ctx, other.id, ROLES.globalAdministrator);
    const otherGa = (await get('globalAdministrators')).body.value.find((x: any) => x.principalId === other.id);
    const reduced = await post('reduceGlobalAdministrators', {
      assignments: [
        { scheduleId: otherGa.id, action: 'remove' },
        { scheduleId: adminGa.id, action: 'remove' },
      ],
    });
    expect(reduced.status, JSON.stringify(reduced.body)).toBe(200);
    expect(reduced.body.value.map((o: any) => [o.scheduleId, o.status, o.error?.code ?? null])).toEqual([
      [otherGa.id, 'succeeded', null],
      [adminGa.id, 'failed', 'LastAdministratorProtected'],
    ]);
    expect(await schedulesOf(ctx, 'eligibility', other.id)).toEqual([]);
    expect((await schedulesOf(ctx, 'assignment', ctx.adminId)).map((s) => s.id)).toContain(adminGa.id);
  });

  it('lets readers read, and only Privileged Role and Global Administrators act; bad input changes nothing', async () => {
    const [reader, nobody, target] = await Promise.all([newUser(ctx, 'reader'), newUser(ctx, 'nobody'), newUser(ctx, 'target')]);
    await makeActive(ctx, reader.id, ROLES.globalReader);
    await makeActive(ctx, target.id, ROLES.securityAdministrator);
    await makeActive(ctx, target.id, ROLES.exchangeAdministrator);
    const readerToken = await tokenOf(ctx, reader);
    const nobodyToken = await tokenOf(ctx, nobody);
    const [targetSchedule] = (await get('standingAccess')).body.value.filter((x: any) => x.principalId === target.id);

    expect((await get('overview', readerToken)).status).toBe(200);
    expect((await get('standingAccess', readerToken)).status).toBe(200);
    for (const path of ['overview', 'globalAdministrators', 'standingAccess', 'privilegedServicePrincipals'])
      expectGraphError(await get(path, nobodyToken), 403, 'Authorization_RequestDenied');
    expectGraphError(await post('eliminateStandingAccess', { scheduleIds: [targetSchedule.id] }, readerToken), 403, 'Authorization_RequestDenied');
    expectGraphError(await post('eliminateStandingAccess', { scheduleIds: [targetSchedule.id] }, nobodyToken), 403, 'Authorization_RequestDenied');
    expectGraphError(
      await post('reduceGlobalAdministrators', { assignments: [{ scheduleId: targetSchedule.id, action: 'remove' }] }, readerToken),
      403,
      'Authorization_RequestDenied',
    );

    const exchange = (await schedulesOf(ctx, 'assignment', target.id)).find((s) => s.roleDefinitionId === ROLES.exchangeAdministrator);
    expectGraphError(await post('eliminateStandingAccess', { scheduleIds: [] }), 400, 'Request_BadRequest');
    expectGraphError(await post('eliminateStandingAccess', { scheduleIds: [targetSchedule.id, targetSchedule.id] }), 400, 'Request_BadRequest');
    // One bad item refuses the whole selection: the good one is not converted either.
    expectGraphError(await post('eliminateStandingAccess', { scheduleIds: [targetSchedule.id, exchange.id] }), 400, 'Request_BadRequest');
    expectGraphError(await post('eliminateStandingAccess', { scheduleIds: [targetSchedule.id, 'req_nope'] }), 404, 'RoleAssignmentDoesNotExist');
    expectGraphError(await post('eliminateStandingAccess', { scheduleIds: [targetSchedule.id], extra: 1 }), 400, 'Request_BadRequest');
    expectGraphError(
      await post('reduceGlobalAdministrators', { assignments: [{ scheduleId: targetSchedule.id, action: 'remove' }] }),
      400,
      'Request_BadRequest',
    );
    expectGraphError(
      await post('reduceGlobalAdministrators', { assignments: [{ scheduleId: targetSchedule.id, action: 'delete' }] }),
      400,
      'Request_BadRequest',
    );
    expect((await schedulesOf(ctx, 'assignment', target.id)).map((s) => s.roleDefinitionId).sort()).toEqual(
      [ROLES.exchangeAdministrator, ROLES.securityAdministrator].sort(),
    );
    expect(await schedulesOf(ctx, 'eligibility', target.id)).toEqual([]);
  });
});
