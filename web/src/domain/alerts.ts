/**
 * PIM security alerts as Entra's pages show them: the list by severity (High first), each alert's
 * settings as form fields (days, counts, percentages and minutes, sent back as Graph's values), which
 * incident properties make a column, and what Fix will do, in a sentence, before anyone presses it.
 */

export type Severity = 'low' | 'medium' | 'high';

export interface AlertDefinition {
  id: string;
  displayName: string;
  description: string;
  severityLevel: Severity;
  securityImpact: string;
  mitigationSteps: string;
  howToPrevent: string;
  isConfigurable: boolean;
  isRemediatable: boolean;
}

export interface AlertConfiguration {
  '@odata.type': string;
  id: string;
  isEnabled: boolean;
  [setting: string]: unknown;
}

export interface Alert {
  id: string;
  alertDefinitionId: string;
  incidentCount: number;
  isActive: boolean;
  lastModifiedDateTime: string | null;
  lastScannedDateTime: string | null;
  alertDefinition?: AlertDefinition;
  alertConfiguration?: AlertConfiguration;
}

export interface Incident {
  '@odata.type': string;
  id: string;
  [property: string]: unknown;
}

export const SEVERITY_LABEL: Record<Severity, string> = { high: 'High', medium: 'Medium', low: 'Low' };
const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 };

/** High first, then by incidents (most first), then by name: what needs attention comes first. */
export function bySeverity(a: Alert, b: Alert): number {
  const sa = SEVERITY_RANK[a.alertDefinition?.severityLevel ?? 'low'];
  const sb = SEVERITY_RANK[b.alertDefinition?.severityLevel ?? 'low'];
  return sa - sb || b.incidentCount - a.incidentCount || (a.alertDefinition?.displayName ?? a.id).localeCompare(b.alertDefinition?.displayName ?? b.id);
}

/** The alert's name inside Graph's id (`DirectoryRole_{tenant}_{Name}`): the configuration types key on it. */
export function alertName(id: string): string {
  return id.split('_').pop() ?? id;
}

/** One setting as a form field: what the person types, and what the API is sent. */
export interface SettingField {
  key: string;
  label: string;
  description: string;
  unit: 'days' | 'count' | 'percent' | 'minutes';
  min: number;
  max: number;
}

/** Entra's settings per alert (its labels and limits); the API checks them again and says why it refuses. */
const SETTINGS: Record<string, SettingField[]> = {
  RedundantAssignmentAlert: [
    {
      key: 'duration',
      label: 'Number of days',
      description: 'Days without activating the role before the alert fires (0 to 100).',
      unit: 'days',
      min: 0,
      max: 100,
    },
  ],
  StaleSignInAlert: [
    { key: 'duration', label: 'Number of days', description: 'Days without signing in before the alert fires (1 to 365).', unit: 'days', min: 1, max: 365 },
  ],
  TooManyGlobalAdminsAssignedToTenantAlert: [
    {
      key: 'globalAdminCountThreshold',
      label: 'Minimum number of Global Administrators',
      description: 'The alert fires when there are at least this many Global Administrators (2 to 100)…',
      unit: 'count',
      min: 2,
      max: 100,
    },
    {
      key: 'percentageOfGlobalAdminsOutOfRolesThreshold',
      label: 'Percentage of Global Administrators',
      description: '…and they are at least this percentage of everyone holding a directory role (0 to 100). Both must be met.',
      unit: 'percent',
      min: 0,
      max: 100,
    },
  ],
  SequentialActivationRenewalsAlert: [
    {
      key: 'timeIntervalBetweenActivations',
      label: 'Renewal timeframe (minutes)',
      description: 'The time frame in which activations are counted (1 to 1,440 minutes).',
      unit: 'minutes',
      min: 1,
      max: 1440,
    },
    {
      key: 'sequentialActivationCounterThreshold',
      label: 'Number of renewals',
      description: 'Activations of the same role within the time frame before the alert fires (2 to 100).',
      unit: 'count',
      min: 2,
      max: 100,
    },
  ],
};

export function settingFields(alertId: string): SettingField[] {
  return SETTINGS[alertName(alertId)] ?? [];
}

const ISO = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/i;

/** The configuration's value as the form shows it: 'P30D' → '30', 'PT1H' → '60' (minutes), 3 → '3'. */
export function fieldText(field: SettingField, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.unit === 'days' || field.unit === 'minutes') {
    const m = ISO.exec(String(value));
    if (!m) return String(value);
    const minutes = (Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0);
    return String(field.unit === 'days' ? minutes / 1440 : minutes);
  }
  return String(value);
}

/**
 * What the API is sent for what was typed: days and minutes as ISO 8601 durations, counts as numbers;
 * undefined when it is not a number at all. Limits are left to the API, whose message says what it takes.
 */
