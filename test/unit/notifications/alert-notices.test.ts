import { describe, expect, it } from 'vitest';
import { classifyChange } from '../../../shared/domain/notifications/classify.ts';
import { alertLink, renderAlertEmail } from '../../../shared/domain/notifications/alert-notices.ts';
import type { StreamAlert } from '../../../shared/domain/notifications/types.ts';

const AT = '2035-02-05T09:00:00.000Z';
const state = (alertType: string, isActive: boolean, incidentCount = 1): StreamAlert => ({ alertType, isActive, incidentCount, lastModifiedDateTime: AT });
const change = (before: StreamAlert | undefined, after: StreamAlert) =>
  classifyChange({
    eventName: before ? 'MODIFY' : 'INSERT',
    old: before && { type: 'alert', data: before },
    new: { type: 'alert', data: after },
    at: AT,
  });

describe('alert notices on the stream', () => {
  it('fire once, when an alert becomes active: an event always, a notice that the outbox emails for High ones', () => {
    const fired = change(
      state('RolesAssignedOutsidePrivilegedIdentityManagementAlert', false, 0),
      state('RolesAssignedOutsidePrivilegedIdentityManagementAlert', true, 2),
    );
    expect(fired.alert).toMatchObject({ severity: 'high', incidentCount: 2, alertType: 'RolesAssignedOutsidePrivilegedIdentityManagementAlert' });
    expect(fired.domainEvents).toEqual([
      {
        type: 'alertTriggered',
        time: AT,
        detail: {
          alertId: 'DirectoryRole_stint_RolesAssignedOutsidePrivilegedIdentityManagementAlert',
          alertDefinitionId: 'DirectoryRole_stint_RolesAssignedOutsidePrivilegedIdentityManagementAlert',
          severityLevel: 'high',
          incidentCount: 2,
        },
      },
    ]);
    expect(change(undefined, state('StaleSignInAlert', true)).alert?.severity).toBe('medium');
  });

  it('stay quiet while it stays active, when it resolves, and for an alert type this code does not know', () => {
    for (const [before, after] of [
      [state('StaleSignInAlert', true, 1), state('StaleSignInAlert', true, 3)],
      [state('StaleSignInAlert', true), state('StaleSignInAlert', false, 0)],
      [undefined, state('StaleSignInAlert', false, 0)],
      [undefined, state('FutureAlert', true)],
    ] as const) {
      const c = change(before, after);
      expect(c.alert).toBeUndefined();
      expect(c.domainEvents).toEqual([]);
    }
  });

  it('render an email that says what happened, why it matters, what to do, and links to the alert', () => {
    const notice = change(undefined, state('RolesAssignedOutsidePrivilegedIdentityManagementAlert', true, 1)).alert!;
    const email = renderAlertEmail(notice, alertLink('https://pim.contoso.test/portal/', notice.alertType));
    expect(email.subject).toBe('PIM alert (high): Roles are being assigned outside of Privileged Identity Management');
    expect(email.text).toContain('with 1 incident.');
    expect(email.text).toContain('https://pim.contoso.test/portal/manage/alerts/DirectoryRole_stint_RolesAssignedOutsidePrivilegedIdentityManagementAlert');
    expect(email.html).toContain('<a href="https://pim.contoso.test/portal/manage/alerts/');
  });
});
