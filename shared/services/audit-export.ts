/**
 * Downloading the audit log as CSV or JSON, for any filter the list takes, in chunks. A chunk is what one
 * Lambda invocation behind API Gateway can return (well under its 6 MB and 30 s), carries a signed token
 * for the next one and how far the export has got, and the chunks concatenate byte for byte into one file.
 * However many records match, a chunk holds at most CHUNK_BYTES of text and one DynamoDB page per
 * partition read, so memory does not grow with the export. Locally the server sends all chunks as one
 * streamed response (infra/local/http-server.ts); README, "Audit history", says what works where.
 */
import { csvHeader, csvRow, jsonArray } from '../domain/audit-export-format.ts';
import type { Caller } from '../domain/caller.ts';
import type { SourcePosition } from '../store/audit-reads.ts';
import { auditPlanFor, readMatching } from './audit-log.ts';
import type { Services } from './context.ts';

export type ExportFormat = 'csv' | 'json';

/** Text per chunk: far enough below API Gateway's 6 MB response limit for headers and multi-byte text. */
export const CHUNK_BYTES = 4 * 1024 * 1024;
/** Records a chunk may read looking for matches (the time a chunk takes is bounded by this). */
const CHUNK_READ_BUDGET = 50_000;

export interface ExportChunk {
  text: string;
  contentType: string;
  /** Records written so far, this chunk included. */
  exported: number;
  /** The activityDateTime of the last record written: everything newer is in the file (newest first). */
  reachedDateTime?: string;
  /** Set while there is more: the token for the next chunk. */
  nextToken?: string;
}

interface ExportCursor {
  positions: SourcePosition[];
  exported: number;
  reached?: string;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' };

export async function exportChunk(
  svc: Services,
  caller: Caller,
  options: { format: ExportFormat; filter?: string; skipToken?: string; chunkBytes?: number },
): Promise<ExportChunk> {
  const plan = await auditPlanFor(svc, caller, options.filter);
  const listing = `export:${options.format}:${plan.listing}`;
  const cursor = options.skipToken ? svc.pageTokens.decode<ExportCursor>(listing, options.skipToken) : undefined;
  const limit = options.chunkBytes ?? CHUNK_BYTES;
  const first = cursor === undefined;
  const pieces: string[] = first && options.format === 'csv' ? [csvHeader()] : [];
  let bytes = pieces[0]?.length ?? 0;
  let exported = cursor?.exported ?? 0;
  let reached = cursor?.reached;
  const { positions } = await readMatching(
    svc,
    plan,
    cursor?.positions,
    () => bytes >= limit,
    (record) => {
      const piece = options.format === 'csv' ? csvRow(record) : jsonArray.record(record, exported === 0);
      pieces.push(piece);
      bytes += Buffer.byteLength(piece);
      exported++;
      reached = record.activityDateTime;
    },
    CHUNK_READ_BUDGET,
    // Records are a few hundred bytes to a few kB: read about what a chunk holds, not far more.
    Math.min(1000, Math.max(25, Math.floor(limit / 1000))),
  );
  if (!positions && options.format === 'json') pieces.push(jsonArray.end(exported > 0));
  return {
    text: pieces.join(''),
    contentType: CONTENT_TYPES[options.format],
    exported,
    reachedDateTime: reached,
    nextToken: positions ? svc.pageTokens.encode(listing, { positions, exported, reached } satisfies ExportCursor) : undefined,
  };
}