export function fieldValue(field: SettingField, text: string): string | number | undefined {
  const trimmed = text.trim();
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return undefined;
  if (field.unit === 'days') return `P${trimmed}D`;
  if (field.unit === 'minutes') return `PT${trimmed}M`;
  return Number(trimmed);
}

/**
 * The body of a PATCH: only what differs from the configuration. A field that is not a number is
 * returned in `invalid` instead, to be shown beside it without asking the API.
 */
export function changedSettings(
  alertId: string,
  config: AlertConfiguration,
  texts: Record<string, string>,
  isEnabled: boolean,
): { change: Record<string, unknown>; invalid: string[] } {
  const change: Record<string, unknown> = {};
  const invalid: string[] = [];
  if (isEnabled !== config.isEnabled) change.isEnabled = isEnabled;
  for (const field of settingFields(alertId)) {
    const text = texts[field.key];
    if (text === undefined || text.trim() === fieldText(field, config[field.key])) continue;
    const value = fieldValue(field, text);
    if (value === undefined) invalid.push(field.key);
    else change[field.key] = value;
  }
  return { change, invalid };
}

/** Which field an API refusal is about (its messages start with the field's name), so it shows beside it. */
export function fieldOfMessage(alertId: string, message: string): string | undefined {
  return settingFields(alertId).find((f) => message.startsWith(`${f.key} `))?.key;
}

/** The incident properties shown as columns, in this order. */
export const INCIDENT_COLUMNS = {
  assignee: { key: 'assigneeDisplayName', header: 'Assignee' },
  role: { key: 'roleDisplayName', header: 'Role' },
  assigned: { key: 'assignmentCreatedDateTime', header: 'Assigned', time: true },
  lastActivation: { key: 'lastActivationDateTime', header: 'Last activated', time: true },
  lastSignIn: { key: 'lastSignInDateTime', header: 'Last sign-in', time: true },
  activations: { key: 'activationCount', header: 'Activations' },
  first: { key: 'sequenceStartDateTime', header: 'First activation', time: true },
  last: { key: 'sequenceEndDateTime', header: 'Last activation', time: true },
} as const;
type ColumnName = keyof typeof INCIDENT_COLUMNS;

/** Which properties each alert's incidents carry (Graph's incident types), so an empty table has its columns too. */
const COLUMNS_OF: Record<string, ColumnName[]> = {
  RedundantAssignmentAlert: ['assignee', 'role', 'lastActivation'],
  NoMfaOnRoleActivationAlert: ['role'],
  StaleSignInAlert: ['assignee', 'role', 'assigned', 'lastSignIn'],
  RolesAssignedOutsidePrivilegedIdentityManagementAlert: ['assignee', 'role', 'assigned'],
  TooManyGlobalAdminsAssignedToTenantAlert: ['assignee'],
  SequentialActivationRenewalsAlert: ['assignee', 'role', 'activations', 'first', 'last'],
};

export function incidentColumns(alertId: string) {
  return (COLUMNS_OF[alertName(alertId)] ?? ['assignee', 'role']).map((name) => INCIDENT_COLUMNS[name]);
}

export function assigneeText(incident: Incident): string {
  const name = (incident.assigneeDisplayName as string | null | undefined) ?? (incident.assigneeId as string | undefined) ?? '';
  const upn = incident.assigneeUserPrincipalName as string | null | undefined;
  return upn && upn !== name ? `${name} (${upn})` : name;
}

/** What Fix does to this incident, said before it is done (the API does it through the audited paths). */
export function fixSentence(alertId: string, incident: Incident): string {
  const who = assigneeText(incident) || 'The assignee';
  const role = (incident.roleDisplayName as string | undefined) ?? (incident.roleDefinitionId as string | undefined) ?? 'the role';
  switch (alertName(alertId)) {
    case 'RedundantAssignmentAlert':
      return `${who} loses their eligible assignment of ${role}. They can no longer activate it.`;
    case 'StaleSignInAlert':
      return `${who} loses their assignment of ${role}.`;
    case 'NoMfaOnRoleActivationAlert':
      return `The setting of ${role} changes to "On activation, require: Azure MFA": everyone activating it must use multifactor authentication.`;
    case 'RolesAssignedOutsidePrivilegedIdentityManagementAlert':
      return /^ps-/.test(String(incident.roleDefinitionId ?? ''))
        ? `The AWS account assignment of ${who} to the permission set ${role}, made outside Stint, is deleted.`
        : `${who} is removed from the role-assignable group that gives them ${role}. Give the access again through PIM for groups if it is needed.`;
    case 'TooManyGlobalAdminsAssignedToTenantAlert':
      return `${who}'s active Global Administrator assignment becomes eligible: they will have to activate the role to use it.`;
    default:
      return 'The incident is fixed as the alert’s mitigation steps say.';
  }
}
