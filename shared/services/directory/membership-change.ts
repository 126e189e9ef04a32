import type { Group } from '../../contracts/directory.ts';
import type { OperationType } from '../../domain/audit.ts';
import { commitChange, type ConditionalWrite } from '../../store/transact.ts';
import { auditOf } from '../audit-writer.ts';
import type { Actor, Services } from '../context.ts';

const TARGET_TYPES: Record<string, 'User' | 'Group' | 'ServicePrincipal' | 'Other'> = {
  user: 'User',
  group: 'Group',
  servicePrincipal: 'ServicePrincipal',
};

/** A membership write and its audit record (targets: the group, then the member), in one transaction. */
export async function commitMembershipChange(
  svc: Services,
  actor: Actor,
  group: Group,
  member: { id: string; displayName: string; userPrincipalName?: string },
  memberType: string,
  activity: string,
  operationType: OperationType,
  writes: ConditionalWrite[],
): Promise<void> {
  const audit = auditOf(svc, actor, {
    category: 'GroupManagement',
    activity,
    operationType,
    targets: [
      { id: group.id, displayName: group.displayName, type: 'Group', modifiedProperties: [] },
      {
        id: member.id,
        displayName: member.displayName,
        type: TARGET_TYPES[memberType] ?? 'Other',
        userPrincipalName: member.userPrincipalName ?? null,
        modifiedProperties: [],
      },
    ],
  });
  await commitChange(svc.table, writes, audit);
}
