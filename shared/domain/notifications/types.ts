/**
 * What the outbox reads from the table's stream, and what it makes of it: notification events (emails,
 * addressed by the role's policy) and domain events (for integrations, on EventBridge). Pure types.
 */
import type { Action, RoleRequest } from '../role-request.ts';
import type { Schedule, ScheduleKind } from '../schedule.ts';
import type { AlertNotice } from './alert-notices.ts';
import type { ReviewNotice } from './review-notices.ts';

/**
 * A request as it appears on the stream. Its status is any string: statuses added by newer code
 * (e.g. 'TimedOut') must not make older stream consumers fail on the record.
 */
export type StreamRequest = Omit<RoleRequest, 'status'> & { status: string };

export type ReminderKind = 'expiresIn14Days' | 'expiresIn1Day' | 'approvalPending';

export interface ReminderItem {
  reminder: ReminderKind;
  targetKind: 'schedule' | 'request';
  targetId: string;
  at: string;
}

/**
 * An AWS account assignment on a managed permission set that Stint never granted, as the reconciler
 * reports it (shared/store/aws-outside.ts): the administrators are emailed and an event is published.
 */
export interface OutsideAssignmentItem {
  accountId: string;
  permissionSetId: string;
  /** The identity-store user id. */
  userId: string;
  permissionSetArn: string;
  /** The Stint user matched to that identity-store user; null when none is. */
  principalId: string | null;
  /** When the reconciler found it. */
  at: string;
}

/** An access review instance as the outbox reads it: just enough to see it move. */
export interface StreamReviewInstance {
  id: string;
  definitionId: string;
  /** Any string: statuses added by newer code must not fail older consumers. */
  status: string;
  remindersSent: number;
}

/** An alert's state as the outbox reads it: enough to see it become active. */
export interface StreamAlert {
  alertType: string;
  isActive: boolean;
  incidentCount: number;
  lastModifiedDateTime: string | null;
}

/** One image of an item: the item types the outbox reacts to, and everything else. */
export type StreamItem =
  | { type: 'request'; data: StreamRequest }
  | { type: 'reviewInstance'; data: StreamReviewInstance }
  | { type: 'alert'; data: StreamAlert }
  | { type: 'schedule'; data: Schedule }
  | ({ type: 'reminder' } & ReminderItem)
  | ({ type: 'awsOutsideAssignment' } & OutsideAssignmentItem)
  | { type: 'other' };

export interface ItemChange {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  old?: StreamItem;
  new?: StreamItem;
  /** When the change was committed (the stream record's creation time). */
  at: string;
}

/** Entra's recipient types of a notification rule. */
export type RecipientType = 'Admin' | 'Requestor' | 'Approver';

/** Which of the policy's nine notification rules governs an event: its target caller and level. */
export interface RuleTarget {
  caller: 'Admin' | 'EndUser';
  level: 'Eligibility' | 'Assignment';
}

export type NotificationKind =
  | 'assigned'
  | 'assignmentChanged'
  | 'activated'
  | 'approvalRequested'
  | 'extensionRequested'
  | 'approved'
  | 'denied'
  | 'approvalTimedOut'
  | 'approvalCanceled'
  | 'approvalReminder'
  | 'expiringSoon'
  | 'expired'
  | 'provisioningFailed'
  | 'assignedOutsidePim';

/** Whether an email is sent under a rule whose level is 'Critical' (see recipients.ts). */
export type Criticality = 'critical' | 'ifPrivilegedRole' | 'normal';

export interface NotificationEvent {
  /** Stable for one change and kind: names the event in logs, audit records and metrics. */
  id: string;
  kind: NotificationKind;
  /** Who hears of it, most specific first: an address in two audiences gets the first one's email. */
  audiences: RecipientType[];
  rule: RuleTarget;
  criticality: Criticality;
  /** The request the email links to (a schedule's: the request that created it). */
  requestId: string;
  scheduleKind: ScheduleKind;
  action: Action | null;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  /** The Approver audience's default recipients (user ids). */
  approverIds: string[];
  startDateTime: string | null;
  endDateTime: string | null;
  justification: string | null;
  /** Who made the request (display name), when someone other than the principal may have. */
  requestedBy: string | null;
  status: string;
  /** For decisions: who decided, and why. */
  decision?: { by: string[]; justification: string | null };
  /** For expiringSoon: the reminder's horizon. */
  daysLeft?: number;
  /** A request's ticket, shown to approvers. */
  ticketNumber?: string | null;
  /** provisioningFailed: what AWS said. */
  failureReason?: string;
  /** The portal page the email links to, when it is not the request's (there is no request behind it). */
  linkPath?: string;
}

export type DomainEventType =
  'assigned' | 'removed' | 'activated' | 'deactivated' | 'expired' | 'approvalRequested' | 'approvalDecided' | 'awsAssignedOutsideStint' | 'alertTriggered';

/** EventBridge detail-types, one per domain event: what rules match on. */
export const DETAIL_TYPES: Record<DomainEventType, string> = {
  assigned: 'Role Assigned',
  removed: 'Role Assignment Removed',
  activated: 'Role Activated',
  deactivated: 'Role Deactivated',
  expired: 'Role Assignment Expired',
  approvalRequested: 'Approval Requested',
  approvalDecided: 'Approval Decided',
  awsAssignedOutsideStint: 'AWS Assignment Outside Stint',
  alertTriggered: 'PIM Alert Triggered',
};

/** Ids and times only: an integration reads anything else through the API, with its own rights. */
export interface DomainEvent {
  type: DomainEventType;
  time: string;
  detail: Record<string, string | number | boolean | null | string[]>;
}

export interface Classified {
  notifications: NotificationEvent[];
  domainEvents: DomainEvent[];
  /** A reminder item was written: its target must be read before anything can be sent. */
  reminder?: ReminderItem;
  /** An access review instance moved: its reviewers or owners are told (see review-notices.ts). */
  review?: ReviewNotice;
  /** A security alert became active: administrators are told if it is High (see alert-notices.ts). */
  alert?: AlertNotice;
}
