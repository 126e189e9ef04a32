/**
 * Eligibility and assignment schedules. Each lives in its principal's partition (one consistent query
 * answers "what may this principal do now"), is indexed by role (who holds role R), by end (the sweeper)
 * and in the sharded listing, and has a pointer item so Graph can address it by id alone.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { groupAccessOf, isGroupMembership } from '../domain/group-access.ts';
import type { Schedule, ScheduleKind } from '../domain/schedule.ts';
import { scopeKey } from '../domain/scope.ts';
import { keys, prefixes, type SlotKind } from './keys.ts';
import { queryAll } from './query-all.ts';
import { insideRequest, sharedRead } from './read-ahead.ts';
import { INDEXES, TTL_ATTRIBUTE } from './table-schema.ts';
import { listObjects } from './directory-objects.ts';
import type { ShardCursor } from './sharded-list.ts';
import type { TableContext } from './table-context.ts';
import type { ConditionalWrite } from './transact.ts';

export const scheduleSchema = z.object({
  id: z.string(),
  kind: z.enum(['eligibility', 'assignment']),
  principalId: z.string(),
  principalType: z.enum(['user', 'group', 'servicePrincipal']),
  roleDefinitionId: z.string(),
  directoryScopeId: z.string(),
  appScopeId: z.null(),
  memberType: z.literal('Direct'),
  assignmentType: z.enum(['Assigned', 'Activated']).nullable(),
  status: z.enum(['Provisioned', 'Granted', 'Expired']),
  createdUsing: z.string(),
  createdDateTime: z.string(),
  modifiedDateTime: z.string().nullable(),
  startDateTime: z.string(),
  endDateTime: z.string().nullable(),
  expirationType: z.enum(['noExpiration', 'afterDateTime', 'afterDuration']),
  duration: z.string().nullable(),
  activatedUsing: z.string().nullable(),
  protectedHolder: z.boolean().optional(),
  timedBy: z.string().optional(),
  aws: z
    .object({
      state: z.enum(['provisioning', 'provisioned', 'failed', 'revoked']),
      usableDateTime: z.string().optional(),
      failureReason: z.string().optional(),
      revokedDateTime: z.string().optional(),
      sessionDuration: z.string().optional(),
    })
    .optional(),
}) satisfies z.ZodType<Schedule>;

export interface StoredSchedule {
  version: number;
  data: Schedule;
  /** Eligibilities: how many activations were made from it (see recordActivation). */
  activations: number;
}

/** How long an expired schedule is kept: past the 30 days in which it can be renewed, then TTL removes it. */
const EXPIRED_RETENTION_SECONDS = 45 * 24 * 3600;

/** The sparse "due" key of a schedule: its start while Granted, its end while it has one, none once Expired. */
function dueKey(s: Schedule) {
  if (s.status === 'Expired') return {};
  if (s.status === 'Granted') return keys.scheduleStart(s.startDateTime, s.id);
  return s.endDateTime ? keys.scheduleEnd(s.endDateTime, s.id) : {};
}

/** Who-holds index and listing: by role for roles; by group for group access (no hot `ROLE#member` partition). */
function holderKeys(s: Schedule) {
  const group = groupAccessOf(s);
  if (group) {
    return {
      ...keys.scheduleByGroup(group.groupId, s.kind, group.accessId, s.principalId, s.id),
      ...keys.listing(s.kind === 'eligibility' ? 'groupEligibilitySchedule' : 'groupAssignmentSchedule', s.id),
    };
  }
  return {
    ...keys.scheduleByRole(s.roleDefinitionId, s.kind, scopeKey(s.directoryScopeId), s.principalId, s.id),
    ...keys.listing(s.kind === 'eligibility' ? 'eligibilitySchedule' : 'assignmentSchedule', s.id),
  };
}

export function scheduleItem(s: Schedule, version: number) {
  return {
    ...keys.schedule(s.principalId, s.kind, s.id),
    ...holderKeys(s),
    ...dueKey(s),
    ...(s.status === 'Expired' && s.endDateTime ? { [TTL_ATTRIBUTE]: Math.floor(Date.parse(s.endDateTime) / 1000) + EXPIRED_RETENTION_SECONDS } : {}),
    type: 'schedule',
    version,
    data: s,
  };
}

function parse(item: Record<string, unknown>): StoredSchedule {
  const data = scheduleSchema.safeParse(item.data);
  if (!data.success) throw new Error(`Stored schedule ${String(item.sk)} does not match its schema: ${data.error.message}`);
  return { version: Number(item.version), data: data.data, activations: Number(item.activations ?? 0) };
}

