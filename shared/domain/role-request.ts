/**
 * A role (or group) eligibility or assignment schedule request as the domain sees it: Graph's shape plus
 * the internal fields Stint keeps beside it. shared/contracts/role-requests.ts parses and checks it at
 * compile time against this type, so the domain does not depend on the wire layer.
 */

export const ACTIONS = [
  'adminAssign',
  'adminUpdate',
  'adminRemove',
  'adminExtend',
  'adminRenew',
  'selfActivate',
  'selfDeactivate',
  'selfExtend',
  'selfRenew',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Graph's request statuses, plus Stint's `TimedOut`: a request whose approval stage was left unanswered
 * past its approvalStageTimeOutInDays. Graph has no such request status (Entra's activation "expires"
 * and must be resubmitted); the timed-out approval step shows Graph's step status `Expired`.
 */
export const REQUEST_STATUSES = [
  'Canceled',
  'Denied',
  'Failed',
  'Granted',
  'PendingAdminDecision',
  'PendingApproval',
  'PendingProvisioning',
  'PendingScheduleCreation',
  'Provisioned',
  'Revoked',
  'ScheduleCreated',
  'TimedOut',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

interface NamedRef {
  id: string | null;
  displayName: string | null;
}

export interface IdentitySet {
  application: NamedRef | null;
  device: null;
  user: NamedRef | null;
}

export interface ApprovalDecision {
  approverId: string;
  approverName: string | null;
  result: 'Approve' | 'Deny';
  justification: string | null;
  at: string;
}

export interface ApprovalStageState {
  id: string;
  approverIds: string[];
  fallback: boolean;
  fallbackApproverIds?: string[] | undefined;
  requiredCount: number;
  isApproverJustificationRequired: boolean;
  decisions: ApprovalDecision[];
  timeoutInDays?: number | undefined;
  openedDateTime?: string | undefined;
  expiredDateTime?: string | undefined;
}

export interface ApprovalState {
  stages: ApprovalStageState[];
}

export interface RoleRequest {
  id: string;
  kind: 'eligibility' | 'assignment';
  action: string;
  canonicalAction: Action;
  status: RequestStatus;
  createdDateTime: string;
  completedDateTime: string | null;
  approvalId: string | null;
  customData: string | null;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  appScopeId: string | null;
  isValidationOnly: boolean;
  targetScheduleId: string | null;
  justification: string | null;
  createdBy: IdentitySet;
  scheduleInfo: {
    startDateTime: string | null;
    recurrence: null;
    expiration: { type: string; endDateTime: string | null; duration: string | null };
  } | null;
  ticketInfo: { ticketNumber: string | null; ticketSystem: string | null };
  activatedUsing?: string | null | undefined;
  /** Hash of what was asked, so an identical retry returns this request instead of failing. */
  fingerprint?: string | undefined;
  /** Internal: the approval snapshotted when the request became PendingApproval (shared/domain/approval.ts). */
  approval?: ApprovalState | undefined;
  /** AWS access: why the account assignment could not be made (status Failed). */
  failureReason?: string | undefined;
}
