/**
 * Every role schedule of a kind, read whole for a tenant-wide evaluation (security alerts): the four
 * listing shards at once, only the fields such a reading needs (a projection: less to move and to parse
 * at 100,000 schedules), each page reduced as it arrives so that no page of raw items is kept.
 * PIM for groups schedules have listings of their own and are not here.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Schedule, ScheduleKind } from '../domain/schedule.ts';
import { LIST_SHARDS, listingPartition } from './keys.ts';
import { scheduleSchema } from './role-schedules.ts';
import { INDEXES } from './table-schema.ts';
import type { TableContext } from './table-context.ts';

const FIELDS = [
  'id',
  'kind',
  'principalId',
  'principalType',
  'roleDefinitionId',
  'directoryScopeId',
  'assignmentType',
  'status',
  'createdDateTime',
  'startDateTime',
  'endDateTime',
  'activatedUsing',
] as const;

export type ScheduleSummary = Pick<Schedule, (typeof FIELDS)[number]>;

const summarySchema = scheduleSchema.pick(Object.fromEntries(FIELDS.map((f) => [f, true])) as { [K in (typeof FIELDS)[number]]: true });

const PROJECTION = FIELDS.map((_, i) => `#data.#f${i}`).join(', ');
const PROJECTION_NAMES = Object.fromEntries(FIELDS.map((f, i) => [`#f${i}`, f]));

/** The schedules of a kind that `keep` keeps (all if absent), in no particular order. */
export async function allScheduleSummaries(table: TableContext, kind: ScheduleKind, keep?: (s: ScheduleSummary) => boolean): Promise<ScheduleSummary[]> {
  const index = INDEXES.gsi1;
  const type = kind === 'eligibility' ? 'eligibilitySchedule' : 'assignmentSchedule';
  const shards = await Promise.all(
    Array.from({ length: LIST_SHARDS }, async (_, shard) => {
      const kept: ScheduleSummary[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await table.db.send(
          new QueryCommand({
            TableName: table.tableName,
            IndexName: index.name,
            KeyConditionExpression: '#pk = :pk',
            ProjectionExpression: PROJECTION,
            ExpressionAttributeNames: { '#pk': index.partition, '#data': 'data', ...PROJECTION_NAMES },
            ExpressionAttributeValues: { ':pk': listingPartition(type, shard) },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          const parsed = summarySchema.safeParse(item.data);
          if (!parsed.success) throw new Error(`A stored ${type} does not match its schema: ${parsed.error.message}`);
          if (!keep || keep(parsed.data)) kept.push(parsed.data);
        }
        start = page.LastEvaluatedKey;
      } while (start);
      return kept;
    }),
  );
  return shards.flat();
}
