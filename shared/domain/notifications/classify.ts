/**
 * From one change of one item (old image, new image) to the notifications and domain events it means.
 * Only transitions fire: a change that rewrites an item without moving its status or approval stage
 * (a stored task token, a counter, a re-put of the same state) fires nothing, so the outbox can be fed
 * every record of the stream.
 *
 *   request  INSERT/MODIFY entering PendingApproval, or moving to a later stage
 *                                  → approvalRequested | extensionRequested (approvers of that stage)
 *            MODIFY leaving PendingApproval → approved | denied (requestor, the stage's other approvers),
 *                                  approvalTimedOut (requestor), approvalCanceled (the stage's approvers yet to decide); an approved activation also → activated (admins)
 *            selfActivate entering Granted/Provisioned without approval → activated (requestor, admins)
 *            adminAssign entering Granted/Provisioned → assigned (assignee, admins)
 *            adminUpdate/adminExtend/adminRenew entering Granted/Provisioned → assignmentChanged (assignee, admins)
 *   schedule INSERT → domain assigned, or activated (an activation in force now)
 *            MODIFY Granted → Provisioned of an activation → domain activated
 *            MODIFY → Expired → expired (assignee, admins; not for activations) and domain expired
 *            REMOVE (not expired) → domain deactivated (activation) or removed
 *   reminder INSERT → read the target, then reminderNotification()
 *   awsOutsideAssignment INSERT → assignedOutsidePim (admins) and the domain event awsAssignedOutsideStint
 *   reviewInstance → InProgress, a reminder counted, → Completed, → Applied: see review-notices.ts
 *   alert    becoming active → domain alertTriggered, and (High) the administrators: see alert-notices.ts
 */
import { approversOf, currentStage, outcomeOf, type ApprovalStageState } from '../approval.ts';
import type { Schedule } from '../schedule.ts';
import { classifyAlertChange } from './alert-notices.ts';
import { classifyReviewChange } from './review-notices.ts';
import type {
  Classified,
  DomainEvent,
  ItemChange,
  NotificationEvent,
  OutsideAssignmentItem,
  RecipientType,
  ReminderItem,
  RuleTarget,
  StreamRequest,
} from './types.ts';

const GRANTED = new Set(['Granted', 'Provisioned']);
const PENDING = 'PendingApproval';
/** An administrator giving an existing assignment a new window: the holder and the admins hear of it, as of an assignment. */
const ADMIN_CHANGES = new Set(['adminUpdate', 'adminExtend', 'adminRenew']);

const none = (): Classified => ({ notifications: [], domainEvents: [] });

export function classifyChange(change: ItemChange): Classified {
  const type = change.new?.type ?? change.old?.type;
  if (type === 'request') {
    const before = change.old?.type === 'request' ? change.old.data : undefined;
    const after = change.new?.type === 'request' ? change.new.data : undefined;
    return after ? requestChanged(before, after, change.at) : none();
  }
  if (type === 'schedule') {
    const before = change.old?.type === 'schedule' ? change.old.data : undefined;
    const after = change.new?.type === 'schedule' ? change.new.data : undefined;
    return scheduleChanged(before, after, change.at);
  }
  if (type === 'reviewInstance') {
    const before = change.old?.type === 'reviewInstance' ? change.old.data : undefined;
    const after = change.new?.type === 'reviewInstance' ? change.new.data : undefined;
    const review = classifyReviewChange(before, after);
    return review ? { ...none(), review } : none();
  }
  if (type === 'alert') {
    const before = change.old?.type === 'alert' ? change.old.data : undefined;
    const after = change.new?.type === 'alert' ? change.new.data : undefined;
    const fired = classifyAlertChange(before, after, change.at);
    return fired ? { notifications: [], domainEvents: [fired.event], alert: fired.notice } : none();
  }
  // A reminder is put once (under a condition) by the sweeper; only its insertion means "send it".
  if (type === 'reminder' && change.eventName === 'INSERT' && change.new?.type === 'reminder') {
    const { reminder, targetKind, targetId, at } = change.new;
    return { ...none(), reminder: { reminder, targetKind, targetId, at } };
  }
  // Put once per assignment by the AWS reconciler while it stays: only its insertion is news.
  if (type === 'awsOutsideAssignment' && change.eventName === 'INSERT' && change.new?.type === 'awsOutsideAssignment') {
    return assignedOutside(change.new, change.at);
  }
  return none();
}

