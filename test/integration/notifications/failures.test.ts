/**
 * When email keeps failing: the handler still resolves (the shard moves on, access stands), and the
 * failure is kept as a NotificationFailed audit record and an EMF metric line. When anything else
 * fails, that record is reported for retry and nothing after it is processed.
 */
import { SendEmailCommand, SESv2Client, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandler } from '../../../functions/stream/notifications.ts';
import { ManualClock } from '../../../shared/domain/clock.ts';
import { createMemoryEventPublisher } from '../../../shared/services/notifications/event-publisher.ts';
import { createSesMailer } from '../../../shared/services/notifications/mailer.ts';
import type { OutboxDeps } from '../../../shared/services/notifications/outbox.ts';
import { PageTokens } from '../../../shared/store/page-token.ts';
import type { TableContext } from '../../../shared/store/table-context.ts';
import { AT, request, requestItem, streamRecord } from '../../helpers/notification-fixtures.ts';
import { createTestTable, putAdminHolder, putUser } from './seed.ts';

const ses = mockClient(SESv2Client);
let table: TableContext;
let lines: string[];
let sleep: ReturnType<typeof vi.fn<(ms: number) => Promise<void>>>;

function deps(overrides: Partial<OutboxDeps> = {}): OutboxDeps {
  return {
    services: { table, clock: new ManualClock(AT), pageTokens: new PageTokens('test') },
    mailer: createSesMailer(new SESv2Client({ region: 'us-east-1' }), 'pim@contoso.test', {
      maxAttempts: 3,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      sleep,
      random: () => 0.5,
    }),
    events: createMemoryEventPublisher(),
    portalUrl: 'http://localhost:3000/portal',
    writeLog: (line) => lines.push(line),
    ...overrides,
  };
}

async function auditOf(chainId: string) {
  const result = await table.db.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `AUDIT#${chainId}` },
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []).map((i) => i.data);
}

beforeAll(async () => {
  table = await createTestTable('notify-failures');
  await Promise.all([
    putUser(table, 'usr_ann', 'Ann Lee', 'ann@contoso.test'),
    putUser(table, 'usr_bob', 'Bob Stone', 'bob@contoso.test'),
    putUser(table, 'usr_kai', 'Kai Tanaka', 'kai@contoso.test'),
  ]);
});

afterAll(() => {
  // The mock patches every SESv2Client; later files of this worker send real (local) email.
  ses.restore();
  table?.db.destroy();
});

beforeEach(() => {
  ses.reset();
  lines = [];
  sleep = vi.fn(async (_ms: number) => {});
});