export function putNewSchedule(s: Schedule): ConditionalWrite[] {
  return [
    {
      put: { Item: scheduleItem(s, 1), ConditionExpression: 'attribute_not_exists(pk)' },
      onConditionFailed: () => new ConflictError(`Schedule '${s.id}' already exists.`, 'RoleAssignmentExists'),
    },
    {
      put: {
        Item: { ...keys.schedulePointer(s.id), type: 'schedulePointer', principalId: s.principalId, kind: s.kind },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

export function replaceSchedule(s: Schedule, expectedVersion: number): ConditionalWrite {
  return {
    put: { Item: scheduleItem(s, expectedVersion + 1), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } },
    onConditionFailed: () => new ConflictError(`Schedule '${s.id}' was changed by another request; retry.`, 'Request_ConcurrentModification'),
  };
}

/** With `expectedActivations` (an eligibility's removal), fails if an activation was made from it since it was read. */
export function deleteSchedule(s: Schedule, expectedVersion: number, expectedActivations?: number): ConditionalWrite[] {
  const counted = expectedActivations !== undefined;
  return [
    {
      delete: {
        Key: keys.schedule(s.principalId, s.kind, s.id),
        ConditionExpression: counted ? 'version = :v AND (attribute_not_exists(activations) OR activations = :n)' : 'version = :v',
        ExpressionAttributeValues: counted ? { ':v': expectedVersion, ':n': expectedActivations } : { ':v': expectedVersion },
      },
      onConditionFailed: () => new ConflictError(`Schedule '${s.id}' was changed or removed by another request.`, 'Request_ConcurrentModification'),
    },
    { delete: { Key: keys.schedulePointer(s.id) } },
  ];
}

/**
 * Counts an activation on the eligibility it comes from, in the activation's own transaction: the
 * activation commits only while that eligibility stands unchanged, and a removal of the eligibility that
 * raced with it (and so could not end it) fails instead of leaving it behind.
 */
export function recordActivation(eligibility: Schedule, expectedVersion: number, at: Date): ConditionalWrite {
  return {
    update: {
      Key: keys.schedule(eligibility.principalId, 'eligibility', eligibility.id),
      // When it was last used, kept beyond the activation schedules (removed 45 days after they end) for the alerts.
      UpdateExpression: 'ADD activations :one SET lastActivatedAt = :at',
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':one': 1, ':v': expectedVersion, ':at': at.toISOString() },
    },
    onConditionFailed: () =>
      new ConflictError(`Eligibility '${eligibility.id}' was changed or removed by another request; try again.`, 'Request_ConcurrentModification'),
  };
}

/**
 * Claims the slot for (principal, kind, role, scope): succeeds if it is free or its holder has ended.
 * This one conditional write is what makes twenty simultaneous activations produce exactly one.
 */
export function claimSlot(s: Schedule, slot: SlotKind, now: Date, onTaken: () => Error): ConditionalWrite {
  const endsAt = s.endDateTime ? Date.parse(s.endDateTime) : Number.MAX_SAFE_INTEGER;
  return {
    put: {
      Item: { ...keys.slot(s.principalId, slot, s.roleDefinitionId, scopeKey(s.directoryScopeId)), type: 'slot', scheduleId: s.id, endsAt },
      ConditionExpression: 'attribute_not_exists(pk) OR endsAt <= :now',
      ExpressionAttributeValues: { ':now': now.getTime() },
    },
    onConditionFailed: onTaken as () => ConflictError,
  };
}

/** Moves a held slot's end (extension, early end); only while the same schedule holds it. */
export function updateSlot(s: Schedule, slot: SlotKind): ConditionalWrite {
  const endsAt = s.endDateTime ? Date.parse(s.endDateTime) : Number.MAX_SAFE_INTEGER;
  return {
    update: {
      Key: keys.slot(s.principalId, slot, s.roleDefinitionId, scopeKey(s.directoryScopeId)),
      UpdateExpression: 'SET endsAt = :end',
      ConditionExpression: 'scheduleId = :id',
      ExpressionAttributeValues: { ':end': endsAt, ':id': s.id },
    },
  };
}

export function releaseSlot(s: Schedule, slot: SlotKind): ConditionalWrite {
  return {
    delete: {
      Key: keys.slot(s.principalId, slot, s.roleDefinitionId, scopeKey(s.directoryScopeId)),
      ConditionExpression: 'attribute_not_exists(pk) OR scheduleId = :id',
      ExpressionAttributeValues: { ':id': s.id },
    },
  };
}

export async function getSchedule(table: TableContext, id: string): Promise<StoredSchedule | undefined> {
  const pointer = await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.schedulePointer(id), ConsistentRead: true }));
  if (!pointer.Item) return undefined;
  const item = await table.db.send(
    new GetCommand({
      TableName: table.tableName,
      Key: keys.schedule(String(pointer.Item.principalId), pointer.Item.kind as ScheduleKind, id),
      ConsistentRead: true,
    }),
  );
  return item.Item ? parse(item.Item) : undefined;
}

