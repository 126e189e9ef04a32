/**
 * Write bodies take every property Graph's v1.0 schema declares for their type: each one is either read by
 * Stint's schema or set aside (shared/http/graph-body.ts), never refused as unknown; what Graph does not
 * declare still is.
 */
import { describe, expect, it } from 'vitest';
import { GRAPH_DECLARED } from '../../../shared/contracts/graph-declared.ts';
import { ALL_ROUTES } from '../../../shared/contracts/routes/index.ts';
import { setAsideGraphOnly } from '../../../shared/http/graph-body.ts';
import { graphV1, property, type TypeRef } from '../../conformance/csdl.ts';
import { declaredByRoute, declaredFor, shownBy } from '../../conformance/declared.ts';
import { resolvePath } from '../../conformance/resolve-path.ts';

const csdl = graphV1();

function sample(ref: TypeRef): unknown {
  if (ref.collection) return [];
  if (ref.nullable) return null;
  const primitives: Record<string, unknown> = {
    'Edm.String': 'x',
    'Edm.Boolean': false,
    'Edm.Int32': 0,
    'Edm.Int64': 0,
    'Edm.DateTimeOffset': '2030-01-01T00:00:00Z',
  };
  if (ref.type in primitives) return primitives[ref.type];
  const enumType = csdl.enums.get(ref.type);
  return enumType ? [...enumType.members][0] : {};
}

function unknownKeys(routeId: string, body: Record<string, unknown>): string[] {
  const spec = ALL_ROUTES.find((r) => r.id === routeId)!;
  const parsed = spec.body!.safeParse(setAsideGraphOnly(routeId, spec.body!, body).body);
  return parsed.success ? [] : parsed.error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : []));
}

describe("write bodies and Graph's schema", () => {
  it('the declared properties kept in shared/contracts/graph-declared.ts are those of the schema (regenerate with test/conformance/declared.ts)', () => {
    expect(GRAPH_DECLARED).toEqual(declaredByRoute(csdl));
    expect(Object.keys(GRAPH_DECLARED).length).toBeGreaterThan(12);
  });

  it.each(Object.keys(GRAPH_DECLARED))(
    '%s takes every property Graph declares, or refuses by name one that Stint keeps and this request cannot set',
    (routeId) => {
      const spec = ALL_ROUTES.find((r) => r.id === routeId)!;
      const resolved = resolvePath(csdl, spec.path.slice('/v1.0'.length), true);
      if (!resolved.ok) throw new Error(resolved.reason);
      const declared = declaredFor(csdl, spec)!;
      const body = Object.fromEntries(declared.map((name) => [name, sample(property(csdl, resolved.ref.type, name)!.ref)]));
      const refused = unknownKeys(routeId, body);
      // What is refused is only ever what Stint shows of the object (read-only here): nothing Graph declares is unknown to it.
      const shown = shownBy(spec);
      expect(refused.filter((name) => !shown.has(name))).toEqual([]);
    },
  );

  it('refuses by name what Stint keeps but a request cannot set', () => {
    expect(unknownKeys('users.create', { displayName: 'A', userPrincipalName: 'a@contoso.test', id: 'usr_1' })).toEqual(['id']);
    expect(unknownKeys('groups.update', { isAssignableToRole: true })).toEqual(['isAssignableToRole']);
    expect(unknownKeys('roleDefinitions.update', { isBuiltIn: true })).toEqual(['isBuiltIn']);
  });

  it('still refuses a property Graph does not declare', () => {
    expect(unknownKeys('users.create', { displayName: 'A', userPrincipalName: 'a@contoso.test', favouriteColour: 'blue' })).toEqual(['favouriteColour']);
    expect(unknownKeys('roleAssignmentScheduleRequests.create', { action: 'selfActivate', principalId: 'x', roleDefinitionId: 'y', madeUp: 1 })).toEqual([
      'madeUp',
    ]);
  });

  it('names what it set aside', () => {
    const spec = ALL_ROUTES.find((r) => r.id === 'users.create')!;
    const result = setAsideGraphOnly('users.create', spec.body!, { displayName: 'A', userPrincipalName: 'a@contoso.test', faxNumber: '+1 555 0100' });
    expect(result).toEqual({ body: { displayName: 'A', userPrincipalName: 'a@contoso.test' }, ignored: ['faxNumber'] });
  });
});
