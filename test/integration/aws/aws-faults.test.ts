/**
 * What moto cannot do, scripted with aws-sdk-client-mock on the sso-admin client while the rest of the
 * stack stays real (the identity store and organization are the emulator's, the state machine is the
 * deployed definition): an assignment that stays IN_PROGRESS before succeeding, one that FAILS, throttling
 * and conflicts retried by the state machine under AWS's own error names, and a delete whose user is gone.
 */
import {
  ConflictException,
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  ResourceNotFoundException,
  SSOAdminClient,
  ThrottlingException,
} from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { auditTrail } from '../api/support.ts';
import { startRolesStack, type Ctx } from '../roles/helpers.ts';
import { eventually } from '../workflow/support.ts';

const AWS = '/v1.0/roleManagement/aws';
const MINUTE = 60_000;
const status = (Status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED', RequestId: string, FailureReason?: string) => ({
  Status,
  RequestId,
  ...(FailureReason && { FailureReason }),
});

describe('AWS access when Identity Center is slow, fails or pushes back', () => {
  const clock = new ManualClock('2031-11-01T08:00:00.000Z');
  const sso = mockClient(SSOAdminClient);
  let ctx: Ctx;
  let readOnly: string;
  let accounts: Record<string, string>;
  const people: Record<string, { id: string; upn: string }> = {};

  beforeAll(async () => {
    sso.restore();
    ctx = await startRolesStack({ clock, background: true, awsPort: 0 });
    const token = await ctx.admin();
    readOnly = (await ctx.api.call('GET', `${AWS}/roleDefinitions?$filter=displayName eq 'ReadOnlyAccess'`, { token })).body.value[0].id;
    accounts = Object.fromEntries((await ctx.api.call('GET', `${AWS}/accounts`, { token })).body.value.map((a: any) => [a.displayName, a.id]));
    for (const alias of ['sam.rivera', 'kai.tanaka', 'mei.chen', 'lena.fischer', 'tom.becker']) {
      const upn = `${alias}@contoso.test`;
      people[alias] = { id: (await ctx.api.call('GET', `/v1.0/users/${upn}`, { token })).body.id, upn };
      const made = await ctx.api.call('POST', `${AWS}/roleEligibilityScheduleRequests`, {
        token,
        body: {
          action: 'adminAssign',
          principalId: people[alias].id,
          roleDefinitionId: readOnly,
          directoryScopeId: `/accounts/${accounts.dev}`,
          justification: 'faults',
          scheduleInfo: { expiration: { type: 'noExpiration' } },
        },
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
    }
    // From here on sso-admin answers as scripted; the identity store and organization stay the emulator's.
    sso.reset();
  });
  afterEach(() => sso.reset());
  afterAll(async () => {
    sso.restore();
    await ctx?.stop();
  });

  const activate = async (who: { id: string; upn: string }) =>
    ctx.api.call('POST', `${AWS}/roleAssignmentScheduleRequests`, {
      token: await ctx.api.token(who.upn),
      body: {
        action: 'selfActivate',
        principalId: who.id,
        roleDefinitionId: readOnly,
        directoryScopeId: `/accounts/${accounts.dev}`,
        justification: 'faults',
        scheduleInfo: { expiration: { type: 'afterDuration', duration: 'PT1H' } },
      },
    });
  const requestOf = async (id: string) => (await ctx.api.call('GET', `${AWS}/roleAssignmentScheduleRequests/${id}`, { token: await ctx.admin() })).body;

  it('polls an assignment that stays IN_PROGRESS, and makes it usable only when it has SUCCEEDED', async () => {
    sso.on(CreateAccountAssignmentCommand).resolves({ AccountAssignmentCreationStatus: status('IN_PROGRESS', 'op-slow') });
    sso
      .on(DescribeAccountAssignmentCreationStatusCommand)
      .resolvesOnce({ AccountAssignmentCreationStatus: status('IN_PROGRESS', 'op-slow') })
      .resolvesOnce({ AccountAssignmentCreationStatus: status('IN_PROGRESS', 'op-slow') })
      .resolves({ AccountAssignmentCreationStatus: status('SUCCEEDED', 'op-slow') });
    const started = await activate(people['sam.rivera']!);
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    await eventually(async () => (await requestOf(started.body.id)).status === 'Provisioned', 'provisioned after the polls');
    expect(sso.commandCalls(CreateAccountAssignmentCommand)).toHaveLength(1);
    expect(sso.commandCalls(DescribeAccountAssignmentCreationStatusCommand).length).toBeGreaterThanOrEqual(3);
    expect(sso.commandCalls(CreateAccountAssignmentCommand)[0]!.args[0].input).toMatchObject({
      TargetId: accounts.dev,
      TargetType: 'AWS_ACCOUNT',
      PrincipalType: 'USER',
    });
  });

  it('a FAILED assignment fails the activation with AWS’s reason, audits it and emails the requester', async () => {
    const reason = 'Received a 404 status error: Not supported policy arn:aws:iam::aws:policy/Missing.';
    sso.on(CreateAccountAssignmentCommand).resolves({ AccountAssignmentCreationStatus: status('IN_PROGRESS', 'op-fail') });
    sso.on(DescribeAccountAssignmentCreationStatusCommand).resolves({ AccountAssignmentCreationStatus: status('FAILED', 'op-fail', reason) });
    const who = people['kai.tanaka']!;
    const started = await activate(who);
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    await eventually(async () => (await requestOf(started.body.id)).status === 'Failed', 'the activation failed');
    expect((await requestOf(started.body.id)).awsAccess).toEqual({ failureReason: reason });
    const active = await ctx.api.call('GET', `${AWS}/roleAssignmentScheduleInstances/filterByCurrentUser(on='principal')`, {
      token: await ctx.api.token(who.upn),
    });
    expect(active.body.value).toEqual([]);
    const trail = await auditTrail(ctx.stack, who.id);
    expect(trail.map((a) => a.activityDisplayName)).toContain('Add member to role failed (AWS account assignment)');
    await eventually(
      async () => (await ctx.stack.inbox!.messages()).some((m) => m.destination.to.includes(who.upn) && /could not be granted/.test(m.subject)),
      'the requester is emailed',
    );
    // A new activation after a failure tries again.
    sso.reset();
    sso.on(CreateAccountAssignmentCommand).resolves({ AccountAssignmentCreationStatus: status('SUCCEEDED', 'op-again') });
    const again = await activate(who);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    await eventually(async () => (await requestOf(again.body.id)).status === 'Provisioned', 'the second activation is provisioned');
  });

  it('throttling and conflicts are retried by the state machine under AWS’s own error names', async () => {
    sso
      .on(CreateAccountAssignmentCommand)
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }))
      .rejectsOnce(new ConflictException({ message: 'An operation is in progress for this target', $metadata: {} }))
      .resolves({ AccountAssignmentCreationStatus: status('SUCCEEDED', 'op-retried') });
    const started = await activate(people['mei.chen']!);
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    await eventually(async () => (await requestOf(started.body.id)).status === 'Provisioned', 'provisioned after two retries');
    expect(sso.commandCalls(CreateAccountAssignmentCommand)).toHaveLength(3);
  });

  it('a delete whose identity-store user is gone counts as deleted', async () => {
    sso.on(CreateAccountAssignmentCommand).resolves({ AccountAssignmentCreationStatus: status('SUCCEEDED', 'op-ok') });
    sso.on(DeleteAccountAssignmentCommand).rejects(new ResourceNotFoundException({ message: 'User not found in directory', $metadata: {} }));
    sso.on(DescribeAccountAssignmentDeletionStatusCommand).resolves({ AccountAssignmentDeletionStatus: status('SUCCEEDED', 'never') });
    const who = people['lena.fischer']!;
    const started = await activate(who);
    await eventually(async () => (await requestOf(started.body.id)).status === 'Provisioned', 'provisioned');
    clock.advance(6 * MINUTE);
    const ended = await ctx.api.call('POST', `${AWS}/roleAssignmentScheduleRequests`, {
      token: await ctx.api.token(who.upn),
      body: { action: 'selfDeactivate', principalId: who.id, roleDefinitionId: readOnly, directoryScopeId: `/accounts/${accounts.dev}` },
    });
    expect(ended.status, JSON.stringify(ended.body)).toBe(201);
    await eventually(
      () =>
        sso.commandCalls(DeleteAccountAssignmentCommand).length > 0 &&
        ctx.stack.background!.workflows.runs().every((r) => r.status !== 'running' || !r.name.includes('-aws-')),
      'the delete was tried and the sync run ended',
    );
    expect(sso.commandCalls(DeleteAccountAssignmentCommand)).toHaveLength(1);
  });
});
