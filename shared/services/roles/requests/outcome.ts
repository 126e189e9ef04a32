import type { RoleRequest } from '../../../contracts/role-requests.ts';
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
