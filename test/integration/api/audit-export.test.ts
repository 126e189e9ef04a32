/**
 * GET /v1.0/auditLogs/directoryAudits/export against DynamoDB Local, with chunks made small so that an
 * export spans many of them: CSV columns, quoting and formula defusing, the JSON shape, the streamed
 * (local) and the chunked (AWS) answers agreeing byte for byte, progress headers, visibility, and an
 * export of thousands of records in bounded chunks. (A million records, with time and memory: npm run bench.)
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { get as httpGet } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../infra/local/stack.ts';
import { buildAuditRecord } from '../../../shared/domain/audit.ts';
import { CSV_COLUMNS } from '../../../shared/domain/audit-export-format.ts';
import { auditItem } from '../../../shared/store/audit-chain.ts';
import { apiClient, startTestStack, type ApiClient } from '../../helpers/stack.ts';
import { expectGraphError, filter, listAll, userBody } from './support.ts';

const EXPORT = '/v1.0/auditLogs/directoryAudits/export';
const CHUNK_BYTES = 3000;
const BULK = 3000;

/** RFC 4180 parsing, written independently of the exporter so that the two can disagree. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  expect(cell, 'the file ends with CRLF').toBe('');
  return rows;
}

/** A whole response through node:http, which exposes trailers (fetch does not). */
function download(stack: LocalStack, path: string, token: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string; trailers: Record<string, string | undefined> }>(
    (resolve, reject) => {
      httpGet(`${stack.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8'), trailers: response.trailers }),
        );
        response.on('error', reject);
      }).on('error', reject);
    },
  );
}

describe('GET /v1.0/auditLogs/directoryAudits/export', () => {
  let stack: LocalStack;
  let api: ApiClient;
  let admin: string;
  const hostile: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startTestStack({ exportChunkBytes: CHUNK_BYTES });
    api = apiClient(stack);
    admin = await api.token('admin@contoso.test');
    const names = { formula: '=HYPERLINK("http://evil.test","click")', plus: '+1 234', minus: '-2+3', at: '@SUM(A1)', comma: 'Doe, "Jr." Jane' };
    for (const [key, displayName] of Object.entries(names)) {
      const created = await api.call('POST', '/v1.0/users', { token: admin, body: userBody(`export.${key}`, { displayName }) });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      hostile[key] = created.body.id;
    }
  });
  afterAll(() => stack?.stop());

  const everything = async (query = '') => listAll(stack, api, admin, `/v1.0/auditLogs/directoryAudits?$top=999${query}`);

  it('writes CSV with the documented columns, one row per record, newest first', async () => {
    const result = await download(stack, `${EXPORT}?format=csv`, admin);
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(result.headers['content-disposition']).toBe('attachment; filename="directoryAudits.csv"');
    const [header, ...rows] = parseCsv(result.body);
    expect(header).toEqual([...CSV_COLUMNS]);
    const records = await everything();
    expect(rows.map((r) => r[0])).toEqual(records.map((r) => r.id));
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
    const cells = (id: string) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows.find((r) => r[0] === id)![i]]));
    const record = records[0];
    expect(cells(record.id)).toMatchObject({
      activityDateTime: record.activityDateTime,
      category: 'UserManagement',
      activityDisplayName: 'Add user',
      result: 'success',
      initiatedByUserId: record.initiatedBy.user.id,
      initiatedByUserPrincipalName: 'admin@contoso.test',
      targetIds: record.targetResources[0].id,
      targetTypes: 'User',
      correlationId: record.correlationId,
    });
    expect(JSON.parse(cells(record.id).modifiedProperties!)).toContainEqual({
      target: record.targetResources[0].id,
      displayName: 'displayName',
      oldValue: null,
      newValue: JSON.stringify(record.targetResources[0].displayName),
    });
  });

  it('quotes by RFC 4180 and defuses cells that a spreadsheet would run as formulas', async () => {
    const body = (await download(stack, `${EXPORT}?format=csv`, admin)).body;
    const rows = parseCsv(body);
    const nameOf = (id: string) =>
      rows.find((r) => r[CSV_COLUMNS.indexOf('targetIds')] === id && r[CSV_COLUMNS.indexOf('activityDisplayName')] === 'Add user')![
        CSV_COLUMNS.indexOf('targetDisplayNames')
      ];
    expect(nameOf(hostile.formula!)).toBe(`'=HYPERLINK("http://evil.test","click")`);
    expect(nameOf(hostile.plus!)).toBe(`'+1 234`);
    expect(nameOf(hostile.minus!)).toBe(`'-2+3`);
    expect(nameOf(hostile.at!)).toBe(`'@SUM(A1)`);
    expect(nameOf(hostile.comma!)).toBe('Doe, "Jr." Jane');
    expect(body).toContain('"Doe, ""Jr."" Jane"');
    // No line of the file begins a cell with a formula character outside quotes.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it('writes JSON as one array of directoryAudit objects, the same as the list', async () => {
    const result = await download(stack, `${EXPORT}?format=json`, admin);
    expect(result.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(result.body)).toEqual(await everything());
  });

  it('takes the list $filter, and an empty selection is a header or an empty array', async () => {
    const expression = `targetResources/any(t: t/id eq '${hostile.comma}')`;
    const json = JSON.parse((await download(stack, `${EXPORT}?format=json&${filter(expression)}`, admin)).body);
    expect(json.map((r: any) => r.id)).toEqual((await everything(`&${filter(expression)}`)).map((r) => r.id));
    expect(json).toHaveLength(1);
    expect((await download(stack, `${EXPORT}?format=json&${filter("category eq 'Nothing'")}`, admin)).body).toBe('[]\n');
    expect(parseCsv((await download(stack, `${EXPORT}?${filter("category eq 'Nothing'")}`, admin)).body)).toEqual([[...CSV_COLUMNS]]);
    expectGraphError(await api.call('GET', `${EXPORT}?${filter("displayName eq 'x'")}`, { token: admin }), 400, 'Request_UnsupportedQuery');
    expectGraphError(await api.call('GET', `${EXPORT}?format=xml`, { token: admin }), 400, 'Request_UnsupportedQuery');
  });

  it('streams one response locally, ending with trailers that count the records and say it is complete', async () => {
    const result = await download(stack, `${EXPORT}?format=json`, admin);
    expect(result.headers['transfer-encoding']).toBe('chunked');
    expect(result.headers.link).toBeUndefined();
    expect(result.trailers).toMatchObject({ 'stint-export-records': String(JSON.parse(result.body).length), 'stint-export-complete': 'true' });
  });

  it('answers in chunks with Link rel="next" and progress when asked for the AWS behaviour, which concatenate to the streamed file', async () => {
    for (const format of ['csv', 'json']) {
      const streamed = (await download(stack, `${EXPORT}?format=${format}`, admin)).body;
      let path: string | undefined = `${EXPORT}?format=${format}`;
      let joined = '';
      const progress: number[] = [];
      while (path) {
        const chunk = await download(stack, path, admin, { 'stint-export': 'paged' });
        expect(chunk.status).toBe(200);
        expect(Buffer.byteLength(chunk.body)).toBeLessThan(CHUNK_BYTES + 4000);
        joined += chunk.body;
        progress.push(Number(chunk.headers['stint-export-records']));
        const link = chunk.headers.link as string | undefined;
        expect(chunk.headers['stint-export-complete']).toBe(String(!link));
        path = link ? new URL(/^<([^>]+)>; rel="next"$/.exec(link)![1]!).pathname + new URL(/^<([^>]+)>/.exec(link)![1]!).search : undefined;
      }
      expect(progress.length).toBeGreaterThan(3);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(joined).toBe(streamed);
    }
  });

  it("exports a non-reader's own history only", async () => {
    const kai = await api.token('kai.tanaka@contoso.test');
    const json = JSON.parse((await download(stack, `${EXPORT}?format=json`, kai)).body);
    expect(json.map((r: any) => r.id)).toEqual((await listAll(stack, api, kai, '/v1.0/auditLogs/directoryAudits')).map((r) => r.id));
    expect(json.length).toBeGreaterThan(0);
    expect(json.length).toBeLessThan((await everything()).length);
  });
});

