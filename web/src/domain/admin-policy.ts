/**
 * What a role's policy asks of an administrator assigning it (the Admin rules, not the end-user ones):
 * whether eligible and active assignments may be permanent, how long they may last, and whether a
 * justification is required. The wizard offers only what these allow; the API checks again.
 */
import type { PolicyAssignment, Rule } from './policy.ts';
import { durationHours } from '../components/time.tsx';

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

const LEVEL: Record<AssignmentLevel, string> = { eligibility: 'Eligibility', assignment: 'Assignment' };

/** Without a policy (none found or not readable) nothing is promised: permanence is left to the API. */
export function adminRulesOf(rules: Rule[] | undefined, level: AssignmentLevel): AdminRules {
  const expiration = rules?.find((r) => r.id === `Expiration_Admin_${LEVEL[level]}`);
  const enablement = rules?.find((r) => r.id === `Enablement_Admin_${LEVEL[level]}`)?.enabledRules ?? [];
  const hours = durationHours(expiration?.maximumDuration);
  return {
    permanentAllowed: expiration?.isExpirationRequired !== true,
    maximumDuration: expiration?.maximumDuration,
    maximumDays: hours === undefined ? undefined : hours / 24,
    justification: enablement.includes('Justification'),
    mfa: enablement.includes('MultiFactorAuthentication'),
    ticket: enablement.includes('Ticketing'),
  };
}

export function policyOfRole(assignments: PolicyAssignment[], roleId: string): Rule[] | undefined {
  return assignments.find((a) => a.roleDefinitionId === roleId)?.policy?.rules;
}
