/**
 * A record of the DynamoDB calls a piece of work makes (round trips and consumed capacity units), for the
 * benchmark's cost and round-trip figures. Off unless STINT_RECORD_DYNAMO_CALLS=1: production clients get
 * no middleware, so they pay nothing and ask DynamoDB for no ConsumedCapacity they would not read.
 *
 * When on, every call asks for ReturnConsumedCapacity 'INDEXES' (unless it asked for something already)
 * and is appended to the log of each open `withDynamoCallLog` scope it runs in (AsyncLocalStorage: work
 * started inside the scope, however deeply, counts; background work that shares the client does not),
 * and to every process-wide tally (`openTally`), which also sees background work.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readSettings } from '../settings.ts';

/** Read when a client is made (and per request for the report), so a benchmark may turn it on before it starts a stack. */
export const recordingDynamoCalls = (): boolean => readSettings().observability.recordDynamoCalls;

export interface DynamoCall {
  command: string;
  kind: 'read' | 'write' | 'transaction';
  /** performance.now() when the call started and ended, retries included. */
  start: number;
  end: number;
  /** Capacity units as DynamoDB reports them (table and indexes); 0 where it reports none. */
  readUnits: number;
  writeUnits: number;
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
const TRANSACTIONS = new Set(['TransactWriteItemsCommand']);
const WITH_CAPACITY = new Set([
  ...READS,
  ...TRANSACTIONS,
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'ExecuteStatementCommand',
]);

const scopes = new AsyncLocalStorage<DynamoCall[][]>();
const tallies = new Set<DynamoCall[]>();

/** Runs `fn`, returning its value and the DynamoDB calls made on its behalf (nested scopes each see them). */
export async function withDynamoCallLog<T>(fn: () => Promise<T>): Promise<{ value: T; calls: DynamoCall[] }> {
  const calls: DynamoCall[] = [];
  const value = await scopes.run([...(scopes.getStore() ?? []), calls], fn);
  return { value, calls };
}

/** Starts recording every call of the process (background work included) until `close()`. */
export function openTally(): { calls: DynamoCall[]; close(): DynamoCall[] } {
  const calls: DynamoCall[] = [];
  tallies.add(calls);
  return {
    calls,
    close: () => {
      tallies.delete(calls);
      return calls;
    },
  };
}

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/**
 * Read and write units of one response (its total: table and indexes). DynamoDB Local reports the split
 * only for transactions (all of it as write units, condition checks included); otherwise the command
 * says which kind they are.
 */
function unitsOf(kind: DynamoCall['kind'], consumed: unknown): { readUnits: number; writeUnits: number } {
  const entries = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as Capacity[];
  let readUnits = 0;
  let writeUnits = 0;
  for (const c of entries) {
    if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
      readUnits += c.ReadCapacityUnits ?? 0;
      writeUnits += c.WriteCapacityUnits ?? 0;
    } else if (kind === 'read') readUnits += c.CapacityUnits ?? 0;
    else writeUnits += c.CapacityUnits ?? 0;
  }
  return { readUnits, writeUnits };
}

/** Adds the recording middleware to a client when STINT_RECORD_DYNAMO_CALLS=1; otherwise leaves it alone. */
export function recordDynamoCalls<T extends Pick<DynamoDBClient, 'middlewareStack'>>(client: T, enabled = recordingDynamoCalls()): T {
  if (!enabled) return client;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName ?? 'unknown');
      const input = args.input as Record<string, unknown>;
      const asked =
        WITH_CAPACITY.has(command) && input.ReturnConsumedCapacity === undefined ? { ...args, input: { ...input, ReturnConsumedCapacity: 'INDEXES' } } : args;
      const kind: DynamoCall['kind'] = READS.has(command) ? 'read' : TRANSACTIONS.has(command) ? 'transaction' : 'write';
      const start = performance.now();
      const result = await next(asked);
      const output = result.output as { ConsumedCapacity?: unknown };
      const call: DynamoCall = { command: command.replace(/Command$/, ''), kind, start, end: performance.now(), ...unitsOf(kind, output.ConsumedCapacity) };
      for (const log of scopes.getStore() ?? []) log.push(call);
      for (const tally of tallies) tally.push(call);
      return result;
    },
    { step: 'initialize', name: 'stintRecordDynamoCalls' },
  );
  return client;
}

export interface CallSummary {
  calls: number;
  /** Sequential reads: the longest chain of read calls each started after the one before it ended. */
  readRoundTrips: number;
  reads: number;
  writes: number;
  transactions: number;
  readUnits: number;
  writeUnits: number;
}

/**
 * Counts of a log. Reads made in parallel share a round trip: what a request waits for is its longest
 * chain of dependent reads, not how many reads it makes.
 */
export function summarizeCalls(calls: readonly DynamoCall[]): CallSummary {
  const reads = calls.filter((c) => c.kind === 'read').sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  reads.forEach((c, i) => {
    depth[i] = 1 + Math.max(0, ...reads.slice(0, i).flatMap((p, j) => (p.end <= c.start ? [depth[j]!] : [])));
  });
  const sum = (f: (c: DynamoCall) => number) => calls.reduce((total, c) => total + f(c), 0);
  return {
    calls: calls.length,
    readRoundTrips: Math.max(0, ...depth),
    reads: reads.length,
    writes: calls.filter((c) => c.kind === 'write').length,
    transactions: calls.filter((c) => c.kind === 'transaction').length,
    readUnits: sum((c) => c.readUnits),
    writeUnits: sum((c) => c.writeUnits),
  };
}

/** The response header that carries a request's calls when recording is on (the benchmark reads it). */
export const DYNAMO_CALLS_HEADER = 'x-stint-dynamo-calls';

export interface ReportedCalls {
  /** How long the handler worked on the request, in milliseconds (what Lambda would bill). */
  ms: number;
  calls: DynamoCall[];
}

/** Runs a request's handler; when recording, its answer carries the calls it made (ReportedCalls, as JSON). */
export async function reportDynamoCalls<R extends { headers?: Record<string, string | number | boolean> }>(fn: () => Promise<R>): Promise<R> {
  if (!recordingDynamoCalls()) return fn();
  const start = performance.now();
  const { value, calls } = await withDynamoCallLog(fn);
  const reported: ReportedCalls = { ms: performance.now() - start, calls: calls.map((c) => ({ ...c, start: c.start - start, end: c.end - start })) };
  return { ...value, headers: { ...value.headers, [DYNAMO_CALLS_HEADER]: JSON.stringify(reported) } };
}
