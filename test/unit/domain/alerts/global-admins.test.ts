import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../../../shared/domain/alerts/evaluate.ts';
import type { AlertSchedule } from '../../../../shared/domain/alerts/snapshot.ts';
import { active, ago, configs, DAY, GA, group, NOW, READERS, schedule, snapshot } from './fixtures.ts';

const tooMany = (s: Parameters<typeof evaluateAlerts>[0], c = configs()) => evaluateAlerts(s, c, NOW).TooManyGlobalAdminsAssignedToTenantAlert;
const admins = (n: number, over: Partial<AlertSchedule> = {}) =>
  Array.from({ length: n }, (_, i) => active({ principalId: `ga_${i}`, roleDefinitionId: GA, ...over }));
const readers = (n: number) => Array.from({ length: n }, (_, i) => active({ principalId: `rd_${i}`, roleDefinitionId: READERS }));

describe('TooManyGlobalAdminsAssignedToTenantAlert (count and percentage, both)', () => {
  it('is raised at exactly the count threshold when the percentage is met, one incident per Global Administrator', () => {
    const found = tooMany(snapshot({ schedules: admins(3) }));
    expect(found.map((i) => i.properties.assigneeId).sort()).toEqual(['ga_0', 'ga_1', 'ga_2']);
    expect(found[0]!.remedy).toMatchObject({ kind: 'convertToEligible', roleDefinitionId: GA, directoryScopeId: '/' });
  });

  it('is not raised one below the count threshold, however high the percentage', () => {
    expect(tooMany(snapshot({ schedules: admins(2) }))).toEqual([]);
  });

  it('is raised at exactly the percentage (3 of 30 = 10 %) and not just below it (3 of 31)', () => {
    expect(tooMany(snapshot({ schedules: [...admins(3), ...readers(27)] }))).toHaveLength(3);
    expect(tooMany(snapshot({ schedules: [...admins(3), ...readers(28)] }))).toEqual([]);
  });

  it('counts a principal once whatever roles it holds, and only active assignments in force', () => {
    const schedules = [
      ...admins(3),
      // The same admins holding another role do not grow the total.
      ...admins(3, { roleDefinitionId: READERS }),
      // Eligible, ended and future Global Administrators do not count.
      schedule({ principalId: 'e_1', roleDefinitionId: GA }),
      active({ principalId: 'x_1', roleDefinitionId: GA, endDateTime: ago(1) }),
      active({ principalId: 'f_1', roleDefinitionId: GA, startDateTime: new Date(NOW.getTime() + DAY).toISOString() }),
    ];
    expect(
      tooMany(snapshot({ schedules }))
        .map((i) => i.properties.assigneeId)
        .sort(),
    ).toEqual(['ga_0', 'ga_1', 'ga_2']);
    expect(tooMany(snapshot({ schedules: schedules.filter((s) => s.principalId !== 'ga_2') }))).toEqual([]);
  });

  it('counts users through a group holding the role (standing and PIM members in force); they get no remedy', () => {
    const g = group('grp_1', {
      standingMembers: [{ id: 'm_1', type: 'user', since: null }],
      pimMembers: [
        { principalId: 'm_2', principalType: 'user', startDateTime: ago(DAY), endDateTime: null },
        { principalId: 'm_3', principalType: 'user', startDateTime: ago(DAY), endDateTime: ago(1) },
      ],
    });
    const schedules = [...admins(1), active({ principalId: 'grp_1', principalType: 'group', roleDefinitionId: GA })];
    const found = tooMany(snapshot({ schedules, groups: [g] }));
    expect(found.map((i) => [i.properties.assigneeId, i.remedy?.kind ?? null]).sort()).toEqual([
      ['ga_0', 'convertToEligible'],
      ['m_1', null],
      ['m_2', null],
    ]);
  });

  it('offers no conversion for a Global Administrator by activation', () => {
    const found = tooMany(snapshot({ schedules: [...admins(2), ...admins(1, { principalId: 'act_1', assignmentType: 'Activated' })] }));
    expect(found.find((i) => i.properties.assigneeId === 'act_1')?.remedy).toBeNull();
  });

  it('follows the configured thresholds, and a disabled alert finds nothing', () => {
    const c = configs();
    c.TooManyGlobalAdminsAssignedToTenantAlert = { isEnabled: true, globalAdminCountThreshold: 2, percentageOfGlobalAdminsOutOfRolesThreshold: 50 };
    expect(tooMany(snapshot({ schedules: [...admins(2), ...readers(2)] }), c)).toHaveLength(2);
    expect(tooMany(snapshot({ schedules: [...admins(2), ...readers(3)] }), c)).toEqual([]);
    c.TooManyGlobalAdminsAssignedToTenantAlert = { isEnabled: false, globalAdminCountThreshold: 2, percentageOfGlobalAdminsOutOfRolesThreshold: 50 };
    expect(tooMany(snapshot({ schedules: admins(5) }), c)).toEqual([]);
  });
});
