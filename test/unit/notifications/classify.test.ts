import { describe, expect, it } from 'vitest';
import { classifyChange, reminderNotification } from '../../../shared/domain/notifications/classify.ts';
import type { Classified } from '../../../shared/domain/notifications/types.ts';
import { decodeStreamRecord } from '../../../shared/store/stream-images.ts';
import { AT, decision, reminderItem, request, requestItem, schedule, scheduleItem, stage, streamRecord } from '../../helpers/notification-fixtures.ts';

const now = new Date(AT);

function summary(c: Classified) {
  return {
    emails: c.notifications.map((n) => [n.kind, n.audiences.join('+'), n.approverIds.join(',')].join(' ')),
    events: c.domainEvents.map((e) => e.type),
  };
}

const pending = request();
const twoStages = request({ approval: { stages: [stage('s1', ['usr_ann', 'usr_bob']), stage('s2', ['usr_cat'])] } });
const quorum = request({ approval: { stages: [stage('s1', ['usr_ann', 'usr_bob', 'usr_cat'], [], 2)] } });
const approvedBy = (r: ReturnType<typeof request>, status: string, result: 'Approve' | 'Deny' = 'Approve') =>
  request({ ...r, status, approval: { stages: [stage(r.approval!.stages[0]!.id, ['usr_ann', 'usr_bob'], [decision('usr_ann', result)])] } });
const extension = request({
  id: 'req_ext',
  canonicalAction: 'selfExtend',
  action: 'selfExtend',
  kind: 'eligibility',
  activatedUsing: null,
  approval: { stages: [stage('req_ext', ['usr_admin'])] },
});
const activation = schedule({ id: 'req_act', createdUsing: 'req_act', assignmentType: 'Activated', activatedUsing: 'req_elig' });
const eligibility = schedule({ id: 'req_elig', createdUsing: 'req_elig', kind: 'eligibility', assignmentType: null });

