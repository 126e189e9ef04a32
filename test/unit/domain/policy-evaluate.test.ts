import { describe, expect, it } from 'vitest';
import type { EnablementRule, ExpirationRule } from '../../../shared/contracts/policy-rules.ts';
import type { Caller } from '../../../shared/domain/caller.ts';
import { BadRequestError, UnauthenticatedError } from '../../../shared/domain/errors.ts';
import { defaultRules, RULE_IDS } from '../../../shared/domain/policy/defaults.ts';
import {
  checkEnablement,
  checkExpiration,
  DEFAULT_MAX_AUTH_AGE_MS,
  findRule,
  maxAuthAgeMs,
  mfaIsFresh,
  type RuleFailure,
} from '../../../shared/domain/policy/evaluate.ts';
import type { Window } from '../../../shared/domain/schedule.ts';
import { policyFailure } from '../../../shared/services/roles/policies/policy-errors.ts';

const NOW = new Date('2030-01-01T12:00:00.000Z');
const M = 60_000;
const H = 60 * M;
const D = 24 * H;

const target = { caller: 'EndUser' as const, operations: ['all' as const], level: 'Assignment' as const, inheritableSettings: [], enforcedSettings: [] };
const expiration = (isExpirationRequired: boolean, maximumDuration: string): ExpirationRule => ({
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
  id: 'Expiration_EndUser_Assignment',
  isExpirationRequired,
  maximumDuration,
  target,
});
const enablement = (enabledRules: EnablementRule['enabledRules'], maximumAuthenticationAge?: string): EnablementRule => ({
  '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyEnablementRule',
  id: 'Enablement_EndUser_Assignment',
  enabledRules,
  ...(maximumAuthenticationAge ? { maximumAuthenticationAge } : {}),
  target,
});
const windowOf = (lengthMs: number | null): Window => ({
  start: NOW,
  end: lengthMs === null ? null : new Date(NOW.getTime() + lengthMs),
  expirationType: lengthMs === null ? 'noExpiration' : 'afterDateTime',
  duration: null,
});
const user = (authMethods: string[], authAgeMs?: number): Caller => ({
  kind: 'user',
  id: 'usr_1',
  authMethods,
  authTime: authAgeMs === undefined ? undefined : (NOW.getTime() - authAgeMs) / 1000,
});
const codes = (failures: RuleFailure[]) => failures.map((f) => f.code);

describe('checkExpiration', () => {
  it.each([
    ['required, within the maximum', true, 'PT8H', 2 * H, []],
    ['required, exactly the maximum', true, 'PT8H', 8 * H, []],
    ['required, within the minute of slack', true, 'PT8H', 8 * H + M, []],
    ['required, beyond the slack', true, 'PT8H', 8 * H + M + 1, ['ExpirationRule']],
    ['required, far beyond', true, 'PT8H', D, ['ExpirationRule']],
    ['required, permanent', true, 'PT8H', null, ['ExpirationRule']],
    ['required, P30D allows 30 days', true, 'P30D', 30 * D, []],
    ['required, P30D refuses 31 days', true, 'P30D', 31 * D, ['ExpirationRule']],
    ['not required, permanent', false, 'P365D', null, []],
    ['not required, longer than the maximum (the maximum binds only when required)', false, 'P365D', 400 * D, []],
  ])('%s', (_name, required, max, length, expected) => {
    const failures = checkExpiration(expiration(required, max), windowOf(length), 'role activation');
    expect(codes(failures)).toEqual(expected);
    for (const f of failures) {
      expect(f.target).toBe('scheduleInfo.expiration');
      expect(f.message).toContain(max);
    }
  });
});

describe('checkEnablement', () => {
  const fresh = user(['pwd', 'mfa'], 0);
  it.each([
    ['nothing enabled, nothing given', [], {}, user(['pwd']), []],
    ['justification given', ['Justification'], { justification: 'why' }, fresh, []],
    ['justification missing', ['Justification'], {}, fresh, ['JustificationRule']],
    ['justification blank', ['Justification'], { justification: '   ' }, fresh, ['JustificationRule']],
    ['justification null', ['Justification'], { justification: null }, fresh, ['JustificationRule']],
    ['ticket given', ['Ticketing'], { ticketNumber: 'INC-1' }, fresh, []],
    ['ticket missing', ['Ticketing'], { ticketNumber: '' }, fresh, ['TicketingRule']],
    ['MFA fresh', ['MultiFactorAuthentication'], {}, fresh, []],
    ['MFA absent', ['MultiFactorAuthentication'], {}, user(['pwd'], 0), ['MfaRule']],
    ['MFA without auth_time', ['MultiFactorAuthentication'], {}, user(['pwd', 'mfa']), ['MfaRule']],
    ['MFA 14 minutes old', ['MultiFactorAuthentication'], {}, user(['mfa'], 14 * M), []],
    ['MFA exactly 15 minutes old', ['MultiFactorAuthentication'], {}, user(['mfa'], 15 * M), []],
    ['MFA 15 minutes and a second old', ['MultiFactorAuthentication'], {}, user(['mfa'], 15 * M + 1000), ['MfaRule']],
    ['MFA an hour old', ['MultiFactorAuthentication'], {}, user(['mfa'], H), ['MfaRule']],
    ['everything missing', ['MultiFactorAuthentication', 'Justification', 'Ticketing'], {}, user(['pwd']), ['JustificationRule', 'TicketingRule', 'MfaRule']],
    ['everything given', ['MultiFactorAuthentication', 'Justification', 'Ticketing'], { justification: 'why', ticketNumber: 'T' }, fresh, []],
  ] as const)('%s', (_name, enabled, input, caller, expected) => {
    expect(codes(checkEnablement(enablement([...enabled]), { ...input, caller, now: NOW }))).toEqual(expected);
  });

  it.each([
    ['PT5M', 4 * M, true],
    ['PT5M', 6 * M, false],
    ['PT1H', 59 * M, true],
    [undefined, 16 * M, false],
  ])('maximumAuthenticationAge %s with MFA %i ms old: fresh %s', (age, authAgeMs, isFresh) => {
    const rule = enablement(['MultiFactorAuthentication'], age);
    expect(mfaIsFresh(user(['mfa'], authAgeMs), NOW, maxAuthAgeMs(rule))).toBe(isFresh);
    expect(codes(checkEnablement(rule, { caller: user(['mfa'], authAgeMs), now: NOW }))).toEqual(isFresh ? [] : ['MfaRule']);
  });

  it('defaults the MFA freshness window to 15 minutes', () => {
    expect(DEFAULT_MAX_AUTH_AGE_MS).toBe(15 * M);
    expect(maxAuthAgeMs(enablement([]))).toBe(15 * M);
  });
});

