/**
 * Policy checks of a schedule request against its role's rules. Pure: every failing rule is reported
 * at once, named as Entra names them (ExpirationRule, JustificationRule, TicketingRule, MfaRule), with
 * a sentence saying what would pass.
 */
import type { EnablementRule, ExpirationRule, PolicyRule } from './rules.ts';
import type { Caller } from '../caller.ts';
import { formatDuration, parseDuration } from '../duration.ts';
import { windowLength, type Window } from '../schedule.ts';

export interface RuleFailure {
  code: 'ExpirationRule' | 'JustificationRule' | 'TicketingRule' | 'MfaRule' | 'EligibilityRule' | 'ApprovalRule';
  target: string;
  message: string;
}

export const DEFAULT_MAX_AUTH_AGE_MS = 15 * 60_000;

export function findRule<T extends PolicyRule>(rules: PolicyRule[], id: string): T {
  const rule = rules.find((r) => r.id === id);
  if (!rule) throw new Error(`Policy has no rule '${id}'.`);
  return rule as T;
}

/** A minute of slack so that "PT8H" requested a few milliseconds late still fits. */
const SLACK_MS = 60_000;

export function checkExpiration(rule: ExpirationRule, window: Window, what: string): RuleFailure[] {
  const length = windowLength(window);
  const max = parseDuration(rule.maximumDuration);
  if (length === null) {
    return rule.isExpirationRequired
      ? [{ code: 'ExpirationRule', target: 'scheduleInfo.expiration', message: `A ${what} must end: give an expiration of at most ${rule.maximumDuration}.` }]
      : [];
  }
  if (rule.isExpirationRequired && length > max + SLACK_MS) {
    return [
      {
        code: 'ExpirationRule',
        target: 'scheduleInfo.expiration',
        message: `A ${what} may last at most ${rule.maximumDuration}; ${formatDuration(length)} was requested.`,
      },
    ];
  }
  return [];
}

export interface EnablementInput {
  justification?: string | null;
  ticketNumber?: string | null;
  caller: Caller;
  now: Date;
}

export function mfaIsFresh(caller: Caller, now: Date, maxAgeMs: number): boolean {
  if (!caller.authMethods.includes('mfa') || caller.authTime === undefined) return false;
  return now.getTime() - caller.authTime * 1000 <= maxAgeMs;
}

export function maxAuthAgeMs(rule: EnablementRule): number {
  return rule.maximumAuthenticationAge ? parseDuration(rule.maximumAuthenticationAge) : DEFAULT_MAX_AUTH_AGE_MS;
}

export function checkEnablement(rule: EnablementRule, input: EnablementInput): RuleFailure[] {
  const failures: RuleFailure[] = [];
  if (rule.enabledRules.includes('Justification') && !input.justification?.trim()) {
    failures.push({ code: 'JustificationRule', target: 'justification', message: 'A justification is required.' });
  }
  if (rule.enabledRules.includes('Ticketing') && !input.ticketNumber?.trim()) {
    failures.push({ code: 'TicketingRule', target: 'ticketInfo.ticketNumber', message: 'A ticket number is required.' });
  }
  if (rule.enabledRules.includes('MultiFactorAuthentication') && !mfaIsFresh(input.caller, input.now, maxAuthAgeMs(rule))) {
    const minutes = Math.round(maxAuthAgeMs(rule) / 60_000);
    failures.push({
      code: 'MfaRule',
      target: 'token',
      message: `Multi-factor authentication within the last ${minutes} minutes is required: sign in again with MFA.`,
    });
  }
  return failures;
}
