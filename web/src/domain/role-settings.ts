/**
 * Role settings as Entra's page shows them: the 17 rules of a role management policy read into one flat
 * form (Activation, Assignment, Notification), the form written back onto the rules, and the difference
 * between two forms as "field: old → new". The save sends only the rules whose content changed; a change
 * made for several roles is the set of changed fields, applied to each role's own settings.
 */
import { describeDuration, durationHours } from './duration.ts';

/** A rule as the API returns it; only what the form reads is typed, the rest is carried through. */
export interface PolicyRule {
  '@odata.type': string;
  id: string;
  [key: string]: unknown;
}

export interface Approver {
  kind: 'user' | 'group';
  id: string;
  description?: string | null;
}

export type NotificationLevel = 'None' | 'Critical' | 'All';

export interface NotificationSetting {
  defaultRecipients: boolean;
  additionalRecipients: string[];
  level: NotificationLevel;
}

export const NOTIFICATION_EVENTS = ['Admin_Eligibility', 'Admin_Assignment', 'EndUser_Assignment'] as const;
export const NOTIFICATION_RECIPIENTS = ['Admin', 'Requestor', 'Approver'] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];
export type NotificationRecipient = (typeof NOTIFICATION_RECIPIENTS)[number];
export type NotificationKey = `${NotificationRecipient}_${NotificationEvent}`;

export interface Settings {
  activationMaximumHours: number;
  /** On activation, require: None, Azure MFA, or a Conditional Access authentication context. */
  activationRequire: 'none' | 'mfa' | 'authenticationContext';
  authenticationContext: string;
  activationJustification: boolean;
  activationTicket: boolean;
  approvalRequired: boolean;
  approvers: Approver[];
  permanentEligible: boolean;
  eligibleExpiry: string;
  permanentActive: boolean;
  activeExpiry: string;
  activeMfa: boolean;
  activeJustification: boolean;
  notifications: Record<NotificationKey, NotificationSetting>;
}

export type SettingsTab = 'activation' | 'assignment' | 'notification';

/** Entra's choices for "Expire … assignments after". */
export const EXPIRY_CHOICES = ['P15D', 'P30D', 'P90D', 'P180D', 'P365D'];

export const EVENT_TITLES: Record<NotificationEvent, string> = {
  Admin_Eligibility: 'Send notifications when members are assigned as eligible to this role',
  Admin_Assignment: 'Send notifications when members are assigned as active to this role',
  EndUser_Assignment: 'Send notifications when eligible members activate this role',
};

/** Entra's row names in the Notification tab, per event and recipient. */
export const NOTIFICATION_TYPES: Record<NotificationEvent, Record<NotificationRecipient, string>> = {
  Admin_Eligibility: {
    Admin: 'Role assignment alert',
    Requestor: 'Notification to the assigned user (assignee)',
    Approver: 'Request to approve a role assignment renewal/extension',
  },
  Admin_Assignment: {
    Admin: 'Role assignment alert',
    Requestor: 'Notification to the assigned user (assignee)',
    Approver: 'Request to approve a role assignment renewal/extension',
  },
  EndUser_Assignment: {
    Admin: 'Role activation alert',
    Requestor: 'Notification to activated user (requestor)',
    Approver: 'Request to approve an activation',
  },
};

function rule(rules: PolicyRule[], id: string): PolicyRule | undefined {
  return rules.find((r) => r.id === id);
}

function enabled(rules: PolicyRule[], id: string): string[] {
  return (rule(rules, id)?.enabledRules as string[] | undefined) ?? [];
}

interface ApprovalSetting {
  isApprovalRequired?: boolean;
  approvalStages?: { primaryApprovers?: { '@odata.type'?: string; userId?: string; groupId?: string; description?: string | null }[] }[];
}