/** An AWS account assignment Stint never granted, on a permission set it manages: administrators must look. */
export function assignedOutside(item: OutsideAssignmentItem, at: string): Classified {
  const key = `${item.accountId}#${item.permissionSetId}#${item.userId}`;
  const directoryScopeId = `/accounts/${item.accountId}`;
  const principalId = item.principalId ?? item.userId;
  return {
    notifications: [
      {
        id: `assignedOutsidePim:${key}:${item.at}`,
        kind: 'assignedOutsidePim',
        audiences: ['Admin'],
        rule: { caller: 'Admin', level: 'Assignment' },
        criticality: 'critical',
        requestId: key,
        scheduleKind: 'assignment',
        action: null,
        principalId,
        roleDefinitionId: item.permissionSetId,
        directoryScopeId,
        approverIds: [],
        startDateTime: item.at,
        endDateTime: null,
        justification: null,
        requestedBy: null,
        status: 'AssignedOutsideStint',
        linkPath: '/activity/resource-audit',
      },
    ],
    domainEvents: [
      {
        type: 'awsAssignedOutsideStint',
        time: at,
        detail: {
          accountId: item.accountId,
          permissionSetId: item.permissionSetId,
          permissionSetArn: item.permissionSetArn,
          identityStoreUserId: item.userId,
          principalId: item.principalId,
          roleDefinitionId: item.permissionSetId,
          directoryScopeId,
        },
      },
    ],
  };
}

/** selfActivate is governed by the end-user rules; everything else by the admin rules of its level. */
export function ruleOfRequest(r: Pick<StreamRequest, 'canonicalAction' | 'kind'>): RuleTarget {
  if (r.canonicalAction === 'selfActivate') return { caller: 'EndUser', level: 'Assignment' };
  return { caller: 'Admin', level: r.kind === 'eligibility' ? 'Eligibility' : 'Assignment' };
}

export function ruleOfSchedule(s: Pick<Schedule, 'assignmentType' | 'kind'>): RuleTarget {
  if (s.assignmentType === 'Activated') return { caller: 'EndUser', level: 'Assignment' };
  return { caller: 'Admin', level: s.kind === 'eligibility' ? 'Eligibility' : 'Assignment' };
}

function stageOf(r: StreamRequest): ApprovalStageState | undefined {
  return r.status === PENDING && r.approval ? currentStage(r.approval) : undefined;
}

const isExtension = (r: StreamRequest) => r.canonicalAction === 'selfExtend' || r.canonicalAction === 'selfRenew';

function fromRequest(r: StreamRequest, kind: NotificationEvent['kind'], audiences: RecipientType[], extra: Partial<NotificationEvent> = {}): NotificationEvent {
  return {
    id: `${kind}:${r.id}`,
    kind,
    audiences,
    rule: ruleOfRequest(r),
    criticality: 'normal',
    requestId: r.id,
    scheduleKind: r.kind,
    action: r.canonicalAction,
    principalId: r.principalId,
    roleDefinitionId: r.roleDefinitionId,
    directoryScopeId: r.directoryScopeId,
    approverIds: [],
    startDateTime: r.scheduleInfo?.startDateTime ?? null,
    endDateTime: r.scheduleInfo?.expiration.endDateTime ?? null,
    justification: r.justification,
    requestedBy: r.createdBy.user?.displayName ?? r.createdBy.application?.displayName ?? null,
    status: r.status,
    ticketNumber: r.ticketInfo.ticketNumber,
    ...extra,
  };
}

/** The approval of a request now awaits this stage: its approvers are asked (critical: someone must act). */
export function approvalRequest(r: StreamRequest, stage: ApprovalStageState): NotificationEvent {
  const kind = isExtension(r) ? 'extensionRequested' : 'approvalRequested';
  const decided = new Set(stage.decisions.map((d) => d.approverId));
  return fromRequest(r, kind, ['Approver'], {
    id: `${kind}:${r.id}:${stage.id}`,
    criticality: 'critical',
    approverIds: approversOf(r.approval!, stage).filter((id) => !decided.has(id)),
  });
}

