import { describe, expect, it } from 'vitest';
import { buildAuditRecord, diffProperties, type AuditInput } from '../../../shared/domain/audit.ts';
import { SYSTEM_CALLER, type Caller } from '../../../shared/domain/caller.ts';

const AT = new Date('2025-01-15T10:00:00.123Z');

const userCaller: Caller = {
  kind: 'user',
  id: 'usr_01JHGZ3S8V0M5Q7R2T4W6Y8A0C',
  userPrincipalName: 'admin@contoso.test',
  displayName: 'Ada Admin',
  authMethods: ['pwd', 'mfa'],
  authTime: 1_736_935_000,
  ipAddress: '198.51.100.23',
};

const appCaller: Caller = {
  kind: 'servicePrincipal',
  id: 'spn_01JHGZ5000000000000000000B',
  appId: '00000003-aaaa-bbbb-cccc-000000000001',
  displayName: 'Deploy pipeline',
  authMethods: [],
};

function input(caller: Caller, overrides: Partial<AuditInput> = {}): AuditInput {
  return {
    id: 'aud_01JHGZ6000000000000000000C',
    correlationId: 'req-123',
    at: AT,
    caller,
    category: 'UserManagement',
    activity: 'Add user',
    operationType: 'Add',
    targets: [
      {
        id: 'usr_01JHGZ7000000000000000000D',
        displayName: 'Adele Vance',
        type: 'User',
        userPrincipalName: 'adele@contoso.test',
        modifiedProperties: [{ displayName: 'displayName', oldValue: null, newValue: '"Adele Vance"' }],
      },
    ],
    ...overrides,
  };
}

describe('buildAuditRecord', () => {
  it('records the user in initiatedBy.user and no app when a user acts', () => {
    // Act
    const record = buildAuditRecord(input(userCaller));

    // Assess
    expect(record).toEqual({
      id: 'aud_01JHGZ6000000000000000000C',
      category: 'UserManagement',
      correlationId: 'req-123',
      activityDisplayName: 'Add user',
      activityDateTime: '2025-01-15T10:00:00.123Z',
      loggedByService: 'Stint',
      operationType: 'Add',
      result: 'success',
      resultReason: '',
      initiatedBy: {
        user: { id: userCaller.id, displayName: 'Ada Admin', userPrincipalName: 'admin@contoso.test', ipAddress: '198.51.100.23' },
        app: null,
      },
      targetResources: input(userCaller).targets,
      additionalDetails: [],
    });
  });

  it('records the app in initiatedBy.app and no user when a service principal acts', () => {
    // Act
    const record = buildAuditRecord(
      input(appCaller, { category: 'RoleManagement', activity: 'Add role definition', details: { ticket: 'CHG-42', reason: 'rotation' } }),
    );

    // Assess
    expect(record.initiatedBy).toEqual({
      user: null,
      app: { appId: '00000003-aaaa-bbbb-cccc-000000000001', displayName: 'Deploy pipeline', servicePrincipalId: 'spn_01JHGZ5000000000000000000B' },
    });
    expect(record.category).toBe('RoleManagement');
    expect(record.activityDisplayName).toBe('Add role definition');
    expect(record.additionalDetails).toEqual([
      { key: 'ticket', value: 'CHG-42' },
      { key: 'reason', value: 'rotation' },
    ]);
  });

  it('uses null, never undefined, for what the caller does not have', () => {
    // Prepare
    const bare: Caller = { kind: 'user', id: 'usr_x', authMethods: [] };

    // Act
    const record = buildAuditRecord(input(bare));

    // Assess
    expect(record.initiatedBy.user).toEqual({ id: 'usr_x', displayName: null, userPrincipalName: null, ipAddress: null });
    expect(JSON.parse(JSON.stringify(record))).toEqual(record);
  });

  it('records the platform itself as an app when the system caller acts', () => {
    // Act
    const record = buildAuditRecord(input(SYSTEM_CALLER));

    // Assess
    expect(record.initiatedBy).toEqual({ user: null, app: { appId: 'stint', displayName: 'Stint', servicePrincipalId: 'system' } });
  });
});

describe('diffProperties', () => {
  it.each<[string, Record<string, unknown> | null, Record<string, unknown> | null, ReturnType<typeof diffProperties>]>([
    ['nothing when both are equal', { a: 1, b: 'x', c: [1, 2] }, { a: 1, b: 'x', c: [1, 2] }, []],
    [
      'every property as new when there was no object before',
      null,
      { b: 'x', a: 1 },
      [
        { displayName: 'a', oldValue: null, newValue: '1' },
        { displayName: 'b', oldValue: null, newValue: '"x"' },
      ],
    ],
    ['every property as removed when there is no object after', { a: true }, null, [{ displayName: 'a', oldValue: 'true', newValue: null }]],
    ['only the changed property when one changes', { a: 1, b: 'x' }, { a: 1, b: 'y' }, [{ displayName: 'b', oldValue: '"x"', newValue: '"y"' }]],
    [
      'an added and a removed property',
      { gone: 1 },
      { added: 2 },
      [
        { displayName: 'added', oldValue: null, newValue: '2' },
        { displayName: 'gone', oldValue: '1', newValue: null },
      ],
    ],
    ['null as the JSON text null, apart from absent', { a: null }, {}, [{ displayName: 'a', oldValue: 'null', newValue: null }]],
    ['an array whose items changed', { phones: ['1'] }, { phones: ['1', '2'] }, [{ displayName: 'phones', oldValue: '["1"]', newValue: '["1","2"]' }]],
    ['nested objects by value', { p: { x: 1 } }, { p: { x: 1 } }, []],
    ['nothing for two nulls', null, null, []],
  ])('reports %s', (_, before, after, expected) => {
    // Act
    const changes = diffProperties(before, after);

    // Assess
    expect(changes).toEqual(expected);
  });

  it('lists properties in name order when several change', () => {
    // Act
    const changes = diffProperties({ z: 1, m: 1, a: 1 }, { z: 2, m: 2, a: 2 });

    // Assess
    expect(changes.map((c) => c.displayName)).toEqual(['a', 'm', 'z']);
  });
});
