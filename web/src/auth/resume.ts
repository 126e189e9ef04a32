/**
 * What a person was doing when the API asked for fresh MFA: kept in sessionStorage across the sign-in
 * round trip, taken back exactly once by the page that owns it.
 */
const KEY = 'stint.resume';

export interface PendingAction<T = unknown> {
  /** Which page action this is, e.g. 'activate'. */
  kind: string;
  payload: T;
}

export function saveResume(action: PendingAction): void {
  sessionStorage.setItem(KEY, JSON.stringify(action));
}

export function takeResume<T>(kind: string): T | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return undefined;
  const action = JSON.parse(raw) as PendingAction<T>;
  if (action.kind !== kind) return undefined;
  sessionStorage.removeItem(KEY);
  return action.payload;
}
