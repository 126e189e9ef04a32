import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../../../shared/domain/alerts/evaluate.ts';
import { activation, active, ago, configs, DAY, NOW, PRA, READERS, schedule, snapshot, user } from './fixtures.ts';

const redundant = (s: Parameters<typeof evaluateAlerts>[0], c = configs()) => evaluateAlerts(s, c, NOW).RedundantAssignmentAlert;

describe('RedundantAssignmentAlert (eligible, not activated for the duration)', () => {
  it('finds an eligibility never activated exactly the duration after its start, with the remedy that removes it', () => {
    const e = schedule({ id: 'elig-1', startDateTime: ago(30 * DAY) });
    const [incident, ...rest] = redundant(snapshot({ schedules: [e], principals: [user('usr_1')] }));
    expect(rest).toEqual([]);
    expect(incident).toMatchObject({
      alertType: 'RedundantAssignmentAlert',
      properties: {
        assigneeId: 'usr_1',
        assigneeDisplayName: 'User usr_1',
        assigneeUserPrincipalName: 'usr_1@contoso.test',
        roleDefinitionId: PRA,
        roleDisplayName: 'Privileged Role Administrator',
        roleTemplateId: PRA,
        lastActivationDateTime: null,
      },
      remedy: {
        kind: 'removeAssignment',
        scheduleId: 'elig-1',
        scheduleKind: 'eligibility',
        principalId: 'usr_1',
        roleDefinitionId: PRA,
        directoryScopeId: '/',
      },
    });
  });

  it('does not find one whose start is a millisecond short of the duration', () => {
    expect(redundant(snapshot({ schedules: [schedule({ startDateTime: ago(30 * DAY - 1) })] }))).toEqual([]);
  });

  it('counts from the last activation: one exactly the duration ago is found, one a day later is not', () => {
    const e = schedule({ id: 'elig-2', startDateTime: ago(200 * DAY) });
    const at30 = redundant(snapshot({ schedules: [e], activations: [activation({ activatedUsing: 'elig-2', createdDateTime: ago(30 * DAY) })] }));
    expect(at30.map((i) => i.properties.lastActivationDateTime)).toEqual([ago(30 * DAY)]);
    expect(redundant(snapshot({ schedules: [e], activations: [activation({ activatedUsing: 'elig-2', createdDateTime: ago(29 * DAY) })] }))).toEqual([]);
  });

  it('takes the last activation from stored activation schedules, and from requests naming the same principal, role and scope', () => {
    const e = schedule({ id: 'elig-3', startDateTime: ago(200 * DAY) });
    expect(redundant(snapshot({ schedules: [e], lastActivationByEligibility: { 'elig-3': ago(10 * DAY) } }))).toEqual([]);
    expect(redundant(snapshot({ schedules: [e], activations: [activation({ createdDateTime: ago(10 * DAY) })] }))).toEqual([]);
    // An activation of another role, or at another scope, is not this eligibility's.
    const other = [
      activation({ roleDefinitionId: READERS, createdDateTime: ago(DAY) }),
      activation({ directoryScopeId: '/administrativeUnits/au1', createdDateTime: ago(DAY) }),
    ];
    expect(redundant(snapshot({ schedules: [e], activations: other }))).toHaveLength(1);
  });

  it('leaves out non-privileged roles, active assignments, and eligibilities not in force', () => {
    const old = ago(100 * DAY);
    const none = snapshot({
      schedules: [
        schedule({ roleDefinitionId: READERS, startDateTime: old }),
        active({ startDateTime: old }),
        schedule({ startDateTime: old, endDateTime: ago(1) }),
        schedule({ startDateTime: new Date(NOW.getTime() + DAY).toISOString(), createdDateTime: old }),
      ],
    });
    expect(redundant(none)).toEqual([]);
  });

  it('follows the configured duration, and a disabled alert finds nothing', () => {
    const s = snapshot({ schedules: [schedule({ startDateTime: ago(8 * DAY) })] });
    const c = configs();
    c.RedundantAssignmentAlert = { isEnabled: true, duration: 'P7D' };
    expect(redundant(s, c)).toHaveLength(1);
    c.RedundantAssignmentAlert = { isEnabled: false, duration: 'P7D' };
    expect(redundant(s, c)).toEqual([]);
  });
});
