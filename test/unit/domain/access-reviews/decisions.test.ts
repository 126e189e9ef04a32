import { describe, expect, it } from 'vitest';
import { defaultDecisionFor, mayDecide, recommend } from '../../../../shared/domain/access-reviews/decisions.ts';
import { nextRunAt, reminderTime, type InstanceData } from '../../../../shared/domain/access-reviews/model.ts';

const user = (id: string) => ({ principal: { id, displayName: id, type: 'user' as const } });
const app = (id: string) => ({ principal: { id, displayName: id, type: 'servicePrincipal' as const } });

describe('who may decide an item', () => {
  const named = { selfReview: false, reviewerCount: 2, principalIsReviewer: false };
  it('a named reviewer decides everyone but themselves', () => {
    expect(mayDecide(user('bob'), 'rev', { ...named, callerMode: 'reviewer' })).toBe(true);
    expect(mayDecide(user('rev'), 'rev', { ...named, callerMode: 'reviewer', principalIsReviewer: true })).toBe(false);
  });
  it('someone with no part in the instance decides nothing', () => {
    expect(mayDecide(user('bob'), 'x', { ...named, callerMode: undefined })).toBe(false);
  });
  it("the fallback reviewer takes only what no one else can: the sole reviewer's own access, or all when no reviewer was found", () => {
    expect(mayDecide(user('bob'), 'fb', { ...named, callerMode: 'fallback' })).toBe(false);
    expect(mayDecide(user('rev'), 'fb', { ...named, reviewerCount: 1, callerMode: 'fallback', principalIsReviewer: true })).toBe(true);
    expect(mayDecide(user('bob'), 'fb', { ...named, reviewerCount: 0, callerMode: 'fallback' })).toBe(true);
    expect(mayDecide(user('fb'), 'fb', { ...named, reviewerCount: 0, callerMode: 'fallback' })).toBe(false);
  });
  it("in a self-review each user decides their own; an app's access goes to the fallback reviewer", () => {
    const self = { selfReview: true, reviewerCount: 0, principalIsReviewer: false };
    expect(mayDecide(user('u1'), 'u1', { ...self, callerMode: 'self' })).toBe(true);
    expect(mayDecide(user('u2'), 'u1', { ...self, callerMode: 'self' })).toBe(false);
    expect(mayDecide(app('app'), 'fb', { ...self, callerMode: 'fallback' })).toBe(true);
    expect(mayDecide(user('u2'), 'fb', { ...self, callerMode: 'fallback' })).toBe(false);
  });
});

describe('recommendations', () => {
  const now = new Date('2030-06-30T00:00:00Z');
  const old = '2030-01-01T00:00:00Z';
  it('approve what was activated or used in the look-back, with when', () => {
    expect(recommend({ accessType: 'Eligible', accessSince: old }, { lastActivity: new Date('2030-06-20T00:00:00Z') }, now, 30)).toMatchObject({
      recommendation: 'Approve',
      recommendationReason: 'Activated on 20 Jun 2030, within the last 30 days.',
    });
    expect(recommend({ accessType: 'Active', accessSince: old }, { lastActivity: new Date('2030-06-01T00:00:00Z') }, now, 30).recommendationReason).toMatch(
      /^Used in an access decision on 1 Jun 2030/,
    );
  });
  it('deny what was not, saying when it last was', () => {
    expect(recommend({ accessType: 'Eligible', accessSince: old }, {}, now, 30)).toMatchObject({
      recommendation: 'Deny',
      recommendationReason: 'Not activated in the last 30 days.',
    });
    expect(recommend({ accessType: 'Member', accessSince: old }, { lastActivity: new Date('2030-03-01T00:00:00Z') }, now, 30).recommendationReason).toBe(
      'Not used in an access decision in the last 30 days (last used in an access decision on 1 Mar 2030).',
    );
  });
  it('deny access granted within the look-back and not used since, and say when it was granted', () => {
    expect(recommend({ accessType: 'Active', accessSince: '2030-06-25T00:00:00Z' }, {}, now, 30)).toMatchObject({
      recommendation: 'Deny',
      recommendationReason: 'Not used in an access decision in the last 30 days (granted on 25 Jun 2030, not used in an access decision since).',
    });
  });
});