const cases: [string, ReturnType<typeof streamRecord>, { emails: string[]; events: string[] }][] = [
  [
    'a selfActivate request awaiting approval asks the first stage',
    streamRecord('INSERT', undefined, requestItem(pending)),
    { emails: ['approvalRequested Approver usr_ann,usr_bob'], events: ['approvalRequested'] },
  ],
  [
    'a selfExtend awaiting approval asks the administrators to approve an extension',
    streamRecord('INSERT', undefined, requestItem(extension)),
    { emails: ['extensionRequested Approver usr_admin'], events: ['approvalRequested'] },
  ],
  [
    'storing a task token on a pending request fires nothing',
    streamRecord('MODIFY', requestItem(pending), requestItem(pending, 1, { taskToken: 'AAAA' })),
    { emails: [], events: [] },
  ],
  ['a re-put of the same request fires nothing', streamRecord('MODIFY', requestItem(pending, 1), requestItem(pending, 2)), { emails: [], events: [] }],
  [
    'a first approval of a two-of-three stage fires nothing',
    streamRecord(
      'MODIFY',
      requestItem(quorum),
      requestItem(request({ ...quorum, approval: { stages: [stage('s1', ['usr_ann', 'usr_bob', 'usr_cat'], [decision('usr_ann', 'Approve')], 2)] } }), 2),
    ),
    { emails: [], events: [] },
  ],
  [
    'completing stage one asks stage two',
    streamRecord(
      'MODIFY',
      requestItem(twoStages),
      requestItem(
        request({ ...twoStages, approval: { stages: [stage('s1', ['usr_ann', 'usr_bob'], [decision('usr_bob', 'Approve')]), stage('s2', ['usr_cat'])] } }),
        2,
      ),
    ),
    { emails: ['approvalRequested Approver usr_cat'], events: ['approvalRequested'] },
  ],
  [
    'an approved activation tells the requestor and the other approvers, and the admins of the activation',
    streamRecord('MODIFY', requestItem(pending), requestItem(approvedBy(pending, 'Provisioned'), 2)),
    { emails: ['approved Requestor+Approver usr_bob', 'activated Admin '], events: ['approvalDecided'] },
  ],
  [
    'an approved activation that starts later is announced the same way',
    streamRecord('MODIFY', requestItem(pending), requestItem(approvedBy(pending, 'Granted'), 2)),
    { emails: ['approved Requestor+Approver usr_bob', 'activated Admin '], events: ['approvalDecided'] },
  ],
  [
    'an approval that could not be carried out tells of the approval only',
    streamRecord('MODIFY', requestItem(pending), requestItem(approvedBy(pending, 'Failed'), 2)),
    { emails: ['approved Requestor+Approver usr_bob'], events: ['approvalDecided'] },
  ],
  [
    'a denial tells the requestor and the other approvers',
    streamRecord('MODIFY', requestItem(pending), requestItem(approvedBy(pending, 'Denied', 'Deny'), 2)),
    { emails: ['denied Requestor+Approver usr_bob'], events: ['approvalDecided'] },
  ],
  [
    'an approved extension tells the requestor',
    streamRecord(
      'MODIFY',
      requestItem(extension),
      requestItem(
        request({ ...extension, status: 'Provisioned', approval: { stages: [stage('req_ext', ['usr_admin'], [decision('usr_admin', 'Approve')])] } }),
        2,
      ),
    ),
    { emails: ['approved Requestor+Approver '], events: ['approvalDecided'] },
  ],
  [
    'an approval that timed out tells the requestor',
    streamRecord('MODIFY', requestItem(pending), requestItem(request({ ...pending, status: 'TimedOut' }), 2)),
    { emails: ['approvalTimedOut Requestor '], events: ['approvalDecided'] },
  ],
  [
    'a cancelled pending request tells the approvers still asked that nothing is left to decide',
    streamRecord('MODIFY', requestItem(pending), requestItem(request({ ...pending, status: 'Canceled' }), 2)),
    { emails: ['approvalCanceled Approver usr_ann,usr_bob'], events: ['approvalDecided'] },
  ],
  [
    'a selfActivate without approval, in force now',
    streamRecord('INSERT', undefined, requestItem(request({ status: 'Provisioned', approval: undefined }))),
    { emails: ['activated Requestor+Admin '], events: [] },
  ],
  [
    'a selfActivate without approval, starting later',
    streamRecord('INSERT', undefined, requestItem(request({ status: 'Granted', approval: undefined }))),
    { emails: ['activated Requestor+Admin '], events: [] },
  ],
  [
    'a granted activation coming into force sends nothing again',
    streamRecord(
      'MODIFY',
      requestItem(request({ status: 'Granted', approval: undefined })),
      requestItem(request({ status: 'Provisioned', approval: undefined }), 2),
    ),
    { emails: [], events: [] },
  ],
  [
    'an adminAssign of an eligibility',
    streamRecord(
      'INSERT',
      undefined,
      requestItem(request({ canonicalAction: 'adminAssign', action: 'adminAssign', kind: 'eligibility', status: 'Provisioned', approval: undefined })),
    ),
    { emails: ['assigned Requestor+Admin '], events: [] },
  ],
  [
    'an adminExtend tells the holder and the admins',
    streamRecord(
      'INSERT',
      undefined,
      requestItem(request({ canonicalAction: 'adminExtend', action: 'adminExtend', kind: 'eligibility', status: 'Provisioned', approval: undefined })),
    ),
    { emails: ['assignmentChanged Requestor+Admin '], events: [] },
  ],
  [
    'an adminRenew and an adminUpdate too',
    streamRecord(
      'INSERT',
      undefined,
      requestItem(request({ canonicalAction: 'adminRenew', action: 'adminRenew', status: 'Provisioned', approval: undefined })),
    ),
    { emails: ['assignmentChanged Requestor+Admin '], events: [] },
  ],
  [
    'an adminUpdate of an active assignment',
    streamRecord(
      'INSERT',
      undefined,
      requestItem(request({ canonicalAction: 'adminUpdate', action: 'adminUpdate', status: 'Provisioned', approval: undefined })),
    ),
    { emails: ['assignmentChanged Requestor+Admin '], events: [] },
  ],
  [
    'an adminRemove request is only its schedule’s event',
    streamRecord('INSERT', undefined, requestItem(request({ canonicalAction: 'adminRemove', action: 'adminRemove', status: 'Revoked', approval: undefined }))),
    { emails: [], events: [] },
  ],
  [
    'a selfDeactivate request sends nothing',
    streamRecord(
      'INSERT',
      undefined,
      requestItem(request({ canonicalAction: 'selfDeactivate', action: 'selfDeactivate', status: 'Revoked', approval: undefined })),
    ),
    { emails: [], events: [] },
  ],
  ['a request removed by its TTL fires nothing', streamRecord('REMOVE', requestItem(request({ status: 'Canceled' })), undefined), { emails: [], events: [] }],
  ['a new eligibility schedule', streamRecord('INSERT', undefined, scheduleItem(eligibility)), { emails: [], events: ['assigned'] }],
  ['a new activation in force', streamRecord('INSERT', undefined, scheduleItem(activation)), { emails: [], events: ['activated'] }],
  ['a new activation that starts later', streamRecord('INSERT', undefined, scheduleItem({ ...activation, status: 'Granted' })), { emails: [], events: [] }],
  [
    'an activation coming into force',
    streamRecord('MODIFY', scheduleItem({ ...activation, status: 'Granted' }), scheduleItem(activation, 2)),
    { emails: [], events: ['activated'] },
  ],
  [
    'an assignment expiring',
    streamRecord('MODIFY', scheduleItem(schedule()), scheduleItem(schedule({ status: 'Expired' }), 2)),
    { emails: ['expired Requestor+Admin '], events: ['expired'] },
  ],
  [
    'an activation expiring is only an event',
    streamRecord('MODIFY', scheduleItem(activation), scheduleItem({ ...activation, status: 'Expired' }, 2)),
    { emails: [], events: ['expired'] },
  ],
  [
    'an expired schedule rewritten unchanged fires nothing',
    streamRecord('MODIFY', scheduleItem(schedule({ status: 'Expired' })), scheduleItem(schedule({ status: 'Expired' }), 2)),
    { emails: [], events: [] },
  ],
  [
    'an eligibility counting an activation fires nothing',
    streamRecord('MODIFY', scheduleItem(eligibility), { ...scheduleItem(eligibility), activations: 1 }),
    { emails: [], events: [] },
  ],
  [
    'an extended schedule fires nothing',
    streamRecord('MODIFY', scheduleItem(schedule()), scheduleItem(schedule({ endDateTime: '2025-09-30T00:00:00.000Z' }), 2)),
    { emails: [], events: [] },
  ],
  ['an activation deleted (deactivated)', streamRecord('REMOVE', scheduleItem(activation), undefined), { emails: [], events: ['deactivated'] }],
  ['an eligibility deleted (removed)', streamRecord('REMOVE', scheduleItem(eligibility), undefined), { emails: [], events: ['removed'] }],
  ['an expired schedule deleted fires nothing', streamRecord('REMOVE', scheduleItem(schedule({ status: 'Expired' })), undefined), { emails: [], events: [] }],
  ['an audit record fires nothing', streamRecord('INSERT', undefined, { pk: 'AUDIT#x', sk: '2025#aud', type: 'audit', data: {} }), { emails: [], events: [] }],
  [
    'an approver entry fires nothing',
    streamRecord('INSERT', undefined, { pk: 'APPROVER#usr_ann', sk: 'req_1', type: 'approverEntry', requestId: 'req_1' }),
    { emails: [], events: [] },
  ],
];

