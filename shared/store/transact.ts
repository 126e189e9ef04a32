/**
 * The one way state changes reach the table: the change's writes, each with its condition, plus the
 * audit record and its chain's head, in a single TransactWriteItems. Either all of it is written or none
 * of it, so there is never a change without its audit record, half a change, or a forked audit chain. A
 * failed condition becomes the typed error that the failing write names.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditRecord } from '../domain/audit.ts';
import { ConflictError, type DomainError } from '../domain/errors.ts';
import { auditItem, chainedAuditPuts, readChainHead } from './audit-chain.ts';
import { backOff, type TableContext } from './table-context.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Put = NonNullable<TransactItem['Put']>;
type Update = NonNullable<TransactItem['Update']>;
type Delete = NonNullable<TransactItem['Delete']>;
type Check = NonNullable<TransactItem['ConditionCheck']>;

type WithoutTable<T> = Omit<T, 'TableName'>;

/** One write of a change, and the error to raise if its condition does not hold. */
export type ConditionalWrite =
  | { put: WithoutTable<Put>; onConditionFailed?: () => DomainError }
  | { update: WithoutTable<Update>; onConditionFailed?: () => DomainError }
  | { delete: WithoutTable<Delete>; onConditionFailed?: () => DomainError }
  | { check: WithoutTable<Check>; onConditionFailed: () => DomainError };

/** DynamoDB allows 100 items per transaction; two are the audit record and its chain's head. */
export const MAX_WRITES_PER_CHANGE = 98;

/** Transactions touching a shared item (a chain head, a group guard) at once conflict; nothing was written, so retry with growing jitter. */
export const CONFLICT_RETRIES = 12;
/**
 * Writers to one chain (changes to one object) take turns at its head. Losing that race cancels nothing
 * but the attempt, so it is retried more often than a conflict on the change itself, with jitter that
 * grows so that a burst of writers spreads out.
 */
export const CHAIN_RETRIES = 24;

function toTransactItem(write: ConditionalWrite, TableName: string): TransactItem {
  if ('put' in write) return { Put: { ...write.put, TableName } };
  if ('update' in write) return { Update: { ...write.update, TableName } };
  if ('delete' in write) return { Delete: { ...write.delete, TableName } };
  return { ConditionCheck: { ...write.check, TableName } };
}

/** The audit record's item as written before chaining (kept for tests and tools that build items). */
export function auditPut(record: AuditRecord, chainId: string): ConditionalWrite {
  return { put: { Item: auditItem(record, chainId), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/**
 * Commits the writes and the audit record atomically. `chainId` groups audit records by the object
 * they are about (the target), which is how they are read back per object and how they are chained.
 * Each attempt reads the chain's head and conditions its move on it.
 */
export async function commitChange(table: TableContext, writes: ConditionalWrite[], audit: { record: AuditRecord; chainId: string }): Promise<void> {
  if (writes.length > MAX_WRITES_PER_CHANGE) {
    throw new ConflictError(`A single change may touch at most ${MAX_WRITES_PER_CHANGE} items.`, 'Request_TooManyItems');
  }
  let conflicts = 0;
  for (let chainRaces = 0; ;) {
    const head = await readChainHead(table, audit.chainId);
    const chained = chainedAuditPuts(audit.record, audit.chainId, head, table.auditRetentionDays);
    const all: ConditionalWrite[] = [...writes, { put: chained.record }, { put: chained.head }];
    const headIndex = all.length - 1;
    const input: TransactWriteCommandInput = { TransactItems: all.map((w) => toTransactItem(w, table.tableName)) };
    try {
      await table.db.send(new TransactWriteCommand(input));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      if (failed === headIndex && reasons.every((r, i) => i === headIndex || r.Code !== 'ConditionalCheckFailed')) {
        // Another record joined the chain since its head was read: read it again and link after that one.
        if (++chainRaces <= CHAIN_RETRIES) {
          await backOff(table, Math.random() * 10 * Math.min(chainRaces, 6));
          continue;
        }
        throw new ConflictError('The object is being changed by another request; try again.', 'Request_ConcurrentModification');
      }
      if (failed >= 0) {
        throw (
          all[failed]?.onConditionFailed?.() ??
          new ConflictError('The object was changed by another request; read it again and retry.', 'Request_ConcurrentModification')
        );
      }
      // Throttling or a malformed write is no conflict: a 409 would send clients retrying a server fault.
      if (!reasons.some((r) => r.Code === 'TransactionConflict')) throw error;
      // Another transaction held one of the items: nothing was written, so trying again is safe.
      if (conflicts++ < CONFLICT_RETRIES) {
        await backOff(table, 10 + Math.random() * 40 * conflicts);
        continue;
      }
      throw new ConflictError('The object is being changed by another request; try again.', 'Request_ConcurrentModification');
    }
  }
}

/**
 * One conditional write with no audit record, for bookkeeping that changes nothing anyone holds (when an
 * alert was last scanned). A failed condition is the write's own error, as in commitChange.
 */
export async function runWrite(table: TableContext, write: ConditionalWrite): Promise<void> {
  try {
    if ('put' in write) await table.db.send(new PutCommand({ ...write.put, TableName: table.tableName }));
    else if ('update' in write) await table.db.send(new UpdateCommand({ ...write.update, TableName: table.tableName }));
    else if ('delete' in write) await table.db.send(new DeleteCommand({ ...write.delete, TableName: table.tableName }));
    else throw new Error('A condition check alone writes nothing; use commitChange.');
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    throw (
      write.onConditionFailed?.() ?? new ConflictError('The object was changed by another request; read it again and retry.', 'Request_ConcurrentModification')
    );
  }
}
