import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../../../shared/domain/alerts/evaluate.ts';
import { configs, directoryRoles, NOW, PRA, READERS, snapshot } from './fixtures.ts';

describe('NoMfaOnRoleActivationAlert', () => {
  it('finds nothing under Entra defaults (every role requires MFA on activation)', () => {
    expect(evaluateAlerts(snapshot(), configs(), NOW).NoMfaOnRoleActivationAlert).toEqual([]);
  });

  it('finds each privileged role whose policy does not require MFA, eligible holders or not, and ignores non-privileged ones', () => {
    const roles = directoryRoles().map((r) => (r.id === PRA || r.id === READERS ? { ...r, requiresMfaOnActivation: false } : r));
    const found = evaluateAlerts(snapshot({ roles }), configs(), NOW).NoMfaOnRoleActivationAlert;
    expect(found).toEqual([
      {
        id: expect.any(String),
        alertType: 'NoMfaOnRoleActivationAlert',
        properties: { roleDefinitionId: PRA, roleDisplayName: 'Privileged Role Administrator', roleTemplateId: PRA },
        remedy: { kind: 'requireMfa', roleDefinitionId: PRA },
      },
    ]);
  });

  it('finds a custom role marked privileged', () => {
    const custom = {
      id: 'rol_01J0000000000000000000000A',
      templateId: 'rol_01J0000000000000000000000A',
      displayName: 'Custom',
      isPrivileged: true,
      requiresMfaOnActivation: false,
    };
    const found = evaluateAlerts(snapshot({ roles: [...directoryRoles(), custom] }), configs(), NOW).NoMfaOnRoleActivationAlert;
    expect(found.map((i) => i.properties.roleDisplayName)).toEqual(['Custom']);
  });

  it('finds nothing when disabled', () => {
    const roles = directoryRoles().map((r) => ({ ...r, requiresMfaOnActivation: false }));
    const c = configs();
    c.NoMfaOnRoleActivationAlert = { isEnabled: false };
    expect(evaluateAlerts(snapshot({ roles }), c, NOW).NoMfaOnRoleActivationAlert).toEqual([]);
  });
});
