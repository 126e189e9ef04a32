/**
 * Schedule requests of every provider (directory roles, groups, AWS roles; eligibility and assignment) in one shape for lists
 * and the request page, and how to find one by id when only the id is known (an email link).
 */
import type { Api } from '../api/client.ts';
import { ApiError } from '../api/errors.ts';
import { AWS, GROUPS_PIM, ROLES } from '../api/paths.ts';

export type RequestKind = 'roles' | 'groups' | 'aws';
export type RequestLevel = 'assignment' | 'eligibility';

export interface GraphRequest {
  id: string;
  action: string;
  status: string;
  principalId: string;
  createdDateTime: string;
  completedDateTime?: string | null;
  approvalId?: string | null;
  justification?: string | null;
  ticketInfo?: { ticketNumber?: string | null; ticketSystem?: string | null } | null;
  scheduleInfo?: { startDateTime?: string | null; expiration?: { type?: string; endDateTime?: string | null; duration?: string | null } } | null;
  createdBy?: { user?: { id?: string; displayName?: string | null } | null } | null;
  roleDefinitionId?: string;
  directoryScopeId?: string;
  roleDefinition?: { displayName: string } | null;
  groupId?: string;
  accessId?: 'member' | 'owner';
  group?: { displayName: string } | null;
  principal?: { displayName?: string; userPrincipalName?: string } | null;
  /** AWS requests that failed: why IAM Identity Center did not make (or remove) the account assignment. */
  awsAccess?: { failureReason?: string | null } | null;
}

export interface RequestRow extends GraphRequest {
  kind: RequestKind;
  level: RequestLevel;
  /** "Security Reader" or "Member of Platform Engineering". */
  target: string;
}

export const COLLECTIONS: { kind: RequestKind; level: RequestLevel; path: string; expand: string }[] = [
  { kind: 'roles', level: 'assignment', path: `${ROLES}/roleAssignmentScheduleRequests`, expand: 'principal,roleDefinition' },
  { kind: 'roles', level: 'eligibility', path: `${ROLES}/roleEligibilityScheduleRequests`, expand: 'principal,roleDefinition' },
  { kind: 'groups', level: 'assignment', path: `${GROUPS_PIM}/assignmentScheduleRequests`, expand: 'principal,group' },
  { kind: 'groups', level: 'eligibility', path: `${GROUPS_PIM}/eligibilityScheduleRequests`, expand: 'principal,group' },
];

/**
 * AWS roles' requests: apart, because the API answers 503 AwsNotConnected for them when Stint has no IAM
 * Identity Center, which must not fail the lists of the other providers.
 */
export const AWS_COLLECTIONS: typeof COLLECTIONS = [
  { kind: 'aws', level: 'assignment', path: `${AWS}/roleAssignmentScheduleRequests`, expand: 'principal,roleDefinition' },
  { kind: 'aws', level: 'eligibility', path: `${AWS}/roleEligibilityScheduleRequests`, expand: 'principal,roleDefinition' },
];

export const ALL_COLLECTIONS = [...COLLECTIONS, ...AWS_COLLECTIONS];

export function targetOf(r: GraphRequest, kind: RequestKind): string {
  if (kind !== 'groups') return r.roleDefinition?.displayName ?? r.roleDefinitionId ?? '';
  const role = r.accessId === 'owner' ? 'Owner' : 'Member';
  return `${role} of ${r.group?.displayName ?? r.groupId ?? ''}`;
}

export function row(r: GraphRequest, kind: RequestKind, level: RequestLevel): RequestRow {
  return { ...r, kind, level, target: targetOf(r, kind) };
}

/** Graph's action names as Entra's portal words them. */
export const ACTION_LABEL: Record<string, string> = {
  selfActivate: 'Activate',
  selfDeactivate: 'Deactivate',
  selfExtend: 'Extend',
  selfRenew: 'Renew',
  adminAssign: 'Assign',
  adminUpdate: 'Update',
  adminRemove: 'Remove',
  adminExtend: 'Extend (admin)',
  adminRenew: 'Renew (admin)',
};

export const CANCELLABLE = new Set(['PendingApproval', 'Granted', 'PendingScheduleCreation', 'PendingProvisioning', 'Scheduled']);

/** A request by id, wherever it lives; as an approver, found among the requests waiting for me. */
export async function findRequest(api: Api, id: string): Promise<RequestRow> {
  for (const c of ALL_COLLECTIONS) {
    try {
      const r = await api.get<GraphRequest>(`${c.path}/${encodeURIComponent(id)}?$expand=${c.expand}`);
      return row(r, c.kind, c.level);
    } catch (error) {
      // 503: AWS access is not connected, so no AWS request can be the one.
      if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 403 && error.status !== 503)) throw error;
    }
  }
  throw new ApiError(404, 'Request_ResourceNotFound', `There is no request '${id}' that you can see.`);
}