export function settingsFromRules(rules: PolicyRule[]): Settings {
  const activation = rule(rules, 'Expiration_EndUser_Assignment');
  const eligible = rule(rules, 'Expiration_Admin_Eligibility');
  const active = rule(rules, 'Expiration_Admin_Assignment');
  const endUser = enabled(rules, 'Enablement_EndUser_Assignment');
  const admin = enabled(rules, 'Enablement_Admin_Assignment');
  const context = rule(rules, 'AuthenticationContext_EndUser_Assignment');
  const approval = rule(rules, 'Approval_EndUser_Assignment')?.setting as ApprovalSetting | undefined;
  const notifications = {} as Record<NotificationKey, NotificationSetting>;
  for (const event of NOTIFICATION_EVENTS) {
    for (const recipient of NOTIFICATION_RECIPIENTS) {
      const r = rule(rules, `Notification_${recipient}_${event}`);
      notifications[`${recipient}_${event}`] = {
        defaultRecipients: (r?.isDefaultRecipientsEnabled as boolean | undefined) ?? true,
        additionalRecipients: (r?.notificationRecipients as string[] | undefined) ?? [],
        level: (r?.notificationLevel as NotificationLevel | undefined) ?? 'All',
      };
    }
  }
  return {
    activationMaximumHours: durationHours(activation?.maximumDuration as string | undefined) ?? 8,
    activationRequire: context?.isEnabled ? 'authenticationContext' : endUser.includes('MultiFactorAuthentication') ? 'mfa' : 'none',
    authenticationContext: (context?.claimValue as string | null | undefined) ?? '',
    activationJustification: endUser.includes('Justification'),
    activationTicket: endUser.includes('Ticketing'),
    approvalRequired: approval?.isApprovalRequired === true,
    approvers: (approval?.approvalStages?.[0]?.primaryApprovers ?? []).map((a) =>
      a.groupId ? { kind: 'group', id: a.groupId, description: a.description } : { kind: 'user', id: a.userId ?? '', description: a.description },
    ),
    permanentEligible: eligible?.isExpirationRequired === false,
    eligibleExpiry: (eligible?.maximumDuration as string | undefined) ?? 'P365D',
    permanentActive: active?.isExpirationRequired === false,
    activeExpiry: (active?.maximumDuration as string | undefined) ?? 'P180D',
    activeMfa: admin.includes('MultiFactorAuthentication'),
    activeJustification: admin.includes('Justification'),
    notifications,
  };
}

