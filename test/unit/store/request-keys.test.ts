/**
 * The index keys of a request are derived from the request alone (requestIndexKeys), so each put of it
 * — the new request or any transition — files it under its principal, role or group, status and
 * creation time, and takes it out of the partitions it no longer belongs to.
 */
import { describe, expect, it } from 'vitest';
import type { RoleRequest } from '../../../shared/contracts/role-requests.ts';
import type { ConditionalWrite } from '../../../shared/store/transact.ts';
import { shardOf } from '../../../shared/store/keys.ts';
import { putNewRequest, requestIndexKeys, transitionRequest } from '../../../shared/store/role-requests.ts';

const CREATED = '2031-05-01T09:00:00.000Z';
const ID = 'req_01JQ0000000000000000000001';

function request(overrides: Partial<RoleRequest> = {}): RoleRequest {
  return {
    id: ID,
    kind: 'assignment',
    action: 'selfActivate',
    canonicalAction: 'selfActivate',
    status: 'PendingApproval',
    createdDateTime: CREATED,
    completedDateTime: null,
    approvalId: ID,
    customData: null,
    principalId: 'usr_01JQ00000000000000000000AA',
    roleDefinitionId: 'rol_01JQ00000000000000000000RR',
    directoryScopeId: '/',
    appScopeId: null,
    isValidationOnly: false,
    targetScheduleId: null,
    justification: 'on call',
    createdBy: { application: null, device: null, user: { id: 'usr_01JQ00000000000000000000AA', displayName: 'Kai' } },
    scheduleInfo: null,
    ticketInfo: { ticketNumber: null, ticketSystem: null },
    approval: {
      stages: [
        {
          id: 's1',
          approverIds: ['usr_approver'],
          fallback: false,
          requiredCount: 1,
          isApproverJustificationRequired: true,
          decisions: [],
          timeoutInDays: 1,
          openedDateTime: CREATED,
        },
      ],
    },
    ...overrides,
  };
}

const sortKey = `${CREATED}#${ID}`;
const shard = shardOf(ID);

describe('requestIndexKeys', () => {
  it('files a pending role request by principal, role, status (sharded) and creation time, and under its approval deadline', () => {
    expect(requestIndexKeys(request())).toEqual({
      gsi1pk: `LIST#assignmentRequest#${shard}`,
      gsi1sk: sortKey,
      gsi2pk: 'REQROLE#A#rol_01jq00000000000000000000rr',
      gsi2sk: sortKey,
      gsi3pk: `REQSTATUS#assignmentRequest#PendingApproval#${shard}`,
      gsi3sk: sortKey,
      gsi4pk: 'REQBY#usr_01JQ00000000000000000000AA',
      gsi4sk: sortKey,
      gsi5pk: 'DUE#2031-05-02',
      gsi5sk: `2031-05-02T09:00:00.000Z#${ID}`,
    });
  });

  it('moves the request to its new status partition on a transition, keeps its other keys, and drops the deadline', () => {
    const pending = requestIndexKeys(request());
    const denied = requestIndexKeys(request({ status: 'Denied', completedDateTime: '2031-05-01T10:00:00.000Z' }));
    expect(denied.gsi3pk).toBe(`REQSTATUS#assignmentRequest#Denied#${shard}`);
    expect(denied).not.toHaveProperty('gsi5pk');
    for (const key of ['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3sk', 'gsi4pk', 'gsi4sk'] as const) expect(denied[key]).toBe(pending[key]);
  });

  it('is what both writes of a request put', () => {
    const denied = request({ status: 'Denied' });
    const itemOf = (write: ConditionalWrite) => ('put' in write ? write.put.Item : undefined);
    expect(itemOf(putNewRequest(request()))).toMatchObject(requestIndexKeys(request()));
    expect(itemOf(transitionRequest(denied, 1, 'PendingApproval'))).toMatchObject({ ...requestIndexKeys(denied), version: 2 });
  });

  it('keeps eligibility and assignment requests of a role apart', () => {
    const keys = requestIndexKeys(request({ kind: 'eligibility', action: 'adminAssign', canonicalAction: 'adminAssign', status: 'Provisioned' }));
    expect(keys).toMatchObject({
      gsi1pk: `LIST#eligibilityRequest#${shard}`,
      gsi2pk: 'REQROLE#E#rol_01jq00000000000000000000rr',
      gsi3pk: `REQSTATUS#eligibilityRequest#Provisioned#${shard}`,
    });
  });

  it('files a PIM for groups request by group (not by its pseudo-role, which every group shares) and not by status', () => {
    const keys = requestIndexKeys(request({ roleDefinitionId: 'member', directoryScopeId: '/groups/grp_01JQ00000000000000000000GG', status: 'Provisioned' }));
    expect(keys).toMatchObject({ gsi1pk: `LIST#groupAssignmentRequest#${shard}`, gsi2pk: 'REQGROUP#A#grp_01JQ00000000000000000000GG', gsi2sk: sortKey });
    expect(keys).not.toHaveProperty('gsi3pk');
  });

  it('spreads one status over the listing shards by request id', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `req_01JQ00000000000000000000${String(i).padStart(2, '0')}`);
    const partitions = new Set(ids.map((id) => requestIndexKeys(request({ id, status: 'Provisioned' })).gsi3pk));
    expect(partitions.size).toBe(4);
  });
});
