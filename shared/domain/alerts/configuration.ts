/**
 * An alert's settings: Entra's defaults until an administrator changes them, and the limits Entra's
 * settings page allows. A change names only what it changes; what the alert's type does not have is refused.
 */
import { parseDuration } from '../duration.ts';
import { BadRequestError } from '../errors.ts';
import { ALERT_DEFINITIONS } from './definitions.ts';
import { ALERT_TYPES, type AlertConfig, type AlertConfigs, type AlertType } from './types.ts';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The settings each type has (beyond isEnabled), with what Entra accepts. */
const LIMITS: Record<
  AlertType,
  Partial<Record<Exclude<keyof AlertConfig, 'isEnabled'>, { min: number; max: number; unit: 'days' | 'count' | 'percent' | 'minutes' }>>
> = {
  RedundantAssignmentAlert: { duration: { min: 0, max: 100, unit: 'days' } },
  NoMfaOnRoleActivationAlert: {},
  StaleSignInAlert: { duration: { min: 1, max: 365, unit: 'days' } },
  RolesAssignedOutsidePrivilegedIdentityManagementAlert: {},
  TooManyGlobalAdminsAssignedToTenantAlert: {
    globalAdminCountThreshold: { min: 2, max: 100, unit: 'count' },
    percentageOfGlobalAdminsOutOfRolesThreshold: { min: 0, max: 100, unit: 'percent' },
  },
  SequentialActivationRenewalsAlert: {
    sequentialActivationCounterThreshold: { min: 2, max: 100, unit: 'count' },
    // Entra offers a time frame of minutes up to a day.
    timeIntervalBetweenActivations: { min: 1, max: 1440, unit: 'minutes' },
  },
};

export const settingsOf = (type: AlertType) => Object.keys(LIMITS[type]) as (keyof AlertConfig)[];

/** Stored changes over the defaults; a stored setting the type no longer has is ignored. */
export function effectiveConfigs(stored: Partial<Record<AlertType, Partial<AlertConfig>>>): AlertConfigs {
  return Object.fromEntries(
    ALERT_TYPES.map((type) => {
      const known = new Set<string>(['isEnabled', ...settingsOf(type)]);
      const changes = Object.fromEntries(Object.entries(stored[type] ?? {}).filter(([key]) => known.has(key)));
      return [type, { ...ALERT_DEFINITIONS[type].defaults, ...changes }];
    }),
  ) as AlertConfigs;
}

function checkDuration(text: string, field: string, limit: { min: number; max: number; unit: string }): string {
  const ms = parseDuration(text, field);
  const unitMs = limit.unit === 'days' ? DAY_MS : MINUTE_MS;
  if (ms % unitMs !== 0 || ms / unitMs < limit.min || ms / unitMs > limit.max) {
    const example = limit.unit === 'days' ? `'P${Math.max(limit.min, 1)}D' to 'P${limit.max}D'` : `'PT${limit.min}M' to 'PT${limit.max / 60}H'`;
    throw new BadRequestError(
      `${field} must be a whole number of ${limit.unit} from ${limit.min} to ${limit.max} (${example}); '${text}' is not.`,
      'InvalidAlertConfiguration',
    );
  }
  return text.trim().toUpperCase();
}

/** Checks a change against the type's settings and limits; returns the new settings. */
export function applyConfigChange(type: AlertType, current: AlertConfig, change: Partial<AlertConfig>): AlertConfig {
  const limits = LIMITS[type];
  const next: AlertConfig = { ...current };
  for (const [field, value] of Object.entries(change) as [keyof AlertConfig, unknown][]) {
    if (value === undefined) continue;
    if (field === 'isEnabled') {
      next.isEnabled = value as boolean;
      continue;
    }
    const limit = limits[field];
    if (!limit) {
      const has = settingsOf(type);
      throw new BadRequestError(
        `${field} is not a setting of '${ALERT_DEFINITIONS[type].displayName}'; its settings are isEnabled${has.length ? `, ${has.join(', ')}` : ''}.`,
        'InvalidAlertConfiguration',
      );
    }
    if (limit.unit === 'days' || limit.unit === 'minutes') {
      (next as unknown as Record<string, unknown>)[field] = checkDuration(String(value), field, limit);
      continue;
    }
    const n = value as number;
    if (!Number.isInteger(n) || n < limit.min || n > limit.max) {
      throw new BadRequestError(`${field} must be a whole number from ${limit.min} to ${limit.max}; ${String(value)} is not.`, 'InvalidAlertConfiguration');
    }
    (next as unknown as Record<string, unknown>)[field] = n;
  }
  return next;
}
