/**
 * Who receives a notification, by Entra's rules: each role policy has a notification rule per recipient
 * type (Admin, Requestor, Approver) and target (Admin or EndUser caller, Eligibility or Assignment
 * level). A rule at level None sends nothing; at Critical it sends only critical emails; at All,
 * everything. Default recipients (when enabled) are the administrators (Privileged Role and Global
 * Administrators), the requestor (the principal), or the stage's approvers; the rule's own addresses are
 * added either way.
 *
 * Critical, in Stint: whatever asks someone to act or tells them the outcome of their request
 * (approval requests and reminders, approved, denied, timed out), an activation or assignment of a
 * privileged role (Entra's PRIVILEGED label), and the last-day expiry warning. Not critical: the same
 * for ordinary roles, the 14-day warning, and expiry itself.
 */
import type { NotificationRule } from '../policy/rules.ts';
import type { NotificationEvent, RecipientType } from './types.ts';

/** Entra sends an event's email to at most 1000 recipients. */
export const MAX_RECIPIENTS = 1000;

export function isCritical(event: Pick<NotificationEvent, 'criticality'>, privilegedRole: boolean): boolean {
  return event.criticality === 'critical' || (event.criticality === 'ifPrivilegedRole' && privilegedRole);
}

export interface PlannedAudience {
  audience: RecipientType;
  /** Whether the audience's default recipients are to be looked up and added. */
  useDefaults: boolean;
  /** The rule's own addresses. */
  extraAddresses: string[];
}

/** The audiences the policy lets this event reach, in the event's order. */
export function deliveryPlan(
  event: Pick<NotificationEvent, 'audiences' | 'rule' | 'criticality'>,
  rules: readonly NotificationRule[],
  privilegedRole: boolean,
): PlannedAudience[] {
  const critical = isCritical(event, privilegedRole);
  return event.audiences.flatMap((audience) => {
    const rule = rules.find((r) => r.recipientType === audience && r.target.caller === event.rule.caller && r.target.level === event.rule.level);
    if (!rule || rule.notificationLevel === 'None') return [];
    if (rule.notificationLevel === 'Critical' && !critical) return [];
    return [{ audience, useDefaults: rule.isDefaultRecipientsEnabled, extraAddresses: rule.notificationRecipients }];
  });
}

export interface Recipient {
  address: string;
  audience: RecipientType;
}

/**
 * The addresses to send to, each once (compared without case): an address that several audiences
 * reach gets the email of the first, the most specific. Users without an address are skipped.
 */
export function recipientsOf(
  plan: readonly PlannedAudience[],
  defaults: Partial<Record<RecipientType, readonly string[]>>,
  mailOf: ReadonlyMap<string, string>,
): Recipient[] {
  const seen = new Set<string>();
  const out: Recipient[] = [];
  for (const { audience, useDefaults, extraAddresses } of plan) {
    const fromUsers = useDefaults ? (defaults[audience] ?? []).flatMap((id) => mailOf.get(id) ?? []) : [];
    for (const raw of [...fromUsers, ...extraAddresses]) {
      const address = raw.trim();
      const key = address.toLowerCase();
      if (!address || seen.has(key) || out.length >= MAX_RECIPIENTS) continue;
      seen.add(key);
      out.push({ address, audience });
    }
  }
  return out;
}
