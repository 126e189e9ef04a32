/**
 * One-off: gives every user, group and service principal stored before directory search existed its search
 * entries (`npm run search:backfill`). New objects, and every later write of an old one, get them in their
 * own transaction; this is for the objects nobody writes. Safe to run again, and while the API serves.
 */
import { SEARCHABLE } from '../../domain/directory-search.ts';
import { listObjects } from '../../store/directory-objects.ts';
import { backfillSearchEntries } from '../../store/directory-search.ts';
import type { ShardCursor } from '../../store/sharded-list.ts';
import type { Services } from '../context.ts';

export interface BackfillReport {
  type: keyof typeof SEARCHABLE;
  objects: number;
  /** Objects changed while the backfill ran: their own write gave them their entries. */
  changedMeanwhile: number;
}

export async function backfillSearch(svc: Services, pageSize = 100): Promise<BackfillReport[]> {
  const reports: BackfillReport[] = [];
  for (const type of Object.keys(SEARCHABLE) as (keyof typeof SEARCHABLE)[]) {
    const report: BackfillReport = { type, objects: 0, changedMeanwhile: 0 };
    let cursor: ShardCursor | undefined;
    do {
      const page = await listObjects(svc.table, type, pageSize, cursor);
      for (const item of page.items) {
        const data = (item.data ?? {}) as Record<string, unknown>;
        const values = Object.fromEntries(SEARCHABLE[type].map((p) => [p, typeof data[p] === 'string' ? (data[p] as string) : null]));
        const written = await backfillSearchEntries(svc.table, type, String(data.id), Number(item.version), values);
        report.objects++;
        if (!written) report.changedMeanwhile++;
      }
      cursor = page.next;
    } while (cursor);
    reports.push(report);
  }
  return reports;
}