describe('policyFailure', () => {
  const mfa: RuleFailure = { code: 'MfaRule', target: 'token', message: 'MFA needed.' };
  const justification: RuleFailure = { code: 'JustificationRule', target: 'justification', message: 'Why?' };

  it('answers 401 with a step-up challenge when MFA is all that fails', () => {
    const error = policyFailure([mfa], 900) as UnauthenticatedError;
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(error.code).toBe('RoleAssignmentRequestPolicyValidationFailed');
    expect(error.message).toContain('The following policy rules failed: ["MfaRule"]');
    const headers = error.details?.headers as Record<string, string>;
    expect(headers['www-authenticate']).toMatch(/^Bearer error="insufficient_user_authentication", .*max_age=900$/);
  });

  it.each([
    [[justification], '["JustificationRule"]'],
    [[justification, mfa], '["JustificationRule","MfaRule"]'],
    [[mfa, justification, mfa], '["MfaRule","JustificationRule"]'],
  ])('answers 400 naming each failed rule once: %#', (failures, names) => {
    const error = policyFailure(failures, 900) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.code).toBe('RoleAssignmentRequestPolicyValidationFailed');
    expect(error.message).toContain(`The following policy rules failed: ${names}`);
    expect(error.details?.details).toEqual(failures.map((f) => ({ code: f.code, target: f.target, message: f.message })));
    expect(error.details?.headers).toBeUndefined();
  });
});

describe("Entra's default rules", () => {
  it('has the 17 rule ids of Graph', () => {
    expect([...RULE_IDS].sort()).toEqual(
      [
        'Expiration_EndUser_Assignment',
        'Enablement_EndUser_Assignment',
        'Approval_EndUser_Assignment',
        'AuthenticationContext_EndUser_Assignment',
        'Expiration_Admin_Eligibility',
        'Enablement_Admin_Eligibility',
        'Expiration_Admin_Assignment',
        'Enablement_Admin_Assignment',
        'Notification_Admin_Admin_Eligibility',
        'Notification_Requestor_Admin_Eligibility',
        'Notification_Approver_Admin_Eligibility',
        'Notification_Admin_Admin_Assignment',
        'Notification_Requestor_Admin_Assignment',
        'Notification_Approver_Admin_Assignment',
        'Notification_Admin_EndUser_Assignment',
        'Notification_Requestor_EndUser_Assignment',
        'Notification_Approver_EndUser_Assignment',
      ].sort(),
    );
  });

  it.each([
    ['DirectoryRole', 'Expiration_EndUser_Assignment', { isExpirationRequired: true, maximumDuration: 'PT8H' }],
    ['DirectoryRole', 'Expiration_Admin_Eligibility', { isExpirationRequired: false, maximumDuration: 'P365D' }],
    ['DirectoryRole', 'Expiration_Admin_Assignment', { isExpirationRequired: false, maximumDuration: 'P180D' }],
    ['DirectoryRole', 'Enablement_EndUser_Assignment', { enabledRules: ['MultiFactorAuthentication', 'Justification'] }],
    ['DirectoryRole', 'Enablement_Admin_Assignment', { enabledRules: ['Justification'] }],
    ['DirectoryRole', 'Enablement_Admin_Eligibility', { enabledRules: [] }],
    ['DirectoryRole', 'Approval_EndUser_Assignment', { setting: expect.objectContaining({ isApprovalRequired: false, approvalMode: 'SingleStage' }) }],
    ['Group', 'Expiration_Admin_Eligibility', { isExpirationRequired: true, maximumDuration: 'P365D' }],
    ['Group', 'Expiration_Admin_Assignment', { isExpirationRequired: true, maximumDuration: 'P180D' }],
    ['Group', 'Enablement_EndUser_Assignment', { enabledRules: ['Justification'] }],
  ] as const)('%s %s', (kind, id, expected) => {
    expect(findRule(defaultRules(kind), id)).toMatchObject(expected);
  });

  it('findRule throws for a rule the policy does not have', () => {
    expect(() => findRule(defaultRules('DirectoryRole'), 'Expiration_Admin_Activation')).toThrow(/no rule/);
  });
});
