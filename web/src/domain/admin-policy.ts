/**
 * What a role's policy asks of an administrator assigning it (the Admin rules, not the end-user ones):
 * whether eligible and active assignments may be permanent, how long they may last, and whether a
 * justification is required. The wizard offers only what these allow; the API checks again.
 */

/** The parts of Graph's policy rules and assignments read here (policy.ts has the full shapes). */
interface Rule {
  id: string;
  maximumDuration?: string;
  isExpirationRequired?: boolean;
  enabledRules?: string[];
}

interface PolicyAssignment {
  roleDefinitionId: string;
  policy?: { rules?: Rule[] };
}

export type AssignmentLevel = 'eligibility' | 'assignment';

export interface AdminRules {
  /** Permanently eligible / Permanently assigned may be offered. */
  permanentAllowed: boolean;
  /** The longest time-bound assignment, e.g. 'P365D'. */
  maximumDuration?: string;
  maximumDays?: number;
  justification: boolean;
  mfa: boolean;
  ticket: boolean;
}

/** 'P365D' → 365, 'PT12H' → 0.5 (kept here, free of React, so the rules can be tested without a DOM). */
export function durationDays(iso: string | undefined): number | undefined {
  const m = iso ? /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso) : null;
  if (!m) return undefined;
  return Number(m[1] ?? 0) + Number(m[2] ?? 0) / 24 + Number(m[3] ?? 0) / 1440;
}

const LEVEL: Record<AssignmentLevel, string> = { eligibility: 'Eligibility', assignment: 'Assignment' };

/** Without a policy (none found or not readable) nothing is promised: permanence is left to the API. */
export function adminRulesOf(rules: Rule[] | undefined, level: AssignmentLevel): AdminRules {
  const expiration = rules?.find((r) => r.id === `Expiration_Admin_${LEVEL[level]}`);
  const enablement = rules?.find((r) => r.id === `Enablement_Admin_${LEVEL[level]}`)?.enabledRules ?? [];
  return {
    permanentAllowed: expiration?.isExpirationRequired !== true,
    maximumDuration: expiration?.maximumDuration,
    maximumDays: durationDays(expiration?.maximumDuration),
    justification: enablement.includes('Justification'),
    mfa: enablement.includes('MultiFactorAuthentication'),
    ticket: enablement.includes('Ticketing'),
  };
}

export function policyOfRole(assignments: PolicyAssignment[], roleId: string): Rule[] | undefined {
  return assignments.find((a) => a.roleDefinitionId === roleId)?.policy?.rules;
}
