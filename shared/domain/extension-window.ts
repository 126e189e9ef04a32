/**
 * When a user may ask to extend or renew their own time-bound assignment, as in Entra: selfExtend from
 * 14 days before it ends until it ends, selfRenew up to 30 days after it ended. Pure; the request
 * service turns a refusal into its Graph error.
 */
import type { Window } from './schedule.ts';

export const EXTENSION_LEAD_DAYS = 14;
export const RENEWAL_GRACE_DAYS = 30;
const DAY_MS = 86_400_000;

export type SelfExtension = 'selfExtend' | 'selfRenew';

/** Why `action` is not open at `now` for an assignment ending at `end`, or undefined when it is. */
export function extensionWindowRefusal(action: SelfExtension, end: Date, now: Date): { code: string; message: string } | undefined {
  const left = end.getTime() - now.getTime();
  if (action === 'selfExtend' && (left <= 0 || left > EXTENSION_LEAD_DAYS * DAY_MS)) {
    return {
      code: 'ExtensionNotAllowed',
      message: `An assignment can be extended from ${EXTENSION_LEAD_DAYS} days before it ends until it ends; renew it once it has expired.`,
    };
  }
  if (action === 'selfRenew' && (left > 0 || -left > RENEWAL_GRACE_DAYS * DAY_MS)) {
    return { code: 'RenewalNotAllowed', message: `An assignment can be renewed within ${RENEWAL_GRACE_DAYS} days after it expired.` };
  }
  return undefined;
}

/**
 * The window the policy's expiration rule judges: an extension is the whole span from the assignment's
 * start to the new end (so repeated extensions cannot outgrow the maximum); a renewal is the new window.
 */
export function extensionWindowToCheck(action: SelfExtension, assignmentStart: Date, requested: Window): Window {
  return action === 'selfExtend' ? { ...requested, start: new Date(Math.min(assignmentStart.getTime(), requested.start.getTime())) } : requested;
}

/** An extension must end later than the assignment (or activation) ends now. */
export function extendsBeyond(currentEnd: string | null, newEnd: Date | null): boolean {
  return currentEnd === null || newEnd === null || newEnd.getTime() > Date.parse(currentEnd);
}
