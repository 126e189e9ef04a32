/** The pure rules of AWS access: scopes, coverage by OUs, holding, statuses, sessions, and the lifecycle's signals for it. */
import { describe, expect, it } from 'vitest';
import {
  allowsLongSessions,
  awsScopeCovers,
  holdsAssignment,
  parseAwsScope,
  permissionSetIdOf,
  sessionsMayLastUntil,
  startedStatus,
} from '../../../shared/domain/aws-access.ts';
import { nextStep } from '../../../shared/domain/lifecycle.ts';
import { signalsOf } from '../../../shared/domain/lifecycle-signals.ts';
import type { Schedule } from '../../../shared/domain/schedule.ts';

const schedule = (o: Partial<Schedule> = {}): Schedule => ({
  id: 'sch_1',
  kind: 'assignment',
  principalId: 'usr_1',
  principalType: 'user',
  roleDefinitionId: 'ps-1234567890abcdef',
  directoryScopeId: '/accounts/111122223333',
  appScopeId: null,
  memberType: 'Direct',
  assignmentType: 'Activated',
  status: 'Provisioned',
  createdUsing: 'req_1',
  createdDateTime: '2031-01-01T00:00:00.000Z',
  modifiedDateTime: null,
  startDateTime: '2031-01-01T00:00:00.000Z',
  endDateTime: '2031-01-01T01:00:00.000Z',
  expirationType: 'afterDuration',
  duration: 'PT1H',
  activatedUsing: 'sch_e',
  ...o,
});

describe('AWS scopes', () => {
  it('reads accounts, OUs and roots, and refuses anything else with what to write', () => {
    expect(parseAwsScope('/accounts/111122223333')).toEqual({ type: 'account', id: '111122223333' });
    expect(parseAwsScope('/ous/ou-ab12-cdef3456')).toEqual({ type: 'ou', id: 'ou-ab12-cdef3456' });
    expect(parseAwsScope('/ous/r-ab12')).toEqual({ type: 'ou', id: 'r-ab12' });
    for (const bad of ['/accounts/1234', '/accounts/11112222333a', '/ous/ou-x', '/ous/', '/accounts/111122223333/x'])
      expect(() => parseAwsScope(bad), bad).toThrow(/not an AWS scope/);
  });

  it('an eligibility covers its own account, and the accounts below its OU', () => {
    const parents = ['ou-ab12-nonprod1', 'ou-ab12-workload', 'r-ab12'];
    expect(awsScopeCovers('/accounts/111122223333', '/accounts/111122223333', parents)).toBe(true);
    expect(awsScopeCovers('/accounts/999988887777', '/accounts/111122223333', parents)).toBe(false);
    expect(awsScopeCovers('/ous/ou-ab12-workload', '/accounts/111122223333', parents)).toBe(true);
    expect(awsScopeCovers('/ous/ou-ab12-prodprod', '/accounts/111122223333', parents)).toBe(false);
    expect(awsScopeCovers('/ous/ou-ab12-workload', '/ous/ou-ab12-nonprod1', parents)).toBe(false);
  });

  it('names a permission set by the id its ARN ends with', () => {
    expect(permissionSetIdOf('arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef')).toBe('ps-1234567890abcdef');
    expect(() => permissionSetIdOf('arn:aws:iam::123:role/x')).toThrow(/not a permission set ARN/);
  });
});

describe('holding and status', () => {
  it('only a started active AWS assignment at an account holds an account assignment', () => {
    expect(holdsAssignment(schedule())).toBe(true);
    expect(holdsAssignment(schedule({ status: 'Granted' }))).toBe(false);
    expect(holdsAssignment(schedule({ status: 'Expired' }))).toBe(false);
    expect(holdsAssignment(schedule({ kind: 'eligibility' }))).toBe(false);
    expect(holdsAssignment(schedule({ directoryScopeId: '/' }))).toBe(false);
    expect(holdsAssignment(undefined)).toBe(false);
  });

  it('AWS access that starts now is PendingProvisioning until AWS confirms it; other access is Provisioned', () => {
    expect(startedStatus(schedule())).toBe('PendingProvisioning');
    expect(startedStatus(schedule({ directoryScopeId: '/' }))).toBe('Provisioned');
    expect(startedStatus(schedule({ kind: 'eligibility' }))).toBe('Provisioned');
  });

  it('sessions issued before a revoke may last one session duration more', () => {
    expect(sessionsMayLastUntil('2031-01-01T01:00:00.000Z', 'PT4H')).toBe('2031-01-01T05:00:00.000Z');
    expect(sessionsMayLastUntil('2031-01-01T01:00:00.000Z', undefined)).toBe('2031-01-01T02:00:00.000Z');
    expect(allowsLongSessions('PT1H')).toBe(false);
    expect(allowsLongSessions('PT2H')).toBe(true);
  });
});

describe('the lifecycle and AWS access', () => {
  const view = {
    request: { id: 'req_1', status: 'Provisioned', targetScheduleId: 'sch_1' },
    schedule: schedule(),
    now: new Date('2031-01-01T00:10:00Z'),
    runStartedAt: new Date('2031-01-01T00:00:00Z'),
  };

  it('syncs AWS before waiting, and a sync-only run ends once AWS is in line', () => {
    expect(nextStep({ ...view, awsUnsettled: true })).toEqual({ phase: 'syncAws', attempt: 1 });
    expect(nextStep(view)).toEqual({ phase: 'waitForEnd', until: '2031-01-01T01:00:00.000Z' });
    expect(nextStep({ ...view, syncOnly: true })).toEqual({ phase: 'done', reason: 'AWS access is in line' });
    expect(nextStep({ ...view, request: { ...view.request, status: 'PendingProvisioning' } }).phase).toBe('waitForEnd');
  });

  it('a removed or ended AWS assignment starts a sync-only run; a new one is left to its own run', () => {
    const now = new Date('2031-01-01T00:10:00Z');
    const item = (s: Schedule, version = 1) => ({ type: 'schedule', version, data: s });
    expect(signalsOf({ eventName: 'REMOVE', oldItem: item(schedule()) }, now)).toContainEqual({ kind: 'start', requestId: 'req_1', runName: 'req_1-aws-end' });
    expect(signalsOf({ eventName: 'MODIFY', oldItem: item(schedule()), newItem: item(schedule({ status: 'Expired' }), 2) }, now)).toContainEqual({
      kind: 'start',
      requestId: 'req_1',
      runName: 'req_1-aws-2',
    });
    expect(signalsOf({ eventName: 'INSERT', newItem: item(schedule()) }, now).filter((s) => s.kind === 'start' && s.runName)).toEqual([]);
    const permanent = schedule({ endDateTime: null, expirationType: 'noExpiration', duration: null, assignmentType: 'Assigned' });
    expect(signalsOf({ eventName: 'INSERT', newItem: item(permanent) }, now)).toContainEqual({ kind: 'start', requestId: 'req_1', runName: 'req_1-aws-1' });
    const directory = schedule({ directoryScopeId: '/' });
    expect(signalsOf({ eventName: 'REMOVE', oldItem: item(directory) }, now).filter((s) => s.kind === 'start')).toEqual([]);
  });
});
