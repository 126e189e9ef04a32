import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendEmailCommand, SESv2Client, TooManyRequestsException, MessageRejected } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createEventBridgePublisher, createMemoryEventPublisher } from '../../../shared/services/notifications/event-publisher.ts';
import { createSesMailer } from '../../../shared/services/notifications/mailer.ts';
import { backoffDelay, isTransientAwsError } from '../../../shared/services/notifications/retry.ts';

const email = { subject: 'Approval needed', html: '<p>hi</p>', text: 'hi' };
const throttled = () => new TooManyRequestsException({ message: 'Too many requests', $metadata: { httpStatusCode: 429 } });
const serverFault = () => Object.assign(new Error('internal'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 }, $fault: 'server' });

const ses = mockClient(SESv2Client);
const bridge = mockClient(EventBridgeClient);

function retry() {
  return { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, sleep: vi.fn(async (_ms: number) => {}), random: () => 0.5 };
}

beforeEach(() => {
  ses.reset();
  bridge.reset();
});

describe('SES mailer', () => {
  it('retries throttling with growing, jittered waits, then sends', async () => {
    // Prepare
    ses.on(SendEmailCommand).rejectsOnce(throttled()).rejectsOnce(serverFault()).resolves({ MessageId: 'm1' });
    const options = retry();

    // Act
    await createSesMailer(new SESv2Client({ region: 'us-east-1' }), 'pim@contoso.test', options).send('kai@contoso.test', email);

    // Assess
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 3);
    expect(options.sleep.mock.calls.map(([ms]) => ms)).toEqual([50, 100]);
    expect(ses).toHaveReceivedCommandWith(SendEmailCommand, {
      FromEmailAddress: 'pim@contoso.test',
      Destination: { ToAddresses: ['kai@contoso.test'] },
      Content: {
        Simple: {
          Subject: { Data: 'Approval needed', Charset: 'UTF-8' },
          Body: { Html: { Data: '<p>hi</p>', Charset: 'UTF-8' }, Text: { Data: 'hi', Charset: 'UTF-8' } },
        },
      },
    });
  });

  it('gives up after the last attempt and throws the error', async () => {
    ses.on(SendEmailCommand).rejects(throttled());
    const options = retry();
    await expect(createSesMailer(new SESv2Client({ region: 'us-east-1' }), 'pim@contoso.test', options).send('kai@contoso.test', email)).rejects.toThrow(
      'Too many requests',
    );
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 4);
    expect(options.sleep).toHaveBeenCalledTimes(3);
  });

  it('does not retry a rejected message', async () => {
    ses.on(SendEmailCommand).rejects(new MessageRejected({ message: 'Email address is not verified', $metadata: { httpStatusCode: 400 } }));
    const options = retry();
    await expect(createSesMailer(new SESv2Client({ region: 'us-east-1' }), 'pim@contoso.test', options).send('kai@contoso.test', email)).rejects.toThrow(
      'not verified',
    );
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(options.sleep).not.toHaveBeenCalled();
  });
});

describe('retry policy', () => {
  it('caps the exponential step and scales it by the jitter', () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, opts))).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it.each([
    ['throttling', throttled(), true],
    ['a 5xx', serverFault(), true],
    ['a dropped connection', Object.assign(new Error('socket hang up'), { name: 'Error' }), true],
    ['a 400', Object.assign(new Error('bad'), { name: 'BadRequestException', $metadata: { httpStatusCode: 400 }, $fault: 'client' }), false],
    ['not an error', 'text', false],
  ])('%s is transient: %s', (_name, error, expected) => {
    expect(isTransientAwsError(error)).toBe(expected);
  });
});

describe('event publishers', () => {
  const event = { type: 'activated' as const, time: '2025-03-01T09:00:00.000Z', detail: { scheduleId: 'req_1', principalId: 'usr_kai' } };

  it('puts events on the configured bus with source stint and a detail-type per event', async () => {
    bridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    await createEventBridgePublisher(new EventBridgeClient({ region: 'us-east-1' }), 'stint-bus', retry()).publish([event]);
    expect(bridge).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [{ Source: 'stint', DetailType: 'Role Activated', Detail: JSON.stringify(event.detail), Time: new Date(event.time), EventBusName: 'stint-bus' }],
    });
  });

  it('sends again only the entries EventBridge failed', async () => {
    bridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'e1' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e2' }] });
    await createEventBridgePublisher(new EventBridgeClient({ region: 'us-east-1' }), 'stint-bus', retry()).publish([event, { ...event, type: 'expired' }]);
    const calls = bridge.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.Entries!.map((e) => e.DetailType)).toEqual(['Role Assignment Expired']);
  });

  it('keeps events in memory and logs them when there is no bus', async () => {
    const lines: string[] = [];
    const publisher = createMemoryEventPublisher((line) => lines.push(line));
    await publisher.publish([event]);
    expect(publisher.events).toEqual([event]);
    expect(JSON.parse(lines[0]!)).toMatchObject({ source: 'stint', 'detail-type': 'Role Activated' });
  });
});
