import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../../../shared/domain/alerts/evaluate.ts';
import { active, ago, configs, DAY, NOW, PRA, READERS, schedule, snapshot, user } from './fixtures.ts';

const stale = (s: Parameters<typeof evaluateAlerts>[0], c = configs()) => evaluateAlerts(s, c, NOW).StaleSignInAlert;

describe('StaleSignInAlert (privileged users not signed in for the duration)', () => {
  it('finds a user whose last sign-in was exactly the duration ago, with the assignment and the remedy', () => {
    const s = active({ id: 'a-1', createdDateTime: ago(90 * DAY) });
    const [incident, ...rest] = stale(snapshot({ schedules: [s], principals: [user('usr_1', { lastSignInDateTime: ago(30 * DAY) })] }));
    expect(rest).toEqual([]);
    expect(incident).toMatchObject({
      properties: {
        assigneeId: 'usr_1',
        assigneeUserPrincipalName: 'usr_1@contoso.test',
        roleDefinitionId: PRA,
        roleTemplateId: PRA,
        roleDisplayName: 'Privileged Role Administrator',
        assignmentCreatedDateTime: ago(90 * DAY),
        lastSignInDateTime: ago(30 * DAY),
      },
      remedy: { kind: 'removeAssignment', scheduleId: 'a-1', scheduleKind: 'assignment', principalId: 'usr_1' },
    });
  });

  it('does not find one who signed in a millisecond later', () => {
    const s = active({ createdDateTime: ago(90 * DAY) });
    expect(stale(snapshot({ schedules: [s], principals: [user('usr_1', { lastSignInDateTime: ago(30 * DAY - 1) })] }))).toEqual([]);
  });

  it('counts a user who never signed in from the assignment creation: at the duration found, before it not', () => {
    const never = user('usr_1', { lastSignInDateTime: null });
    const found = stale(snapshot({ schedules: [schedule({ createdDateTime: ago(30 * DAY) })], principals: [never] }));
    expect(found.map((i) => [i.properties.lastSignInDateTime, i.properties.assignmentCreatedDateTime])).toEqual([[null, ago(30 * DAY)]]);
    expect(stale(snapshot({ schedules: [schedule({ createdDateTime: ago(30 * DAY - 1) })], principals: [never] }))).toEqual([]);
  });

  it('covers eligible and active holders, one incident each, and leaves out activations, groups, service principals and other roles', () => {
    const never = user('usr_1', { lastSignInDateTime: null });
    const old = ago(60 * DAY);
    const found = stale(
      snapshot({
        principals: [never],
        schedules: [
          schedule({ createdDateTime: old }),
          active({ createdDateTime: old }),
          active({ createdDateTime: old, assignmentType: 'Activated', startDateTime: ago(DAY) }),
          active({ createdDateTime: old, roleDefinitionId: READERS }),
          active({ createdDateTime: old, principalId: 'grp_1', principalType: 'group' }),
          active({ createdDateTime: old, principalId: 'spn_1', principalType: 'servicePrincipal' }),
        ],
      }),
    );
    expect(found.map((i) => i.remedy?.kind === 'removeAssignment' && i.remedy.scheduleKind).sort()).toEqual(['assignment', 'eligibility']);
    expect(new Set(found.map((i) => i.id)).size).toBe(2);
  });

  it('follows the configured duration, and a disabled alert finds nothing', () => {
    const s = snapshot({ schedules: [active({ createdDateTime: ago(90 * DAY) })], principals: [user('usr_1', { lastSignInDateTime: ago(2 * DAY) })] });
    const c = configs();
    c.StaleSignInAlert = { isEnabled: true, duration: 'P2D' };
    expect(stale(s, c)).toHaveLength(1);
    c.StaleSignInAlert = { isEnabled: false, duration: 'P2D' };
    expect(stale(s, c)).toEqual([]);
  });
});
