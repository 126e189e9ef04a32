/**
 * The sparse "due" index (gsi5), partitioned by day: schedule starts (STARTS#), schedule ends (ENDS#)
 * and approval deadlines (DUE#). The sweeper reads the days from a look-back to "until"; each day is
 * one small query, so no partition holds a whole entity type.
 */
import { prefixes } from './keys.ts';
import { queryAll } from './query-all.ts';
import { INDEXES } from './table-schema.ts';
import type { TableContext } from './table-context.ts';

export type DueKind = keyof typeof prefixes.due;

const DAY_MS = 24 * 3600 * 1000;

/** The days (YYYY-MM-DD, UTC) from `from` to `until`, both included. */
export function daysBetween(from: Date, until: Date): string[] {
  const days: string[] = [];
  for (let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); t <= until.getTime(); t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/**
 * Items of one kind whose due time lies in (after, until]. The index is eventually consistent: callers
 * re-read each item before acting on it.
 */
export async function dueItems(table: TableContext, kind: DueKind, after: Date, until: Date): Promise<Record<string, unknown>[]> {
  const index = INDEXES.gsi5;
  const found = await Promise.all(
    daysBetween(after, until).map((day) =>
      queryAll(table, {
        IndexName: index.name,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': index.partition, '#sk': index.sort },
        // Sort keys are "<ISO time>#<id>": '~' sorts after every id character.
        ExpressionAttributeValues: { ':pk': prefixes.due[kind](day), ':from': `${after.toISOString()}#~`, ':to': `${until.toISOString()}#~` },
      }),
    ),
  );
  return found.flat();
}
