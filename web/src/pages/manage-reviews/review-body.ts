/**
 * Entra's "New access review" choices turned into Graph's accessReviewScheduleDefinition: what is
 * reviewed (roles' assignments, a group's members or owners), who reviews, when, and what happens at the end.
 */
import type { Principal } from '../../components/principal-search.tsx';

export type Frequency = 'once' | 'weekly' | 'monthly' | 'quarterly' | 'semiannually' | 'annually';
export type EndKind = 'never' | 'date' | 'count';
export type ReviewerKind = 'selected' | 'self' | 'groupMembers';
export type Coverage = 'both' | 'eligible' | 'active';
export type DefaultDecision = 'None' | 'Approve' | 'Deny' | 'Recommendation';

export interface ReviewForm {
  displayName: string;
  descriptionForAdmins: string;
  descriptionForReviewers: string;
  target: 'roles' | 'groupMembers' | 'groupOwners';
  roles: { id: string; displayName: string }[];
  group?: Principal;
  principalTypes: ('users' | 'groups' | 'servicePrincipals')[];
  coverage: Coverage;
  reviewerKind: ReviewerKind;
  reviewers: Principal[];
  fallbackReviewers: Principal[];
  startDate: string;
  frequency: Frequency;
  durationDays: string;
  end: EndKind;
  endDate: string;
  occurrences: string;
  autoApply: boolean;
  defaultDecision: DefaultDecision;
  recommendations: boolean;
  lookBackDays: string;
  justificationRequired: boolean;
  mail: boolean;
  reminders: boolean;
}

export function emptyReviewForm(today: string): ReviewForm {
  return {
    displayName: '',
    descriptionForAdmins: '',
    descriptionForReviewers: '',
    target: 'roles',
    roles: [],
    principalTypes: [],
    coverage: 'both',
    reviewerKind: 'selected',
    reviewers: [],
    fallbackReviewers: [],
    startDate: today,
    frequency: 'once',
    durationDays: '3',
    end: 'never',
    endDate: '',
    occurrences: '4',
    autoApply: false,
    defaultDecision: 'None',
    recommendations: true,
    lookBackDays: '30',
    justificationRequired: true,
    mail: true,
    reminders: true,
  };
}

const MONTHS: Partial<Record<Frequency, number>> = { monthly: 1, quarterly: 3, semiannually: 6, annually: 12 };

function reviewerQuery(p: Principal) {
  return p.type === 'group'
    ? { query: `/groups/${p.id}/transitiveMembers`, queryType: 'MicrosoftGraph' }
    : { query: `/users/${p.id}`, queryType: 'MicrosoftGraph' };
}

function scopeOf(f: ReviewForm): Record<string, unknown> {
  if (f.target !== 'roles') {
    return {
      '@odata.type': '#microsoft.graph.accessReviewQueryScope',
      query: `/groups/${f.group?.id}/${f.target === 'groupOwners' ? 'owners' : 'transitiveMembers'}`,
      queryType: 'MicrosoftGraph',
    };
  }
  if (f.coverage !== 'both') {
    // Entra's instance queries: one role, eligible or active only.
    const role = f.roles[0]?.id ?? '';
    const collection = f.coverage === 'eligible' ? 'roleEligibilityScheduleInstances' : 'roleAssignmentScheduleInstances';
    const extra = f.coverage === 'active' ? " and assignmentType eq 'Assigned'" : '';
    return {
      '@odata.type': '#microsoft.graph.accessReviewQueryScope',
      query: `/roleManagement/directory/${collection}?$expand=principal&$filter=(roleDefinitionId eq '${role}'${extra})`,
      queryType: 'MicrosoftGraph',
    };
  }
  return {
    '@odata.type': '#microsoft.graph.principalResourceMembershipsScope',
    principalScopes: f.principalTypes.map((t) => ({ '@odata.type': '#microsoft.graph.accessReviewQueryScope', query: `/${t}`, queryType: 'MicrosoftGraph' })),
    resourceScopes: f.roles.map((r) => ({
      '@odata.type': '#microsoft.graph.accessReviewQueryScope',
      query: `/roleManagement/directory/roleDefinitions/${r.id}`,
      queryType: 'MicrosoftGraph',
    })),
  };
}

function recurrenceOf(f: ReviewForm): Record<string, unknown> | null {
  if (f.frequency === 'once') return null;
  const pattern = f.frequency === 'weekly' ? { type: 'weekly', interval: 1 } : { type: 'absoluteMonthly', interval: MONTHS[f.frequency]! };
  const range =
    f.end === 'date'
      ? { type: 'endDate', startDate: f.startDate, endDate: f.endDate }
      : f.end === 'count'
        ? { type: 'numbered', startDate: f.startDate, numberOfOccurrences: Number(f.occurrences) }
        : { type: 'noEnd', startDate: f.startDate };
  return { pattern, range };
}

export function reviewBody(f: ReviewForm): Record<string, unknown> {
  return {
    displayName: f.displayName.trim(),
    descriptionForAdmins: f.descriptionForAdmins,
    descriptionForReviewers: f.descriptionForReviewers,
    scope: scopeOf(f),
    reviewers: f.reviewerKind === 'self' ? [] : f.reviewers.map(reviewerQuery),
    fallbackReviewers: f.fallbackReviewers.map(reviewerQuery),
    settings: {
      mailNotificationsEnabled: f.mail,
      reminderNotificationsEnabled: f.reminders,
      justificationRequiredOnApproval: f.justificationRequired,
      defaultDecisionEnabled: f.defaultDecision !== 'None',
      defaultDecision: f.defaultDecision,
      instanceDurationInDays: Number(f.durationDays),
      autoApplyDecisionsEnabled: f.autoApply,
      recommendationsEnabled: f.recommendations,
      recommendationLookBackDuration: f.recommendations ? `P${Number(f.lookBackDays)}D` : null,
      recurrence: recurrenceOf(f),
    },
  };
}

/** What is missing before the form can be sent, by field. */
export function reviewFormErrors(f: ReviewForm): Partial<Record<keyof ReviewForm, string>> {
  const e: Partial<Record<keyof ReviewForm, string>> = {};
  if (!f.displayName.trim()) e.displayName = 'Name the review.';
  if (f.target === 'roles' && f.roles.length === 0) e.roles = 'Choose at least one role.';
  if (f.target === 'roles' && f.coverage !== 'both' && f.roles.length > 1) e.roles = 'Eligible-only or active-only reviews cover one role.';
  if (f.target !== 'roles' && !f.group) e.group = 'Choose a group.';
  if (f.reviewerKind !== 'self' && f.reviewers.length === 0) e.reviewers = 'Choose who reviews.';
  if (!(Number(f.durationDays) >= 1)) e.durationDays = 'At least 1 day.';
  if (f.end === 'date' && !f.endDate) e.endDate = 'Choose an end date.';
  if (f.recommendations && !(Number(f.lookBackDays) >= 1)) e.lookBackDays = 'At least 1 day.';
  return e;
}
