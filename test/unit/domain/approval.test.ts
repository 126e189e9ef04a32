import { describe, expect, it } from 'vitest';
import {
  allApproverIds,
  approvalDeadline,
  approversOf,
  currentStage,
  decide,
  expire,
  outcomeOf,
  requestApprovalDeadline,
  resolveApproval,
  type ApprovalState,
  type PolicyStage,
} from '../../../shared/domain/approval.ts';

const at = '2026-01-01T00:00:00.000Z';
const stage = (approvers: PolicyStage['approvers'], extra: Partial<PolicyStage> = {}): PolicyStage => ({
  approvers,
  isApproverJustificationRequired: false,
  ...extra,
});
const user = (userId: string) => ({ kind: 'user' as const, userId });
const group = (groupId: string) => ({ kind: 'group' as const, groupId });

function resolved(stages: PolicyStage[], fallback: string[] = ['ga'], members: Record<string, string[]> = {}) {
  return resolveApproval({
    stages,
    requesterId: 'req',
    groupMembers: new Map(Object.entries(members)),
    fallbackApprovers: fallback,
    stageId: (i) => `s${i + 1}`,
    at: '2025-12-31T12:00:00.000Z',
  });
}

/** The approval, or undefined when it would be refused. */
function resolve(...args: Parameters<typeof resolved>): ApprovalState | undefined {
  const result = resolved(...args);
  return 'stages' in result ? result : undefined;
}

function approve(state: ApprovalState, approverId: string, stageId = 's1', result: 'Approve' | 'Deny' = 'Approve', justification: string | null = 'ok') {
  return decide(state, { stageId, approverId, approverName: null, requesterId: 'req', result, justification, at });
}

describe('resolveApproval', () => {
  it.each([
    ['a single user', [stage([user('a')])], {}, ['a'], false],
    ['group members at request time', [stage([group('g')])], { g: ['b', 'c'] }, ['b', 'c'], false],
    ['user and group, deduplicated', [stage([user('b'), group('g')])], { g: ['b', 'c'] }, ['b', 'c'], false],
    ['the requester removed (also from the group)', [stage([user('a'), group('g')])], { g: ['req', 'c'] }, ['a', 'c'], false],
    ['fallback when only the requester was named', [stage([user('req')])], {}, ['ga'], true],
    ['fallback when the group is empty', [stage([group('g')])], { g: [] }, ['ga'], true],
    ['fallback when the policy names no stage', [], {}, ['ga'], true],
  ])('%s', (_name, stages, members, approvers, fallback) => {
    const state = resolve(stages, ['ga', 'req'], members);
    expect(state?.stages[0]).toMatchObject({ id: 's1', approverIds: approvers, fallback, requiredCount: 1 });
  });

  it.each([
    ['no fallback approver at all', []],
    ['the requester is the only administrator', ['req']],
  ])('refuses when %s', (_name, fallback) => {
    expect(resolve([stage([user('req')])], fallback)).toBeUndefined();
  });

  // Was: a count above the number of approvers was lowered to it ("2 of 2" less the requester became "1 of 1").
  it('never lowers the required count: too few approvers fall back to the administrators, still requiring as many', () => {
    expect(resolve([stage([user('a'), user('b'), user('c')], { requiredApproverCount: 2 })])!.stages[0]).toMatchObject({
      approverIds: ['a', 'b', 'c'],
      requiredCount: 2,
      fallback: false,
    });
    expect(resolve([stage([user('req'), user('a')], { requiredApproverCount: 2 })], ['ga', 'pra', 'req'])!.stages[0]).toMatchObject({
      approverIds: ['ga', 'pra'],
      requiredCount: 2,
      fallback: true,
    });
    expect(resolved([stage([user('a')], { requiredApproverCount: 3 })], ['ga', 'pra', 'req'])).toEqual({
      shortfall: { stage: 1, required: 3, available: 2, afterEarlierStages: false },
    });
  });

  it('keeps the administrators on a later stage whose approvers the stages before could use up', () => {
    const state = resolve([stage([user('a')]), stage([user('a'), user('b')]), stage([user('a')])], ['ga'])!;
    expect(state.stages.map((s) => s.fallbackApproverIds)).toEqual([undefined, undefined, ['ga']]);
    expect(allApproverIds(state)).toEqual(['a', 'b', 'ga']);
  });

  it('refuses stages that distinct people could not all decide, even with the administrators', () => {
    expect(resolved([stage([user('ga')]), stage([user('ga')])], ['ga'])).toEqual({
      shortfall: { stage: 2, required: 1, available: 0, afterEarlierStages: true },
    });
    expect(
      resolved([stage([user('a'), user('b')], { requiredApproverCount: 2 }), stage([user('a'), user('b')], { requiredApproverCount: 2 })], ['ga']),
    ).toMatchObject({ shortfall: { stage: 2, afterEarlierStages: true } });
  });
});

