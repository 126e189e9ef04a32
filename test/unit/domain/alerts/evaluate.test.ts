import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../../../shared/domain/alerts/evaluate.ts';
import { incidentId } from '../../../../shared/domain/alerts/incident-id.ts';
import { ALERT_TYPES, type AlertConfigs } from '../../../../shared/domain/alerts/types.ts';
import { activation, active, ago, configs, DAY, directoryRoles, GA, group, HOUR, NOW, schedule, snapshot, user } from './fixtures.ts';

/** A tenant where every alert finds something. */
function drifting() {
  return snapshot({
    roles: directoryRoles().map((r) => ({ ...r, requiresMfaOnActivation: r.id !== GA })),
    principals: [user('usr_1', { lastSignInDateTime: null }), user('usr_2'), user('usr_3')],
    schedules: [
      schedule({ principalId: 'usr_2', startDateTime: ago(40 * DAY) }),
      ...['usr_1', 'usr_2', 'usr_3'].map((id) => active({ principalId: id, roleDefinitionId: GA })),
      active({ principalId: 'grp_1', principalType: 'group', roleDefinitionId: GA }),
    ],
    groups: [group('grp_1', { standingMembers: [{ id: 'usr_4', type: 'user', since: ago(DAY) }] })],
    activations: Array.from({ length: 10 }, (_, i) => activation({ createdDateTime: ago(i * 60_000) })),
    outsideAwsAssignments: [
      { accountId: '1', permissionSetId: 'ps', permissionSetName: 'Admin', identityStoreUserId: 'idst', principalId: null, foundDateTime: ago(HOUR) },
    ],
  });
}

describe('evaluateAlerts', () => {
  it('answers every alert type, each finding something in a drifting tenant', () => {
    const findings = evaluateAlerts(drifting(), configs(), NOW);
    expect(Object.keys(findings).sort()).toEqual([...ALERT_TYPES].sort());
    for (const type of ALERT_TYPES) expect(findings[type].length, type).toBeGreaterThan(0);
    for (const type of ALERT_TYPES) expect(findings[type].every((i) => i.alertType === type)).toBe(true);
  });

  it('gives the same incidents, ids and order on a second run, and the same ids after time moves on', () => {
    const tenant = drifting();
    const first = evaluateAlerts(tenant, configs(), NOW);
    expect(evaluateAlerts(structuredClone(tenant), configs(), NOW)).toEqual(first);
    const later = evaluateAlerts(tenant, configs(), new Date(NOW.getTime() + 60_000));
    expect(later.StaleSignInAlert.map((i) => i.id)).toEqual(first.StaleSignInAlert.map((i) => i.id));
    expect(later.TooManyGlobalAdminsAssignedToTenantAlert.map((i) => i.id)).toEqual(first.TooManyGlobalAdminsAssignedToTenantAlert.map((i) => i.id));
    for (const type of ALERT_TYPES) {
      const ids = first[type].map((i) => i.id);
      expect(ids, type).toEqual([...ids].sort());
      expect(new Set(ids).size, type).toBe(ids.length);
    }
  });

  it('finds nothing for disabled alerts', () => {
    const off = Object.fromEntries(ALERT_TYPES.map((t) => [t, { ...configs()[t], isEnabled: false }])) as AlertConfigs;
    const findings = evaluateAlerts(drifting(), off, NOW);
    for (const type of ALERT_TYPES) expect(findings[type], type).toEqual([]);
  });

  it('finds nothing in an empty tenant', () => {
    const findings = evaluateAlerts(snapshot(), configs(), NOW);
    for (const type of ALERT_TYPES) expect(findings[type], type).toEqual([]);
  });
});

describe('incidentId', () => {
  it('is the same for the same parts, GUID-shaped, and differs when the parts are split differently or the alert differs', () => {
    const id = incidentId('StaleSignInAlert', 'usr_1', GA);
    expect(id).toBe(incidentId('StaleSignInAlert', 'usr_1', GA));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(incidentId('StaleSignInAlert', 'ab', 'c')).not.toBe(incidentId('StaleSignInAlert', 'a', 'bc'));
    expect(incidentId('RedundantAssignmentAlert', 'usr_1', GA)).not.toBe(id);
  });
});
