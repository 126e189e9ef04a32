/**
 * A role's assignments as CSV: cells quoted as RFC 4180 says, and cells that a spreadsheet would run as
 * a formula prefixed with an apostrophe.
 */
import { endOf, principalName, principalType, scopeLabel, startOf, stateOf, type AssignmentView, type Schedule } from './data.ts';

export const CSV_HEADER = ['Name', 'Principal name', 'Type', 'Scope', 'Membership', 'Start time', 'End time', 'State', 'Principal id'];

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(s: Schedule, view: AssignmentView): string[] {
  return [
    s.principal?.displayName ?? '',
    principalName(s.principal),
    principalType(s.principal, s.principalId),
    scopeLabel(s.directoryScopeId),
    s.memberType,
    startOf(s) ?? '',
    endOf(s) ?? 'Permanent',
    stateOf(s, view),
    s.principalId,
  ];
}

export function toCsv(rows: string[][]): string {
  return [CSV_HEADER, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
