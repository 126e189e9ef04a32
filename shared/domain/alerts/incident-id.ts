/**
 * Incident ids are derived from what the incident is about (the alert, the principal, the role, …), never
 * random: two evaluations of the same condition give the same id, so a refresh recognises an incident it
 * stored before and writes it idempotently. GUID-shaped, as Graph's ids are.
 */
import { createHash } from 'node:crypto';
import type { AlertType } from './types.ts';

export function incidentId(alertType: AlertType, ...parts: string[]): string {
  // A separator no id contains, so ('a', 'bc') and ('ab', 'c') differ.
  const hex = createHash('sha256')
    .update([alertType, ...parts].join('\u0000'))
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
