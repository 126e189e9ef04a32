/** The audit record of a change the platform makes to a schedule on time (start, expiry) or because its basis ended. */
import type { OperationType, TargetResource } from '../../domain/audit.ts';
import type { Schedule } from '../../domain/schedule.ts';
import { auditOf } from '../audit-writer.ts';
import type { Actor, Services } from '../context.ts';
import { accessTargetOrId } from '../roles/access-kinds/access-target.ts';
import { auditCategoryOf } from '../roles/requests/outcome.ts';
import { loadPrincipal } from '../roles/holdings/principal-access.ts';

export async function scheduleAudit(
  svc: Services,
  actor: Actor,
  s: Schedule,
  activity: string,
  change: { property?: 'status' | 'endDateTime'; oldValue: string; newValue: string },
  now: Date,
  operationType: OperationType = 'Update',
) {
  const [principal, role] = await Promise.all([loadPrincipal(svc, s.principalId), accessTargetOrId(svc, s.roleDefinitionId, s.directoryScopeId)]);
  const principalType = s.principalType === 'user' ? 'User' : s.principalType === 'group' ? 'Group' : 'ServicePrincipal';
  const targets: TargetResource[] = [
    {
      id: s.principalId,
      displayName: principal?.displayName ?? null,
      type: principalType,
      userPrincipalName: principal?.userPrincipalName ?? null,
      modifiedProperties: [],
    },
    {
      ...role.audit,
      modifiedProperties: [
        { displayName: 'directoryScopeId', oldValue: null, newValue: JSON.stringify(s.directoryScopeId) },
        { displayName: change.property ?? 'status', oldValue: JSON.stringify(change.oldValue), newValue: JSON.stringify(change.newValue) },
      ],
    },
  ];
  return auditOf(
    svc,
    actor,
    {
      category: auditCategoryOf(role),
      activity,
      operationType,
      targets,
      details: { scheduleId: s.id, requestId: s.createdUsing, endDateTime: s.endDateTime ?? '' },
    },
    now,
  );
}
