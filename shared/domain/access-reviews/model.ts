/**
 * Access review definitions and instances as stored, and the pure rules of their timing: when an
 * instance is reminded about, and when its definition next needs the review job.
 */
import type { DefaultDecision, Identity } from './decisions.ts';
import type { Recurrence } from './recurrence.ts';
import type { QueryScope } from './scope.ts';

export interface ReviewSettings {
  mailNotificationsEnabled: boolean;
  reminderNotificationsEnabled: boolean;
  justificationRequiredOnApproval: boolean;
  defaultDecisionEnabled: boolean;
  defaultDecision: DefaultDecision;
  instanceDurationInDays: number;
  autoApplyDecisionsEnabled: boolean;
  recommendationsEnabled: boolean;
  recommendationLookBackDuration: string;
  decisionHistoriesForReviewersEnabled: boolean;
  applyActions: { '@odata.type': string }[];
  recurrence: Recurrence;
}

export type DefinitionStatus = 'NotStarted' | 'InProgress' | 'Completed';
/** Graph's statuses; Completing and Applying last while the review job works through the items. */
export type InstanceStatus = 'Starting' | 'InProgress' | 'Completing' | 'Completed' | 'Applying' | 'Applied';

export interface DefinitionData {
  id: string;
  displayName: string;
  descriptionForAdmins: string;
  descriptionForReviewers: string;
  createdBy: Identity;
  createdDateTime: string;
  lastModifiedDateTime: string;
  status: DefinitionStatus;
  scope: QueryScope;
  instanceEnumerationScope: QueryScope | null;
  reviewers: QueryScope[];
  fallbackReviewers: QueryScope[];
  additionalNotificationRecipients: unknown[];
  settings: ReviewSettings;
  /** The index of the next occurrence to start. */
  nextOccurrence: number;
  /** The instance under way, if any. */
  currentInstanceId: string | null;
  /** When the review job next has something to do for this definition; null: nothing ever again. */
  nextRunAt: string | null;
}

export interface ReviewSummary {
  total: number;
  approved: number;
  denied: number;
  dontKnow: number;
  notReviewed: number;
  /** Denied access that was removed, and denials that could not be applied. */
  removed: number;
  failed: number;
}

export interface InstanceData {
  id: string;
  definitionId: string;
  occurrence: number;
  startDateTime: string;
  endDateTime: string;
  status: InstanceStatus;
  /** No reviewers named: each user reviews their own access. */
  selfReview: boolean;
  reviewerCount: number;
  fallbackReviewerCount: number;
  decisionCount: number;
  /** When reviewers who have not answered are reminded; null: no reminder. */
  reminderAt: string | null;
  remindersSent: number;
  completedDateTime: string | null;
  appliedDateTime: string | null;
  stoppedBy: Identity | null;
  summary: ReviewSummary | null;
}

const DAY_MS = 24 * 3600 * 1000;

export function lookBackDays(settings: Pick<ReviewSettings, 'recommendationLookBackDuration'>): number {
  const m = /^P(\d+)D$/i.exec(settings.recommendationLookBackDuration);
  return m ? Number(m[1]) : 30;
}

/** Halfway through, as Entra reminds; none for reviews of under a day or with reminders off. */
export function reminderTime(settings: Pick<ReviewSettings, 'reminderNotificationsEnabled'>, start: Date, end: Date): string | null {
  if (!settings.reminderNotificationsEnabled || end.getTime() - start.getTime() < DAY_MS) return null;
  return new Date(start.getTime() + (end.getTime() - start.getTime()) / 2).toISOString();
}

/** The review job still has work on it. */
export const isOpen = (i: Pick<InstanceData, 'status'>) =>
  i.status === 'Starting' || i.status === 'InProgress' || i.status === 'Completing' || i.status === 'Applying';

/** The earliest moment something is due: now while the job has work on the instance, its end or reminder, or the next start. */
export function nextRunAt(open: InstanceData | undefined, nextStart: Date | undefined, now: Date): string | null {
  if (open) {
    if (open.status !== 'InProgress') return now.toISOString();
    const times = [Date.parse(open.endDateTime)];
    if (open.reminderAt && open.remindersSent === 0) times.push(Date.parse(open.reminderAt));
    return new Date(Math.min(...times)).toISOString();
  }
  return nextStart ? nextStart.toISOString() : null;
}
