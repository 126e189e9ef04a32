import { describe, expect, it } from 'vitest';
import { BUILTIN_ROLE_IDS } from '../../../shared/domain/builtin-roles.ts';
import {
  countsAsProtectedHolder,
  groupHolderCount,
  membershipHolderDeltas,
  protectedHolderChange,
  wasCountedAsProtectedHolder,
} from '../../../shared/domain/last-admin.ts';
import type { Schedule } from '../../../shared/domain/schedule.ts';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const GA = BUILTIN_ROLE_IDS.globalAdministrator;
const PRA = BUILTIN_ROLE_IDS.privilegedRoleAdministrator;

function schedule(over: Partial<Schedule> = {}): Schedule {
  return {
    id: 'req_A',
    kind: 'assignment',
    principalId: 'usr_1',
    principalType: 'user',
    roleDefinitionId: GA,
    directoryScopeId: '/',
    appScopeId: null,
    memberType: 'Direct',
    assignmentType: 'Assigned',
    status: 'Provisioned',
    createdUsing: 'req_A',
    createdDateTime: '2026-01-01T00:00:00.000Z',
    modifiedDateTime: null,
    startDateTime: '2026-01-01T00:00:00.000Z',
    endDateTime: null,
    expirationType: 'noExpiration',
    duration: null,
    activatedUsing: null,
    ...over,
  };
}

describe('countsAsProtectedHolder', () => {
  it('counts a permanent, in-force, tenant-wide active assignment of GA or PRA to a user or a group', () => {
    expect(countsAsProtectedHolder(schedule(), NOW)).toBe(true);
    expect(countsAsProtectedHolder(schedule({ roleDefinitionId: PRA, principalType: 'group' }), NOW)).toBe(true);
  });

  it.each<[string, Partial<Schedule>]>([
    ['an eligibility', { kind: 'eligibility', assignmentType: null }],
    ['an activation', { assignmentType: 'Activated' }],
    ['a time-bound assignment', { endDateTime: '2027-01-01T00:00:00.000Z', expirationType: 'afterDateTime' }],
    ['an assignment that starts later', { startDateTime: '2026-03-02T00:00:00.000Z' }],
    ['a scoped assignment', { directoryScopeId: '/administrativeUnits/au1' }],
    ['a service principal', { principalType: 'servicePrincipal' }],
    ['an unprotected role', { roleDefinitionId: BUILTIN_ROLE_IDS.globalReader }],
  ])('does not count %s', (_, over) => {
    expect(countsAsProtectedHolder(schedule(over), NOW)).toBe(false);
  });
});

describe('wasCountedAsProtectedHolder', () => {
  it('trusts the flag the guard wrote', () => {
    expect(wasCountedAsProtectedHolder(schedule({ protectedHolder: false }))).toBe(false);
    expect(wasCountedAsProtectedHolder(schedule({ roleDefinitionId: BUILTIN_ROLE_IDS.globalReader, protectedHolder: true }))).toBe(true);
  });

  it('without a flag (older items), judges by the shape alone, whatever the start', () => {
    expect(wasCountedAsProtectedHolder(schedule({ startDateTime: '2030-01-01T00:00:00.000Z' }))).toBe(true);
    expect(wasCountedAsProtectedHolder(schedule({ endDateTime: '2027-01-01T00:00:00.000Z' }))).toBe(false);
  });
});

describe('protectedHolderChange', () => {
  it('adds one when an assignment starts counting and removes one when it stops', () => {
    expect(protectedHolderChange(GA, undefined, schedule(), NOW)).toEqual({ counts: true, delta: 1 });
    expect(protectedHolderChange(GA, schedule({ protectedHolder: true }), undefined, NOW)).toEqual({ counts: false, delta: -1 });
    const timebound = schedule({ endDateTime: '2027-01-01T00:00:00.000Z', expirationType: 'afterDateTime' });
    expect(protectedHolderChange(GA, schedule({ protectedHolder: true }), timebound, NOW)).toEqual({ counts: false, delta: -1 });
  });

  it('leaves the count alone when nothing changes or the role is not protected', () => {
    expect(protectedHolderChange(GA, schedule({ protectedHolder: true }), schedule(), NOW)).toEqual({ counts: true, delta: 0 });
    expect(protectedHolderChange(BUILTIN_ROLE_IDS.globalReader, undefined, schedule({ roleDefinitionId: BUILTIN_ROLE_IDS.globalReader }), NOW).delta).toBe(0);
  });
});

describe('group counting', () => {
  it('a group stands for its standing user members only', () => {
    expect(groupHolderCount([{ type: 'user' }, { type: 'servicePrincipal' }, { type: 'user' }])).toBe(2);
    expect(groupHolderCount([])).toBe(0);
  });

  it('a user joining groups moves each role they count for, summed per role', () => {
    expect(membershipHolderDeltas([{ roles: [GA] }, { roles: [GA, PRA] }, { roles: [] }], 1)).toEqual(
      new Map([
        [GA, 2],
        [PRA, 1],
      ]),
    );
    expect(membershipHolderDeltas([{ roles: [PRA] }], -1)).toEqual(new Map([[PRA, -1]]));
  });
});
