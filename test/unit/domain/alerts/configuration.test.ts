import { describe, expect, it } from 'vitest';
import { applyConfigChange, effectiveConfigs } from '../../../../shared/domain/alerts/configuration.ts';
import { ALERT_DEFINITIONS, alertIdOf, alertTypeOfId } from '../../../../shared/domain/alerts/definitions.ts';
import { parseAlertFilter } from '../../../../shared/domain/alerts/scope-filter.ts';
import { ALERT_TYPES } from '../../../../shared/domain/alerts/types.ts';
import { BadRequestError } from '../../../../shared/domain/errors.ts';

describe('alert settings', () => {
  const defaults = effectiveConfigs({});

  it("are Entra's defaults until changed, and keep only the settings a type has", () => {
    expect(defaults.TooManyGlobalAdminsAssignedToTenantAlert).toEqual({
      isEnabled: true,
      globalAdminCountThreshold: 3,
      percentageOfGlobalAdminsOutOfRolesThreshold: 10,
    });
    expect(defaults.SequentialActivationRenewalsAlert).toEqual({
      isEnabled: true,
      sequentialActivationCounterThreshold: 10,
      timeIntervalBetweenActivations: 'PT1H',
    });
    const stored = effectiveConfigs({ StaleSignInAlert: { duration: 'P45D', globalAdminCountThreshold: 9 } });
    expect(stored.StaleSignInAlert).toEqual({ isEnabled: true, duration: 'P45D' });
  });

  it.each([
    ['RedundantAssignmentAlert', { duration: 'P0D' }, true],
    ['RedundantAssignmentAlert', { duration: 'P100D' }, true],
    ['RedundantAssignmentAlert', { duration: 'P101D' }, false],
    ['StaleSignInAlert', { duration: 'P0D' }, false],
    ['StaleSignInAlert', { duration: 'P1D' }, true],
    ['StaleSignInAlert', { duration: 'P365D' }, true],
    ['StaleSignInAlert', { duration: 'P366D' }, false],
    ['StaleSignInAlert', { duration: 'PT36H' }, false],
    ['StaleSignInAlert', { duration: 'P1Y' }, false],
    ['TooManyGlobalAdminsAssignedToTenantAlert', { globalAdminCountThreshold: 1 }, false],
    ['TooManyGlobalAdminsAssignedToTenantAlert', { globalAdminCountThreshold: 2 }, true],
    ['TooManyGlobalAdminsAssignedToTenantAlert', { globalAdminCountThreshold: 100 }, true],
    ['TooManyGlobalAdminsAssignedToTenantAlert', { globalAdminCountThreshold: 101 }, false],
    ['TooManyGlobalAdminsAssignedToTenantAlert', { globalAdminCountThreshold: 2.5 }, false],
    ['TooManyGlobalAdminsAssignedToTenantAlert', { percentageOfGlobalAdminsOutOfRolesThreshold: 0 }, true],
    ['TooManyGlobalAdminsAssignedToTenantAlert', { percentageOfGlobalAdminsOutOfRolesThreshold: 101 }, false],
    ['SequentialActivationRenewalsAlert', { sequentialActivationCounterThreshold: 2 }, true],
    ['SequentialActivationRenewalsAlert', { sequentialActivationCounterThreshold: 1 }, false],
    ['SequentialActivationRenewalsAlert', { timeIntervalBetweenActivations: 'PT1M' }, true],
    ['SequentialActivationRenewalsAlert', { timeIntervalBetweenActivations: 'P1D' }, true],
    ['SequentialActivationRenewalsAlert', { timeIntervalBetweenActivations: 'PT24H1M' }, false],
    ['SequentialActivationRenewalsAlert', { timeIntervalBetweenActivations: 'PT30S' }, false],
    ['NoMfaOnRoleActivationAlert', { duration: 'P3D' }, false],
    ['NoMfaOnRoleActivationAlert', { isEnabled: false }, true],
  ] as const)('%s %j accepted: %s', (type, change, accepted) => {
    const apply = () => applyConfigChange(type, defaults[type], change);
    if (accepted) expect(apply()).toMatchObject(change);
    else expect(apply).toThrow(BadRequestError);
  });
});

describe('alert ids', () => {
  it('are Graph-shaped and read back', () => {
    for (const type of ALERT_TYPES) expect(alertTypeOfId(alertIdOf(type))).toBe(type);
    expect(alertIdOf('StaleSignInAlert')).toBe('DirectoryRole_stint_StaleSignInAlert');
    expect(alertTypeOfId('DirectoryRole_other_StaleSignInAlert')).toBeUndefined();
    expect(alertTypeOfId('DirectoryRole_stint_toString')).toBeUndefined();
    expect(
      Object.values(ALERT_DEFINITIONS)
        .filter((d) => d.severityLevel === 'high')
        .map((d) => d.type),
    ).toEqual(['RolesAssignedOutsidePrivilegedIdentityManagementAlert']);
  });
});

describe("an alert list's scope filter", () => {
  it("requires scopeId eq '/' and scopeType eq 'DirectoryRole', in any order and case of 'and'", () => {
    expect(parseAlertFilter("scopeId eq '/' and scopeType eq 'DirectoryRole'", false)).toEqual({});
    expect(parseAlertFilter("scopeType eq 'DirectoryRole' AND scopeId eq '/' and isActive eq true", true)).toEqual({ isActive: true });
    expect(parseAlertFilter("scopeId eq '/' and scopeType eq 'DirectoryRole' and alertDefinitionId eq 'x''y'", false)).toEqual({ alertDefinitionId: "x'y" });
  });

  it.each([
    "scopeId eq '/'",
    "scopeId eq '/x' and scopeType eq 'DirectoryRole'",
    "scopeId eq '/' and scopeType eq 'Group'",
    "scopeId eq '/' or scopeType eq 'DirectoryRole'",
    "scopeId eq '/' and scopeType eq 'DirectoryRole' and isActive eq true",
    "scopeId eq '/' and scopeId eq '/' and scopeType eq 'DirectoryRole'",
    "scopeId eq '/' and scopeType eq 'DirectoryRole' and severity eq 'high'",
    "scopeId eq '/' and scopeType eq true",
  ])('refuses %s', (filter) => {
    expect(() => parseAlertFilter(filter, false)).toThrow(BadRequestError);
  });
});
