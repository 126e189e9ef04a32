/**
 * The reads one request may share (shared/store/read-ahead.ts): shared only inside a request, handed out as
 * copies, forgotten on any write through the client, and never shared across requests.
 */
import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { forgetReadsOnWrite, sharedRead, withReadAhead } from '../../../shared/store/read-ahead.ts';

function counter() {
  let calls = 0;
  return {
    read: async () => ({ calls: ++calls, roles: ['reader'] }),
    get calls() {
      return calls;
    },
  };
}

describe('shared reads', () => {
  it('outside a request, every read goes to the table', async () => {
    // Prepare
    const source = counter();

    // Act
    await sharedRead('PRN#u1', source.read);
    await sharedRead('PRN#u1', source.read);

    // Assess
    expect(source.calls).toBe(2);
  });

  it('inside one request, a repeated read is served once, as a copy the caller may change', async () => {
    // Prepare
    const source = counter();

    // Act
    const [first, second] = await withReadAhead(async () => {
      const a = await sharedRead('PRN#u1', source.read);
      a.roles.push('changed by the first caller');
      const b = await sharedRead('PRN#u1', source.read);
      return [a, b];
    });

    // Assess
    expect(source.calls).toBe(1);
    expect(second).toEqual({ calls: 1, roles: ['reader'] });
    expect(first.roles).toEqual(['reader', 'changed by the first caller']);
  });

  it('never shares between two requests', async () => {
    // Prepare
    const source = counter();

    // Act
    await withReadAhead(() => sharedRead('PRN#u1', source.read));
    await withReadAhead(() => sharedRead('PRN#u1', source.read));

    // Assess
    expect(source.calls).toBe(2);
  });

  it('forgets what it read once the request writes through the client, and reads again', async () => {
    // Prepare: a real client whose calls stop before the network, answered at once
    const client = forgetReadsOnWrite(new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }));
    client.middlewareStack.add(() => async () => ({ output: { $metadata: {} }, response: {} }), { step: 'initialize', priority: 'low', name: 'answerAtOnce' });
    const source = counter();

    // Act
    const after = await withReadAhead(async () => {
      await sharedRead('PRN#u1', source.read);
      await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }));
      await sharedRead('PRN#u1', source.read);
      await client.send(new TransactWriteItemsCommand({ TransactItems: [] }));
      return sharedRead('PRN#u1', source.read);
    });

    // Assess
    expect(source.calls).toBe(2);
    expect(after.calls).toBe(2);
  });

  it('does not keep a failed read: the next one tries again', async () => {
    // Prepare
    let attempts = 0;
    const flaky = async () => {
      attempts++;
      if (attempts === 1) throw new Error('throttled');
      return { ok: true };
    };

    // Act
    const result = await withReadAhead(async () => {
      await expect(sharedRead('PRN#u1', flaky)).rejects.toThrow('throttled');
      return sharedRead('PRN#u1', flaky);
    });

    // Assess
    expect(result).toEqual({ ok: true });
    expect(attempts).toBe(2);
  });
});