describe('STINT_EXPORT_CHUNK_BYTES', () => {
  let stack: LocalStack;
  afterAll(() => stack?.stop());

  it('sets the size of each export chunk, read from the environment as on Lambda', async () => {
    // Prepare: the documented setting, not the stack's option; the seed writes a few dozen records
    stack = await startTestStack({ env: { STINT_EXPORT_CHUNK_BYTES: '2048' } });
    const admin = await apiClient(stack).token('admin@contoso.test');

    // Act: the chunks as on AWS, following Link rel="next"
    let path: string | undefined = `${EXPORT}?format=json`;
    const sizes: number[] = [];
    let joined = '';
    while (path) {
      const chunk = await download(stack, path, admin, { 'stint-export': 'paged' });
      expect(chunk.status).toBe(200);
      sizes.push(Buffer.byteLength(chunk.body));
      joined += chunk.body;
      const link = chunk.headers.link as string | undefined;
      path = link ? new URL(/^<([^>]+)>/.exec(link)![1]!).pathname + new URL(/^<([^>]+)>/.exec(link)![1]!).search : undefined;
    }

    // Assess: several chunks, each stopped just past 2 KiB (by at most the record that crossed it)
    expect(sizes.length).toBeGreaterThan(3);
    for (const size of sizes.slice(0, -1)) expect(size).toBeGreaterThanOrEqual(2048);
    for (const size of sizes) expect(size).toBeLessThan(2048 + 4000);
    expect(JSON.parse(joined).length).toBeGreaterThan(sizes.length);
  });
});

