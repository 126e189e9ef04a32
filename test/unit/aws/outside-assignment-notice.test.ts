/** An assignment made outside Stint, as the outbox sees its item: one admin email and one event on insertion, nothing after. */
import { describe, expect, it } from 'vitest';
import { classifyChange } from '../../../shared/domain/notifications/classify.ts';
import { renderEmail } from '../../../shared/domain/notifications/render.ts';
import type { OutsideAssignmentItem } from '../../../shared/domain/notifications/types.ts';
import { parseStreamItem } from '../../../shared/store/stream-images.ts';

const item: OutsideAssignmentItem = {
  accountId: '111122223333',
  permissionSetId: 'ps-abcd1234',
  userId: 'idc-user-1',
  permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-abcd1234',
  principalId: 'usr_sam',
  at: '2031-11-01T08:00:00.000Z',
};
const raw = { pk: 'AWSOUTSIDE', sk: '111122223333#ps-abcd1234#idc-user-1', type: 'awsOutsideAssignment', ...item };

describe('an AWS assignment made outside Stint on the stream', () => {
  it('is read from its item', () => {
    // Prepare / Act
    const parsed = parseStreamItem(raw);
    // Assess
    expect(parsed).toEqual({ type: 'awsOutsideAssignment', ...item });
    expect(parseStreamItem({ ...raw, principalId: null })).toMatchObject({ principalId: null });
  });

  it('emails the admins (critical) and publishes an event when inserted', () => {
    // Act
    const classified = classifyChange({ eventName: 'INSERT', new: parseStreamItem(raw), at: '2031-11-01T08:00:01.000Z' });
    // Assess
    expect(classified.notifications).toEqual([
      expect.objectContaining({
        kind: 'assignedOutsidePim',
        audiences: ['Admin'],
        criticality: 'critical',
        principalId: 'usr_sam',
        roleDefinitionId: 'ps-abcd1234',
        directoryScopeId: '/accounts/111122223333',
        linkPath: '/activity/resource-audit',
      }),
    ]);
    expect(classified.domainEvents).toEqual([
      expect.objectContaining({
        type: 'awsAssignedOutsideStint',
        detail: expect.objectContaining({ identityStoreUserId: 'idc-user-1', principalId: 'usr_sam' }),
      }),
    ]);
  });

  it('names the identity-store user when no Stint user is matched to it', () => {
    const classified = classifyChange({ eventName: 'INSERT', new: parseStreamItem({ ...raw, principalId: null }), at: item.at });
    expect(classified.notifications[0]!.principalId).toBe('idc-user-1');
  });

  it('fires nothing when rewritten or removed (one email per assignment, not one per run)', () => {
    const image = parseStreamItem(raw);
    for (const change of [
      { eventName: 'MODIFY' as const, old: image, new: image, at: item.at },
      { eventName: 'REMOVE' as const, old: image, at: item.at },
    ]) {
      const classified = classifyChange(change);
      expect([classified.notifications, classified.domainEvents]).toEqual([[], []]);
    }
  });

  it('renders an email that links to the audit log, escaping what AWS and people named', () => {
    // Prepare
    const [event] = classifyChange({ eventName: 'INSERT', new: parseStreamItem(raw), at: item.at }).notifications;
    // Act
    const email = renderEmail(event!, 'Admin', { portalUrl: 'https://pim.example/portal/', roleName: 'Admin<Access>', principalName: 'Sam "R"' });
    // Assess
    expect(email.subject).toBe('AWS access granted outside Stint: Sam "R" has Admin<Access> in /accounts/111122223333');
    expect(email.text).toContain('https://pim.example/portal/activity/resource-audit');
    expect(email.html).toContain('Admin&lt;Access&gt;');
    expect(email.html).not.toContain('Admin<Access>');
  });
});