describe('default decisions', () => {
  const item = { decision: 'NotReviewed' as const, recommendation: 'Deny' as const, recommendationReason: 'Not activated in the last 30 days.' };
  it('only for unanswered items, only when enabled', () => {
    expect(defaultDecisionFor(item, false, 'Deny')).toBeUndefined();
    expect(defaultDecisionFor({ ...item, decision: 'Approve' }, true, 'Deny')).toBeUndefined();
    expect(defaultDecisionFor(item, true, 'Approve')?.decision).toBe('Approve');
  });
  it('the recommendation, with its reason; none when there is no recommendation', () => {
    expect(defaultDecisionFor(item, true, 'Recommendation')).toEqual({
      decision: 'Deny',
      justification: 'No reviewer answered; the recommendation was taken: Not activated in the last 30 days.',
    });
    expect(defaultDecisionFor({ ...item, recommendation: 'NoInfoAvailable' }, true, 'Recommendation')).toBeUndefined();
  });
});

describe('timing', () => {
  it('reminds halfway, not for reviews of under a day or with reminders off', () => {
    const start = new Date('2030-01-01T00:00:00Z');
    expect(reminderTime({ reminderNotificationsEnabled: true }, start, new Date('2030-01-08T00:00:00Z'))).toBe('2030-01-04T12:00:00.000Z');
    expect(reminderTime({ reminderNotificationsEnabled: true }, start, new Date('2030-01-01T12:00:00Z'))).toBeNull();
    expect(reminderTime({ reminderNotificationsEnabled: false }, start, new Date('2030-01-08T00:00:00Z'))).toBeNull();
  });
  it('the job is next due at the reminder, then the end; with no instance, at the next start', () => {
    const open = {
      status: 'InProgress',
      startDateTime: '2030-01-01T00:00:00.000Z',
      endDateTime: '2030-01-08T00:00:00.000Z',
      reminderAt: '2030-01-04T12:00:00.000Z',
      remindersSent: 0,
    } as InstanceData;
    const now = new Date('2030-01-02T00:00:00Z');
    expect(nextRunAt(open, undefined, now)).toBe('2030-01-04T12:00:00.000Z');
    expect(nextRunAt({ ...open, remindersSent: 1 }, undefined, now)).toBe('2030-01-08T00:00:00.000Z');
    expect(nextRunAt(undefined, new Date('2030-04-01T00:00:00Z'), now)).toBe('2030-04-01T00:00:00.000Z');
    expect(nextRunAt(undefined, undefined, now)).toBeNull();
  });
  it('while the job has work on an instance (starting, ending, applying) it is due now', () => {
    const now = new Date('2030-01-09T00:00:00Z');
    for (const status of ['Starting', 'Completing', 'Applying'] as const) expect(nextRunAt({ status } as InstanceData, undefined, now)).toBe(now.toISOString());
  });
});

describe('which moves of an instance send email', () => {
  const base = { id: 'ari_1', definitionId: 'arv_1', status: 'InProgress', remindersSent: 0 };
  it('start, each reminder, the end and the applied results; nothing else', async () => {
    const { classifyReviewChange } = await import('../../../../shared/domain/notifications/review-notices.ts');
    expect(classifyReviewChange({ ...base, status: 'Starting' }, base)?.kind).toBe('reviewStarted');
    expect(classifyReviewChange(base, { ...base, remindersSent: 1 })).toEqual({
      id: 'reviewReminder:ari_1:1',
      kind: 'reviewReminder',
      definitionId: 'arv_1',
      instanceId: 'ari_1',
    });
    expect(classifyReviewChange(base, { ...base, status: 'Completed' })?.kind).toBe('reviewEnded');
    expect(classifyReviewChange({ ...base, status: 'Applying' }, { ...base, status: 'Applied' })?.kind).toBe('reviewApplied');
    expect(classifyReviewChange(base, base)).toBeUndefined();
    expect(classifyReviewChange(undefined, { ...base, status: 'Starting' })).toBeUndefined();
    expect(classifyReviewChange({ ...base, status: 'Completed' }, { ...base, status: 'Applying' })).toBeUndefined();
  });
});
