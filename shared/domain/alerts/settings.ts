/**
 * Reading an alert's settings in evaluation. Their defaults and validation belong to configuration.ts
 * (the API refuses a bad value), so a setting missing here is a programming error, reported as such.
 */
import { parseDuration } from '../duration.ts';
import type { AlertConfig, AlertType } from './types.ts';

type NumberSetting = 'globalAdminCountThreshold' | 'percentageOfGlobalAdminsOutOfRolesThreshold' | 'sequentialActivationCounterThreshold';
type DurationSetting = 'duration' | 'timeIntervalBetweenActivations';

export function numberSetting(alertType: AlertType, config: AlertConfig, name: NumberSetting): number {
  const value = config[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${alertType}: setting ${name} is missing from its configuration.`);
  return value;
}

/** The setting in milliseconds. */
export function durationSetting(alertType: AlertType, config: AlertConfig, name: DurationSetting): number {
  const value = config[name];
  if (typeof value !== 'string') throw new Error(`${alertType}: setting ${name} is missing from its configuration.`);
  return parseDuration(value, name);
}
