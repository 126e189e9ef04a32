/**
 * Which index a schedule-request list's $filter is read from, and which creation-time key range: the
 * most selective top-level condition wins (principal, role or group, status, else the listing), and
 * conditions under or/not never narrow what is read.
 */
import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../../shared/domain/odata/filter.ts';
import { planRequestQuery, type RequestScope } from '../../../shared/services/roles/read-models/request-query.ts';
import { LEGACY_RANGE } from '../../../shared/store/request-reads.ts';

const ROLES: RequestScope = { kind: 'assignment', resource: 'role' };
const T1 = '2031-05-01T08:00:00.000Z';
const T2 = '2031-05-02T08:00:00.000Z';

const plan = (text: string | undefined, scope = ROLES) => planRequestQuery(text ? parseFilter(text) : undefined, text, scope);
/** The non-legacy sources of a plan, as index, partition and range. */
const primary = (text: string | undefined, scope = ROLES) => plan(text, scope).sources.filter((s) => s.range !== LEGACY_RANGE);
const legacy = (text: string | undefined, scope = ROLES) => plan(text, scope).sources.filter((s) => s.range === LEGACY_RANGE);

describe('planRequestQuery', () => {
  it('reads the listing shards, whole, when nothing narrows', () => {
    for (const text of [undefined, "action eq 'selfActivate'", "roleDefinitionId eq 'a' or status eq 'Denied'", "not (status eq 'Denied')"]) {
      expect(plan(text).index).toBe('listing');
      expect(plan(text).sources).toEqual([0, 1, 2, 3].map((s) => ({ index: 'gsi1', partition: `LIST#assignmentRequest#${s}` })));
    }
  });

  it('prefers the principal, then the role, then the status', () => {
    expect(plan(`status eq 'Denied' and roleDefinitionId eq 'rol_X' and principalId eq 'usr_1'`).index).toBe('principal');
    expect(primary(`status eq 'Denied' and principalId eq 'usr_1'`)).toEqual([{ index: 'gsi4', partition: 'REQBY#usr_1' }]);
    expect(plan(`status eq 'Denied' and roleDefinitionId eq 'rol_X'`).index).toBe('role');
    expect(primary(`status eq 'Denied' and roleDefinitionId eq 'rol_X'`)).toEqual([{ index: 'gsi2', partition: 'REQROLE#A#rol_x' }]);
    expect(plan(`status eq 'Denied'`).index).toBe('status');
    expect(primary(`status eq 'Denied'`).map((s) => `${s.index} ${s.partition}`)).toEqual(
      [0, 1, 2, 3].map((s) => `gsi3 REQSTATUS#assignmentRequest#Denied#${s}`),
    );
    expect(plan(`roleDefinitionId eq 'rol_X'`, { kind: 'eligibility', resource: 'role' }).sources[0]).toEqual({ index: 'gsi2', partition: 'REQROLE#E#rol_x' });
  });

  it('reads a few statuses of an `in` from their partitions, and more than three from the listing', () => {
    expect(primary(`status in ('Denied', 'TimedOut')`).map((s) => s.partition)).toEqual([
      ...[0, 1, 2, 3].map((s) => `REQSTATUS#assignmentRequest#Denied#${s}`),
      ...[0, 1, 2, 3].map((s) => `REQSTATUS#assignmentRequest#TimedOut#${s}`),
    ]);
    expect(plan(`status in ('Denied', 'TimedOut', 'Failed', 'Canceled')`).index).toBe('listing');
  });

  it('turns createdDateTime ge, gt, le, lt and eq into an inclusive sort-key range on the chosen index', () => {
    expect(primary(`roleDefinitionId eq 'r' and createdDateTime ge ${T1} and createdDateTime le ${T2}`)[0]!.range).toEqual({ from: T1, to: `${T2}#\uffff` });
    expect(primary(`createdDateTime gt ${T1} and createdDateTime lt ${T2}`)[0]!.range).toEqual({ from: `${T1}#\uffff`, to: T2 });
    expect(primary(`createdDateTime eq ${T1}`)[0]!.range).toEqual({ from: T1, to: `${T1}#\uffff` });
    // One-sided bounds stay below the legacy keys (`req_…`), which sort after every digit.
    expect(primary(`status eq 'Denied' and createdDateTime ge ${T1}`)[0]!.range).toEqual({ from: T1, to: ':' });
    expect(primary(`principalId eq 'u' and createdDateTime lt ${T1}`)[0]!.range).toEqual({ from: '0', to: T1 });
    // Another zone names the same instant; the tighter of two bounds wins.
    expect(primary(`createdDateTime ge 2031-05-01T10:00:00+02:00 and createdDateTime ge 2031-04-01T00:00:00Z`)[0]!.range!.from).toBe(T1);
    // Quoted text compares as text, which agrees with the key only in the stored form.
    expect(primary(`createdDateTime ge '${T1}'`)[0]!.range).toEqual({ from: T1, to: ':' });
    expect(primary(`createdDateTime ge '2031-05-01'`)[0]).not.toHaveProperty('range');
  });

  it('reads nothing when the bounds exclude everything', () => {
    expect(plan(`createdDateTime gt ${T2} and createdDateTime lt ${T1}`).sources).toEqual([]);
  });

  it('adds the legacy range (requests keyed by id) beside every index that may miss them, and only there', () => {
    expect(legacy(`roleDefinitionId eq 'r'`).map((s) => `${s.index} ${s.partition}`)).toEqual([0, 1, 2, 3].map((s) => `gsi1 LIST#assignmentRequest#${s}`));
    expect(legacy(`status eq 'Denied'`)).toHaveLength(4);
    expect(legacy(`createdDateTime ge ${T1}`)).toHaveLength(4);
    expect(legacy(`principalId eq 'u' and createdDateTime ge ${T1}`)).toEqual([{ index: 'gsi4', partition: 'REQBY#u', range: LEGACY_RANGE }]);
    // A whole partition already holds both.
    expect(legacy(`principalId eq 'u'`)).toEqual([]);
    expect(legacy(undefined)).toEqual([]);
  });

  it('for PIM for groups, reads the group or principal authorization settled on; never the status index', () => {
    const group: RequestScope = { kind: 'eligibility', resource: 'group', groupId: 'grp_1' };
    expect(primary(`groupId eq 'grp_1' and status eq 'Denied'`, group)).toEqual([{ index: 'gsi2', partition: 'REQGROUP#E#grp_1' }]);
    expect(legacy(`groupId eq 'grp_1'`, group).map((s) => s.partition)).toEqual([0, 1, 2, 3].map((s) => `LIST#groupEligibilityRequest#${s}`));
    expect(primary(`principalId eq 'u' and groupId eq 'grp_1'`, { kind: 'assignment', resource: 'group', principalId: 'u' })).toEqual([
      { index: 'gsi4', partition: 'REQBY#u' },
    ]);
  });

  it('binds paging tokens to the sources and the filter', () => {
    expect(plan(`status eq 'Denied'`).listing).not.toBe(plan(`status eq 'Failed'`).listing);
    expect(plan(`status eq 'Denied'`).listing).not.toBe(plan(`status eq 'Denied'`, { kind: 'eligibility', resource: 'role' }).listing);
  });
});
