/**
 * What a role's policy asks of a person activating it, read from Graph's rules (the end-user assignment
 * rules): the requirements shown beside each eligible role and the bounds of the Activate pane.
 */
import { durationHours } from '../components/time.tsx';

export interface Rule {
  '@odata.type'?: string;
  id: string;
  maximumDuration?: string;
  isExpirationRequired?: boolean;
  enabledRules?: string[];
  setting?: { isApprovalRequired?: boolean; approvalStages?: { primaryApprovers?: { description?: string; userId?: string; groupId?: string }[] }[] };
}

export interface PolicyAssignment {
  id: string;
  policyId: string;
  scopeId: string;
  scopeType: string;
  roleDefinitionId: string;
  policy?: { id: string; rules?: Rule[] };
}

export interface Requirements {
  mfa: boolean;
  justification: boolean;
  ticket: boolean;
  approval: boolean;
  /** The longest activation, e.g. 'PT8H'. */
  maximumDuration?: string;
  maximumHours: number;
  /** The policy could not be read: these are Entra's defaults, and the API checks the real rules on activation. */
  assumed?: boolean;
}

export const DEFAULT_REQUIREMENTS: Requirements = { mfa: false, justification: true, ticket: false, approval: false, maximumDuration: 'PT8H', maximumHours: 8 };

export function requirementsOf(rules: Rule[] | undefined): Requirements {
  if (!rules) return DEFAULT_REQUIREMENTS;
  const enablement = rules.find((r) => r.id === 'Enablement_EndUser_Assignment')?.enabledRules ?? [];
  const expiration = rules.find((r) => r.id === 'Expiration_EndUser_Assignment');
  const approval = rules.find((r) => r.id === 'Approval_EndUser_Assignment');
  const maximumDuration = expiration?.maximumDuration;
  return {
    mfa: enablement.includes('MultiFactorAuthentication'),
    justification: enablement.includes('Justification'),
    ticket: enablement.includes('Ticketing'),
    approval: approval?.setting?.isApprovalRequired === true,
    maximumDuration,
    maximumHours: durationHours(maximumDuration) ?? 8,
  };
}

/** The strictest of several roles' requirements: one form for activating them together. */
export function strictest(all: Requirements[]): Requirements {
  if (all.length === 0) return DEFAULT_REQUIREMENTS;
  return {
    mfa: all.some((r) => r.mfa),
    justification: all.some((r) => r.justification),
    ticket: all.some((r) => r.ticket),
    approval: all.some((r) => r.approval),
    maximumHours: Math.min(...all.map((r) => r.maximumHours)),
    maximumDuration: undefined,
  };
}
