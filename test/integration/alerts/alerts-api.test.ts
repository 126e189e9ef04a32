/**
 * PIM security alerts end to end over the real API, DynamoDB Local and the outbox (stream → SES → the
 * local inbox), on an injected clock: each drifting condition made through the API, a scan, the alerts
 * and incidents in Graph's shape, settings that move the result, fixes through the audited paths (the
 * last Global Administrator stays), dismissing, and two scans at once making one set and one email.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_ROLE_IDS } from '../../../shared/domain/builtin-roles.ts';
import { SYSTEM_CALLER } from '../../../shared/domain/caller.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { refreshAlerts } from '../../../shared/services/alerts/refresh.ts';
import {
  activate,
  addMember,
  DAY,
  enablementRule,
  makeActive,
  makeEligible,
  newGroup,
  newUser,
  patchRule,
  schedulesOf,
  startRolesStack,
  tokenOf,
  type Ctx,
  type TestUser,
} from '../roles/helpers.ts';
import { eventually } from '../workflow/support.ts';

const B = '/beta/identityGovernance/roleManagementAlerts';
const SCOPE = `$filter=${encodeURIComponent("scopeId eq '/' and scopeType eq 'DirectoryRole'")}`;
const id = (name: string) => `DirectoryRole_stint_${name}`;
const R = BUILTIN_ROLE_IDS;

/** Graph's error shape, the status, and a message that says what to do. */
function expectError(result: { status: number; body: any }, status: number, message?: RegExp): void {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  expect(Object.keys(result.body)).toEqual(['error']);
  expect(result.body.error.code).toEqual(expect.any(String));
  if (message) expect(result.body.error.message).toMatch(message);
}