describe('classifyChange', () => {
  it.each(cases)('%s', (_name, record, expected) => {
    // Act
    const classified = classifyChange(decodeStreamRecord(record, now));

    // Assess
    expect(summary(classified)).toEqual(expected);
  });

  it('uses the rules of the event: end-user for activations, admin for the rest, by level', () => {
    const rule = (item: Record<string, unknown>) => classifyChange(decodeStreamRecord(streamRecord('INSERT', undefined, item), now)).notifications[0]!.rule;
    expect(rule(requestItem(pending))).toEqual({ caller: 'EndUser', level: 'Assignment' });
    expect(rule(requestItem(extension))).toEqual({ caller: 'Admin', level: 'Eligibility' });
    expect(rule(requestItem(request({ canonicalAction: 'adminAssign', status: 'Provisioned', approval: undefined })))).toEqual({
      caller: 'Admin',
      level: 'Assignment',
    });
  });

  it('carries what the email shows and what an integration needs', () => {
    // Act
    const c = classifyChange(decodeStreamRecord(streamRecord('MODIFY', requestItem(pending), requestItem(approvedBy(pending, 'Provisioned'), 2)), now));

    // Assess
    expect(c.notifications[0]).toMatchObject({
      requestId: pending.id,
      decision: { by: ['Name of usr_ann'], justification: 'ok' },
      criticality: 'critical',
      justification: 'Investigating incident 42',
    });
    expect(c.domainEvents[0]).toEqual({
      type: 'approvalDecided',
      time: AT,
      detail: expect.objectContaining({ requestId: pending.id, outcome: 'Approved', decidedBy: ['usr_ann'], principalId: 'usr_kai' }),
    });
  });

  it('marks a reminder item as due only when it is inserted', () => {
    const item = reminderItem('expiresIn14Days', 'schedule', 'req_s');
    expect(classifyChange(decodeStreamRecord(streamRecord('INSERT', undefined, item), now)).reminder).toEqual({
      reminder: 'expiresIn14Days',
      targetKind: 'schedule',
      targetId: 'req_s',
      at: AT,
    });
    expect(classifyChange(decodeStreamRecord(streamRecord('MODIFY', item, item), now)).reminder).toBeUndefined();
    expect(classifyChange(decodeStreamRecord(streamRecord('REMOVE', item, undefined), now)).reminder).toBeUndefined();
  });

  it('fails loudly on a request that does not match its schema', () => {
    expect(() => decodeStreamRecord(streamRecord('INSERT', undefined, { pk: 'REQ#x', sk: 'REQ', type: 'request', data: { id: 'x' } }), now)).toThrow(
      /does not match its schema/,
    );
  });
});

