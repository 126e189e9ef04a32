// Typechecked with the portal (web/tsconfig.json): its code needs the DOM and Vite types.
/**
 * Deciding many requests at once in the portal: roles go in one batchRecordDecisions call, groups on their
 * open stage, and every request gets its own result; one decided first by someone else says so by name.
 */
import { describe, expect, it } from 'vitest';
import type { Api } from '../../../web/src/api/client.ts';
import { ApiError } from '../../../web/src/api/errors.ts';
import { decideMany } from '../../../web/src/domain/approver-queue.ts';
import type { RequestRow } from '../../../web/src/domain/requests.ts';

const row = (id: string, kind: 'roles' | 'groups'): RequestRow =>
  ({
    id,
    approvalId: id,
    kind,
    level: 'assignment',
    target: id,
    action: 'selfActivate',
    status: 'PendingApproval',
    principalId: 'usr_1',
    createdDateTime: '',
  }) as RequestRow;

const step = (over: object) => ({
  id: 'stage1',
  displayName: null,
  reviewedBy: null,
  reviewedDateTime: null,
  reviewResult: 'NotReviewed',
  status: 'InProgress',
  justification: null,
  assignedToMe: true,
  ...over,
});

function fakeApi(approvals: Record<string, object[]>, batch: { approvalId: string; status: string; error?: object }[], refuse: string[] = []) {
  const calls: string[] = [];
  const api = {
    get: async (path: string) => {
      calls.push(`GET ${path}`);
      // Groups' approvals (Graph v1.0) are read with ?$expand=stages; roles' (beta) carry steps.
      const [where, query] = path.split('?');
      const id = decodeURIComponent(where!.split('/').pop()!);
      return query === '$expand=stages' ? { stages: approvals[id] ?? [] } : { steps: approvals[id] ?? [] };
    },
    post: async (path: string, body: { approvalIds: string[] }) => {
      calls.push(`POST ${path} ${body.approvalIds.join(',')}`);
      return { value: batch.filter((b) => body.approvalIds.includes(b.approvalId)) };
    },
    patch: async (path: string) => {
      calls.push(`PATCH ${path}`);
      if (refuse.some((id) => path.includes(id))) throw new ApiError(409, 'Approval_AlreadyDecided', 'This approval is decided.');
    },
  };
  return { api: api as unknown as Api, calls };
}

describe('decideMany', () => {
  it('approves roles in one batch call and groups on their open stage, with a result per request in the order given', async () => {
    // Prepare
    const { api, calls } = fakeApi({ g1: [step({})] }, [
      { approvalId: 'r1', status: 'Approved' },
      { approvalId: 'r2', status: 'Approved' },
    ]);

    // Act
    const results = await decideMany(api, [row('r1', 'roles'), row('g1', 'groups'), row('r2', 'roles')], 'Approve', 'On call');

    // Assess
    expect(results.map((r) => [r.row.id, r.ok, r.message])).toEqual([
      ['r1', true, 'Approved'],
      ['g1', true, 'Approved'],
      ['r2', true, 'Approved'],
    ]);
    expect(calls.filter((c) => c.startsWith('POST'))).toEqual(['POST /beta/roleManagement/directory/roleAssignmentApprovals/batchRecordDecisions r1,r2']);
    expect(calls).toContain('PATCH /v1.0/identityGovernance/privilegedAccess/group/assignmentApprovals/g1/stages/stage1');
  });

  it('says plainly who decided first when a request was decided by another approver', async () => {
    // Prepare
    const decided = [step({ reviewResult: 'Denied', status: 'Completed', assignedToMe: false, reviewedBy: [{ id: 'usr_mei', displayName: 'Mei Chen' }] })];
    const { api } = fakeApi(
      { r1: decided, g1: [step({ reviewResult: 'Approved', status: 'Completed', reviewedBy: [{ id: 'usr_tom', displayName: 'Tom Becker' }] })] },
      [{ approvalId: 'r1', status: 'Failed', error: { code: 'Approval_AlreadyDecided', message: 'decided' } }],
      ['g1'],
    );

    // Act
    const results = await decideMany(api, [row('r1', 'roles'), row('g1', 'groups')], 'Approve', 'On call');

    // Assess
    expect(results.map((r) => [r.row.id, r.ok, r.message])).toEqual([
      ['r1', false, 'Already denied by Mei Chen.'],
      ['g1', false, 'Already approved by Tom Becker.'],
    ]);
  });

  it('sends at most 100 approvals per batch call', async () => {
    // Prepare
    const rows = Array.from({ length: 150 }, (_, i) => row(`r${i}`, 'roles'));
    const { api, calls } = fakeApi(
      {},
      rows.map((r) => ({ approvalId: r.id, status: 'Denied' })),
    );

    // Act
    const results = await decideMany(api, rows, 'Deny', 'Not needed');

    // Assess
    expect(calls.filter((c) => c.startsWith('POST')).map((c) => c.split(' ')[2]!.split(',').length)).toEqual([100, 50]);
    expect(results.every((r) => r.ok && r.message === 'Denied')).toBe(true);
  });
});
