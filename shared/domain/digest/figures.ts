/** What the weekly digest says: the figures of the week, gathered by shared/services/digest/figures.ts. Pure types. */

export interface AlertCounts {
  high: number;
  medium: number;
  low: number;
}

export interface DigestFigures {
  /** ISO week, e.g. '2026-W49'. */
  week: string;
  /** The seven days the activity covers, ending when the digest was put together. */
  periodStart: string;
  periodEnd: string;
  activations: { total: number; byRole: { roleDisplayName: string; count: number }[] };
  newAssignments: { eligible: number; active: number };
  openAlerts: AlertCounts;
  /** Requests waiting for approval for more than a day, oldest first (at most a few named). */
  pendingApprovals: { total: number; oldest: { requestId: string; principalDisplayName: string; roleDisplayName: string; createdDateTime: string }[] };
  /** Access review instances in progress, ending soonest first. */
  reviewsDue: { reviewName: string; definitionId: string; instanceId: string; endDateTime: string }[];
}