/** ISO 8601 for a number of hours: 8 → PT8H, 1.5 → PT1H30M. */
export function hoursDuration(hours: number): string {
  const minutes = Math.round(hours * 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h || m ? `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}` : 'PT0M';
}

function withEnabled(current: string[], wanted: Record<string, boolean>): string[] {
  const kept = current.filter((r) => !(r in wanted));
  return [
    ...kept,
    ...Object.entries(wanted)
      .filter(([, on]) => on)
      .map(([r]) => r),
  ];
}

/** The rules with the form's values written in; everything the form does not show is kept as it was. */
export function rulesFromSettings(rules: PolicyRule[], s: Settings): PolicyRule[] {
  return rules.map((r): PolicyRule => {
    switch (r.id) {
      case 'Expiration_EndUser_Assignment':
        return { ...r, maximumDuration: hoursDuration(s.activationMaximumHours) };
      case 'Expiration_Admin_Eligibility':
        return { ...r, isExpirationRequired: !s.permanentEligible, maximumDuration: s.eligibleExpiry };
      case 'Expiration_Admin_Assignment':
        return { ...r, isExpirationRequired: !s.permanentActive, maximumDuration: s.activeExpiry };
      case 'Enablement_EndUser_Assignment':
        return {
          ...r,
          enabledRules: withEnabled((r.enabledRules as string[]) ?? [], {
            MultiFactorAuthentication: s.activationRequire === 'mfa',
            Justification: s.activationJustification,
            Ticketing: s.activationTicket,
          }),
        };
      case 'Enablement_Admin_Assignment':
        return {
          ...r,
          enabledRules: withEnabled((r.enabledRules as string[]) ?? [], { MultiFactorAuthentication: s.activeMfa, Justification: s.activeJustification }),
        };
      case 'AuthenticationContext_EndUser_Assignment': {
        const on = s.activationRequire === 'authenticationContext';
        return { ...r, isEnabled: on, claimValue: on ? s.authenticationContext.trim() || null : (r.claimValue ?? null) };
      }
      case 'Approval_EndUser_Assignment': {
        const setting = (r.setting ?? {}) as Record<string, unknown> & { approvalStages?: Record<string, unknown>[] };
        const stages = setting.approvalStages?.length ? setting.approvalStages : [{}];
        const primaryApprovers = s.approvers.map((a) =>
          a.kind === 'group'
            ? { '@odata.type': '#microsoft.graph.groupMembers', groupId: a.id, description: a.description ?? null }
            : { '@odata.type': '#microsoft.graph.singleUser', userId: a.id, description: a.description ?? null },
        );
        return {
          ...r,
          setting: { ...setting, isApprovalRequired: s.approvalRequired, approvalStages: [{ ...stages[0], primaryApprovers }, ...stages.slice(1)] },
        };
      }
    }
    const n = /^Notification_(Admin|Requestor|Approver)_(.+)$/.exec(r.id);
    const key = n ? (`${n[1]}_${n[2]}` as NotificationKey) : undefined;
    const value = key && s.notifications[key];
    if (!value) return r;
    return { ...r, isDefaultRecipientsEnabled: value.defaultRecipients, notificationRecipients: value.additionalRecipients, notificationLevel: value.level };
  });
}

/** A rule as PATCH takes it: Graph's rule without Stint's read-only annotations (`@stint.groupRoleRules`). */
function sendable(r: PolicyRule): PolicyRule {
  return Object.fromEntries(Object.entries(r).filter(([key]) => key === '@odata.type' || !key.startsWith('@stint.'))) as PolicyRule;
}

function stable(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** The rules to PATCH: only those whose content the form changed. */
export function changedRules(rules: PolicyRule[], s: Settings): PolicyRule[] {
  const next = rulesFromSettings(rules, s);
  return next.filter((r, i) => stable(sendable(r)) !== stable(sendable(rules[i]!))).map(sendable);
}

export interface FieldChange {
  /** The form field (for applying the same change to other roles). */
  key: FieldKey;
  tab: SettingsTab;
  label: string;
  before: string;
  after: string;
}

export type FieldKey = Exclude<keyof Settings, 'notifications'> | `notifications.${NotificationKey}`;

const yes = (b: boolean) => (b ? 'Yes' : 'No');

function approverText(list: Approver[]): string {
  return list.length ? list.map((a) => a.description || a.id).join(', ') : 'None';
}

function notificationText(n: NotificationSetting): string {
  const extra = n.additionalRecipients.length ? n.additionalRecipients.join(', ') : 'none';
  return `Default recipients ${n.defaultRecipients ? 'on' : 'off'}; additional: ${extra}; ${n.level === 'Critical' ? 'critical emails only' : n.level === 'None' ? 'no emails' : 'all emails'}`;
}

const FIELDS: { key: Exclude<FieldKey, `notifications.${string}`>; tab: SettingsTab; label: string; text: (s: Settings) => string }[] = [
  { key: 'activationMaximumHours', tab: 'activation', label: 'Activation maximum duration (hours)', text: (s) => String(s.activationMaximumHours) },
  {
    key: 'activationRequire',
    tab: 'activation',
    label: 'On activation, require',
    text: (s) =>
      s.activationRequire === 'mfa'
        ? 'Azure MFA'
        : s.activationRequire === 'authenticationContext'
          ? 'Microsoft Entra Conditional Access authentication context'
          : 'None',
  },
  { key: 'authenticationContext', tab: 'activation', label: 'Authentication context', text: (s) => s.authenticationContext || 'None' },
  { key: 'activationJustification', tab: 'activation', label: 'Require justification on activation', text: (s) => yes(s.activationJustification) },
  { key: 'activationTicket', tab: 'activation', label: 'Require ticket information on activation', text: (s) => yes(s.activationTicket) },
  { key: 'approvalRequired', tab: 'activation', label: 'Require approval to activate', text: (s) => yes(s.approvalRequired) },
  { key: 'approvers', tab: 'activation', label: 'Approvers', text: (s) => approverText(s.approvers) },
  { key: 'permanentEligible', tab: 'assignment', label: 'Allow permanent eligible assignment', text: (s) => yes(s.permanentEligible) },
  { key: 'eligibleExpiry', tab: 'assignment', label: 'Expire eligible assignments after', text: (s) => describeDuration(s.eligibleExpiry) },
  { key: 'permanentActive', tab: 'assignment', label: 'Allow permanent active assignment', text: (s) => yes(s.permanentActive) },
  { key: 'activeExpiry', tab: 'assignment', label: 'Expire active assignments after', text: (s) => describeDuration(s.activeExpiry) },
  { key: 'activeMfa', tab: 'assignment', label: 'Require Azure Multi-Factor Authentication on active assignment', text: (s) => yes(s.activeMfa) },
  { key: 'activeJustification', tab: 'assignment', label: 'Require justification on active assignment', text: (s) => yes(s.activeJustification) },
];

/** What changes from `before` to `after`, field by field, in Entra's words. */
export function diffSettings(before: Settings, after: Settings): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const f of FIELDS) {
    const [b, a] = [f.text(before), f.text(after)];
    if (stable(before[f.key]) !== stable(after[f.key])) changes.push({ key: f.key, tab: f.tab, label: f.label, before: b, after: a });
  }
  for (const event of NOTIFICATION_EVENTS) {
    for (const recipient of NOTIFICATION_RECIPIENTS) {
      const k: NotificationKey = `${recipient}_${event}`;
      const [b, a] = [before.notifications[k], after.notifications[k]];
      if (stable(b) !== stable(a)) {
        changes.push({
          key: `notifications.${k}`,
          tab: 'notification',
          label: `${EVENT_TITLES[event].replace('Send notifications when ', 'When ')}: ${NOTIFICATION_TYPES[event][recipient]}`,
          before: notificationText(b),
          after: notificationText(a),
        });
      }
    }
  }
  return changes;
}

