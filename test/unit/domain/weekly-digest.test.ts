import { describe, expect, it } from 'vitest';
import type { DigestFigures } from '../../../shared/domain/digest/figures.ts';
import { digestSendTime, isDigestDue, isoWeekOf } from '../../../shared/domain/digest/schedule.ts';
import { DEFAULT_DIGEST_SETTINGS, digestAddresses } from '../../../shared/domain/digest/settings.ts';
import { renderWeeklyDigest } from '../../../shared/domain/notifications/weekly-digest.ts';

describe('weekly digest schedule', () => {
  it.each([
    ['2026-12-03T17:00:00Z', '2026-W49', '2026-11-30'],
    ['2026-12-28T00:00:00Z', '2026-W53', '2026-12-28'],
    ['2027-01-03T23:59:59Z', '2026-W53', '2026-12-28'],
    ['2027-01-04T00:00:00Z', '2027-W01', '2027-01-04'],
    ['2024-12-30T10:00:00Z', '2025-W01', '2024-12-30'],
    ['2021-01-01T10:00:00Z', '2020-W53', '2020-12-28'],
  ])('%s is in ISO week %s, which starts on %s', (at, week, monday) => {
    expect(isoWeekOf(new Date(at))).toEqual({ id: week, start: new Date(`${monday}T00:00:00.000Z`) });
  });

  it('is due from Monday 08:00 UTC to the end of the week', () => {
    expect(digestSendTime(new Date('2026-12-06T23:00:00Z')).toISOString()).toBe('2026-11-30T08:00:00.000Z');
    expect(isDigestDue(new Date('2026-11-30T07:59:59.999Z'))).toBe(false);
    expect(isDigestDue(new Date('2026-11-30T08:00:00.000Z'))).toBe(true);
    expect(isDigestDue(new Date('2026-12-06T23:59:59.999Z'))).toBe(true);
  });
});

describe('weekly digest recipients', () => {
  const addressOf = new Map([
    ['usr_a', 'a@contoso.test'],
    ['usr_b', 'B@contoso.test'],
    ['usr_c', 'c@contoso.test'],
  ]);

  it('sends to the administrators by default, each address once', () => {
    expect(digestAddresses(DEFAULT_DIGEST_SETTINGS, ['usr_a', 'usr_b', 'usr_a', 'usr_nomail'], addressOf)).toEqual(['a@contoso.test', 'B@contoso.test']);
  });

  it('adds users and mail addresses, and leaves out the excluded users (also when named by address)', () => {
    const settings = { ...DEFAULT_DIGEST_SETTINGS, additionalRecipients: ['usr_c', 'b@CONTOSO.test', 'ops@example.test'], excludedUserIds: ['usr_b'] };
    expect(digestAddresses(settings, ['usr_a', 'usr_b'], addressOf)).toEqual(['a@contoso.test', 'c@contoso.test', 'ops@example.test']);
    expect(digestAddresses({ ...settings, sendToAdministrators: false }, ['usr_a'], addressOf)).toEqual(['c@contoso.test', 'ops@example.test']);
  });
});

describe('weekly digest email', () => {
  const figures: DigestFigures = {
    week: '2026-W49',
    periodStart: '2026-11-23T08:00:00.000Z',
    periodEnd: '2026-11-30T08:00:00.000Z',
    activations: { total: 3, byRole: [{ roleDisplayName: 'Helpdesk <Administrator>', count: 3 }] },
    newAssignments: { eligible: 1, active: 0 },
    openAlerts: { high: 1, medium: 0, low: 2 },
    pendingApprovals: {
      total: 1,
      oldest: [{ requestId: 'req_1', principalDisplayName: 'Sam', roleDisplayName: 'Global Administrator', createdDateTime: '2026-11-28T08:00:00.000Z' }],
    },
    reviewsDue: [{ reviewName: 'Admins', definitionId: 'd', instanceId: 'i', endDateTime: '2026-12-10T08:00:00.000Z' }],
  };

  it('says each figure in text and escaped HTML, with links to the portal', () => {
    const email = renderWeeklyDigest(figures, 'https://pim.example.test/portal/');
    expect(email.subject).toBe('PIM weekly digest 2026-W49: 3 activations, 1 high alert');
    expect(email.text).toContain('3 role activations in the last 7 days.');
    expect(email.text).toContain('1 new eligible assignment and 0 new active assignments');
    expect(email.text).toContain('3 open security alerts: 1 high, 0 medium, 2 low.');
    expect(email.text).toContain('1 request has waited for approval for more than a day.');
    expect(email.text).toContain('Admins: ends');
    expect(email.text).toContain('https://pim.example.test/portal/approve-requests');
    expect(email.html).toContain('Helpdesk &lt;Administrator&gt;: 3');
    expect(email.html).not.toContain('<Administrator>');
  });
});
