import { describe, expect, it } from 'vitest';
import { escapeHtml, renderEmail, requestLink } from '../../../shared/domain/notifications/render.ts';
import type { NotificationEvent, NotificationKind, RecipientType } from '../../../shared/domain/notifications/types.ts';

const PORTAL = 'https://pim.contoso.test/portal';

function event(overrides: Partial<NotificationEvent> = {}): NotificationEvent {
  return {
    id: 'approvalRequested:req_1',
    kind: 'approvalRequested',
    audiences: ['Approver'],
    rule: { caller: 'EndUser', level: 'Assignment' },
    criticality: 'critical',
    requestId: 'req_01JN0000000000000000000001',
    scheduleKind: 'assignment',
    action: 'selfActivate',
    principalId: 'usr_kai',
    roleDefinitionId: 'role',
    directoryScopeId: '/',
    approverIds: [],
    startDateTime: '2025-03-01T09:00:00.000Z',
    endDateTime: '2025-03-01T11:00:00.000Z',
    justification: 'Investigating incident 42',
    requestedBy: 'Kai Tanaka',
    status: 'PendingApproval',
    ...overrides,
  };
}

const ctx = { portalUrl: PORTAL, roleName: 'Security Administrator', principalName: 'Kai Tanaka' };

describe('renderEmail', () => {
  it('asks an approver, with the role, principal, scope, times, justification and the approval page', () => {
    // Act
    const email = renderEmail(event(), 'Approver', ctx);

    // Assess
    expect(email.subject).toBe('Approval needed: Kai Tanaka requests Security Administrator');
    for (const part of [
      'Security Administrator',
      'Kai Tanaka',
      'the whole directory (/)',
      '1 Mar 2025, 09:00 UTC',
      '1 Mar 2025, 11:00 UTC',
      'Investigating incident 42',
    ]) {
      expect(email.text).toContain(part);
      expect(email.html).toContain(part);
    }
    expect(email.text).toContain(`${PORTAL}/approvals/req_01JN0000000000000000000001`);
    expect(email.html).toContain(`href="${PORTAL}/approvals/req_01JN0000000000000000000001"`);
  });

  it('escapes everything a person typed in the HTML, and keeps the subject on one line', () => {
    // Prepare
    const evil = event({ justification: '<script>alert(1)</script> & "quotes"', decision: { by: ['<b>Ann</b>'], justification: "it's <ok>" }, kind: 'denied' });

    // Act
    const email = renderEmail(evil, 'Requestor', { ...ctx, roleName: 'Ops <img src=x onerror=alert(1)>', principalName: 'Kai\r\nBcc: all@contoso.test' });

    // Assess
    expect(email.html).not.toMatch(/<script|<img|<b>Ann/);
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(email.html).toContain('it&#39;s &lt;ok&gt;');
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text).toContain('<script>alert(1)</script>');
  });

  it.each<[NotificationKind, RecipientType, RegExp, string]>([
    ['assigned', 'Requestor', /^You are now assigned Security Administrator$/, 'requests'],
    ['assigned', 'Admin', /^Kai Tanaka is now assigned Security Administrator$/, 'requests'],
    ['activated', 'Requestor', /^You activated Security Administrator$/, 'requests'],
    ['activated', 'Admin', /^Kai Tanaka activated Security Administrator$/, 'requests'],
    ['extensionRequested', 'Approver', /^Approval needed: Kai Tanaka asks to extend Security Administrator$/, 'approvals'],
    ['approved', 'Requestor', /^Your activation of Security Administrator was approved$/, 'requests'],
    ['approved', 'Approver', /^Decided: Kai Tanaka's request for Security Administrator was approved$/, 'approvals'],
    ['denied', 'Requestor', /^Your activation of Security Administrator was denied$/, 'requests'],
    ['approvalTimedOut', 'Requestor', /expired without a decision$/, 'requests'],
    ['approvalReminder', 'Approver', /^Reminder: /, 'approvals'],
    ['expiringSoon', 'Requestor', /^Your active assignment of Security Administrator expires in 14 days$/, 'requests'],
    ['expired', 'Admin', /^Kai Tanaka's active assignment of Security Administrator has expired$/, 'requests'],
  ])('%s to %s: a subject that says it, and a link to the %s page', (kind, audience, subject, page) => {
    const e = event({
      kind,
      action: kind === 'extensionRequested' ? 'selfExtend' : kind.startsWith('expir') || kind === 'assigned' ? null : 'selfActivate',
      rule: kind.startsWith('expir') || kind === 'assigned' ? { caller: 'Admin', level: 'Assignment' } : { caller: 'EndUser', level: 'Assignment' },
    });
    const email = renderEmail(e, audience, ctx);
    expect(email.subject).toMatch(subject);
    expect(email.text).toContain(`${PORTAL}/${page}/${e.requestId}`);
  });

  it("an administrator's extension, renewal or update says which, and the new end when the request names one", () => {
    const extended = renderEmail(
      event({
        kind: 'assignmentChanged',
        action: 'adminExtend',
        scheduleKind: 'eligibility',
        endDateTime: '2031-01-31T00:00:00.000Z',
        rule: { caller: 'Admin', level: 'Eligibility' },
      }),
      'Requestor',
      ctx,
    );
    expect(extended.subject).toBe('Your eligibility for Security Administrator was extended');
    expect(extended.text).toContain('It now ends on 31 Jan 2031, 00:00 UTC.');
    const renewed = renderEmail(
      event({ kind: 'assignmentChanged', action: 'adminRenew', scheduleKind: 'assignment', endDateTime: null, rule: { caller: 'Admin', level: 'Assignment' } }),
      'Admin',
      ctx,
    );
    expect(renewed.subject).toBe("Kai Tanaka's active assignment of Security Administrator was renewed");
    expect(renewed.text).not.toContain('now ends');
    expect(renderEmail(event({ kind: 'assignmentChanged', action: 'adminUpdate' }), 'Requestor', ctx).subject).toMatch(/was updated$/);
  });

  it('a cancelled request tells the approver that nothing is needed', () => {
    const email = renderEmail(event({ kind: 'approvalCanceled', action: 'selfActivate' }), 'Approver', ctx);
    expect(email.subject).toBe("Cancelled: Kai Tanaka's request for Security Administrator");
    expect(email.text).toContain('Nothing is needed from you.');
    expect(email.text).toContain(`${PORTAL}/approvals/`);
  });

  it('says "tomorrow" for the last-day warning', () => {
    expect(renderEmail(event({ kind: 'expiringSoon', daysLeft: 1, scheduleKind: 'eligibility' }), 'Requestor', ctx).subject).toBe(
      'Your eligible assignment of Security Administrator expires tomorrow',
    );
  });
});

describe('requestLink', () => {
  it('links to a page, with no action and no query, and encodes the id', () => {
    expect(requestLink(`${PORTAL}/`, 'req_1/../x?approve=1', 'Approver')).toBe(`${PORTAL}/approvals/req_1%2F..%2Fx%3Fapprove%3D1`);
    expect(requestLink(PORTAL, 'req_1', 'Requestor')).toBe(`${PORTAL}/requests/req_1`);
  });

  it('escapes HTML special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
