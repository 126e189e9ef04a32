/**
 * Discovery and insights as the page shows it: the overview figures, the assignments behind the three
 * actions in words, each item's outcome after an action, and the weekly digest's recipients as typed.
 */

export interface AssignmentCounts {
  eligible: number;
  active: number;
  permanentActive: number;
  activated: number;
}

export interface InsightsOverview {
  generatedDateTime: string;
  activationsLast7Days: { date: string; count: number }[];
  directoryRoleAssignments: AssignmentCounts;
  privilegedRoleAssignments: AssignmentCounts;
  newAssignmentsLast30Days: { eligible: number; active: number };
  globalAdministrators: AssignmentCounts;
  privilegedServicePrincipalCount: number;
}

export type Standing = 'permanentActive' | 'timeBoundActive' | 'activated' | 'eligible';

export interface PrivilegedAssignment {
  id: string;
  scheduleKind: 'eligibility' | 'assignment';
  standing: Standing;
  principalId: string;
  principalType: 'user' | 'group' | 'servicePrincipal';
  principalDisplayName: string | null;
  userPrincipalName: string | null;
  appId: string | null;
  roleDefinitionId: string;
  roleDisplayName: string;
  isPrivileged: boolean;
  directoryScopeId: string;
  createdDateTime: string;
  startDateTime: string;
  endDateTime: string | null;
  lastActivationDateTime: string | null;
  lastSignInDateTime: string | null;
}

export type InsightAction = 'remove' | 'convertToEligible';

export interface ActionOutcome {
  scheduleId: string;
  action: InsightAction;
  status: 'succeeded' | 'failed';
  eligibilityScheduleId: string | null;
  error: { code: string; message: string } | null;
}

export interface DigestSettings {
  isEnabled: boolean;
  sendToAdministrators: boolean;
  additionalRecipients: string[];
  excludedUserIds: string[];
  lastModifiedDateTime: string | null;
  lastModifiedBy: { id: string | null; displayName: string | null };
}

/** The API takes at most this many assignments in one action. */
export const MAX_SELECTION = 50;

export const STANDING_LABEL: Record<Standing, string> = {
  permanentActive: 'Active, permanent',
  timeBoundActive: 'Active, time-bound',
  activated: 'Activated',
  eligible: 'Eligible',
};

export const ACTION_LABEL: Record<InsightAction, string> = { remove: 'Remove', convertToEligible: 'Convert to eligible' };

export function principalText(a: Pick<PrivilegedAssignment, 'principalDisplayName' | 'userPrincipalName' | 'principalId'>): string {
  const name = a.principalDisplayName ?? a.principalId;
  return a.userPrincipalName && a.userPrincipalName !== name ? `${name} (${a.userPrincipalName})` : name;
}

/** Only active (admin-made) assignments can be converted; an eligible one already is. */
export const canConvert = (a: PrivilegedAssignment) => a.standing === 'permanentActive' || a.standing === 'timeBoundActive';

/** "2 succeeded, 1 failed": the header of the results after an action. */
export function outcomeSummary(outcomes: readonly ActionOutcome[]): string {
  const ok = outcomes.filter((o) => o.status === 'succeeded').length;
  const failed = outcomes.length - ok;
  return failed === 0 ? `${ok} succeeded` : ok === 0 ? `${failed} failed` : `${ok} succeeded, ${failed} failed`;
}

/** Recipients as typed, one per line or separated by commas or spaces; blanks and repeats dropped. */
export function parseRecipients(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  ];
}

/** "Mon 1 Dec" for an activation day (a UTC date, as the API counts days), in the person's language. */
export function dayLabel(date: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}
