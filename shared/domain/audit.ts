/**
 * Audit records in the shape of Graph's `directoryAudit`, so tooling that reads Entra's audit log
 * reads ours. Built here (pure); written by the store in the same transaction as the change.
 */
import type { Caller } from './caller.ts';

export type AuditCategory = 'UserManagement' | 'GroupManagement' | 'ApplicationManagement' | 'RoleManagement' | 'Policy' | 'Notification' | 'AccessReviews';
export type OperationType = 'Add' | 'Update' | 'Delete' | 'Assign' | 'Unassign';
export type TargetType = 'User' | 'Group' | 'ServicePrincipal' | 'Role' | 'Policy' | 'Directory' | 'Other';

export interface ModifiedProperty {
  displayName: string;
  oldValue: string | null;
  newValue: string | null;
}

export interface TargetResource {
  id: string;
  displayName: string | null;
  type: TargetType;
  userPrincipalName?: string | null;
  modifiedProperties: ModifiedProperty[];
}

export interface AuditRecord {
  id: string;
  category: AuditCategory;
  correlationId: string;
  activityDisplayName: string;
  activityDateTime: string;
  loggedByService: 'Stint';
  operationType: OperationType;
  result: 'success' | 'failure';
  resultReason: string;
  initiatedBy: {
    user: { id: string; displayName: string | null; userPrincipalName: string | null; ipAddress: string | null } | null;
    app: { appId: string | null; displayName: string | null; servicePrincipalId: string | null } | null;
  };
  targetResources: TargetResource[];
  additionalDetails: { key: string; value: string }[];
}

export interface AuditInput {
  id: string;
  correlationId: string;
  at: Date;
  caller: Caller;
  category: AuditCategory;
  activity: string;
  operationType: OperationType;
  targets: TargetResource[];
  details?: Record<string, string>;
}

export function buildAuditRecord(input: AuditInput): AuditRecord {
  const { caller } = input;
  return {
    id: input.id,
    category: input.category,
    correlationId: input.correlationId,
    activityDisplayName: input.activity,
    activityDateTime: input.at.toISOString(),
    loggedByService: 'Stint',
    operationType: input.operationType,
    result: 'success',
    resultReason: '',
    initiatedBy: {
      user:
        caller.kind === 'user'
          ? { id: caller.id, displayName: caller.displayName ?? null, userPrincipalName: caller.userPrincipalName ?? null, ipAddress: caller.ipAddress ?? null }
          : null,
      app: caller.kind === 'servicePrincipal' ? { appId: caller.appId ?? null, displayName: caller.displayName ?? null, servicePrincipalId: caller.id } : null,
    },
    targetResources: input.targets,
    additionalDetails: Object.entries(input.details ?? {}).map(([key, value]) => ({ key, value })),
  };
}

/** The properties that differ between two versions of an object, as Graph's modifiedProperties. */
export function diffProperties(before: Record<string, unknown> | null, after: Record<string, unknown> | null): ModifiedProperty[] {
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: ModifiedProperty[] = [];
  for (const name of [...names].sort()) {
    const oldValue = before?.[name] === undefined ? null : JSON.stringify(before[name]);
    const newValue = after?.[name] === undefined ? null : JSON.stringify(after[name]);
    if (oldValue !== newValue) changes.push({ displayName: name, oldValue, newValue });
  }
  return changes;
}
