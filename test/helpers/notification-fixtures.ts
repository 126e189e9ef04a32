/** Requests, schedules and stream records as the store writes them, for the outbox's tests. */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ApprovalStageState } from '../../shared/domain/approval.ts';
import { BUILTIN_ROLE_IDS } from '../../shared/domain/builtin-roles.ts';
import type { Schedule } from '../../shared/domain/schedule.ts';
import type { StreamRequest } from '../../shared/domain/notifications/types.ts';
import { keys } from '../../shared/store/keys.ts';

export const ROLE = BUILTIN_ROLE_IDS.securityAdministrator;
export const AT = '2025-03-01T09:00:00.000Z';

export function stage(id: string, approverIds: string[], decisions: ApprovalStageState['decisions'] = [], requiredCount = 1): ApprovalStageState {
  return { id, approverIds, fallback: false, requiredCount, isApproverJustificationRequired: true, decisions };
}

export function decision(approverId: string, result: 'Approve' | 'Deny', at = AT, justification: string | null = 'ok') {
  return { approverId, approverName: `Name of ${approverId}`, result, justification, at };
}

export function request(overrides: Partial<StreamRequest> = {}): StreamRequest {
  const id = overrides.id ?? 'req_01JN0000000000000000000001';
  return {
    id,
    kind: 'assignment',
    action: 'selfActivate',
    canonicalAction: 'selfActivate',
    status: 'PendingApproval',
    createdDateTime: AT,
    completedDateTime: null,
    approvalId: id,
    customData: null,
    principalId: 'usr_kai',
    roleDefinitionId: ROLE,
    directoryScopeId: '/',
    appScopeId: null,
    isValidationOnly: false,
    targetScheduleId: null,
    justification: 'Investigating incident 42',
    createdBy: { application: null, device: null, user: { id: 'usr_kai', displayName: 'Kai Tanaka' } },
    scheduleInfo: { startDateTime: AT, recurrence: null, expiration: { type: 'afterDateTime', endDateTime: '2025-03-01T11:00:00.000Z', duration: null } },
    ticketInfo: { ticketNumber: 'INC-42', ticketSystem: 'Jira' },
    activatedUsing: 'req_elig',
    approval: { stages: [stage(id, ['usr_ann', 'usr_bob'])] },
    ...overrides,
  };
}

export function schedule(overrides: Partial<Schedule> = {}): Schedule {
  return {
    id: 'req_01JN0000000000000000000009',
    kind: 'assignment',
    principalId: 'usr_kai',
    principalType: 'user',
    roleDefinitionId: ROLE,
    directoryScopeId: '/',
    appScopeId: null,
    memberType: 'Direct',
    assignmentType: 'Assigned',
    status: 'Provisioned',
    createdUsing: 'req_01JN0000000000000000000009',
    createdDateTime: AT,
    modifiedDateTime: null,
    startDateTime: AT,
    endDateTime: '2025-06-30T00:00:00.000Z',
    expirationType: 'afterDateTime',
    duration: null,
    activatedUsing: null,
    ...overrides,
  };
}

export function requestItem(r: StreamRequest, version = 1, extra: Record<string, unknown> = {}) {
  return { ...keys.request(r.id), type: 'request', version, data: r, ...extra };
}

export function scheduleItem(s: Schedule, version = 1) {
  return { ...keys.schedule(s.principalId, s.kind, s.id), type: 'schedule', version, data: s };
}

export function reminderItem(reminder: string, targetKind: 'schedule' | 'request', targetId: string) {
  return { ...keys.reminder(targetId, reminder), type: 'reminder', reminder, targetKind, targetId, at: AT };
}

let sequence = 100;

/** A stream record as Lambda delivers it: images marshalled as AttributeValues. */
export function streamRecord(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', old?: Record<string, unknown>, next?: Record<string, unknown>): DynamoDBRecord {
  const item = next ?? old!;
  const convert = (v: Record<string, unknown>) => marshall(v, { removeUndefinedValues: true }) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
  sequence += 1;
  return {
    eventID: `event-${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: Date.parse(AT) / 1000,
      Keys: convert({ pk: item.pk, sk: item.sk }),
      SequenceNumber: String(sequence),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      ...(old ? { OldImage: convert(old) } : {}),
      ...(next ? { NewImage: convert(next) } : {}),
    },
  };
}
