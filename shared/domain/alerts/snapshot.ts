/**
 * What the alert evaluators read: the tenant as it stands at one instant, reduced to the facts the six
 * alerts need. Plain arrays, so a test writes one by hand; shared/services/alerts/snapshot.ts reads it
 * from the table, and evaluate.ts indexes it once (snapshot-index.ts).
 */
import type { PrincipalType, ScheduleKind } from '../schedule.ts';

/** A directory role (built-in or custom); resource and AWS roles are not here. */
export interface AlertRole {
  id: string;
  templateId: string;
  displayName: string;
  isPrivileged: boolean;
  /** Whether the role's policy at '/' requires multifactor authentication on activation (Enablement_EndUser_Assignment). */
  requiresMfaOnActivation: boolean;
}

export interface AlertPrincipal {
  id: string;
  type: PrincipalType;
  displayName: string;
  userPrincipalName: string | null;
  /** Users only: the last recorded sign-in (recorded at most hourly); null if never. */
  lastSignInDateTime: string | null;
}

/** An eligibility or active assignment of a directory role (not ended); direct, so its principal may be a group. */
export interface AlertSchedule {
  id: string;
  kind: ScheduleKind;
  principalId: string;
  principalType: PrincipalType;
  roleDefinitionId: string;
  directoryScopeId: string;
  /** Active assignments: admin-assigned or made by an activation. */
  assignmentType: 'Assigned' | 'Activated' | null;
  createdDateTime: string;
  startDateTime: string;
  endDateTime: string | null;
  /** Activations: the eligibility they were made from. */
  activatedUsing: string | null;
}

/** A group that holds a directory role, with who is in it: standing members, and PIM for groups active members. */
export interface AlertGroup {
  id: string;
  isAssignableToRole: boolean;
  /** Members added through the directory (`/groups/{id}/members`); `since` is when, if known. */
  standingMembers: { id: string; type: PrincipalType; since: string | null }[];
  /** Active `member` assignments of PIM for groups (kept if not ended; evaluation checks them against the clock). */
  pimMembers: { principalId: string; principalType: PrincipalType; startDateTime: string; endDateTime: string | null }[];
}

/** A self-activation of a directory role that went through (its request), within the snapshot's look-back. */
export interface AlertActivation {
  requestId: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  createdDateTime: string;
  /** The eligibility it used, when the request names it. */
  activatedUsing: string | null;
}

/** An AWS account assignment made outside Stint on a permission set Stint manages. */
export interface AlertOutsideAwsAssignment {
  accountId: string;
  permissionSetId: string;
  permissionSetName: string;
  identityStoreUserId: string;
  /** The Stint user matched to the identity-store user, if any. */
  principalId: string | null;
  /** When Stint found it. */
  foundDateTime: string;
}

export interface AlertSnapshot {
  roles: AlertRole[];
  /** Every principal a schedule, group membership or outside assignment below names, as far as they exist. */
  principals: AlertPrincipal[];
  schedules: AlertSchedule[];
  /** Groups that are principals of `schedules`. */
  groups: AlertGroup[];
  activations: AlertActivation[];
  /**
   * The last activation of each eligibility (by eligibility id) known beyond `activations`: from the
   * activation schedules still stored.
   */
  lastActivationByEligibility: Record<string, string>;
  outsideAwsAssignments: AlertOutsideAwsAssignment[];
}
