/**
 * The stream handler end to end: real stream-shaped records in, the policy and directory read from
 * DynamoDB Local, emails sent through SES v2 to a real aws-ses-v2-local and read back from its store.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/stream/notifications.ts';
import { freePort } from '../../../infra/local/ports.ts';
import { startSesInbox, type InboxMessage, type SesInbox } from '../../../infra/local/ses-inbox.ts';
import { BUILTIN_ROLE_IDS } from '../../../shared/domain/builtin-roles.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import type { MemoryEventPublisher } from '../../../shared/services/notifications/event-publisher.ts';
import type { OutboxDeps } from '../../../shared/services/notifications/outbox.ts';
import { createOutboxDeps } from '../../../shared/services/notifications/runtime.ts';
import { putNewSchedule } from '../../../shared/store/role-schedules.ts';
import type { TableContext } from '../../../shared/store/table-context.ts';
import { AT, reminderItem, ROLE, request, requestItem, schedule, scheduleItem, stage, streamRecord } from '../../helpers/notification-fixtures.ts';
import { createTestTable, putAdminHolder, putGroup, putPolicy, putUser } from './seed.ts';
import { dynamoEndpoint } from '../../helpers/dynamo-endpoint.ts';

const PORTAL = 'https://pim.contoso.test/portal';
let inbox: SesInbox;
let table: TableContext;
let deps: OutboxDeps;
let handler: ReturnType<typeof createHandler>;
let seen = 0;

/** The emails received since the last call, by recipient. */
async function newEmails(): Promise<Map<string, InboxMessage[]>> {
  const all = await inbox.messages();
  const fresh = all.slice(seen);
  seen = all.length;
  const byTo = new Map<string, InboxMessage[]>();
  for (const m of fresh) for (const to of m.destination.to) byTo.set(to, [...(byTo.get(to) ?? []), m]);
  return byTo;
}

beforeAll(async () => {
  inbox = await startSesInbox({ port: await freePort() });
  table = await createTestTable('notify-outbox');
  await Promise.all([
    putUser(table, 'usr_kai', 'Kai Tanaka', 'kai@contoso.test'),
    putUser(table, 'usr_ann', 'Ann Lee', 'ann@contoso.test'),
    putUser(table, 'usr_bob', 'Bob Stone', null, 'bob.stone@contoso.test'),
    putUser(table, 'usr_admin', 'Admin', 'admin@contoso.test'),
    putGroup(table, 'grp_admins', 'Role admins', ['usr_admin', 'usr_kai']),
  ]);
  // Kai is also a Privileged Role Administrator, through a group: as the requestor he must get one email, not two.
  await putAdminHolder(table, 'grp_admins', 'group', BUILTIN_ROLE_IDS.privilegedRoleAdministrator);
  await putAdminHolder(table, 'usr_admin', 'user');
  await putPolicy(table, ROLE, {
    Notification_Approver_EndUser_Assignment: { notificationRecipients: ['desk@contoso.test'] },
    Notification_Admin_EndUser_Assignment: { notificationRecipients: ['soc@contoso.test', 'ADMIN@contoso.test'] },
    Notification_Admin_Admin_Eligibility: { notificationLevel: 'None' },
  });
  deps = createOutboxDeps(
    {
      tableName: table.tableName,
      region: 'us-east-1',
      dynamoEndpoint: dynamoEndpoint(),
      portalUrl: PORTAL,
      mailFrom: 'pim@contoso.test',
      sesEndpoint: inbox.url,
    },
    new ManualClock(AT),
  );
  handler = createHandler(deps);
});

afterAll(async () => {
  table?.db.destroy();
  await inbox?.stop();
});

beforeEach(async () => {
  await newEmails();
});

