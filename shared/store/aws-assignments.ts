/**
 * One item per account assignment (account, permission set, identity-store user): which active schedules
 * hold it, what Stint last saw of it in AWS, and the operation in flight. Every change is conditional:
 *
 * - a holder is added or removed only with a newer version of its schedule than the last one applied
 *   (`h_{scheduleId}`), so a stale read never undoes a newer change; an ended schedule writes FINAL;
 * - a create is claimed only while the state is `absent` and someone holds it; a delete only while the
 *   state is `present` and no one holds it. So the last holder to leave is the only one that deletes,
 *   whatever the order of parallel activations and deactivations (TEAM #279).
 * - each state change is conditioned on `rev`, the record's own counter.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AssignmentKey } from '../domain/aws-access.ts';
import { assignmentKeyString } from '../domain/aws-access.ts';
import { keys } from './keys.ts';
import { listObjects } from './directory-objects.ts';
import type { ShardCursor } from './sharded-list.ts';
import type { TableContext } from './table-context.ts';
import type { ConditionalWrite } from './transact.ts';
import { ConflictError } from '../domain/errors.ts';

export type AssignmentState = 'absent' | 'creating' | 'present' | 'deleting' | 'failed';

export interface AssignmentOperationRef {
  kind: 'create' | 'delete';
  /** Identity Center's request id; 'claimed' between the claim and the call's answer. */
  requestId: string;
  startedAt: string;
}

export interface AssignmentRecord extends AssignmentKey {
  permissionSetArn: string;
  /** The Stint user it is for. */
  principalId: string;
  holders: string[];
  state: AssignmentState;
  operation?: AssignmentOperationRef;
  /** When it was last confirmed to exist (create succeeded). */
  presentSince?: string;
  failureReason?: string;
  /** The holders a create failed for: they are told; a holder that came later makes Stint try again. */
  failedHolders: string[];
  deleteFailures: number;
  /** Set when Stint itself created it (a reconciler adoption of a pre-existing one leaves it unset). */
  grantedByStint: boolean;
  rev: number;
  changedAt: string;
}

/** The holder marker of a schedule that has ended or been removed: nothing can follow it. */
export const FINAL_VERSION = 2 ** 31;

const markerName = (scheduleId: string) => `h_${scheduleId.replace(/[^A-Za-z0-9_]/g, '_')}`;

function keyOf(key: AssignmentKey) {
  const k = keys.awsAssignment(assignmentKeyString(key));
  return { pk: k.pk, sk: k.sk };
}

function parse(item: Record<string, unknown>): AssignmentRecord {
  const holders = item.holders instanceof Set ? [...(item.holders as Set<string>)] : Array.isArray(item.holders) ? (item.holders as string[]) : [];
  return {
    accountId: String(item.accountId),
    permissionSetId: String(item.permissionSetId),
    userId: String(item.userId),
    permissionSetArn: String(item.permissionSetArn),
    principalId: String(item.principalId),
    holders: holders.sort(),
    state: (item.state as AssignmentState | undefined) ?? 'absent',
    operation: item.operation as AssignmentOperationRef | undefined,
    presentSince: item.presentSince as string | undefined,
    failureReason: item.failureReason as string | undefined,
    failedHolders: Array.isArray(item.failedHolders) ? (item.failedHolders as string[]) : [],
    deleteFailures: Number(item.deleteFailures ?? 0),
    grantedByStint: item.grantedByStint === true,
    rev: Number(item.rev ?? 0),
    changedAt: String(item.changedAt ?? ''),
  };
}

export async function getAssignmentRecord(table: TableContext, key: AssignmentKey): Promise<AssignmentRecord | undefined> {
  const result = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keyOf(key), ConsistentRead: true }));
  return result.Item ? parse(result.Item) : undefined;
}

export async function listAssignmentRecords(table: TableContext): Promise<AssignmentRecord[]> {
  const records: AssignmentRecord[] = [];
  let cursor: ShardCursor | undefined;
  do {
    const page = await listObjects(table, 'awsAssignment', 500, cursor);
    records.push(...page.items.map(parse));
    cursor = page.next;
  } while (cursor);
  return records;
}

