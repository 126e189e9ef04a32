import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../../../shared/domain/alerts/evaluate.ts';
import { activation, ago, configs, HOUR, NOW, PRA, READERS, snapshot, user } from './fixtures.ts';

const sequential = (s: Parameters<typeof evaluateAlerts>[0], c = configs()) => evaluateAlerts(s, c, NOW).SequentialActivationRenewalsAlert;
/** `n` activations, the first `span` before the last, evenly spread, the last `end` ago. */
const burst = (n: number, span: number, end = 0, over = {}) =>
  Array.from({ length: n }, (_, i) => activation({ createdDateTime: ago(end + span - (n > 1 ? (span * i) / (n - 1) : 0)), ...over }));

describe('SequentialActivationRenewalsAlert (activations within the time frame)', () => {
  it('finds 10 activations spanning exactly the hour, with the count and the sequence', () => {
    const [incident, ...rest] = sequential(snapshot({ activations: burst(10, HOUR, HOUR), principals: [user('usr_1')] }));
    expect(rest).toEqual([]);
    expect(incident).toMatchObject({
      properties: {
        assigneeId: 'usr_1',
        assigneeDisplayName: 'User usr_1',
        roleDefinitionId: PRA,
        roleTemplateId: PRA,
        roleDisplayName: 'Privileged Role Administrator',
        activationCount: 10,
        sequenceStartDateTime: ago(2 * HOUR),
        sequenceEndDateTime: ago(HOUR),
      },
      remedy: null,
    });
  });

  it('does not find 9 activations, nor 10 spanning a millisecond more than the hour', () => {
    expect(sequential(snapshot({ activations: burst(9, HOUR / 2) }))).toEqual([]);
    expect(sequential(snapshot({ activations: burst(10, HOUR + 1) }))).toEqual([]);
  });

  it('reports the largest run within the window (a sliding window)', () => {
    const activations = [...burst(3, 10 * HOUR, 20 * HOUR), ...burst(12, HOUR / 2, HOUR)];
    expect(sequential(snapshot({ activations }))[0]!.properties).toMatchObject({ activationCount: 12, sequenceEndDateTime: ago(HOUR) });
  });

  it('counts per principal and role: different roles or principals do not add up, non-privileged roles are left out', () => {
    const split = [...burst(5, HOUR / 2), ...burst(5, HOUR / 2, 0, { principalId: 'usr_2' })];
    expect(sequential(snapshot({ activations: split }))).toEqual([]);
    expect(sequential(snapshot({ activations: burst(10, HOUR / 2, 0, { roleDefinitionId: READERS }) }))).toEqual([]);
    // Scopes of the same role add up.
    const scopes = [...burst(5, HOUR / 2), ...burst(5, HOUR / 2, 0, { directoryScopeId: '/administrativeUnits/au1' })];
    expect(sequential(snapshot({ activations: scopes }))).toHaveLength(1);
  });

  it('follows the configured count and time frame, and a disabled alert finds nothing', () => {
    const c = configs();
    c.SequentialActivationRenewalsAlert = { isEnabled: true, sequentialActivationCounterThreshold: 2, timeIntervalBetweenActivations: 'PT5M' };
    expect(sequential(snapshot({ activations: burst(2, 5 * 60_000) }), c)).toHaveLength(1);
    expect(sequential(snapshot({ activations: burst(2, 5 * 60_000 + 1) }), c)).toEqual([]);
    c.SequentialActivationRenewalsAlert = { isEnabled: false, sequentialActivationCounterThreshold: 2, timeIntervalBetweenActivations: 'PT5M' };
    expect(sequential(snapshot({ activations: burst(20, HOUR / 2) }), c)).toEqual([]);
  });
});