export async function requireSchedule(table: TableContext, id: string): Promise<StoredSchedule> {
  const found = await getSchedule(table, id);
  if (!found) throw new NotFoundError(`Schedule '${id}' does not exist.`, 'RoleAssignmentDoesNotExist');
  return found;
}

/** Every schedule of a principal (strongly consistent: a grant is visible the moment it commits). */
export async function schedulesOfPrincipal(table: TableContext, principalId: string, kind?: ScheduleKind): Promise<StoredSchedule[]> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': prefixes.principal(principalId), ':prefix': kind ? prefixes.schedulesOf(kind) : prefixes.schedules },
    ConsistentRead: true,
  });
  return items.map(parse);
}

/**
 * A principal's schedules and the groups it belongs to, in one strongly consistent query of its
 * partition: static memberships are mirrored there, and PIM for groups memberships are schedules there
 * (`pimMemberships`, whatever `kind` asks for; callers keep those in force), the first read of every
 * access decision.
 */
/** Every item of a principal's partition, consistently; an API request shares the read (read-ahead.ts). */
function partitionItems(table: TableContext, principalId: string): Promise<Record<string, unknown>[]> {
  const pk = prefixes.principal(principalId);
  return sharedRead(pk, () => queryAll(table, { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }));
}

/**
 * Starts reading a principal's partition for the API request under way, beside the reads it makes first:
 * nearly every request reads its caller's (authorization, decisions, "my roles").
 */
export function readPartitionAhead(table: TableContext, principalId: string): void {
  if (insideRequest()) partitionItems(table, principalId).catch(() => undefined);
}

export async function principalPartition(
  table: TableContext,
  principalId: string,
  kind?: ScheduleKind,
): Promise<{ schedules: StoredSchedule[]; groupIds: string[]; pimMemberships: StoredSchedule[] }> {
  const items = await partitionItems(table, principalId);
  const schedulePrefix = kind ? prefixes.schedulesOf(kind) : prefixes.schedules;
  const all = items.filter((i) => String(i.sk).startsWith(prefixes.schedules)).map(parse);
  return {
    schedules: all.filter((s) => prefixes.schedulesOf(s.data.kind).startsWith(schedulePrefix)),
    groupIds: items.filter((i) => String(i.sk).startsWith(prefixes.memberOfEntry)).map((i) => String(i.groupId)),
    pimMemberships: all.filter((s) => isGroupMembership(s.data)),
  };
}

/** One partition of the who-holds index (gsi4), optionally of one kind (its sort keys start E# or A#). */
async function holdersIn(table: TableContext, partition: string, kind?: ScheduleKind): Promise<StoredSchedule[]> {
  const index = INDEXES.gsi4;
  const items = await queryAll(table, {
    IndexName: index.name,
    KeyConditionExpression: kind ? '#pk = :pk AND begins_with(#sk, :kind)' : '#pk = :pk',
    ExpressionAttributeNames: kind ? { '#pk': index.partition, '#sk': index.sort } : { '#pk': index.partition },
    ExpressionAttributeValues: kind ? { ':pk': partition, ':kind': kind === 'eligibility' ? 'E#' : 'A#' } : { ':pk': partition },
  });
  return items.map(parse);
}

/** Who holds a role (optionally of one kind), from the by-role index. */
export function schedulesOfRole(table: TableContext, roleId: string, kind?: ScheduleKind): Promise<StoredSchedule[]> {
  return holdersIn(table, prefixes.role(roleId), kind);
}

/** PIM for groups: every membership and ownership schedule of a group (optionally of one kind). */
export function schedulesOfGroup(table: TableContext, groupId: string, kind?: ScheduleKind): Promise<StoredSchedule[]> {
  return holdersIn(table, prefixes.group(groupId), kind);
}

/** The holders of a role-shaped target: by role, or, for group access, by group. */
export async function schedulesOfTarget(
  table: TableContext,
  target: { roleDefinitionId: string; directoryScopeId: string },
  kind?: ScheduleKind,
): Promise<StoredSchedule[]> {
  const group = groupAccessOf(target);
  if (!group) return schedulesOfRole(table, target.roleDefinitionId, kind);
  return (await schedulesOfGroup(table, group.groupId, kind)).filter((s) => s.data.roleDefinitionId === group.accessId);
}

export { parse as parseSchedule };

/** One page of every schedule of a kind, across the listing shards (in the listing's order). */
export async function listSchedules(
  table: TableContext,
  kind: ScheduleKind,
  limit: number,
  cursor?: ShardCursor,
): Promise<{ items: Schedule[]; next?: ShardCursor }> {
  const page = await listObjects(table, kind === 'eligibility' ? 'eligibilitySchedule' : 'assignmentSchedule', limit, cursor);
  return { items: page.items.map((item) => parse(item).data), next: page.next };
}