export interface HolderChange {
  key: AssignmentKey;
  permissionSetArn: string;
  principalId: string;
  scheduleId: string;
  /** The schedule's version as read (FINAL_VERSION once it has ended or is gone). */
  version: number;
  holds: boolean;
}

/**
 * Applies one schedule's holding, creating the record on first use. False when a newer version of the
 * schedule was applied already (this read is stale and changes nothing).
 */
export async function applyHolder(table: TableContext, change: HolderChange): Promise<boolean> {
  const k = keys.awsAssignment(assignmentKeyString(change.key));
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keyOf(change.key),
        UpdateExpression:
          'SET #type = :type, accountId = :account, permissionSetId = :ps, userId = :user, permissionSetArn = :arn, principalId = :principal, ' +
          'gsi1pk = :g1pk, gsi1sk = :g1sk, #state = if_not_exists(#state, :absent), rev = if_not_exists(rev, :zero), #m = :v ' +
          `${change.holds ? 'ADD' : 'DELETE'} holders :me`,
        ConditionExpression: 'attribute_not_exists(#m) OR #m < :v',
        ExpressionAttributeNames: { '#type': 'type', '#state': 'state', '#m': markerName(change.scheduleId) },
        ExpressionAttributeValues: {
          ':type': 'awsAssignment',
          ':account': change.key.accountId,
          ':ps': change.key.permissionSetId,
          ':user': change.key.userId,
          ':arn': change.permissionSetArn,
          ':principal': change.principalId,
          ':g1pk': k.gsi1pk,
          ':g1sk': k.gsi1sk,
          ':absent': 'absent',
          ':zero': 0,
          ':v': change.version,
          ':me': new Set([change.scheduleId]),
        },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export interface StateMove {
  from: AssignmentRecord;
  state: AssignmentState;
  operation?: AssignmentOperationRef | null;
  presentSince?: string;
  failureReason?: string | null;
  failedHolders?: string[] | null;
  deleteFailures?: number;
  grantedByStint?: boolean;
  /** 'some': only while someone holds it (a create); 'none': only while no one does (a delete). */
  holders?: 'some' | 'none';
}

/** The update of one move, conditioned on the revision read (and on who holds it, for claims). */
function moveUpdate(move: StateMove, now: Date) {
  const set = ['#state = :state', 'rev = :next', 'changedAt = :now'];
  const remove: string[] = [];
  const values: Record<string, unknown> = { ':state': move.state, ':next': move.from.rev + 1, ':rev': move.from.rev, ':now': now.toISOString() };
  const optional = (name: string, value: unknown) => {
    if (value === undefined) return;
    if (value === null) remove.push(name);
    else {
      set.push(`${name} = :${name}`);
      values[`:${name}`] = value;
    }
  };
  optional('operation', move.operation);
  optional('presentSince', move.presentSince);
  optional('failureReason', move.failureReason);
  optional('failedHolders', move.failedHolders);
  optional('deleteFailures', move.deleteFailures);
  optional('grantedByStint', move.grantedByStint);
  const conditions = ['rev = :rev'];
  if (move.holders === 'some') conditions.push('attribute_exists(holders)');
  if (move.holders === 'none') conditions.push('attribute_not_exists(holders)');
  return {
    Key: keyOf(move.from),
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: values,
  };
}

/** Moves the record's state, conditioned on the revision read (and on who holds it, for claims). False: it moved meanwhile. */
export async function moveState(table: TableContext, move: StateMove, now: Date): Promise<boolean> {
  try {
    await table.db.send(new UpdateCommand({ TableName: table.tableName, ...moveUpdate(move, now) }));
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** The same move as one write of an audited change (commitChange): a repair and its audit record land together or not at all. */
export function moveStateWrite(move: StateMove, now: Date): ConditionalWrite {
  return {
    update: moveUpdate(move, now),
    onConditionFailed: () => new ConflictError('The AWS assignment record changed meanwhile.', 'AwsAssignmentMoved'),
  };
}