function requestEvent(r: StreamRequest, type: DomainEvent['type'], at: string, detail: DomainEvent['detail'] = {}): DomainEvent {
  return {
    type,
    time: at,
    detail: {
      requestId: r.id,
      action: r.canonicalAction,
      kind: r.kind,
      principalId: r.principalId,
      roleDefinitionId: r.roleDefinitionId,
      directoryScopeId: r.directoryScopeId,
      status: r.status,
      ...detail,
    },
  };
}

function requestChanged(before: StreamRequest | undefined, after: StreamRequest, at: string): Classified {
  const out = none();
  const stageBefore = before ? stageOf(before) : undefined;
  const stageAfter = stageOf(after);
  if (stageAfter && stageAfter.id !== stageBefore?.id) {
    out.notifications.push(approvalRequest(after, stageAfter));
    out.domainEvents.push(
      requestEvent(after, 'approvalRequested', at, {
        approvalId: after.approvalId ?? after.id,
        stageId: stageAfter.id,
        approverIds: approversOf(after.approval!, stageAfter),
      }),
    );
  }
  if (before?.status === PENDING && after.status !== PENDING) decided(before, after, at, out);
  if (after.status === 'Failed' && before?.status === 'PendingProvisioning') {
    // AWS access that could not be made: the requester must not wait for it, and administrators must look.
    out.notifications.push(fromRequest(after, 'provisioningFailed', ['Requestor', 'Admin'], { criticality: 'critical', failureReason: after.failureReason }));
  }
  const entersGranted = GRANTED.has(after.status) && !(before && GRANTED.has(before.status));
  if (entersGranted && before?.status !== PENDING) {
    if (after.canonicalAction === 'selfActivate')
      out.notifications.push(fromRequest(after, 'activated', ['Requestor', 'Admin'], { criticality: 'ifPrivilegedRole' }));
    if (after.canonicalAction === 'adminAssign')
      out.notifications.push(fromRequest(after, 'assigned', ['Requestor', 'Admin'], { criticality: 'ifPrivilegedRole' }));
    if (ADMIN_CHANGES.has(after.canonicalAction))
      out.notifications.push(fromRequest(after, 'assignmentChanged', ['Requestor', 'Admin'], { criticality: 'ifPrivilegedRole' }));
  }
  return out;
}

/** A request left PendingApproval: approved, denied, timed out or cancelled. */
function decided(before: StreamRequest, after: StreamRequest, at: string, out: Classified): void {
  const stage = stageOf(before);
  const stageNow = stage && after.approval?.stages.find((s) => s.id === stage.id);
  const known = new Set(stage?.decisions.map((d) => `${d.approverId}@${d.at}`));
  const fresh = (stageNow?.decisions ?? []).filter((d) => !known.has(`${d.approverId}@${d.at}`));
  const deciders = new Set(stageNow?.decisions.map((d) => d.approverId));
  const outcome = after.approval ? outcomeOf(after.approval) : 'Pending';
  const result = outcome === 'Approved' || outcome === 'Denied' ? outcome : after.status;
  out.domainEvents.push(
    requestEvent(after, 'approvalDecided', at, { approvalId: after.approvalId ?? after.id, outcome: result, decidedBy: fresh.map((d) => d.approverId) }),
  );
  if (outcome === 'Approved' || outcome === 'Denied') {
    const kind = outcome === 'Approved' ? 'approved' : 'denied';
    out.notifications.push(
      fromRequest(after, kind, ['Requestor', 'Approver'], {
        criticality: 'critical',
        // The other approvers learn that nothing is left for them to do.
        approverIds: (stage ? approversOf(before.approval!, stage) : []).filter((id) => !deciders.has(id)),
        decision: { by: fresh.map((d) => d.approverName ?? d.approverId), justification: fresh.at(-1)?.justification ?? null },
      }),
    );
    if (outcome === 'Approved' && after.canonicalAction === 'selfActivate' && GRANTED.has(after.status)) {
      // The requestor has the approval email; the administrators hear of the activation.
      out.notifications.push(fromRequest(after, 'activated', ['Admin'], { criticality: 'ifPrivilegedRole' }));
    }
  } else if (after.status === 'TimedOut') {
    out.notifications.push(fromRequest(after, 'approvalTimedOut', ['Requestor'], { criticality: 'critical' }));
  } else if (after.status === 'Canceled' && stage) {
    // Those still asked to decide learn that there is nothing left to decide.
    out.notifications.push(
      fromRequest(after, 'approvalCanceled', ['Approver'], {
        criticality: 'critical',
        approverIds: approversOf(before.approval!, stage).filter((id) => !deciders.has(id)),
      }),
    );
  }
}

