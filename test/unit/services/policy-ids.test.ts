import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../shared/domain/errors.ts';
import { defaultPolicy, scopeFitsRole } from '../../../shared/services/roles/policies/effective-policy.ts';
import { parsePolicyId, policyIdFor } from '../../../shared/services/roles/policies/policy-ids.ts';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const CUSTOM = 'rol_01JH8Z3Q4T5V6W7X8Y9Z0A1B2C';

describe('policyIdFor and parsePolicyId', () => {
  it("names a role's tenant-wide policy as Graph shapes it: DirectoryRole_{tenant}_{roleId}", () => {
    expect(policyIdFor(GA, '/')).toBe(`DirectoryRole_stint_${GA}`);
    expect(parsePolicyId(`DirectoryRole_stint_${GA}`)).toEqual({ roleDefinitionId: GA, scope: '/' });
  });

  it('reads back custom role ids, whose own underscore must not be taken for the scope part', () => {
    expect(parsePolicyId(policyIdFor(CUSTOM, '/'))).toEqual({ roleDefinitionId: CUSTOM, scope: '/' });
    const scoped = policyIdFor(CUSTOM, '/administrativeUnits/au-1');
    expect(parsePolicyId(scoped)).toEqual({ roleDefinitionId: CUSTOM, scope: '/administrativeunits/au-1' });
  });

  it('gives one scope one id, however the scope is written', () => {
    const ids = ['/subscriptions/ABC/resourceGroups/RG', '/subscriptions/abc/resourcegroups/rg/', ' /subscriptions/abc/resourceGroups/rg'].map((s) =>
      policyIdFor(GA, s),
    );
    expect(new Set(ids).size).toBe(1);
    expect(parsePolicyId(ids[0]!)).toEqual({ roleDefinitionId: GA, scope: '/subscriptions/abc/resourcegroups/rg' });
  });

  it('round-trips scopes whose encoding contains _ and -', () => {
    for (const scope of ['/administrativeUnits/~~~', '/subscriptions/a.b-c_d/resourceGroups/x(y)', '/providers/Microsoft.Management/managementGroups/mg']) {
      const id = policyIdFor(GA, scope);
      expect(parsePolicyId(id).scope).toBe(scope.toLowerCase());
    }
  });

  it('refuses, as not found, ids that no policy has', () => {
    const bad = [
      '',
      'nonsense',
      `DirectoryRole_other_${GA}`,
      `Group_stint_${GA}`,
      `DirectoryRole_stint_${GA}_Lw`, // '/' encoded: the tenant's policy has no scope part
      `DirectoryRole_stint_${GA}_${Buffer.from('/administrativeUnits/AU').toString('base64url')}`, // not the key form
      `DirectoryRole_stint_${GA}_${Buffer.from('not a scope').toString('base64url')}`,
      `DirectoryRole_stint_${GA}_!!`,
    ];
    for (const id of bad) expect(() => parsePolicyId(id), id).toThrow(NotFoundError);
  });

  it("synthesises Entra's default policy for a role and scope", () => {
    const policy = defaultPolicy(GA, '/');
    expect(policy).toMatchObject({
      id: `DirectoryRole_stint_${GA}`,
      scopeId: '/',
      scopeType: 'DirectoryRole',
      isOrganizationDefault: false,
      lastModifiedDateTime: null,
    });
    expect(policy.rules).toHaveLength(17);
  });

  it('places directory roles at the tenant and administrative units, resource roles at the tenant and resources', () => {
    expect(scopeFitsRole({ kind: 'directory' }, '/')).toBe(true);
    expect(scopeFitsRole({ kind: 'directory' }, '/administrativeunits/x')).toBe(true);
    expect(scopeFitsRole({ kind: 'directory' }, '/subscriptions/x')).toBe(false);
    expect(scopeFitsRole({ kind: 'resource' }, '/')).toBe(true);
    expect(scopeFitsRole({ kind: 'resource' }, '/subscriptions/x')).toBe(true);
    expect(scopeFitsRole({ kind: 'resource' }, '/administrativeunits/x')).toBe(false);
  });
});
