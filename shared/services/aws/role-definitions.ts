/**
 * AWS roles: one role definition per Identity Center permission set tagged `stint:managed=true`, under
 * the permission set's own id (`ps-…`). Discovered and refreshed from Identity Center (the reconciler
 * refreshes them every run), or registered by an administrator by ARN. A permission set that loses its
 * tag or disappears is kept, disabled, so the history of its assignments still names it.
 */
import { BadRequestError, NotFoundError, ServiceUnavailableError } from '../../domain/errors.ts';
import { allowsLongSessions, DEFAULT_SESSION_DURATION, permissionSetIdOf } from '../../domain/aws-access.ts';
import { logger } from '../../observability/logger.ts';
import { evaluateFilter } from '../../domain/odata/filter.ts';
import { getAwsRole, listAwsRoles, putAwsRole, type AwsRoleDefinition, type StoredAwsRole } from '../../store/aws-directory.ts';
import { commitChange } from '../../store/transact.ts';
import { auditOf } from '../audit-writer.ts';
import { requirePermission } from '../authorize.ts';
import type { Actor, AwsConnection, Page, Services } from '../context.ts';
import { parseODataFilter } from '../directory/filter-query.ts';
import { pageInMemory } from '../paging.ts';
import type { PermissionSet } from './identity-center.ts';

export function connected(svc: Services): AwsConnection {
  if (!svc.aws) {
    throw new ServiceUnavailableError(
      'AWS access is not connected: set STINT_AWS_INSTANCE_ARN and STINT_AWS_IDENTITY_STORE_ID (deployed: the awsInstanceArn context), or run moto_server locally.',
      'AwsNotConnected',
    );
  }
  return svc.aws;
}

function roleOf(ps: PermissionSet, enabled: boolean): AwsRoleDefinition {
  const id = permissionSetIdOf(ps.arn);
  return {
    id,
    templateId: id,
    displayName: ps.name,
    description: ps.description ?? '',
    isBuiltIn: false,
    isEnabled: enabled,
    // Access to AWS accounts is privileged access: Entra marks such roles, and alerts and reviews look for them.
    isPrivileged: true,
    version: null,
    resourceScopes: ['/'],
    rolePermissions: [{ allowedResourceActions: [`aws.sso/permissionSets/${id}/assign`], condition: null }],
    permissionSetArn: ps.arn,
    sessionDuration: ps.sessionDuration ?? DEFAULT_SESSION_DURATION,
  };
}

const same = (a: AwsRoleDefinition, b: AwsRoleDefinition) => JSON.stringify(a) === JSON.stringify(b);

async function save(svc: Services, actor: Actor, current: StoredAwsRole | undefined, next: AwsRoleDefinition, why: string): Promise<AwsRoleDefinition> {
  if (current && same(current.data, next)) return current.data;
  const activity = !current ? 'Add role definition' : 'Update role definition';
  const audit = auditOf(svc, actor, {
    category: 'RoleManagement',
    activity,
    operationType: current ? 'Update' : 'Add',
    targets: [
      {
        id: next.id,
        displayName: next.displayName,
        type: 'Role',
        modifiedProperties: [
          { displayName: 'isEnabled', oldValue: current ? String(current.data.isEnabled) : null, newValue: String(next.isEnabled) },
          { displayName: 'permissionSetArn', oldValue: current?.data.permissionSetArn ?? null, newValue: next.permissionSetArn },
          { displayName: 'sessionDuration', oldValue: current?.data.sessionDuration ?? null, newValue: next.sessionDuration },
        ],
      },
    ],
    details: { reason: why },
  });
  await commitChange(svc.table, [putAwsRole(next, current?.version)], audit);
  return next;
}

export interface RefreshReport {
  added: string[];
  updated: string[];
  disabled: string[];
  /** Managed permission sets whose sessions outlast a revoke by more than the recommended hour. */
  longSessions: { id: string; displayName: string; sessionDuration: string }[];
}

