/** How the audit record of a request's status change names what it is about: the principal, and the role or group access. */
import type { TargetResource } from '../../../domain/audit.ts';
import type { AccessTarget } from '../access-kinds/access-target.ts';
import type { Principal } from '../holdings/principal-access.ts';

export function requestStatusTargets(
  principalId: string,
  principal: Principal | undefined,
  target: AccessTarget,
  oldStatus: string,
  newStatus: string,
): TargetResource[] {
  const type = principal?.type === 'group' ? 'Group' : principal?.type === 'servicePrincipal' ? 'ServicePrincipal' : 'User';
  return [
    { id: principalId, displayName: principal?.displayName ?? null, type, modifiedProperties: [] },
    { ...target.audit, modifiedProperties: [{ displayName: 'status', oldValue: JSON.stringify(oldStatus), newValue: JSON.stringify(newStatus) }] },
  ];
}
