/**
 * Manage → Roles without a browser: what a role's admin rules offer in Add assignments, the queries the
 * pages send (server-side filters, the expired window), and the CSV export's quoting.
 */
import { describe, expect, it } from 'vitest';
import { adminRulesOf } from '../../../web/src/domain/admin-policy.ts';
import { assignmentsPath, principalType, rolesPath, stateOf, type Schedule } from '../../../web/src/pages/manage-roles/data.ts';
import { csvCell, toCsv } from '../../../web/src/pages/manage-roles/csv.ts';

const decode = (path: string) => decodeURIComponent(path);

describe('admin rules of a role policy', () => {
  const rules = [
    { id: 'Expiration_Admin_Eligibility', isExpirationRequired: false, maximumDuration: 'P365D' },
    { id: 'Expiration_Admin_Assignment', isExpirationRequired: true, maximumDuration: 'P180D' },
    { id: 'Enablement_Admin_Assignment', enabledRules: ['Justification', 'MultiFactorAuthentication'] },
    { id: 'Enablement_Admin_Eligibility', enabledRules: [] },
  ];

  it('offer permanence only where expiration is not required, with the maximum in days', () => {
    expect(adminRulesOf(rules, 'eligibility')).toMatchObject({ permanentAllowed: true, maximumDays: 365, justification: false });
    expect(adminRulesOf(rules, 'assignment')).toMatchObject({ permanentAllowed: false, maximumDays: 180, justification: true, mfa: true });
  });

  it('promise nothing without a policy (the API decides)', () => {
    expect(adminRulesOf(undefined, 'assignment')).toMatchObject({ permanentAllowed: true, justification: false, maximumDuration: undefined });
  });
});

describe('queries', () => {
  it('filter roles on the server: privileged and the name as typed or capitalised', () => {
    expect(decode(rolesPath({ privileged: true, search: "gl'o" }))).toContain(
      "$filter=isPrivileged eq true and (contains(displayName,'gl''o') or contains(displayName,'Gl''o'))",
    );
    expect(rolesPath({ privileged: false, search: ' ' })).not.toContain('$filter');
  });

  it('ask for a role’s expired schedules of the last 30 days, with the principal, a page at a time', () => {
    const now = Date.parse('2026-12-03T12:00:00Z');
    const path = decode(assignmentsPath('r1', 'expired', 'assignment', 50, now));
    expect(path).toContain('/roleAssignmentSchedules?');
    expect(path).toContain("roleDefinitionId eq 'r1' and status eq 'Expired' and scheduleInfo/expiration/endDateTime ge 2026-11-03T12:00:00.000Z");
    expect(path).toContain('$expand=principal');
    expect(path).toContain('$top=50');
  });
});

describe('rows', () => {
  const schedule = (o: Partial<Schedule>): Schedule => ({
    id: 's',
    principalId: 'usr_1',
    roleDefinitionId: 'r',
    directoryScopeId: '/',
    memberType: 'Direct',
    status: 'Provisioned',
    ...o,
  });

  it('name the principal type from the expanded object, or else its id', () => {
    expect(principalType({ '@odata.type': '#microsoft.graph.group', id: 'x' })).toBe('Group');
    expect(principalType(undefined, 'spn_1')).toBe('Service principal');
    expect(principalType(undefined, 'usr_1')).toBe('User');
  });

  it('say Scheduled before the start, Activated or Assigned for active ones', () => {
    const now = Date.parse('2026-12-03T12:00:00Z');
    expect(stateOf(schedule({ scheduleInfo: { startDateTime: '2026-12-04T00:00:00Z' } }), 'eligible', now)).toBe('Scheduled');
    expect(stateOf(schedule({ assignmentType: 'Activated' }), 'active', now)).toBe('Activated');
    expect(stateOf(schedule({ assignmentType: 'Assigned' }), 'active', now)).toBe('Assigned');
  });
});

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(toCsv([])).toBe('Name,Principal name,Type,Scope,Membership,Start time,End time,State,Principal id\r\n');
  });
});