describe('GET …/directoryAudits/export of many records', () => {
  let stack: LocalStack;
  let admin: string;
  const BULK_CHUNK_BYTES = 64 * 1024;

  beforeAll(async () => {
    stack = await startTestStack({ exportChunkBytes: BULK_CHUNK_BYTES, seed: true });
    admin = await apiClient(stack).token('admin@contoso.test');
  });
  afterAll(() => stack?.stop());

  it(`exports ${BULK} records completely, in order, in chunks of at most ${BULK_CHUNK_BYTES} bytes`, async () => {
    const { db, tableName } = stack.runtime.services.table;
    const base = Date.parse('2024-01-01T00:00:00.000Z');
    const items = Array.from({ length: BULK }, (_, n) =>
      auditItem(
        buildAuditRecord({
          id: `aud_BULK${String(n).padStart(22, '0')}`,
          correlationId: `bulk-${n}`,
          at: new Date(base + n * 1000),
          caller: { kind: 'user', id: `usr_bulk${n % 7}`, authMethods: ['pwd'] },
          category: 'Policy',
          activity: 'Bulk record',
          operationType: 'Update',
          targets: [{ id: `obj_bulk${n % 50}`, displayName: `Object ${n}`, type: 'Other', modifiedProperties: [] }],
        }),
        `obj_bulk${n % 50}`,
      ),
    );
    for (let i = 0; i < items.length; i += 25) {
      let request: Record<string, unknown[]> | undefined = { [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
      while (request && Object.keys(request).length)
        request = (await db.send(new BatchWriteCommand({ RequestItems: request as never }))).UnprocessedItems as typeof request;
    }
    const expression = `category eq 'Policy' and activityDateTime lt 2025-01-01T00:00:00Z`;
    const result = await download(stack, `${EXPORT}?${filter(expression)}`, admin);
    const [, ...rows] = parseCsv(result.body);
    expect(rows).toHaveLength(BULK);
    expect(rows.map((r) => r[0])).toEqual(items.map((i) => (i.data as { id: string }).id).reverse());
    expect(result.trailers['stint-export-records']).toBe(String(BULK));
    // The same export as chunks, as on AWS: each bounded, and together the file.
    const first = await download(stack, `${EXPORT}?${filter(expression)}`, admin, { 'stint-export': 'paged' });
    expect(Buffer.byteLength(first.body)).toBeLessThan(BULK_CHUNK_BYTES + 2000);
    expect(Number(first.headers['stint-export-records'])).toBeLessThan(BULK);
    expect(first.headers['stint-export-reached']).toMatch(/^2024-01-01T00:\d\d:\d\d\.000Z$/);
    expect(result.body.startsWith(first.body)).toBe(true);
    // Writing and reading 3,000 records twice takes seconds; more on a loaded machine.
  }, 120_000);
});
