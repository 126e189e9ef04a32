import { describe, expect, it } from 'vitest';
import { countAssignments, countByDay, isActivation, isNewAssignment, standingOf } from '../../../shared/domain/insights/figures.ts';
import type { Schedule } from '../../../shared/domain/schedule.ts';

const schedule = (over: Partial<Schedule>): Schedule => ({
  id: 'req_1',
  kind: 'assignment',
  principalId: 'usr_1',
  principalType: 'user',
  roleDefinitionId: 'r',
  directoryScopeId: '/',
  appScopeId: null,
  memberType: 'Direct',
  assignmentType: 'Assigned',
  status: 'Provisioned',
  createdUsing: 'req_1',
  createdDateTime: '2030-01-01T00:00:00.000Z',
  modifiedDateTime: null,
  startDateTime: '2030-01-01T00:00:00.000Z',
  endDateTime: null,
  expirationType: 'noExpiration',
  duration: null,
  activatedUsing: null,
  ...over,
});

describe('insights figures', () => {
  const now = new Date('2030-01-10T12:00:00.000Z');

  it('names how a schedule holds its role', () => {
    expect(standingOf(schedule({}))).toBe('permanentActive');
    expect(standingOf(schedule({ endDateTime: '2030-02-01T00:00:00.000Z' }))).toBe('timeBoundActive');
    expect(standingOf(schedule({ assignmentType: 'Activated', endDateTime: '2030-01-10T13:00:00.000Z' }))).toBe('activated');
    expect(standingOf(schedule({ kind: 'eligibility', assignmentType: null }))).toBe('eligible');
  });

  it('counts live schedules only, activations apart from administrators’ active assignments', () => {
    const counts = countAssignments(
      [
        schedule({}),
        schedule({ endDateTime: '2030-02-01T00:00:00.000Z' }),
        schedule({ endDateTime: '2030-01-10T12:00:00.000Z' }), // ended this instant
        schedule({ status: 'Expired', endDateTime: '2030-01-09T00:00:00.000Z' }),
        schedule({ assignmentType: 'Activated', endDateTime: '2030-01-10T13:00:00.000Z' }),
        schedule({ kind: 'eligibility', assignmentType: null }),
        schedule({ kind: 'eligibility', assignmentType: null, startDateTime: '2030-03-01T00:00:00.000Z' }), // starts later: counted
      ],
      now,
    );
    expect(counts).toEqual({ eligible: 2, active: 2, permanentActive: 1, activated: 1 });
  });

  it('counts per UTC day over whole days ending today, zero-filled, ignoring what falls outside', () => {
    expect(
      countByDay(
        ['2030-01-04T00:00:00.000Z', '2030-01-03T23:59:59.999Z', '2030-01-10T11:59:00.000Z', '2030-01-10T00:00:00.000Z', '2030-01-10T12:00:01.000Z'],
        now,
        7,
      ),
    ).toEqual([
      { date: '2030-01-04', count: 1 },
      { date: '2030-01-05', count: 0 },
      { date: '2030-01-06', count: 0 },
      { date: '2030-01-07', count: 0 },
      { date: '2030-01-08', count: 0 },
      { date: '2030-01-09', count: 0 },
      { date: '2030-01-10', count: 2 },
    ]);
  });

  it.each([
    ['selfActivate', 'Provisioned', true, false],
    ['selfActivate', 'Granted', true, false],
    ['selfActivate', 'PendingApproval', false, false],
    ['selfActivate', 'Denied', false, false],
    ['adminAssign', 'Provisioned', false, true],
    ['adminAssign', 'Failed', false, false],
    ['adminRemove', 'Revoked', false, false],
  ] as const)('%s %s: activation %s, new assignment %s', (canonicalAction, status, activation, assignment) => {
    expect(isActivation({ canonicalAction, status })).toBe(activation);
    expect(isNewAssignment({ canonicalAction, status })).toBe(assignment);
  });
});
