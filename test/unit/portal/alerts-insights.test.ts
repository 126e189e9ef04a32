/**
 * The portal's alerts and insights logic: the list by severity, settings as form fields and back to
 * Graph's values (only what changed, limits left to the API), where an API refusal belongs, what Fix
 * says it will do, and the insights page's words and recipients.
 */
import { describe, expect, it } from 'vitest';
import { ALERT_DEFINITIONS, alertIdOf } from '../../../shared/domain/alerts/definitions.ts';
import { ALERT_TYPES } from '../../../shared/domain/alerts/types.ts';
import {
  bySeverity,
  changedSettings,
  fieldOfMessage,
  fieldText,
  fieldValue,
  fixSentence,
  incidentColumns,
  settingFields,
  type Alert,
  type AlertConfiguration,
} from '../../../web/src/domain/alerts.ts';
import { canConvert, outcomeSummary, parseRecipients, type ActionOutcome, type PrivilegedAssignment } from '../../../web/src/domain/insights.ts';

const id = (name: string) => `DirectoryRole_stint_${name}`;
const alert = (name: string, severityLevel: 'low' | 'medium' | 'high', incidentCount = 0): Alert => ({
  id: id(name),
  alertDefinitionId: id(name),
  incidentCount,
  isActive: incidentCount > 0,
  lastModifiedDateTime: null,
  lastScannedDateTime: null,
  alertDefinition: {
    id: id(name),
    displayName: name,
    description: '',
    severityLevel,
    securityImpact: '',
    mitigationSteps: '',
    howToPrevent: '',
    isConfigurable: true,
    isRemediatable: true,
  },
});
const config = (name: string, settings: Record<string, unknown>): AlertConfiguration => ({ '@odata.type': '#x', id: id(name), isEnabled: true, ...settings });

describe('bySeverity', () => {
  it('puts High first, then Medium, then Low; within a level the most incidents first', () => {
    // Prepare
    const list = [alert('A', 'low', 0), alert('B', 'medium'), alert('C', 'low', 4), alert('D', 'high')];

    // Act
    const sorted = list.sort(bySeverity).map((a) => a.id);

    // Assess
    expect(sorted).toEqual([id('D'), id('B'), id('C'), id('A')]);
  });
});

describe('alert settings as form fields', () => {
  it('has a field for each setting the API has, for every alert type (and none for those without)', () => {
    for (const type of ALERT_TYPES) {
      const keys = settingFields(alertIdOf(type)).map((f) => f.key);
      const defaults = Object.keys(ALERT_DEFINITIONS[type].defaults).filter((k) => k !== 'isEnabled');
      expect(keys.sort(), type).toEqual(defaults.sort());
    }
  });

  it('shows days and minutes as numbers and sends them back as ISO 8601 durations', () => {
    // Prepare
    const [stale] = settingFields(id('StaleSignInAlert'));
    const [frame, count] = settingFields(id('SequentialActivationRenewalsAlert'));

    // Assess
    expect(fieldText(stale!, 'P30D')).toBe('30');
    expect(fieldText(frame!, 'PT1H')).toBe('60');
    expect(fieldText(frame!, 'PT1H30M')).toBe('90');
    expect(fieldText(count!, 10)).toBe('10');
    expect(fieldValue(stale!, '400')).toBe('P400D');
    expect(fieldValue(frame!, ' 45 ')).toBe('PT45M');
    expect(fieldValue(count!, '7')).toBe(7);
    expect(fieldValue(count!, 'seven')).toBeUndefined();
  });

  it('sends only what changed, leaves limits to the API, and names fields that are not numbers', () => {
    // Prepare
    const ga = config('TooManyGlobalAdminsAssignedToTenantAlert', { globalAdminCountThreshold: 3, percentageOfGlobalAdminsOutOfRolesThreshold: 10 });
    const alertId = id('TooManyGlobalAdminsAssignedToTenantAlert');

    // Act
    const same = changedSettings(alertId, ga, { globalAdminCountThreshold: '3', percentageOfGlobalAdminsOutOfRolesThreshold: '10' }, true);
    const outOfRange = changedSettings(alertId, ga, { globalAdminCountThreshold: '150', percentageOfGlobalAdminsOutOfRolesThreshold: '10' }, false);
    const garbage = changedSettings(alertId, ga, { globalAdminCountThreshold: '', percentageOfGlobalAdminsOutOfRolesThreshold: 'x' }, true);

    // Assess
    expect(same).toEqual({ change: {}, invalid: [] });
    expect(outOfRange).toEqual({ change: { isEnabled: false, globalAdminCountThreshold: 150 }, invalid: [] });
    expect(garbage.invalid).toEqual(['globalAdminCountThreshold', 'percentageOfGlobalAdminsOutOfRolesThreshold']);
  });

  it('places an API refusal beside the field its message names, or nowhere when it names none', () => {
    const stale = id('StaleSignInAlert');
    expect(fieldOfMessage(stale, "duration must be a whole number of days from 1 to 365 ('P1D' to 'P365D'); 'P400D' is not.")).toBe('duration');
    expect(fieldOfMessage(stale, 'The alert settings could not be saved.')).toBeUndefined();
  });
});

