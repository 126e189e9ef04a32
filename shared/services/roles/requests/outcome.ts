import type { RoleRequest } from '../../../contracts/role-requests.ts';
import { BUILTIN_ROLE_IDS } from '../../../domain/builtin-roles.ts';
import { TENANT_SCOPE } from '../../../domain/scope.ts';
import type { Schedule } from '../../../domain/schedule.ts';
import type { ConditionalWrite } from '../../../store/transact.ts';
import type { AuditSpec } from '../../audit-writer.ts';
import type { AccessTarget } from '../access-kinds/access-target.ts';
import type { Prepared } from './request-context.ts';

/** What an action decided: the request to store, the writes that carry it out, and its audit record. */
export interface Outcome {
  request: RoleRequest;
  writes: ConditionalWrite[];
  audit: Omit<AuditSpec, 'targets' | 'category'>;
  /** The schedule as it now stands, when the action made or changed one. */
  schedule?: Schedule;
}

/** Roles whose last permanent active holder can never go (DESIGN.md §4). */
export const PROTECTED_ROLES: readonly string[] = [BUILTIN_ROLE_IDS.globalAdministrator, BUILTIN_ROLE_IDS.privilegedRoleAdministrator];

/**
 * Whether a schedule counts towards the "never remove the last one" guard of a protected role: a
 * permanent, admin-made, tenant-wide active assignment of a user or a group that is already in force.
 * A user's counts once; a group's once per standing user member (none while it is empty, see
 * group-guard.ts). Service principals and assignments that start later do not keep anyone able to sign
 * in and administer, so they do not count.
 */
export function countsAsProtectedHolder(s: Schedule, now: Date): boolean {
  return (
    s.kind === 'assignment' &&
    s.assignmentType === 'Assigned' &&
    (s.principalType === 'user' || s.principalType === 'group') &&
    s.endDateTime === null &&
    Date.parse(s.startDateTime) <= now.getTime() &&
    s.directoryScopeId === TENANT_SCOPE &&
    PROTECTED_ROLES.includes(s.roleDefinitionId)
  );
}

/** Whether the guard counted this schedule when it was written (older items carry no flag). */
export function wasCountedAsProtectedHolder(s: Schedule): boolean {
  return (
    s.protectedHolder ??
    (s.kind === 'assignment' &&
      s.assignmentType === 'Assigned' &&
      s.endDateTime === null &&
      s.directoryScopeId === TENANT_SCOPE &&
      PROTECTED_ROLES.includes(s.roleDefinitionId))
  );
}

export function auditTargets(p: Prepared) {
  const principalType = p.principal.type === 'user' ? 'User' : p.principal.type === 'group' ? 'Group' : 'ServicePrincipal';
  return [
    {
      id: p.principal.id,
      displayName: p.principal.displayName,
      type: principalType as 'User' | 'Group' | 'ServicePrincipal',
      userPrincipalName: p.principal.userPrincipalName ?? null,
      modifiedProperties: [],
    },
    {
      ...p.role.audit,
      modifiedProperties: [
        p.role.group
          ? { displayName: 'accessId', oldValue: null, newValue: JSON.stringify(p.role.group.accessId) }
          : { displayName: 'directoryScopeId', oldValue: null, newValue: JSON.stringify(p.scope) },
      ],
    },
  ];
}

/** Entra files PIM for groups under group management, PIM for roles under role management. */
export function auditCategoryOf(target: Pick<AccessTarget, 'kind'>): 'RoleManagement' | 'GroupManagement' {
  return target.kind === 'group' ? 'GroupManagement' : 'RoleManagement';
}

export function timeboundOrPermanent(s: Pick<Schedule, 'endDateTime'>): string {
  return s.endDateTime === null ? 'permanent' : 'timebound';
}
