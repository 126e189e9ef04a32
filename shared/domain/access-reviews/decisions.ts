/**
 * The decision items of an access review instance: one per piece of privileged access under review,
 * with its recommendation, who may decide it, and what a reviewer's silence becomes. Pure.
 */
import type { PrincipalType, ScheduleKind } from '../schedule.ts';

export type Decision = 'NotReviewed' | 'Approve' | 'Deny' | 'DontKnow';
export type Recommendation = 'Approve' | 'Deny' | 'NoInfoAvailable';
export type ApplyResult = 'New' | 'AppliedSuccessfully' | 'AppliedWithUnknownFailure' | 'AppliedSuccessfullyButObjectNotFound' | 'ApplyNotSupported';

/** The access a decision is about, and so what denying it removes. */
export type ReviewedAccess =
  | { kind: 'schedule'; resource: 'role' | 'group' | 'aws'; scheduleKind: ScheduleKind; scheduleId: string; roleDefinitionId: string; directoryScopeId: string }
  /** A standing (non-PIM) group membership. */
  | { kind: 'membership'; groupId: string };

export interface Identity {
  id: string;
  displayName: string | null;
  userPrincipalName?: string | null;
}

export interface DecisionItem {
  id: string;
  definitionId: string;
  instanceId: string;
  principal: Identity & { type: PrincipalType };
  resource: { id: string; displayName: string | null; type: 'directoryRole' | 'group' };
  access: ReviewedAccess;
  /** Eligible, Active (admin-assigned) or Member (a standing group membership). */
  accessType: 'Eligible' | 'Active' | 'Member';
  /** When the access under review began. */
  accessSince: string;
  decision: Decision;
  justification: string | null;
  reviewedBy: Identity | null;
  reviewedDateTime: string | null;
  recommendation: Recommendation;
  recommendationReason: string;
  lastActivityDateTime: string | null;
  applyResult: ApplyResult;
  applyDescription: string | null;
  appliedBy: Identity | null;
  appliedDateTime: string | null;
}

export type ReviewerMode = 'reviewer' | 'self' | 'fallback';

export interface ReviewerFacts {
  selfReview: boolean;
  /** How many named reviewers (mode 'reviewer') the instance has. */
  reviewerCount: number;
  /** The caller's own role in the instance, if any. */
  callerMode?: ReviewerMode;
  /** Whether the item's principal is itself one of the named reviewers. */
  principalIsReviewer: boolean;
}

/**
 * Nobody reviews their own access unless the review is a self-review. An item nobody else can decide —
 * a named reviewer's own access when they are the only one, every item when the named reviewers came
 * to nobody, a group's or app's access in a self-review — goes to the fallback reviewers.
 */
export function mayDecide(item: Pick<DecisionItem, 'principal'>, callerId: string, facts: ReviewerFacts): boolean {
  const own = item.principal.id === callerId;
  if (facts.callerMode === undefined) return false;
  if (facts.selfReview) {
    if (facts.callerMode === 'self') return own;
    return facts.callerMode === 'fallback' && !own && item.principal.type !== 'user';
  }
  if (own) return false;
  if (facts.callerMode === 'reviewer') return true;
  const others = facts.reviewerCount - (facts.principalIsReviewer ? 1 : 0);
  return facts.callerMode === 'fallback' && others <= 0;
}

export interface Activity {
  /** The last activation of an eligibility, or the last access decision the access allowed. */
  lastActivity?: Date;
}

const DAY_MS = 24 * 3600 * 1000;
const DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', dateStyle: 'medium' });

/**
 * Deny what was not used in the look-back: an eligibility not activated, an active assignment or a
 * membership that allowed no access decision — however recently it was granted, as the reviewer is told.
 */
export function recommend(
  item: Pick<DecisionItem, 'accessType' | 'accessSince'>,
  activity: Activity,
  now: Date,
  lookBackDays: number,
): Pick<DecisionItem, 'recommendation' | 'recommendationReason' | 'lastActivityDateTime'> {
  const horizon = now.getTime() - lookBackDays * DAY_MS;
  const verb = item.accessType === 'Eligible' ? 'activated' : 'used in an access decision';
  const last = activity.lastActivity;
  const lastActivityDateTime = last ? last.toISOString() : null;
  if (last && last.getTime() >= horizon) {
    return {
      recommendation: 'Approve',
      recommendationReason: `${capital(verb)} on ${DATE.format(last)}, within the last ${lookBackDays} days.`,
      lastActivityDateTime,
    };
  }
  const since = Date.parse(item.accessSince);
  const history = last ? ` (last ${verb} on ${DATE.format(last)})` : since > horizon ? ` (granted on ${DATE.format(new Date(since))}, not ${verb} since)` : '';
  return { recommendation: 'Deny', recommendationReason: `Not ${verb} in the last ${lookBackDays} days${history}.`, lastActivityDateTime };
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export type DefaultDecision = 'None' | 'Approve' | 'Deny' | 'Recommendation';

/** What an unanswered item becomes when the instance ends, or undefined to leave it NotReviewed. */
export function defaultDecisionFor(
  item: Pick<DecisionItem, 'decision' | 'recommendation' | 'recommendationReason'>,
  enabled: boolean,
  setting: DefaultDecision,
): { decision: Decision; justification: string } | undefined {
  if (!enabled || item.decision !== 'NotReviewed' || setting === 'None') return undefined;
  if (setting === 'Recommendation') {
    if (item.recommendation === 'NoInfoAvailable') return undefined;
    return { decision: item.recommendation, justification: `No reviewer answered; the recommendation was taken: ${item.recommendationReason}` };
  }
  return { decision: setting, justification: `No reviewer answered; the review's default decision is '${setting}'.` };
}

/** The identity that default decisions and auto-applied results are recorded as. */
export const REVIEW_SYSTEM: Identity = { id: 'system', displayName: 'Stint access reviews', userPrincipalName: null };