function fromSchedule(s: Schedule, kind: NotificationEvent['kind'], audiences: RecipientType[], extra: Partial<NotificationEvent> = {}): NotificationEvent {
  return {
    id: `${kind}:${s.id}`,
    kind,
    audiences,
    rule: ruleOfSchedule(s),
    criticality: 'normal',
    requestId: s.createdUsing,
    scheduleKind: s.kind,
    action: null,
    principalId: s.principalId,
    roleDefinitionId: s.roleDefinitionId,
    directoryScopeId: s.directoryScopeId,
    approverIds: [],
    startDateTime: s.startDateTime,
    endDateTime: s.endDateTime,
    justification: null,
    requestedBy: null,
    status: s.status,
    ...extra,
  };
}

function scheduleEvent(s: Schedule, type: DomainEvent['type'], at: string): DomainEvent {
  return {
    type,
    time: at,
    detail: {
      scheduleId: s.id,
      kind: s.kind,
      assignmentType: s.assignmentType,
      principalId: s.principalId,
      principalType: s.principalType,
      roleDefinitionId: s.roleDefinitionId,
      directoryScopeId: s.directoryScopeId,
      startDateTime: s.startDateTime,
      endDateTime: s.endDateTime,
      requestId: s.createdUsing,
    },
  };
}

function scheduleChanged(before: Schedule | undefined, after: Schedule | undefined, at: string): Classified {
  const out = none();
  const activation = (after ?? before)?.assignmentType === 'Activated';
  if (!before && after) {
    if (!activation) out.domainEvents.push(scheduleEvent(after, 'assigned', at));
    else if (after.status === 'Provisioned') out.domainEvents.push(scheduleEvent(after, 'activated', at));
  } else if (before && after) {
    if (activation && before.status === 'Granted' && after.status === 'Provisioned') out.domainEvents.push(scheduleEvent(after, 'activated', at));
    if (before.status !== 'Expired' && after.status === 'Expired') {
      out.domainEvents.push(scheduleEvent(after, 'expired', at));
      // The end of an activation is the end its user chose: no email, only the event.
      if (!activation) out.notifications.push(fromSchedule(after, 'expired', ['Requestor', 'Admin']));
    }
  } else if (before && before.status !== 'Expired') {
    out.domainEvents.push(scheduleEvent(before, activation ? 'deactivated' : 'removed', at));
  }
  return out;
}

/** What a due reminder sends, given its target as it stands now (nothing, if it is no longer due). */
export function reminderNotification(
  reminder: ReminderItem,
  target: { request?: StreamRequest; schedule?: Schedule },
  now: Date,
): NotificationEvent | undefined {
  if (reminder.reminder === 'approvalPending') {
    const r = target.request;
    const stage = r ? stageOf(r) : undefined;
    if (!r || !stage) return undefined;
    const asked = approvalRequest(r, stage);
    return asked.approverIds.length > 0 ? { ...asked, id: `approvalReminder:${r.id}:${stage.id}:${reminder.at}`, kind: 'approvalReminder' } : undefined;
  }
  const s = target.schedule;
  if (!s || s.status === 'Expired' || s.endDateTime === null || Date.parse(s.endDateTime) <= now.getTime()) return undefined;
  const daysLeft = reminder.reminder === 'expiresIn1Day' ? 1 : 14;
  return fromSchedule(s, 'expiringSoon', ['Requestor', 'Admin'], {
    id: `expiringSoon:${s.id}:${reminder.reminder}`,
    daysLeft,
    criticality: daysLeft === 1 ? 'critical' : 'normal',
  });
}