describe('notification failures', () => {
  it('sends after throttling passes, and records nothing', async () => {
    // Prepare
    ses
      .on(SendEmailCommand)
      .rejectsOnce(new TooManyRequestsException({ message: 'slow down', $metadata: { httpStatusCode: 429 } }))
      .resolves({ MessageId: 'm' });
    const pending = request({
      id: 'req_fail_0',
      principalId: 'usr_kai',
      approval: {
        stages: [{ id: 'req_fail_0', approverIds: ['usr_ann'], fallback: false, requiredCount: 1, isApproverJustificationRequired: true, decisions: [] }],
      },
    });

    // Act
    const result = await createHandler(deps())({ Records: [streamRecord('INSERT', undefined, requestItem(pending))] });

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 2);
    expect(lines.some((l) => l.includes('NotificationFailures'))).toBe(false);
  });

  it('records an undeliverable High alert email against the alert, and resolves', async () => {
    // Prepare
    await putAdminHolder(table, 'usr_bob', 'user');
    ses.on(SendEmailCommand).rejects(new TooManyRequestsException({ message: 'Maximum sending rate exceeded', $metadata: { httpStatusCode: 429 } }));
    const alert = (isActive: boolean) => ({
      pk: 'ALERT#RolesAssignedOutsidePrivilegedIdentityManagementAlert',
      sk: 'ALERT',
      type: 'alert',
      version: isActive ? 2 : 1,
      alertType: 'RolesAssignedOutsidePrivilegedIdentityManagementAlert',
      isActive,
      incidentCount: isActive ? 1 : 0,
      lastScannedDateTime: AT,
      lastModifiedDateTime: AT,
      dismissedDateTime: null,
    });

    // Act
    const result = await createHandler(deps())({ Records: [streamRecord('MODIFY', alert(false), alert(true))] });

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, { Destination: { ToAddresses: ['bob@contoso.test'] } });
    const metric = lines.map((l) => JSON.parse(l)).find((l) => l._aws);
    expect(metric).toMatchObject({ NotificationKind: 'alertTriggered', NotificationFailures: 1 });
    const [record] = await auditOf('DirectoryRole_stint_RolesAssignedOutsidePrivilegedIdentityManagementAlert');
    expect(record).toMatchObject({
      activityDisplayName: 'NotificationFailed',
      result: 'failure',
      targetResources: [{ displayName: 'Roles are being assigned outside of Privileged Identity Management' }],
    });
  });

  it('records a failure that stays as an audit record and a metric, and resolves', async () => {
    // Prepare
    ses.on(SendEmailCommand).rejects(new TooManyRequestsException({ message: 'Maximum sending rate exceeded', $metadata: { httpStatusCode: 429 } }));
    const pending = request({
      id: 'req_fail_1',
      principalId: 'usr_kai',
      approval: {
        stages: [
          { id: 'req_fail_1', approverIds: ['usr_ann', 'usr_bob'], fallback: false, requiredCount: 1, isApproverJustificationRequired: true, decisions: [] },
        ],
      },
    });

    // Act
    const result = await createHandler(deps())({ Records: [streamRecord('INSERT', undefined, requestItem(pending))] });

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 6);
    expect(sleep).toHaveBeenCalledTimes(4);
    const metric = lines.map((l) => JSON.parse(l)).find((l) => l._aws);
    expect(metric).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'Stint', Dimensions: [['NotificationKind'], []], Metrics: [{ Name: 'NotificationFailures', Unit: 'Count' }] }] },
      NotificationKind: 'approvalRequested',
      NotificationFailures: 2,
      recipientCount: 2,
      requestId: 'req_fail_1',
    });
    const [record] = await auditOf('usr_kai');
    expect(record).toMatchObject({
      category: 'Notification',
      activityDisplayName: 'NotificationFailed',
      result: 'failure',
      initiatedBy: { app: { servicePrincipalId: 'system' } },
      additionalDetails: expect.arrayContaining([
        { key: 'notificationKind', value: 'approvalRequested' },
        { key: 'requestId', value: 'req_fail_1' },
        { key: 'recipientCount', value: '2' },
        { key: 'failedCount', value: '2' },
      ]),
    });
  });

  it('reports the first record that fails for another reason, and stops there', async () => {
    // Prepare: events cannot be published; the second record must not be sent before the first is retried.
    ses.on(SendEmailCommand).resolves({ MessageId: 'm' });
    const events = { publish: vi.fn(async () => Promise.reject(new Error('EventBridge is down'))) };
    const decided = request({
      id: 'req_fail_2',
      status: 'Denied',
      approval: {
        stages: [
          {
            id: 'req_fail_2',
            approverIds: ['usr_ann'],
            fallback: false,
            requiredCount: 1,
            isApproverJustificationRequired: false,
            decisions: [{ approverId: 'usr_ann', approverName: 'Ann', result: 'Deny', justification: null, at: AT }],
          },
        ],
      },
    });
    const before = request({ id: 'req_fail_2' });
    const first = streamRecord('MODIFY', requestItem(before), requestItem(decided, 2));
    const second = streamRecord('INSERT', undefined, requestItem(request({ id: 'req_fail_3' })));

    // Act
    const result = await createHandler(deps({ events }))({ Records: [first, second] });

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: first.dynamodb!.SequenceNumber }] });
    expect(events.publish).toHaveBeenCalledTimes(1);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
    expect(lines.map((l) => JSON.parse(l))).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: 'stream record failed', eventID: first.eventID }),
    );
  });
});