/** Reads every permission set and brings the AWS roles in line: managed ones enabled, others disabled. */
export async function refreshAwsRoles(svc: Services, actor: Actor): Promise<RefreshReport> {
  const aws = connected(svc);
  const [sets, stored] = await Promise.all([aws.center.listPermissionSets(), listAwsRoles(svc.table)]);
  const byId = new Map(stored.map((r) => [r.data.id, r]));
  const report: RefreshReport = { added: [], updated: [], disabled: [], longSessions: [] };
  const seen = new Set<string>();
  for (const ps of sets) {
    const id = permissionSetIdOf(ps.arn);
    seen.add(id);
    const current = byId.get(id);
    if (!ps.managed && !current) continue;
    const next = roleOf(ps, ps.managed);
    if (current && same(current.data, next)) continue;
    await save(svc, actor, current, next, ps.managed ? 'Permission set tagged stint:managed=true' : 'Permission set no longer tagged stint:managed=true');
    (current ? (next.isEnabled ? report.updated : report.disabled) : report.added).push(id);
  }
  for (const ps of sets.filter((p) => p.managed && allowsLongSessions(p.sessionDuration))) {
    report.longSessions.push({ id: permissionSetIdOf(ps.arn), displayName: ps.name, sessionDuration: ps.sessionDuration ?? DEFAULT_SESSION_DURATION });
  }
  const newlyLong = report.longSessions.filter((l) => report.added.includes(l.id) || report.updated.includes(l.id));
  if (newlyLong.length > 0) {
    // Deleting an assignment does not end sessions already issued: with long sessions, access outlives its end.
    // Said when a set is discovered or changed, not on every refresh.
    logger.warn('Managed permission sets allow sessions longer than one hour; sessions issued before a revoke last that long', { permissionSets: newlyLong });
  }
  for (const current of stored) {
    if (seen.has(current.data.id) || !current.data.isEnabled) continue;
    await save(svc, actor, current, { ...current.data, isEnabled: false }, 'Permission set no longer exists in Identity Center');
    report.disabled.push(current.data.id);
  }
  return report;
}

/** An administrator registers one permission set by ARN; it must carry the tag the connector's permissions require. */
export async function registerAwsRole(svc: Services, actor: Actor, permissionSetArn: string): Promise<AwsRoleDefinition> {
  await requirePermission(svc, actor, 'roleDefinitions.manage');
  const aws = connected(svc);
  const id = permissionSetIdOf(permissionSetArn);
  const ps = await aws.center.describePermissionSet(permissionSetArn);
  if (!ps)
    throw new BadRequestError(
      `Permission set '${permissionSetArn}' does not exist in Identity Center instance ${aws.center.instanceArn}.`,
      'InvalidPermissionSet',
    );
  if (!ps.managed) {
    throw new BadRequestError(
      `Permission set '${ps.name}' is not tagged stint:managed=true, so Stint's connector may not assign it. Tag it first: aws sso-admin tag-resource --instance-arn ${aws.center.instanceArn} --resource-arn ${permissionSetArn} --tags Key=stint:managed,Value=true`,
      'PermissionSetNotManaged',
    );
  }
  return save(svc, actor, await getAwsRole(svc.table, id), roleOf(ps, true), 'Registered by an administrator');
}

export async function getAwsRoleDefinition(svc: Services, id: string): Promise<AwsRoleDefinition> {
  const found = await getAwsRole(svc.table, id);
  if (!found)
    throw new NotFoundError(
      `AWS role definition '${id.slice(0, 100)}' does not exist. AWS roles are the permission sets tagged stint:managed=true.`,
      'RoleNotFound',
    );
  return found.data;
}

export async function listAwsRoleDefinitions(svc: Services, options: { filter?: string; top?: number; skipToken?: string }): Promise<Page<AwsRoleDefinition>> {
  const filter = options.filter ? parseODataFilter(options.filter) : undefined;
  const all = (await listAwsRoles(svc.table))
    .map((r) => r.data)
    .filter((r) => !filter || evaluateFilter(filter, r))
    .sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
  return pageInMemory(svc, `awsRoleDefinitions:${options.filter ?? ''}`, all, options.top ?? 100, options.skipToken);
}
