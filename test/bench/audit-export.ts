/**
 * The audit export at scale: fills the table with audit records (BENCH_AUDIT_RECORDS, default 1,000,000,
 * measured also at a tenth of that), then downloads all of them as CSV through the local server's streamed
 * export, the way a client would, counting bytes and rows without keeping them. Reports time, throughput
 * and this process's peak RSS during the export (API server and client both run in it), so that "memory
 * does not grow with the export" is a measured figure: compare the peak at both sizes.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { get as httpGet } from 'node:http';
import { buildAuditRecord } from '../../shared/domain/audit.ts';
import type { LocalStack } from '../../infra/local/stack.ts';
import { auditItem } from '../../shared/store/audit-chain.ts';
import { load } from './stats.ts';

export interface ExportMeasurement {
  records: number;
  rows: number;
  megabytes: number;
  seconds: number;
  rssBeforeMiB: number;
  peakRssMiB: number;
}

const MiB = 2 ** 20;

/** Audit items shaped like a role change, written 25 per batch, 8 batches at a time. */
export async function fillAudit(stack: LocalStack, from: number, to: number): Promise<void> {
  const { db, tableName } = stack.runtime.services.table;
  const base = Date.parse('2020-01-01T00:00:00.000Z');
  const item = (n: number) =>
    auditItem(
      buildAuditRecord({
        id: `aud_BENCH${String(n).padStart(21, '0')}`,
        correlationId: `bench-${n}`,
        at: new Date(base + n * 1000),
        caller: { kind: 'user', id: `usr_BENCH${String(n % 500).padStart(21, '0')}`, displayName: `Bench user ${n % 500}`, authMethods: ['pwd', 'mfa'] },
        category: 'RoleManagement',
        activity: 'Add member to role completed (PIM activation)',
        operationType: 'Assign',
        targets: [
          { id: `usr_BENCH${String(n % 500).padStart(21, '0')}`, displayName: `Bench user ${n % 500}`, type: 'User', modifiedProperties: [] },
          {
            id: '194ae4cb-b126-40b2-bd5b-6091b380977d',
            displayName: 'Security Administrator',
            type: 'Role',
            modifiedProperties: [{ displayName: 'directoryScopeId', oldValue: null, newValue: '"/"' }],
          },
        ],
        details: { requestId: `req_BENCH${n}`, justification: 'benchmark, with "quotes", commas and =formula' },
      }),
      `usr_BENCH${String(n % 500).padStart(21, '0')}`,
    );
  const batches = Math.ceil((to - from) / 25);
  await load(8, batches, async (b) => {
    const start = from + b * 25;
    let request: Record<string, unknown[]> | undefined = {
      [tableName]: Array.from({ length: Math.min(25, to - start) }, (_, i) => ({ PutRequest: { Item: item(start + i) } })),
    };
    while (request && Object.keys(request).length > 0) {
      const result = await db.send(new BatchWriteCommand({ RequestItems: request as never }));
      request = result.UnprocessedItems as typeof request;
    }
  });
}

/** Downloads the whole log as CSV, sampling RSS every 50 ms; nothing of the body is kept. */
export async function measureExport(stack: LocalStack, token: string, records: number): Promise<ExportMeasurement> {
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const started = performance.now();
  try {
    const { bytes, rows } = await new Promise<{ bytes: number; rows: number }>((resolve, reject) => {
      httpGet(`${stack.url}/v1.0/auditLogs/directoryAudits/export?format=csv`, { headers: { authorization: `Bearer ${token}` } }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`export answered ${response.statusCode}`));
        let bytes = 0;
        let rows = 0;
        response.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          // Every row ends with CRLF; quoted cells in these records hold no line breaks.
          for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) rows++;
        });
        // A one-chunk export says so in its headers, a streamed one in its trailers.
        response.on('end', () =>
          response.trailers['stint-export-complete'] === 'true' || response.headers['stint-export-complete'] === 'true'
            ? resolve({ bytes, rows: rows - 1 })
            : reject(new Error('export ended without its completion trailer')),
        );
        response.on('error', reject);
      }).on('error', reject);
    });
    return {
      records,
      rows,
      megabytes: bytes / MiB,
      seconds: (performance.now() - started) / 1000,
      rssBeforeMiB: rssBefore / MiB,
      peakRssMiB: Math.max(peak, process.memoryUsage().rss) / MiB,
    };
  } finally {
    clearInterval(sampler);
  }
}
