/**
 * Cancelling a request that has not taken effect: one waiting for approval, or one granted for a start
 * still in the future (whose schedule then goes too). Anything already provisioned is a 400, as Graph.
 */
import type { RoleRequest } from '../../../contracts/role-requests.ts';
import { isAllowed } from '../../../domain/authorization.ts';
import { isGroupAccess } from '../../../domain/group-access.ts';
import { BadRequestError, NotFoundError } from '../../../domain/errors.ts';
import type { ScheduleKind } from '../../../domain/schedule.ts';
import { allApproverIds } from '../../../domain/approval.ts';
import { deleteApproverEntries, getRequest, transitionRequest } from '../../../store/role-requests.ts';
import { deleteSchedule, getSchedule, releaseSlot } from '../../../store/role-schedules.ts';
import { commitChange, type ConditionalWrite } from '../../../store/transact.ts';
import { auditOf } from '../../audit-writer.ts';
import type { Actor, Services } from '../../context.ts';
import { accessTargetOrId } from '../access-kinds/access-target.ts';
import { auditCategoryOf } from './outcome.ts';
import { heldRoles, loadPrincipal } from '../holdings/principal-access.ts';
import type { AccessKind } from '../access-kinds/access-kind.ts';
import { ROLE_ACCESS } from '../access-kinds/role-access.ts';

export async function cancelRoleRequest(svc: Services, actor: Actor, kind: ScheduleKind, id: string, access: AccessKind = ROLE_ACCESS): Promise<void> {
  const found = await getRequest(svc.table, id);
  const caller = actor.caller;
  const own = found && (found.data.principalId === caller.id || found.data.createdBy.user?.id === caller.id);
  const group = found && isGroupAccess(found.data);
  const manages = async () => isAllowed(await heldRoles(svc, caller), group ? 'groupAccess.manage' : 'roleAssignments.manage', found!.data.directoryScopeId);
  if (!found || found.data.kind !== kind || !access.owns(found.data) || !(own || (await manages()))) {
    throw new NotFoundError(`No request '${id}' that you can cancel.`);
  }
  const request = found.data;
  const now = svc.clock.now();
  const writes: ConditionalWrite[] = [];
  if (request.status === 'Granted' && request.targetScheduleId) {
    const schedule = await getSchedule(svc.table, request.targetScheduleId);
    if (schedule && Date.parse(schedule.data.startDateTime) <= now.getTime()) {
      throw new BadRequestError('The request has already taken effect; deactivate or remove the assignment instead.', 'RequestAlreadyProvisioned');
    }
    if (schedule) {
      const slot = schedule.data.assignmentType === 'Activated' ? 'C' : schedule.data.kind === 'eligibility' ? 'E' : 'A';
      writes.push(...deleteSchedule(schedule.data, schedule.version), releaseSlot(schedule.data, slot));
    }
  } else if (request.status !== 'PendingApproval') {
    throw new BadRequestError(
      `A request that is ${request.status} cannot be cancelled; only PendingApproval or Granted (not yet started) ones can.`,
      'RequestNotCancelable',
    );
  }
  if (request.approval) writes.push(...deleteApproverEntries(request.id, allApproverIds(request.approval)));
  const cancelled: RoleRequest = { ...request, status: 'Canceled', completedDateTime: now.toISOString() };
  const [role, principal] = await Promise.all([
    accessTargetOrId(svc, request.roleDefinitionId, request.directoryScopeId),
    loadPrincipal(svc, request.principalId),
  ]);
  const activation = request.canonicalAction === 'selfActivate';
  const audit = auditOf(
    svc,
    actor,
    {
      category: auditCategoryOf(role),
      activity: activation ? 'Add member to role canceled (PIM activation)' : `Add ${kind === 'eligibility' ? 'eligible ' : ''}member to role in PIM canceled`,
      operationType: 'Update',
      targets: [
        {
          id: request.principalId,
          displayName: principal?.displayName ?? null,
          type: principal?.type === 'group' ? 'Group' : principal?.type === 'servicePrincipal' ? 'ServicePrincipal' : 'User',
          modifiedProperties: [],
        },
        { ...role.audit, modifiedProperties: [{ displayName: 'status', oldValue: JSON.stringify(request.status), newValue: '"Canceled"' }] },
      ],
      details: { requestId: request.id },
    },
    now,
  );
  await commitChange(svc.table, [transitionRequest(cancelled, found.version, request.status), ...writes], audit);
}
