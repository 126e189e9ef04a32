/**
 * Reads one API request may share, so that it waits for fewer round trips: the caller's directory object,
 * read to authenticate, is the principal an activation is for; the caller's partition, read for every
 * authorization and decision, is started beside that first read instead of after it.
 *
 * Safe because a shared read is exactly as fresh as the request's own reads were: it was made during
 * this request, consistently, and it is served only until the request writes anything (any write through
 * the client forgets them, so a use case reading after its own write reads again) and for at most a
 * second. Conditions inside the transactions still decide every race, as before. Outside a request
 * (tests, jobs, stream consumers) nothing is shared and every read goes to the table.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const MAX_AGE_MS = 1_000;
const READ_COMMANDS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);

interface Shared {
  reads: Map<string, { at: number; value: Promise<unknown> }>;
}

const requests = new AsyncLocalStorage<Shared>();

/** Runs one request's work with reads it may share. */
export function withReadAhead<T>(fn: () => Promise<T>): Promise<T> {
  return requests.run({ reads: new Map() }, fn);
}

export const insideRequest = (): boolean => requests.getStore() !== undefined;

/**
 * `read()`, or the same read made earlier in this request (a copy: callers may change what they get).
 * `key` names what is read (a table key); reads under one key must return the same thing.
 */
export async function sharedRead<T>(key: string, read: () => Promise<T>): Promise<T> {
  const shared = requests.getStore();
  if (!shared) return read();
  const now = performance.now();
  let known = shared.reads.get(key);
  if (!known || now - known.at > MAX_AGE_MS) {
    known = { at: now, value: read() };
    const entry = known;
    shared.reads.set(key, entry);
    entry.value.catch(() => shared.reads.get(key) === entry && shared.reads.delete(key));
  }
  return structuredClone((await known.value) as T);
}

function forgetSharedReads(): void {
  requests.getStore()?.reads.clear();
}

/** Makes every write through the client (when it starts and when it ends) forget the request's shared reads. */
export function forgetReadsOnWrite<T extends Pick<DynamoDBClient, 'middlewareStack'>>(client: T): T {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (READ_COMMANDS.has(String(context.commandName))) return next(args);
      forgetSharedReads();
      try {
        return await next(args);
      } finally {
        forgetSharedReads();
      }
    },
    { step: 'initialize', name: 'stintForgetReadsOnWrite' },
  );
  return client;
}
