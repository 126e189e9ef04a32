/** The audit page's filters as the `$filter` directoryAudits answers (only 'and' of supported forms). */
import { odataString } from '../api/paths.ts';

export interface AuditFilters {
  from?: string;
  to?: string;
  activity?: string;
  result?: '' | 'success' | 'failure';
  initiatorId?: string;
  targetId?: string;
}

export function auditFilter(f: AuditFilters): string | undefined {
  const parts: string[] = [];
  if (f.from) parts.push(`activityDateTime ge ${new Date(f.from).toISOString()}`);
  if (f.to) parts.push(`activityDateTime le ${new Date(f.to).toISOString()}`);
  if (f.activity?.trim()) parts.push(`startswith(activityDisplayName, ${odataString(f.activity.trim())})`);
  if (f.result) parts.push(`result eq ${odataString(f.result)}`);
  if (f.initiatorId) parts.push(`initiatedBy/user/id eq ${odataString(f.initiatorId)}`);
  if (f.targetId?.trim()) parts.push(`targetResources/any(t: t/id eq ${odataString(f.targetId.trim())})`);
  return parts.length ? parts.join(' and ') : undefined;
}
