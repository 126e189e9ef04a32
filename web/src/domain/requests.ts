/**
 * Schedule requests of both APIs (roles and groups, eligibility and assignment) in one shape for lists
 * and the request page, and how to find one by id when only the id is known (an email link).
 */
import type { Api } from '../api/client.ts';
import { ApiError } from '../api/errors.ts';
import { GROUPS_PIM, ROLES } from '../api/paths.ts';

export type RequestKind = 'roles' | 'groups';
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

export function targetOf(r: GraphRequest, kind: RequestKind): string {
  if (kind === 'roles') return r.roleDefinition?.displayName ?? r.roleDefinitionId ?? '';
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
  for (const c of COLLECTIONS) {
    try {
      const r = await api.get<GraphRequest>(`${c.path}/${encodeURIComponent(id)}?$expand=${c.expand}`);
      return row(r, c.kind, c.level);
    } catch (error) {
      if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 403)) throw error;
    }
  }
  throw new ApiError(404, 'Request_ResourceNotFound', `There is no request '${id}' that you can see.`);
}
