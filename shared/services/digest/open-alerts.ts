/**
 * Open PIM security alerts by severity, for the weekly digest. The alerts' store (shared/store/alerts.ts)
 * is the lead's part of issue 16 and not written yet: until it is, there are no alert items to read and
 * every count is zero. Replace the body with a read of the active alerts and their incident counts once
 * it exists; the digest needs nothing else from it.
 */
import type { AlertCounts } from '../../domain/digest/figures.ts';
import type { Services } from '../context.ts';

export async function openAlertCounts(_svc: Services): Promise<AlertCounts> {
  return { high: 0, medium: 0, low: 0 };
}
