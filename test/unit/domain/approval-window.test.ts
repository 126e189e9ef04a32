import { describe, expect, it } from 'vitest';
import type { ApprovalState } from '../../../shared/domain/approval.ts';
import { approvalHasTimedOut, pendingApprovalDeadline } from '../../../shared/domain/approval-window.ts';

const created = '2026-03-01T00:00:00.000Z';
const approval = (over: Partial<ApprovalState['stages'][number]> = {}): ApprovalState => ({
  stages: [
    {
      id: 's1',
      approverIds: ['a'],
      fallback: false,
      requiredCount: 1,
      isApproverJustificationRequired: false,
      decisions: [],
      timeoutInDays: 2,
      openedDateTime: '2026-03-01T06:00:00.000Z',
      ...over,
    },
  ],
});

describe('pendingApprovalDeadline', () => {
  it("is the open stage's opening plus its timeout", () => {
    expect(pendingApprovalDeadline({ status: 'PendingApproval', approval: approval(), createdDateTime: created })).toBe('2026-03-03T06:00:00.000Z');
  });

  it('gives requests stored before timeouts a day from their creation', () => {
    const old = approval({ timeoutInDays: undefined, openedDateTime: undefined });
    expect(pendingApprovalDeadline({ status: 'PendingApproval', approval: old, createdDateTime: created })).toBe('2026-03-02T00:00:00.000Z');
  });

  it('is undefined once the request is no longer pending, or has no approval', () => {
    expect(pendingApprovalDeadline({ status: 'Provisioned', approval: approval(), createdDateTime: created })).toBeUndefined();
    expect(pendingApprovalDeadline({ status: 'PendingApproval', createdDateTime: created })).toBeUndefined();
  });
});

describe('approvalHasTimedOut', () => {
  const pending = { status: 'PendingApproval', approval: approval(), createdDateTime: created };

  it('is true from the deadline on, whether or not the sweeper has run', () => {
    expect(approvalHasTimedOut(pending, new Date('2026-03-03T05:59:59.999Z'))).toBe(false);
    expect(approvalHasTimedOut(pending, new Date('2026-03-03T06:00:00.000Z'))).toBe(true);
  });

  it('is false for a request that is not pending', () => {
    expect(approvalHasTimedOut({ ...pending, status: 'Denied' }, new Date('2030-01-01T00:00:00.000Z'))).toBe(false);
  });
});
