import { describe, expect, it } from 'vitest';
import { mayReadPolicyOf, readablePolicies, readableRoleIdsAt, scheduleShowsPolicy } from '../../../shared/domain/policy/readable.ts';

const GA = '62E90394-69F5-4237-9190-012177145E10';
const CUSTOM = 'rol_01JH8Z3Q4T5V6W7X8Y9Z0A1B2C';
const NOW = new Date('2026-03-15T00:00:00.000Z');
const DAY = 86_400_000;
const daysFromNow = (n: number) => new Date(NOW.getTime() + n * DAY).toISOString();

describe('readablePolicies', () => {
  const readable = readablePolicies([
    { roleDefinitionId: GA, directoryScopeId: '/' },
    { roleDefinitionId: CUSTOM, directoryScopeId: '/administrativeUnits/AU-North' },
    { roleDefinitionId: 'member', directoryScopeId: '/groups/grp_1' },
    { roleDefinitionId: 'x', directoryScopeId: 'not a scope' },
  ]);

  it('matches role ids and scopes without regard to case, at exactly the scope held', () => {
    expect(mayReadPolicyOf(readable, { roleDefinitionId: GA.toLowerCase(), directoryScopeId: '/' })).toBe(true);
    expect(mayReadPolicyOf(readable, { roleDefinitionId: CUSTOM, directoryScopeId: '/administrativeUnits/au-north' })).toBe(true);
    expect(mayReadPolicyOf(readable, { roleDefinitionId: CUSTOM, directoryScopeId: '/' })).toBe(false);
    expect(mayReadPolicyOf(readable, { roleDefinitionId: GA, directoryScopeId: '/administrativeUnits/au-north' })).toBe(false);
  });

  it("gives a group's access only: member, not owner", () => {
    expect(mayReadPolicyOf(readable, { roleDefinitionId: 'member', directoryScopeId: '/groups/grp_1' })).toBe(true);
    expect(mayReadPolicyOf(readable, { roleDefinitionId: 'owner', directoryScopeId: '/groups/grp_1' })).toBe(false);
    expect(mayReadPolicyOf(readable, { roleDefinitionId: 'member', directoryScopeId: '/groups/grp_2' })).toBe(false);
  });

  it('lists the role ids readable at a scope, and none at a scope that is not one', () => {
    expect([...readableRoleIdsAt(readable, '/')]).toEqual([GA.toLowerCase()]);
    expect([...readableRoleIdsAt(readable, '/administrativeUnits/AU-NORTH')]).toEqual([CUSTOM.toLowerCase()]);
    expect([...readableRoleIdsAt(readable, '/subscriptions/s1')]).toEqual([]);
    expect([...readableRoleIdsAt(readable, 'not a scope')]).toEqual([]);
    expect(mayReadPolicyOf(readable, { roleDefinitionId: 'x', directoryScopeId: 'not a scope' })).toBe(false);
  });
});

describe('scheduleShowsPolicy', () => {
  const eligibility = { kind: 'eligibility' as const, assignmentType: null };
  const activation = { kind: 'assignment' as const, assignmentType: 'Activated' as const };
  const assigned = { kind: 'assignment' as const, assignmentType: 'Assigned' as const };

  it('counts what has not ended: permanent, ending later, or starting later', () => {
    for (const s of [eligibility, activation, assigned]) {
      expect(scheduleShowsPolicy({ ...s, endDateTime: null }, NOW)).toBe(true);
      expect(scheduleShowsPolicy({ ...s, endDateTime: daysFromNow(1) }, NOW)).toBe(true);
    }
  });

  it('counts an ended eligibility or assignment while it may be renewed (30 days), never an ended activation', () => {
    for (const s of [eligibility, assigned]) {
      expect(scheduleShowsPolicy({ ...s, endDateTime: daysFromNow(-30) }, NOW)).toBe(true);
      expect(scheduleShowsPolicy({ ...s, endDateTime: daysFromNow(-30.001) }, NOW)).toBe(false);
    }
    expect(scheduleShowsPolicy({ ...activation, endDateTime: daysFromNow(-0.001) }, NOW)).toBe(false);
  });
});
