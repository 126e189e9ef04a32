/** The lifecycle's pure rules: what a run does next, and what a table change means for the runs. */
import { describe, expect, it } from 'vitest';
import { MAX_RUN_AGE_MS, MAX_WAIT_MS, nextStep, type LifecycleView } from '../../../shared/domain/lifecycle.ts';
import { signalsOf } from '../../../shared/domain/lifecycle-signals.ts';
import type { Schedule } from '../../../shared/domain/schedule.ts';

const NOW = Date.parse('2030-01-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const H = 3_600_000;

function schedule(over: Partial<Schedule> = {}): Schedule {
  return {
    id: 'req_A',
    kind: 'assignment',
    principalId: 'usr_1',
    principalType: 'user',
    roleDefinitionId: 'rol_1',
    directoryScopeId: '/',
    appScopeId: null,
    memberType: 'Direct',
    assignmentType: 'Activated',
    status: 'Provisioned',
    createdUsing: 'req_A',
    createdDateTime: at(-H),
    modifiedDateTime: null,
    startDateTime: at(-H),
    endDateTime: at(H),
    expirationType: 'afterDateTime',
    duration: null,
    activatedUsing: 'sch_E',
    ...over,
  };
}

function view(request: LifecycleView['request'], s: Schedule | undefined, runStartedAt = new Date(NOW)): LifecycleView {
  return { request, schedule: s, now: new Date(NOW), runStartedAt };
}
const req = (status: string, over: Partial<NonNullable<LifecycleView['request']>> = {}) => ({ id: 'req_A', status, targetScheduleId: 'req_A', ...over });

describe('nextStep', () => {
  it.each([
    ['a missing request', view(undefined, undefined), { phase: 'done' }],
    [
      'a pending approval: wait with the seconds left',
      view(req('PendingApproval', { approvalDeadline: at(2 * H) }), undefined),
      { phase: 'awaitApproval', until: at(2 * H), timeoutSeconds: 7200 },
    ],
    [
      'a past deadline: one second, then the timeout',
      view(req('PendingApproval', { approvalDeadline: at(-H) }), undefined),
      { phase: 'awaitApproval', timeoutSeconds: 1 },
    ],
    ['denied', view(req('Denied'), schedule()), { phase: 'done' }],
    ['canceled', view(req('Canceled'), schedule()), { phase: 'done' }],
    ['the schedule is gone (deactivated, removed)', view(req('Provisioned'), undefined), { phase: 'done' }],
    ['the schedule is timed by a newer request', view(req('Provisioned'), schedule({ timedBy: 'req_B' })), { phase: 'done' }],
    ['already expired', view(req('Provisioned'), schedule({ status: 'Expired' })), { phase: 'done' }],
    ['in force: wait for the end', view(req('Provisioned'), schedule()), { phase: 'waitForEnd', until: at(H) }],
    [
      'planned: wait for the start',
      view(req('Granted'), schedule({ status: 'Granted', startDateTime: at(2 * H), endDateTime: at(3 * H) })),
      { phase: 'waitForStart', until: at(2 * H) },
    ],
    [
      'start passed but still Granted: start now',
      view(req('Granted'), schedule({ status: 'Granted', startDateTime: at(-1), endDateTime: at(H) })),
      { phase: 'waitForStart', until: at(-1) },
    ],
    [
      'start and end both passed while Granted: expire now',
      view(req('Granted'), schedule({ status: 'Granted', startDateTime: at(-2 * H), endDateTime: at(-H) })),
      { phase: 'waitForEnd', until: at(-H) },
    ],
    ['permanent: nothing to wait for', view(req('Provisioned'), schedule({ endDateTime: null, expirationType: 'noExpiration' })), { phase: 'done' }],
    [
      'a far end is waited for in steps',
      view(req('Provisioned'), schedule({ endDateTime: at(100 * 24 * H) })),
      { phase: 'waitForEnd', until: at(MAX_WAIT_MS) },
    ],
    [
      'an old run hands over to the sweeper',
      view(req('Provisioned'), schedule({ endDateTime: at(10 * 24 * H) }), new Date(NOW - MAX_RUN_AGE_MS)),
      { phase: 'done' },
    ],
  ])('%s', (_name, v, expected) => {
    expect(nextStep(v)).toMatchObject(expected);
  });
});

describe('signalsOf', () => {
  const request = (status: string, version: number, taskToken?: string) => ({
    type: 'request',
    version,
    ...(taskToken ? { taskToken } : {}),
    data: { id: 'req_A', status },
  });
  const sched = (over: Partial<Schedule> = {}) => ({ type: 'schedule', version: 1, data: schedule(over) });
  const now = new Date(NOW);
  const membership: Partial<Schedule> = { roleDefinitionId: 'member', directoryScopeId: '/groups/grp_1' };

  it.each([
    [
      'a request inserted as PendingApproval starts its run',
      { eventName: 'INSERT', newItem: request('PendingApproval', 1) },
      [{ kind: 'start', requestId: 'req_A' }],
    ],
    ['a request inserted Provisioned starts nothing (its schedule does)', { eventName: 'INSERT', newItem: request('Provisioned', 1) }, []],
    [
      'storing the task token wakes nothing',
      { eventName: 'MODIFY', oldItem: request('PendingApproval', 1), newItem: request('PendingApproval', 1, 'tok') },
      [],
    ],
    [
      'a decision wakes the waiting run',
      { eventName: 'MODIFY', oldItem: request('PendingApproval', 1, 'tok'), newItem: request('Provisioned', 2) },
      [{ kind: 'resume', taskToken: 'tok' }],
    ],
    [
      'a stage decided, the next open: wake to take its deadline',
      { eventName: 'MODIFY', oldItem: request('PendingApproval', 2, 'tok'), newItem: request('PendingApproval', 3) },
      [{ kind: 'resume', taskToken: 'tok' }],
    ],
    [
      'a decision before the token was stored wakes nothing (the step resumes itself)',
      { eventName: 'MODIFY', oldItem: request('PendingApproval', 1), newItem: request('Denied', 2) },
      [],
    ],
    [
      'a cancel stops the run',
      { eventName: 'MODIFY', oldItem: request('PendingApproval', 1, 'tok'), newItem: request('Canceled', 2) },
      [{ kind: 'stop', requestId: 'req_A', cause: 'request canceled' }],
    ],
    ['a new time-bound schedule starts the run that times it', { eventName: 'INSERT', newItem: sched() }, [{ kind: 'start', requestId: 'req_A' }]],
    ['a new permanent schedule in force starts nothing', { eventName: 'INSERT', newItem: sched({ endDateTime: null }) }, []],
    ['an extension (same timer) starts nothing', { eventName: 'MODIFY', oldItem: sched(), newItem: sched({ endDateTime: at(5 * H) }) }, []],
    [
      'a renewal hands the schedule to a new run',
      { eventName: 'MODIFY', oldItem: sched({ status: 'Expired' }), newItem: sched({ timedBy: 'req_R', endDateTime: at(5 * H) }) },
      [{ kind: 'start', requestId: 'req_R' }],
    ],
    ['a removed schedule stops its run', { eventName: 'REMOVE', oldItem: sched() }, [{ kind: 'stop', requestId: 'req_A', cause: 'schedule removed' }]],
    ['an expired schedule deleted by TTL stops nothing', { eventName: 'REMOVE', oldItem: sched({ status: 'Expired' }) }, []],
    [
      'a removed group member leaves the group',
      { eventName: 'REMOVE', oldItem: { type: 'membership', groupId: 'grp_1', memberId: 'usr_1' } },
      [{ kind: 'leftGroup', principalId: 'usr_1' }],
    ],
    ['a new group member leaves nothing', { eventName: 'INSERT', newItem: { type: 'membership', groupId: 'grp_1', memberId: 'usr_1' } }, []],
    [
      'a removed PIM membership stops its run and leaves the group',
      { eventName: 'REMOVE', oldItem: sched(membership) },
      [
        { kind: 'stop', requestId: 'req_A', cause: 'schedule removed' },
        { kind: 'leftGroup', principalId: 'usr_1' },
      ],
    ],
    [
      'an expired PIM membership leaves the group',
      { eventName: 'MODIFY', oldItem: sched(membership), newItem: sched({ ...membership, status: 'Expired' }) },
      [{ kind: 'leftGroup', principalId: 'usr_1' }],
    ],
    [
      'an extended PIM membership leaves nothing',
      { eventName: 'MODIFY', oldItem: sched(membership), newItem: sched({ ...membership, endDateTime: at(5 * H) }) },
      [],
    ],
    ['other items mean nothing', { eventName: 'INSERT', newItem: { type: 'audit' } }, []],
  ] as const)('%s', (_name, change, expected) => {
    expect(signalsOf(change as never, now)).toEqual(expected);
  });
});