describe('notifications outbox', () => {
  it('asks each approver of the stage, and the policy’s extra address, with a link to the approval page', async () => {
    // Prepare
    const pending = request({ id: 'req_pending_1', approval: { stages: [stage('req_pending_1', ['usr_ann', 'usr_bob'])] } });

    // Act
    const result = await handler({ Records: [streamRecord('INSERT', undefined, requestItem(pending))] });

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const emails = await newEmails();
    expect([...emails.keys()].sort()).toEqual(['ann@contoso.test', 'bob.stone@contoso.test', 'desk@contoso.test']);
    for (const [, [message]] of emails) {
      expect(message!.from).toBe('pim@contoso.test');
      expect(message!.subject).toBe('Approval needed: Kai Tanaka requests Security Administrator');
      expect(message!.body.text).toContain(`${PORTAL}/approvals/req_pending_1`);
      expect(message!.body.html).toContain(`href="${PORTAL}/approvals/req_pending_1"`);
      expect(message!.body.text).toContain('Investigating incident 42');
    }
    expect((deps.events as MemoryEventPublisher).events.at(-1)).toMatchObject({
      type: 'approvalRequested',
      detail: { requestId: 'req_pending_1', approverIds: ['usr_ann', 'usr_bob'] },
    });
  });

  it('tells the requestor and the administrators of an activation, each address once', async () => {
    // Prepare: the request and its schedule are written in one transaction, so they come as two records.
    const activated = request({ id: 'req_act_1', status: 'Provisioned', approval: undefined, targetScheduleId: 'req_act_1' });
    const active = schedule({ id: 'req_act_1', createdUsing: 'req_act_1', assignmentType: 'Activated', activatedUsing: 'req_elig' });

    // Act
    const result = await handler({
      Records: [streamRecord('INSERT', undefined, requestItem(activated)), streamRecord('INSERT', undefined, scheduleItem(active))],
    });

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    const emails = await newEmails();
    expect([...emails.keys()].sort()).toEqual(['admin@contoso.test', 'kai@contoso.test', 'soc@contoso.test']);
    expect([...emails.values()].every((list) => list.length === 1)).toBe(true);
    expect(emails.get('kai@contoso.test')![0]!.subject).toBe('You activated Security Administrator');
    expect(emails.get('admin@contoso.test')![0]!.subject).toBe('Kai Tanaka activated Security Administrator');
    expect(emails.get('soc@contoso.test')![0]!.body.text).toContain(`${PORTAL}/requests/req_act_1`);
    expect((deps.events as MemoryEventPublisher).events.at(-1)).toMatchObject({
      type: 'activated',
      detail: { scheduleId: 'req_act_1', principalId: 'usr_kai' },
    });
  });

  it('sends each email once when the stream hands over the same record again, and resends one whose send failed', async () => {
    // Prepare
    const pending = request({ id: 'req_retry_1', approval: { stages: [stage('req_retry_1', ['usr_ann'])] } });
    const record = streamRecord('INSERT', undefined, requestItem(pending));
    const realMailer = deps.mailer;
    let failFor: string | undefined = 'ann@contoso.test';
    deps.mailer = {
      send: async (to, email) => {
        if (to === failFor) throw new Error('SES is down for Ann');
        await realMailer.send(to, email);
      },
    };

    // Act: the first attempt reaches the desk but not Ann; then the record is retried twice
    try {
      await handler({ Records: [record] });
      failFor = undefined;
      await handler({ Records: [record] });
      await handler({ Records: [record] });
    } finally {
      deps.mailer = realMailer;
    }

    // Assess
    const emails = await newEmails();
    expect(emails.get('ann@contoso.test')).toHaveLength(1);
    expect(emails.get('desk@contoso.test')).toHaveLength(1);
  });

  it('sends nothing to a recipient type whose rule is at level None', async () => {
    // Prepare
    const assigned = request({
      id: 'req_assign_1',
      canonicalAction: 'adminAssign',
      action: 'adminAssign',
      kind: 'eligibility',
      status: 'Provisioned',
      approval: undefined,
      createdBy: { application: null, device: null, user: { id: 'usr_admin', displayName: 'Admin' } },
    });

    // Act
    await handler({ Records: [streamRecord('INSERT', undefined, requestItem(assigned))] });

    // Assess
    const emails = await newEmails();
    expect([...emails.keys()]).toEqual(['kai@contoso.test']);
    expect(emails.get('kai@contoso.test')![0]!.subject).toBe('You are now eligible for Security Administrator');
    expect(emails.get('kai@contoso.test')![0]!.body.text).toContain('Requested by: Admin');
  });

  it('warns of an expiry when the sweeper puts its reminder, reading the schedule as it stands', async () => {
    // Prepare: an active assignment ending in a day, stored with its pointer (found by id alone).
    const ending = schedule({ id: 'req_ending_1', createdUsing: 'req_ending_1', endDateTime: '2025-03-02T09:00:00.000Z' });
    for (const write of putNewSchedule(ending)) if ('put' in write) await table.db.send(new PutCommand({ TableName: table.tableName, Item: write.put.Item }));

    // Act
    await handler({ Records: [streamRecord('INSERT', undefined, reminderItem('expiresIn1Day', 'schedule', 'req_ending_1'))] });

    // Assess
    const emails = await newEmails();
    expect([...emails.keys()].sort()).toEqual(['admin@contoso.test', 'kai@contoso.test']);
    expect(emails.get('kai@contoso.test')![0]!.subject).toBe('Your active assignment of Security Administrator expires tomorrow');
    expect(emails.get('kai@contoso.test')![0]!.body.text).toContain(`${PORTAL}/requests/req_ending_1`);
  });

  it('sends nothing for a change that moves no status', async () => {
    const pending = request({ id: 'req_pending_2' });
    await handler({ Records: [streamRecord('MODIFY', requestItem(pending), requestItem(pending, 1, { taskToken: 'token' }))] });
    expect((await newEmails()).size).toBe(0);
  });
});
