/**
 * How audit records are written out for download (pure). CSV has a fixed, documented set of columns
 * (README, "Audit history"), so a spreadsheet or a SIEM import keeps working as records gain properties;
 * JSON is the directoryAudit objects themselves, as one array.
 *
 * CSV follows RFC 4180 (comma, CRLF, a field quoted when it holds a comma, quote, CR or LF, quotes doubled)
 * and defuses formula injection: a cell that starts with = + - @ (or a tab or CR, which some spreadsheets
 * skip before reading a formula) gets a leading apostrophe, so a displayName like `=HYPERLINK(…)` is shown,
 * never run. Nothing in a record is trusted: display names and justifications come from users.
 */

/** What the CSV reads of a record: a directoryAudit as stored, whose enums may have grown since. */
export interface ExportRecord {
  id: string;
  activityDateTime: string;
  category: string;
  activityDisplayName: string;
  operationType: string;
  result: string;
  resultReason: string;
  loggedByService: string;
  correlationId: string;
  initiatedBy: {
    user: { id: string; displayName: string | null; userPrincipalName: string | null; ipAddress: string | null } | null;
    app: { appId: string | null; displayName: string | null; servicePrincipalId: string | null } | null;
  };
  targetResources: {
    id: string;
    displayName: string | null;
    type: string;
    userPrincipalName?: string | null;
    modifiedProperties: { displayName: string; oldValue: string | null; newValue: string | null }[];
  }[];
  additionalDetails: { key: string; value: string }[];
}

/** The CSV columns, in order. Append new ones at the end; never rename or reorder (consumers read by position). */
export const CSV_COLUMNS = [
  'id',
  'activityDateTime',
  'category',
  'activityDisplayName',
  'operationType',
  'result',
  'resultReason',
  'loggedByService',
  'correlationId',
  'initiatedByUserId',
  'initiatedByUserPrincipalName',
  'initiatedByUserDisplayName',
  'initiatedByIpAddress',
  'initiatedByAppId',
  'initiatedByAppServicePrincipalId',
  'initiatedByAppDisplayName',
  'targetIds',
  'targetTypes',
  'targetDisplayNames',
  'targetUserPrincipalNames',
  'modifiedProperties',
  'additionalDetails',
] as const;

type Row = Record<(typeof CSV_COLUMNS)[number], string>;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const line = (cells: readonly string[]) => `${cells.map(csvCell).join(',')}\r\n`;

export const csvHeader = (): string => line(CSV_COLUMNS);

/** Several targets share a cell, joined by '; ' in the same order in every target column. */
const joined = (values: (string | null | undefined)[]) => values.map((v) => v ?? '').join('; ');

export function csvRow(record: ExportRecord): string {
  const user = record.initiatedBy.user;
  const app = record.initiatedBy.app;
  const targets = record.targetResources;
  const row: Row = {
    id: record.id,
    activityDateTime: record.activityDateTime,
    category: record.category,
    activityDisplayName: record.activityDisplayName,
    operationType: record.operationType,
    result: record.result,
    resultReason: record.resultReason,
    loggedByService: record.loggedByService,
    correlationId: record.correlationId,
    initiatedByUserId: user?.id ?? '',
    initiatedByUserPrincipalName: user?.userPrincipalName ?? '',
    initiatedByUserDisplayName: user?.displayName ?? '',
    initiatedByIpAddress: user?.ipAddress ?? '',
    initiatedByAppId: app?.appId ?? '',
    initiatedByAppServicePrincipalId: app?.servicePrincipalId ?? '',
    initiatedByAppDisplayName: app?.displayName ?? '',
    targetIds: joined(targets.map((t) => t.id)),
    targetTypes: joined(targets.map((t) => t.type)),
    targetDisplayNames: joined(targets.map((t) => t.displayName)),
    targetUserPrincipalNames: joined(targets.map((t) => t.userPrincipalName)),
    // As JSON: the values are themselves JSON text and may hold anything.
    modifiedProperties: JSON.stringify(targets.flatMap((t) => t.modifiedProperties.map((p) => ({ target: t.id, ...p })))),
    additionalDetails: JSON.stringify(Object.fromEntries(record.additionalDetails.map((d) => [d.key, d.value]))),
  };
  return line(CSV_COLUMNS.map((column) => row[column]));
}

/**
 * The JSON download is one array, written a record per line. It is cut into pieces that concatenate into
 * that array: the first record opens it, every later one starts with a comma, and the end closes it.
 */
export const jsonArray = {
  record: (record: unknown, isFirst: boolean) => `${isFirst ? '[\n' : ',\n'}${JSON.stringify(record)}`,
  end: (wroteAny: boolean) => (wroteAny ? '\n]\n' : '[]\n'),
};
