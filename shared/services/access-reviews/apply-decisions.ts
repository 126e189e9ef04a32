/**
 * Applying a completed instance's decisions: each denied piece of access is removed through the same
 * path an administrator's removal takes — a role (or PIM for groups) adminRemove request, or the
 * directory's member removal — so the last-administrator protection, the audit record and the
 * notifications all hold. Access that changed since the review started is left alone: a removal is
 * aimed at the schedule that was reviewed, never at a newer one. A removal the product refuses (the last
 * Global Administrator) is recorded on the item with the reason, and the rest carry on.
 *
 * The instance is `Applying` while this runs; items already applied are skipped, so what one call's
 * time budget leaves (or a run that was interrupted) is finished by the review job.
 */
import { REVIEW_SYSTEM, type DecisionItem, type Identity } from '../../domain/access-reviews/decisions.ts';
import type { DefinitionData, InstanceData } from '../../domain/access-reviews/model.ts';
import { DomainError, NotFoundError, ConflictError } from '../../domain/errors.ts';
import { instanceContents, replaceDecision, replaceInstance, type Versioned } from '../../store/access-reviews.ts';
import type { Budget } from './budget.ts';
import { getSchedule } from '../../store/role-schedules.ts';
import { commitChange } from '../../store/transact.ts';
import type { Actor, Services } from '../context.ts';
import { removeGroupMember } from '../directory/groups.ts';
import { ACCESS_KINDS } from '../roles/access-kinds/by-name.ts';
import { submitRoleRequest } from '../roles/requests/submit-request.ts';
import { summarize } from './complete-instance.ts';
import { moveTogether } from './move-together.ts';
import { auditReview } from './definitions.ts';

type Applied = Pick<DecisionItem, 'applyResult' | 'applyDescription'>;

async function removeAccess(svc: Services, actor: Actor, def: DefinitionData, d: DecisionItem): Promise<Applied> {
  const justification = `Denied in access review '${def.displayName}'${d.reviewedBy?.displayName ? ` by ${d.reviewedBy.displayName}` : ''}`.slice(0, 500);
  try {
    if (d.access.kind === 'membership') {
      await removeGroupMember(svc, actor, d.access.groupId, d.principal.id);
      return { applyResult: 'AppliedSuccessfully', applyDescription: `Removed from group '${d.resource.displayName ?? d.resource.id}'.` };
    }
    const access = d.access;
    if (!(await getSchedule(svc.table, access.scheduleId))) {
      return { applyResult: 'AppliedSuccessfullyButObjectNotFound', applyDescription: 'The reviewed assignment had already ended or been removed.' };
    }
    const { request } = await submitRoleRequest(
      svc,
      actor,
      access.scheduleKind,
      {
        action: { sent: 'adminRemove', canonical: 'adminRemove' },
        principalId: d.principal.id,
        roleDefinitionId: access.roleDefinitionId,
        directoryScopeId: access.directoryScopeId,
        justification,
      },
      { access: ACCESS_KINDS[access.resource] },
    );
    return { applyResult: 'AppliedSuccessfully', applyDescription: `Removed by request ${request.id}.` };
  } catch (error) {
    if (error instanceof NotFoundError) return { applyResult: 'AppliedSuccessfullyButObjectNotFound', applyDescription: error.message };
    // Refused by a rule of the product (the last Global Administrator stays): say why, and go on.
    if (error instanceof DomainError) return { applyResult: 'AppliedWithUnknownFailure', applyDescription: error.message };
    throw error;
  }
}

/** Completed → Applying, with the definition due at once so that the review job finishes what a call leaves. */
export async function beginApplying(
  svc: Services,
  actor: Actor,
  def: Versioned<DefinitionData>,
  instance: Versioned<InstanceData>,
): Promise<Versioned<InstanceData>> {
  if (instance.data.status === 'Applied') throw new ConflictError('The decisions of this instance have already been applied.', 'AccessReviewAlreadyApplied');
  if (instance.data.status === 'Applying') return instance;
  if (instance.data.status !== 'Completed') {
    throw new ConflictError(
      `Decisions are applied once the instance has ended; it is ${instance.data.status} until ${instance.data.endDateTime} (or stop it first).`,
      'AccessReviewNotCompleted',
    );
  }
  const applying: InstanceData = { ...instance.data, status: 'Applying' };
  const due: DefinitionData = { ...def.data, nextRunAt: svc.clock.now().toISOString() };
  return (await moveTogether(svc, actor, { def, instance }, { def: due, instance: applying }, 'Apply access review decisions', {})).instance;
}

/** Applies the denials not applied yet, as far as the budget goes; Applied once none is left. */
export async function applyPending(
  svc: Services,
  actor: Actor,
  def: DefinitionData,
  instance: Versioned<InstanceData>,
  budget: Budget,
): Promise<Versioned<InstanceData> | undefined> {
  const applier: Identity =
    actor.caller.id === REVIEW_SYSTEM.id
      ? REVIEW_SYSTEM
      : { id: actor.caller.id, displayName: actor.caller.displayName ?? null, userPrincipalName: actor.caller.userPrincipalName ?? null };
  // The review removes on its own authority, checked when the review was set up or the apply was asked for.
  const removing: Actor = { ...actor, system: true };
  const { decisions } = await instanceContents(svc.table, instance.data.id);
  const done: DecisionItem[] = [];
  for (const d of decisions) {
    if (d.data.decision !== 'Deny' || d.data.applyResult !== 'New') {
      done.push(d.data);
      continue;
    }
    if (!budget.left()) return undefined;
    const applied: DecisionItem = {
      ...d.data,
      ...(await removeAccess(svc, removing, def, d.data)),
      appliedBy: applier,
      appliedDateTime: svc.clock.now().toISOString(),
    };
    await commitChange(
      svc.table,
      [replaceDecision(applied, d.version)],
      auditReview(svc, actor, def, 'Apply access review decision', 'Update', {
        instanceId: applied.instanceId,
        decisionId: applied.id,
        principal: applied.principal.id,
        result: applied.applyResult,
        ...(applied.applyDescription ? { description: applied.applyDescription } : {}),
      }),
    );
    done.push(applied);
  }
  const summary = summarize(done);
  const appliedInstance: InstanceData = { ...instance.data, status: 'Applied', appliedDateTime: svc.clock.now().toISOString(), summary };
  await commitChange(
    svc.table,
    [replaceInstance(appliedInstance, instance.version)],
    auditReview(svc, actor, def, 'Access review decisions applied', 'Update', {
      instanceId: appliedInstance.id,
      removed: String(summary.removed),
      failed: String(summary.failed),
    }),
  );
  return { version: instance.version + 1, data: appliedInstance };
}