describe('reminderNotification', () => {
  const due = (reminder: 'expiresIn14Days' | 'expiresIn1Day' | 'approvalPending', targetKind: 'schedule' | 'request') => ({
    reminder,
    targetKind,
    targetId: 'x',
    at: AT,
  });

  it('reminds the approvers who have not decided yet', () => {
    const r = request({ approval: { stages: [stage('s1', ['usr_ann', 'usr_bob', 'usr_cat'], [decision('usr_ann', 'Approve')], 2)] } });
    expect(reminderNotification(due('approvalPending', 'request'), { request: r }, now)).toMatchObject({
      kind: 'approvalReminder',
      audiences: ['Approver'],
      approverIds: ['usr_bob', 'usr_cat'],
      criticality: 'critical',
    });
  });

  it.each([
    ['decided', request({ status: 'Denied' })],
    ['missing', undefined],
  ])('sends no approval reminder for a request that is %s', (_name, r) => {
    expect(reminderNotification(due('approvalPending', 'request'), { request: r }, now)).toBeUndefined();
  });

  it.each([
    ['expiresIn14Days', 14, 'normal'],
    ['expiresIn1Day', 1, 'critical'],
  ] as const)('%s warns the holder and the admins', (kind, days, criticality) => {
    expect(reminderNotification(due(kind, 'schedule'), { schedule: schedule() }, now)).toMatchObject({
      kind: 'expiringSoon',
      daysLeft: days,
      criticality,
      audiences: ['Requestor', 'Admin'],
      rule: { caller: 'Admin', level: 'Assignment' },
    });
  });

  it.each([
    ['expired', schedule({ status: 'Expired' })],
    ['already ended', schedule({ endDateTime: '2025-02-01T00:00:00.000Z' })],
    ['permanent', schedule({ endDateTime: null })],
    ['gone', undefined],
  ])('sends no expiry warning for a schedule that is %s', (_name, s) => {
    expect(reminderNotification(due('expiresIn1Day', 'schedule'), { schedule: s }, now)).toBeUndefined();
  });
});