describe('PIM security alerts', () => {
  const clock = new ManualClock('2035-02-05T09:00:00.000Z');
  let ctx: Ctx;
  let admin: () => Promise<string>;
  const call = async (method: string, path: string, body?: unknown, token?: string) => ctx.api.call(method, path, { token: token ?? (await admin()), body });
  const refresh = async () => expect((await call('POST', `${B}/alerts/refresh`, { scopeId: '/', scopeType: 'DirectoryRole' })).status).toBe(204);
  const alert = async (name: string) => (await call('GET', `${B}/alerts/${id(name)}`)).body;
  const incidents = async (name: string): Promise<any[]> => {
    const result = await call('GET', `${B}/alerts/${id(name)}/alertIncidents`);
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    return result.body.value;
  };
  const incidentOf = async (name: string, assigneeId: string) => (await incidents(name)).find((i) => i.assigneeId === assigneeId);
  const alertMails = async () => (await ctx.stack.inbox!.messages()).filter((m) => m.subject.startsWith('PIM alert'));

  beforeAll(async () => {
    ctx = await startRolesStack({ clock, background: true });
    admin = ctx.admin;
  });
  afterAll(() => ctx.stop());

  it('lists the six alerts with their definitions and Entra default settings, in Graph shape', async () => {
    const listed = await call('GET', `${B}/alerts?${SCOPE}&$expand=alertDefinition,alertConfiguration`);
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body['@odata.context']).toMatch(/\/beta\/\$metadata#identityGovernance\/roleManagementAlerts\/alerts$/);
    const byId = new Map(listed.body.value.map((a: any) => [a.id, a]));
    expect([...byId.keys()].sort()).toEqual(
      [
        'NoMfaOnRoleActivationAlert',
        'RedundantAssignmentAlert',
        'RolesAssignedOutsidePrivilegedIdentityManagementAlert',
        'SequentialActivationRenewalsAlert',
        'StaleSignInAlert',
        'TooManyGlobalAdminsAssignedToTenantAlert',
      ]
        .map(id)
        .sort(),
    );
    const outside: any = byId.get(id('RolesAssignedOutsidePrivilegedIdentityManagementAlert'));
    expect(outside).toMatchObject({ scopeId: '/', scopeType: 'DirectoryRole', alertDefinitionId: outside.id, isActive: false, incidentCount: 0 });
    expect(outside.alertDefinition).toMatchObject({
      severityLevel: 'high',
      displayName: 'Roles are being assigned outside of Privileged Identity Management',
      isRemediatable: true,
    });
    const tooMany: any = byId.get(id('TooManyGlobalAdminsAssignedToTenantAlert'));
    expect(tooMany.alertConfiguration).toMatchObject({
      '@odata.type': '#microsoft.graph.tooManyGlobalAdminsAssignedToTenantAlertConfiguration',
      isEnabled: true,
      globalAdminCountThreshold: 3,
      percentageOfGlobalAdminsOutOfRolesThreshold: 10,
    });
    const configs = await call('GET', `${B}/alertConfigurations?${SCOPE}`);
    expect(configs.body.value).toHaveLength(6);
    const definitions = await call('GET', `${B}/alertDefinitions?${SCOPE}`);
    expect(definitions.body.value.map((d: any) => d.severityLevel).sort()).toEqual(['high', 'low', 'low', 'low', 'low', 'medium']);
  });

  it("refuses a list without Graph's scope filter, an unknown alert, and bad settings, changing nothing", async () => {
    expectError(await call('GET', `${B}/alerts`), 400, /scopeId eq '\/' and scopeType eq 'DirectoryRole'/);
    expectError(await call('GET', `${B}/alerts?$filter=${encodeURIComponent("scopeId eq '/'")}`), 400, /scopeType/);
    expectError(await call('GET', `${B}/alerts/${id('NoSuchAlert')}`), 404, /No alert has the id/);
    const stale = `${B}/alertConfigurations/${id('StaleSignInAlert')}`;
    expectError(await call('PATCH', stale, { duration: 'P400D' }), 400, /from 1 to 365/);
    expectError(await call('PATCH', stale, { globalAdminCountThreshold: 4 }), 400, /not a setting/);
    expectError(await call('PATCH', stale, { '@odata.type': '#microsoft.graph.redundantAssignmentAlertConfiguration', duration: 'P10D' }), 400, /@odata.type/);
    expectError(await call('PATCH', `${B}/alerts/${id('StaleSignInAlert')}`, { isActive: true }), 400, /only be set to false/);
    expect((await call('GET', stale)).body.duration).toBe('P30D');
  });

  it('lets readers read and only Global or Privileged Role Administrators change', async () => {
    const [reader, nobody] = await Promise.all([newUser(ctx, 'reader'), newUser(ctx, 'nobody')]);
    await makeActive(ctx, reader.id, R.securityReader);
    const readerToken = await tokenOf(ctx, reader);
    expect((await call('GET', `${B}/alerts?${SCOPE}`, undefined, readerToken)).status).toBe(200);
    expectError(await call('PATCH', `${B}/alertConfigurations/${id('StaleSignInAlert')}`, { duration: 'P10D' }, readerToken), 403);
    expectError(await call('POST', `${B}/alerts/refresh`, { scopeId: '/', scopeType: 'DirectoryRole' }, readerToken), 403);
    expectError(await call('GET', `${B}/alerts?${SCOPE}`, undefined, await tokenOf(ctx, nobody)), 403);
  });

  describe('drift, found by a scan', () => {
    let idle: TestUser;
    let standing: TestUser;
    let group: { id: string };
    let frequent: TestUser;
    let returning: TestUser;

    beforeAll(async () => {
      [idle, standing, frequent, returning] = await Promise.all([
        newUser(ctx, 'idle'),
        newUser(ctx, 'standing'),
        newUser(ctx, 'frequent'),
        newUser(ctx, 'back'),
      ]);
      // Eligible for a privileged role, never activating it, never signing in.
      await makeEligible(ctx, idle.id, R.securityAdministrator);
      await makeEligible(ctx, returning.id, R.securityAdministrator);
      // A role-assignable group that holds a role, given a standing member through the directory.
      group = await newGroup(ctx, 'Admins', { roleAssignable: true });
      await makeActive(ctx, group.id, R.userAdministrator);
      await addMember(ctx, group.id, standing.id);
      // Helpdesk Administrator activated without MFA, over and over.
      await patchRule(ctx, R.helpdeskAdministrator, 'Enablement_EndUser_Assignment', enablementRule('Enablement_EndUser_Assignment', ['Justification']));
      await makeEligible(ctx, frequent.id, R.helpdeskAdministrator);
      const token = await tokenOf(ctx, frequent, { mfa: false });
      for (let i = 0; i < 3; i++) {
        const on = await activate(ctx, frequent, R.helpdeskAdministrator, { token, duration: 'PT5M' });
        expect(on.status, JSON.stringify(on.body)).toBe(201);
        clock.advance(6 * 60_000);
      }
    });

    it('raises the High alert for a standing member of a role-assignable group, and emails the administrators once', async () => {
      await refresh();
      const outside = await alert('RolesAssignedOutsidePrivilegedIdentityManagementAlert');
      expect(outside).toMatchObject({ isActive: true, incidentCount: 1 });
      const [incident] = await incidents('RolesAssignedOutsidePrivilegedIdentityManagementAlert');
      expect(incident).toMatchObject({
        '@odata.type': '#microsoft.graph.rolesAssignedOutsidePrivilegedIdentityManagementAlertIncident',
        assigneeId: standing.id,
        assigneeUserPrincipalName: standing.upn,
        roleDefinitionId: R.userAdministrator,
      });
      await ctx.stack.background!.settle();
      await eventually(async () => (await alertMails()).length >= 1, 'the High alert email');
      const mails = await alertMails();
      expect(mails).toHaveLength(1);
      expect(mails[0]!.destination.to).toContain('admin@contoso.test');
      expect(mails[0]!.subject).toBe('PIM alert (high): Roles are being assigned outside of Privileged Identity Management');
      expect(mails[0]!.body.text).toContain(`/portal/manage/alerts/${id('RolesAssignedOutsidePrivilegedIdentityManagementAlert')}`);
    });

    it('finds activations without MFA and too many of them, with settings that move the threshold', async () => {
      const noMfa = (await incidents('NoMfaOnRoleActivationAlert')).find((i) => i.roleDefinitionId === R.helpdeskAdministrator);
      expect(noMfa).toMatchObject({ '@odata.type': '#microsoft.graph.noMfaOnRoleActivationAlertIncident', roleDisplayName: 'Helpdesk Administrator' });
      // Three activations in 18 minutes: not "too frequent" at Entra's 10 an hour, but at 3 they are.
      expect(await incidentOf('SequentialActivationRenewalsAlert', frequent.id)).toBeUndefined();
      const updated = await call('PATCH', `${B}/alertConfigurations/${id('SequentialActivationRenewalsAlert')}`, {
        '@odata.type': '#microsoft.graph.sequentialActivationRenewalsAlertConfiguration',
        sequentialActivationCounterThreshold: 3,
      });
      expect(updated.status, JSON.stringify(updated.body)).toBe(200);
      expect(updated.body).toMatchObject({ sequentialActivationCounterThreshold: 3, timeIntervalBetweenActivations: 'PT1H' });
      // Changing a setting scans that alert at once.
      expect(await incidentOf('SequentialActivationRenewalsAlert', frequent.id)).toMatchObject({
        activationCount: 3,
        roleDefinitionId: R.helpdeskAdministrator,
      });
    });

    it('says what to do for an incident without an automatic fix', async () => {
      // Incidents that have no automatic fix say what to do instead.
      const frequentIncident = await incidentOf('SequentialActivationRenewalsAlert', frequent.id);
      expectError(
        await call('POST', `${B}/alerts/${id('SequentialActivationRenewalsAlert')}/alertIncidents/${frequentIncident.id}/remediate`),
        400,
        /Activation maximum duration/,
      );
    });

    it('keeps a dismissed alert quiet until something new is found', async () => {
      expect((await alert('SequentialActivationRenewalsAlert')).isActive).toBe(true);
      expect((await call('POST', `${B}/alerts/${id('SequentialActivationRenewalsAlert')}/dismiss`)).status).toBe(204);
      await refresh();
      expect(await alert('SequentialActivationRenewalsAlert')).toMatchObject({ isActive: false, incidentCount: 1 });
      // Someone else activating too often is news: the alert is active again.
      const other = await newUser(ctx, 'frequent');
      await makeEligible(ctx, other.id, R.helpdeskAdministrator);
      const token = await tokenOf(ctx, other, { mfa: false });
      for (let i = 0; i < 3; i++) {
        expect((await activate(ctx, other, R.helpdeskAdministrator, { token, duration: 'PT5M' })).status).toBe(201);
        clock.advance(6 * 60_000);
      }
      await refresh();
      expect(await alert('SequentialActivationRenewalsAlert')).toMatchObject({ isActive: true, incidentCount: 2 });
      // Graph's own way of dismissing: PATCH isActive false.
      expect((await call('PATCH', `${B}/alerts/${id('SequentialActivationRenewalsAlert')}`, { isActive: false })).status).toBe(204);
      expect((await alert('SequentialActivationRenewalsAlert')).isActive).toBe(false);
    });

    it('after 31 days finds the unused eligibility and the account that never signs in', async () => {
      clock.advance(31 * DAY);
      await refresh();
      expect(await incidentOf('RedundantAssignmentAlert', idle.id)).toMatchObject({ roleDefinitionId: R.securityAdministrator, lastActivationDateTime: null });
      expect(await incidentOf('StaleSignInAlert', idle.id)).toMatchObject({ roleDefinitionId: R.securityAdministrator, lastSignInDateTime: null });
      // The stale alert at 60 days no longer counts Idle.
      await call('PATCH', `${B}/alertConfigurations/${id('StaleSignInAlert')}`, { duration: 'P60D' });
      expect(await incidentOf('StaleSignInAlert', idle.id)).toBeUndefined();
    });

    it('does not fix what is no longer true: the condition went after the scan', async () => {
      const incident = await incidentOf('RedundantAssignmentAlert', returning.id);
      expect(incident).toBeDefined();
      expect((await activate(ctx, returning, R.securityAdministrator)).status).toBe(201);
      clock.advance(6 * 60_000);
      expectError(await call('POST', `${B}/alerts/${id('RedundantAssignmentAlert')}/alertIncidents/${incident.id}/remediate`), 404, /condition has gone/);
      expect((await schedulesOf(ctx, 'eligibility', returning.id)).map((s: any) => s.roleDefinitionId)).toEqual([R.securityAdministrator]);
    });

    it('fixes incidents through the audited paths', async () => {
      // Require MFA: the role's setting changes.
      const noMfa = (await incidents('NoMfaOnRoleActivationAlert')).find((i) => i.roleDefinitionId === R.helpdeskAdministrator);
      expect((await call('POST', `${B}/alerts/${id('NoMfaOnRoleActivationAlert')}/alertIncidents/${noMfa.id}/remediate`)).status).toBe(204);
      const denied = await activate(ctx, frequent, R.helpdeskAdministrator, { token: await tokenOf(ctx, frequent, { mfa: false }), duration: 'PT5M' });
      expect(denied.status).not.toBe(201);
      // Remove the unused eligibility: an adminRemove request, audited.
      const redundant = await incidentOf('RedundantAssignmentAlert', idle.id);
      expect((await call('POST', `${B}/alerts/${id('RedundantAssignmentAlert')}/alertIncidents/${redundant.id}/remediate`)).status).toBe(204);
      expect(await schedulesOf(ctx, 'eligibility', idle.id)).toEqual([]);
      expect(await incidentOf('RedundantAssignmentAlert', idle.id)).toBeUndefined();
      // Remove the standing member: the alert has nothing left and is no longer active.
      const [outside] = await incidents('RolesAssignedOutsidePrivilegedIdentityManagementAlert');
      expect(
        (await call('POST', `${B}/alerts/${id('RolesAssignedOutsidePrivilegedIdentityManagementAlert')}/alertIncidents/${outside.id}/remediate`)).status,
      ).toBe(204);
      expect((await call('GET', `/v1.0/groups/${group.id}/members`)).body.value).toEqual([]);
      expect(await alert('RolesAssignedOutsidePrivilegedIdentityManagementAlert')).toMatchObject({ isActive: false, incidentCount: 0 });
      // A fixed incident is gone; fixing it again says so.
      expectError(await call('POST', `${B}/alerts/${id('RedundantAssignmentAlert')}/alertIncidents/${redundant.id}/remediate`), 404, /no open incident/);
      const audits = await call(
        'GET',
        `/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent("activityDisplayName eq 'Remediate PIM alert incident'")}`,
      );
      expect(audits.body.value.length).toBeGreaterThanOrEqual(3);
    });
  });

  it('stops at the last Global Administrator when fixing too many of them', async () => {
    const extra = await Promise.all([newUser(ctx, 'ga'), newUser(ctx, 'ga'), newUser(ctx, 'ga')]);
    for (const u of extra) await makeActive(ctx, u.id, R.globalAdministrator);
    await refresh();
    const found = await incidents('TooManyGlobalAdminsAssignedToTenantAlert');
    expect(found.map((i) => i.assigneeId)).toEqual(expect.arrayContaining([ctx.adminId, ...extra.map((u) => u.id)]));
    // Turning each extra one into an eligible Global Administrator works; the admin's own stays.
    for (const u of extra) {
      const incident = found.find((i) => i.assigneeId === u.id);
      const fixed = await call('POST', `${B}/alerts/${id('TooManyGlobalAdminsAssignedToTenantAlert')}/alertIncidents/${incident.id}/remediate`);
      expect(fixed.status, JSON.stringify(fixed.body)).toBe(204);
      expect((await schedulesOf(ctx, 'eligibility', u.id)).map((s: any) => s.roleDefinitionId)).toContain(R.globalAdministrator);
    }
    const mine = found.find((i) => i.assigneeId === ctx.adminId);
    const refused = await call('POST', `${B}/alerts/${id('TooManyGlobalAdminsAssignedToTenantAlert')}/alertIncidents/${mine.id}/remediate`);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect((await schedulesOf(ctx, 'assignment', ctx.adminId)).map((s: any) => s.roleDefinitionId)).toContain(R.globalAdministrator);
    expect((await schedulesOf(ctx, 'eligibility', ctx.adminId)).map((s: any) => s.roleDefinitionId)).not.toContain(R.globalAdministrator);
  });

  it('makes one set of incidents and one email when two scans run at once', async () => {
    const [first, second] = await Promise.all([newUser(ctx, 'out'), newUser(ctx, 'out')]);
    const g = await newGroup(ctx, 'Ops', { roleAssignable: true });
    await makeEligible(ctx, g.id, R.helpdeskAdministrator);
    await addMember(ctx, g.id, first.id);
    await addMember(ctx, g.id, second.id);
    const before = (await alertMails()).length;
    const bg = ctx.stack.background!;
    const system = (n: number) => ({ caller: SYSTEM_CALLER, correlationId: `scan-${n}`, system: true });
    // Two job runs at the same moment: one scans, the other leaves the work to it.
    const reports = await Promise.all([refreshAlerts(ctx.stack.runtime.services, system(1)), refreshAlerts(ctx.stack.runtime.services, system(2))]);
    expect(reports.map((r) => r.ran).sort()).toEqual([false, true]);
    const found = await incidents('RolesAssignedOutsidePrivilegedIdentityManagementAlert');
    expect(found.map((i) => i.assigneeId).sort()).toEqual([first.id, second.id].sort());
    await bg.settle();
    await eventually(async () => (await alertMails()).length > before, 'the second High alert email');
    await bg.settle();
    expect((await alertMails()).length).toBe(before + 1);
  });
});