/** The same change for another role: the changed fields take the edited values, the rest stays that role's. */
export function applyFields(target: Settings, edited: Settings, keys: FieldKey[]): Settings {
  const next: Settings = { ...target, notifications: { ...target.notifications } };
  for (const key of keys) {
    if (key.startsWith('notifications.')) {
      const k = key.slice('notifications.'.length) as NotificationKey;
      next.notifications[k] = edited.notifications[k];
    } else {
      (next as unknown as Record<string, unknown>)[key] = edited[key as keyof Settings];
    }
  }
  return next;
}

/** What the form must not send: the API would refuse it, so the person hears it before saving. */
export function settingsErrors(s: Settings): Partial<Record<FieldKey, string>> {
  const errors: Partial<Record<FieldKey, string>> = {};
  if (!(s.activationMaximumHours >= 0.5 && s.activationMaximumHours <= 24)) errors.activationMaximumHours = 'Between 0.5 and 24 hours.';
  if (s.activationRequire === 'authenticationContext' && !s.authenticationContext.trim()) errors.authenticationContext = 'Enter the authentication context.';
  for (const [k, n] of Object.entries(s.notifications)) {
    const bad = n.additionalRecipients.find((r) => !/^[^\s@;]+@[^\s@;]+$/.test(r));
    if (bad) errors[`notifications.${k as NotificationKey}`] = `'${bad}' is not an email address.`;
  }
  return errors;
}
