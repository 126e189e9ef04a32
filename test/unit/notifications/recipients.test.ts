import { describe, expect, it } from 'vitest';
import type { NotificationRule } from '../../../shared/contracts/policy-rules.ts';
import { defaultRules } from '../../../shared/domain/policy/defaults.ts';
import { deliveryPlan, isCritical, MAX_RECIPIENTS, recipientsOf } from '../../../shared/domain/notifications/recipients.ts';
import type { Criticality, RecipientType } from '../../../shared/domain/notifications/types.ts';

const defaults = defaultRules('DirectoryRole').filter(
  (r): r is NotificationRule => r['@odata.type'] === '#microsoft.graph.unifiedRoleManagementPolicyNotificationRule',
);

function rules(changes: Partial<Record<string, Partial<NotificationRule>>>): NotificationRule[] {
  return defaults.map((r) => ({ ...r, ...changes[r.id] }));
}

const activation = {
  audiences: ['Requestor', 'Admin'] as RecipientType[],
  rule: { caller: 'EndUser' as const, level: 'Assignment' as const },
  criticality: 'ifPrivilegedRole' as Criticality,
};

describe('isCritical', () => {
  it.each([
    ['critical', false, true],
    ['critical', true, true],
    ['ifPrivilegedRole', true, true],
    ['ifPrivilegedRole', false, false],
    ['normal', true, false],
  ] as const)('%s, privileged role %s → %s', (criticality, privileged, expected) => {
    expect(isCritical({ criticality }, privileged)).toBe(expected);
  });
});

describe('deliveryPlan', () => {
  it('follows Entra’s defaults: every audience, default recipients, no extra addresses', () => {
    expect(deliveryPlan(activation, defaults, false)).toEqual([
      { audience: 'Requestor', useDefaults: true, extraAddresses: [] },
      { audience: 'Admin', useDefaults: true, extraAddresses: [] },
    ]);
  });

  it.each([
    ['None', true, ['Requestor']],
    ['Critical', false, ['Requestor']],
    ['Critical', true, ['Requestor', 'Admin']],
    ['All', false, ['Requestor', 'Admin']],
  ] as const)('an admin rule at level %s, privileged role %s, reaches %j', (level, privileged, audiences) => {
    const plan = deliveryPlan(activation, rules({ Notification_Admin_EndUser_Assignment: { notificationLevel: level } }), privileged);
    expect(plan.map((p) => p.audience)).toEqual(audiences);
  });

  it('reads only the rule of the event’s caller and level', () => {
    // Prepare: the admin-assignment rules are off; this is an activation (end-user rules).
    const off = rules({
      Notification_Admin_Admin_Assignment: { notificationLevel: 'None' },
      Notification_Requestor_Admin_Assignment: { notificationLevel: 'None' },
    });

    // Act / Assess
    expect(deliveryPlan(activation, off, false)).toHaveLength(2);
    expect(deliveryPlan({ ...activation, rule: { caller: 'Admin', level: 'Assignment' } }, off, false)).toEqual([]);
  });

  it('keeps the extra addresses even without default recipients', () => {
    const plan = deliveryPlan(
      activation,
      rules({ Notification_Admin_EndUser_Assignment: { isDefaultRecipientsEnabled: false, notificationRecipients: ['soc@contoso.test'] } }),
      false,
    );
    expect(plan[1]).toEqual({ audience: 'Admin', useDefaults: false, extraAddresses: ['soc@contoso.test'] });
  });
});

describe('recipientsOf', () => {
  const mailOf = new Map([
    ['usr_kai', 'Kai@contoso.test'],
    ['usr_admin', 'admin@contoso.test'],
    ['usr_ann', 'ann@contoso.test'],
  ]);

  it('sends to each address once, in the most specific audience', () => {
    // Prepare: Kai is the requestor and an admin; an extra address repeats him in another case.
    const plan = [
      { audience: 'Requestor' as const, useDefaults: true, extraAddresses: [] },
      { audience: 'Admin' as const, useDefaults: true, extraAddresses: ['KAI@contoso.test', 'soc@contoso.test'] },
    ];

    // Act
    const result = recipientsOf(plan, { Requestor: ['usr_kai'], Admin: ['usr_admin', 'usr_kai'] }, mailOf);

    // Assess
    expect(result).toEqual([
      { address: 'Kai@contoso.test', audience: 'Requestor' },
      { address: 'admin@contoso.test', audience: 'Admin' },
      { address: 'soc@contoso.test', audience: 'Admin' },
    ]);
  });

  it('skips default recipients when the rule turns them off, and users without an address', () => {
    const plan = [
      { audience: 'Approver' as const, useDefaults: false, extraAddresses: ['desk@contoso.test'] },
      { audience: 'Requestor' as const, useDefaults: true, extraAddresses: [] },
    ];
    expect(recipientsOf(plan, { Approver: ['usr_ann'], Requestor: ['usr_nomail'] }, mailOf)).toEqual([{ address: 'desk@contoso.test', audience: 'Approver' }]);
  });

  it('stops at Entra’s limit of recipients per event', () => {
    const many = Array.from({ length: MAX_RECIPIENTS + 5 }, (_, i) => `u${i}@contoso.test`);
    expect(recipientsOf([{ audience: 'Admin', useDefaults: false, extraAddresses: many }], {}, mailOf)).toHaveLength(MAX_RECIPIENTS);
  });
});