describe('decide', () => {
  const single = () => resolve([stage([user('a'), user('b')], { isApproverJustificationRequired: true })])!;

  it.each([
    ['one Approve approves a 1-of-N stage', 'Approve', 'Approved'],
    ['one Deny denies', 'Deny', 'Denied'],
  ] as const)('%s', (_name, result, outcome) => {
    expect(approve(single(), 'a', 's1', result).outcome).toBe(outcome);
  });

  it.each([
    ['the requester', 'req', 's1', 'ok', 'Authorization_RequestDenied|Approval_SelfApprovalNotAllowed'],
    ['a non-approver', 'x', 's1', 'ok', 'Approval_NotAnApprover'],
    ['an unknown step', 'a', 'nope', 'ok', 'Authorization_RequestDenied'],
    ['a missing justification when required', 'a', 's1', '  ', 'Approval_JustificationRequired'],
  ])('refuses %s', (_name, approverId, stageId, justification, code) => {
    expect(() => approve(single(), approverId, stageId, 'Approve', justification)).toThrow(
      expect.objectContaining({ code: expect.stringMatching(new RegExp(`^(${code})$`)) }),
    );
  });

  it('refuses a second decision once decided', () => {
    const { state } = approve(single(), 'a');
    expect(() => approve(state, 'b')).toThrow(expect.objectContaining({ code: 'Approval_AlreadyDecided' }));
  });

  it('an N-of-M stage needs N distinct approvals; the same approver twice is refused', () => {
    let state = resolve([stage([user('a'), user('b'), user('c')], { requiredApproverCount: 2 })])!;
    const first = approve(state, 'a');
    expect(first.outcome).toBe('Pending');
    state = first.state;
    expect(() => approve(state, 'a')).toThrow(expect.objectContaining({ code: 'Approval_AlreadyDecided' }));
    expect(approve(state, 'c').outcome).toBe('Approved');
  });

  it('stages run in order: the last stage completing approves', () => {
    let state = resolve([stage([user('a')]), stage([user('b')])])!;
    expect(currentStage(state)?.id).toBe('s1');
    expect(() => approve(state, 'b', 's2')).toThrow(expect.objectContaining({ code: 'Approval_StepNotInProgress' }));
    state = approve(state, 'a', 's1').state;
    expect(outcomeOf(state)).toBe('Pending');
    expect(currentStage(state)?.id).toBe('s2');
    expect(approve(state, 'b', 's2').outcome).toBe('Approved');
    expect(allApproverIds(state)).toEqual(['a', 'b']);
  });

  it('one person decides at most one stage; a stage so left too few falls back to the administrators kept for it', () => {
    let state = resolve([stage([user('a')]), stage([user('a'), user('b')]), stage([user('a')])], ['ga'])!;
    state = approve(state, 'a', 's1').state;
    expect(() => approve(state, 'a', 's2')).toThrow(
      expect.objectContaining({ code: 'Approval_SeparationOfDuties', message: expect.stringContaining('stage 1') }),
    );
    expect(approversOf(state, state.stages[1]!)).toEqual(['b']);
    state = approve(state, 'b', 's2').state;
    expect(approversOf(state, state.stages[2]!)).toEqual(['ga']);
    expect(() => approve(state, 'a', 's3')).toThrow(expect.objectContaining({ code: 'Approval_SeparationOfDuties' }));
    expect(approve(state, 'ga', 's3').outcome).toBe('Approved');
  });

  it('does not mutate the state it is given', () => {
    const state = single();
    approve(state, 'a');
    expect(state.stages[0]!.decisions).toEqual([]);
  });
});

describe('approval deadlines', () => {
  const opened = '2025-12-31T12:00:00.000Z';

  it("runs the first stage's timeout from the request (Entra's default: one day)", () => {
    expect(approvalDeadline(resolve([stage([user('a')])])!)).toBe('2026-01-01T12:00:00.000Z');
    expect(approvalDeadline(resolve([stage([user('a')], { timeoutInDays: 3 })])!)).toBe('2026-01-03T12:00:00.000Z');
    expect(resolve([stage([user('a')])])!.stages[0]).toMatchObject({ openedDateTime: opened, timeoutInDays: 1 });
  });

  it('runs a later stage from when the one before completes, with its own timeout', () => {
    const state = resolve([stage([user('a')], { timeoutInDays: 1 }), stage([user('b')], { timeoutInDays: 2 })])!;
    expect(state.stages[1]!.openedDateTime).toBeUndefined();
    const next = approve(state, 'a').state; // decided at 2026-01-01T00:00:00Z
    expect(next.stages[1]!.openedDateTime).toBe(at);
    expect(approvalDeadline(next)).toBe('2026-01-03T00:00:00.000Z');
  });

  it('has none once decided', () => {
    expect(approvalDeadline(approve(resolve([stage([user('a')])])!, 'a').state)).toBeUndefined();
    expect(approvalDeadline(approve(resolve([stage([user('a')])])!, 'a', 's1', 'Deny').state)).toBeUndefined();
  });

  it('gives requests stored before timeouts existed a day from their creation', () => {
    const legacy: ApprovalState = {
      stages: [{ id: 's1', approverIds: ['a'], fallback: false, requiredCount: 1, isApproverJustificationRequired: false, decisions: [] }],
    };
    expect(approvalDeadline(legacy)).toBeUndefined();
    expect(requestApprovalDeadline(legacy, '2026-02-01T10:00:00.000Z')).toBe('2026-02-02T10:00:00.000Z');
    expect(requestApprovalDeadline(resolve([stage([user('a')], { timeoutInDays: 5 })])!, '2026-02-01T10:00:00.000Z')).toBe('2026-01-05T12:00:00.000Z');
  });

  it('expire marks the open stage only', () => {
    const state = resolve([stage([user('a')]), stage([user('b')])])!;
    const expired = expire(state, at);
    expect(expired.stages.map((s) => s.expiredDateTime)).toEqual([at, undefined]);
    expect(state.stages[0]!.expiredDateTime).toBeUndefined();
  });
});