describe('incidents', () => {
  it('has columns for each alert type, so that an empty table still has them', () => {
    expect(incidentColumns(id('StaleSignInAlert')).map((c) => c.header)).toEqual(['Assignee', 'Role', 'Assigned', 'Last sign-in']);
    expect(incidentColumns(id('NoMfaOnRoleActivationAlert')).map((c) => c.header)).toEqual(['Role']);
  });

  it('says what Fix will do, in words naming the person and the role', () => {
    // Prepare
    const incident = {
      '@odata.type': '#x',
      id: 'i1',
      assigneeDisplayName: 'Zed',
      assigneeUserPrincipalName: 'zed@contoso.test',
      roleDisplayName: 'User Administrator',
    };

    // Assess
    expect(fixSentence(id('RolesAssignedOutsidePrivilegedIdentityManagementAlert'), incident)).toMatch(
      /^Zed \(zed@contoso.test\) is removed from the role-assignable group that gives them User Administrator/,
    );
    expect(fixSentence(id('RolesAssignedOutsidePrivilegedIdentityManagementAlert'), { ...incident, roleDefinitionId: 'ps-1234' })).toMatch(
      /AWS account assignment/,
    );
    expect(fixSentence(id('NoMfaOnRoleActivationAlert'), incident)).toMatch(/User Administrator changes to "On activation, require: Azure MFA"/);
    expect(fixSentence(id('TooManyGlobalAdminsAssignedToTenantAlert'), incident)).toMatch(/active Global Administrator assignment becomes eligible/);
  });
});

describe('Discovery and insights', () => {
  it('offers Convert to eligible for active assignments only', () => {
    const a = (standing: PrivilegedAssignment['standing']) => ({ standing }) as PrivilegedAssignment;
    expect([a('permanentActive'), a('timeBoundActive'), a('eligible'), a('activated')].map(canConvert)).toEqual([true, true, false, false]);
  });

  it('sums up outcomes', () => {
    const o = (status: ActionOutcome['status']) => ({ status }) as ActionOutcome;
    expect(outcomeSummary([o('succeeded'), o('succeeded')])).toBe('2 succeeded');
    expect(outcomeSummary([o('succeeded'), o('failed')])).toBe('1 succeeded, 1 failed');
    expect(outcomeSummary([o('failed')])).toBe('1 failed');
  });

  it('reads recipients one per line or separated by commas, without blanks or repeats', () => {
    expect(parseRecipients('a@x.test\n b@x.test, a@x.test;;\n\n')).toEqual(['a@x.test', 'b@x.test']);
  });
});
