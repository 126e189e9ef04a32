import { describe, expect, it } from 'vitest';
import { compilePath, decodeSegments, gatewayPrefix, splitPath } from '../../../shared/http/path-match.ts';

describe('decodeSegments', () => {
  it.each<[string, string, string[]]>([
    ['plain segments', '/v1.0/users', ['v1.0', 'users']],
    ["an encoded '/' inside one segment", '/v1.0/users/a%2Fb', ['v1.0', 'users', 'a/b']],
    ['an encoded @', '/v1.0/users/adele%40contoso.test', ['v1.0', 'users', 'adele@contoso.test']],
    ['encoded quotes and parentheses', '/x/filterByCurrentUser(on=%27principal%27)', ['x', "filterByCurrentUser(on='principal')"]],
    ['everything encoded', '/x/filterByCurrentUser%28on%3D%27principal%27%29', ['x', "filterByCurrentUser(on='principal')"]],
    ['an encoded $', '/v1.0/groups/g/members/%24ref', ['v1.0', 'groups', 'g', 'members', '$ref']],
    ["'+' kept as '+' (it is not a space in a path)", '/v1.0/users/a+b', ['v1.0', 'users', 'a+b']],
    ['empty segments dropped', '//v1.0///users/', ['v1.0', 'users']],
    ['UTF-8', '/v1.0/users/Zo%C3%AB', ['v1.0', 'users', 'Zoë']],
  ])('decodes %s', (_, raw, expected) => {
    // Act
    const segments = decodeSegments(raw);

    // Assess
    expect(segments).toEqual(expected);
  });

  it.each(['/v1.0/users/%E0%A4%A', '/v1.0/users/100%', '/v1.0/%ZZ', '/v1.0/users/%FF'])('is undefined when %s is not correctly encoded', (raw) => {
    // Act
    const segments = decodeSegments(raw);

    // Assess
    expect(segments).toBeUndefined();
  });
});

describe('compilePath', () => {
  it('names the parameter values when the segments match', () => {
    // Prepare
    const path = compilePath('/v1.0/groups/{id}/members/{memberId}/$ref');

    // Act
    const params = path.match(['v1.0', 'groups', 'grp_1', 'members', 'usr/2', '$ref']);

    // Assess
    expect(params).toEqual({ id: 'grp_1', memberId: 'usr/2' });
  });

  it.each<[string, string[]]>([
    ['fewer segments', ['v1.0', 'groups', 'g', 'members']],
    ['more segments', ['v1.0', 'groups', 'g', 'members', '$ref', 'x']],
    ['another literal', ['v1.0', 'groups', 'g', 'owners', '$ref']],
    ["'$ref' read as a regex anchor", ['v1.0', 'groups', 'g', 'members', 'ref']],
    ["'$ref' with a prefix", ['v1.0', 'groups', 'g', 'members', 'x$ref']],
    ['a literal differing only in case', ['v1.0', 'Groups', 'g', 'members', '$ref']],
  ])('does not match %s', (_, segments) => {
    // Prepare
    const path = compilePath('/v1.0/groups/{id}/members/$ref');

    // Act
    const params = path.match(segments);

    // Assess
    expect(params).toBeUndefined();
  });

  it('matches a function segment and takes its parameter when the client encoded it', () => {
    // Prepare
    const path = compilePath("/v1.0/x/filterByCurrentUser(on='{on}')");

    // Act
    const encoded = path.match(decodeSegments('/v1.0/x/filterByCurrentUser(on=%27principal%27)')!);
    const plain = path.match(decodeSegments("/v1.0/x/filterByCurrentUser(on='approver')")!);
    const wrong = path.match(decodeSegments('/v1.0/x/filterByCurrentUserXon=%27principal%27)')!);

    // Assess
    expect(encoded).toEqual({ on: 'principal' });
    expect(plain).toEqual({ on: 'approver' });
    expect(wrong).toBeUndefined();
  });

  it('ranks a literal pattern above a parameter pattern when both match the same path', () => {
    // Prepare
    const param = compilePath('/v1.0/x/{id}');
    const literal = compilePath('/v1.0/x/delta');
    const fn = compilePath("/v1.0/x/filterByCurrentUser(on='{on}')");
    const segments = ['v1.0', 'x', 'delta'];

    // Act
    const both = [param.match(segments), literal.match(segments)];

    // Assess
    expect(both).toEqual([{ id: 'delta' }, {}]);
    expect(literal.literalCount).toBeGreaterThan(param.literalCount);
    expect(fn.literalCount).toBeGreaterThan(param.literalCount);
  });
});

describe('splitPath', () => {
  it('drops empty segments when the path has leading, trailing or double slashes', () => {
    // Act
    const segments = splitPath('/a//b/');

    // Assess
    expect(segments).toEqual(['a', 'b']);
  });
});

describe('gatewayPrefix', () => {
  it.each([
    ['/health', '/health'],
    ['/openapi.json', '/openapi.json'],
    ['/v1.0/users', '/v1.0/users'],
    ['/v1.0/users/{id}', '/v1.0/users'],
    ['/v1.0/users/{id}/memberOf', '/v1.0/users'],
    ['/v1.0/groups/{id}/members/$ref', '/v1.0/groups'],
    ['/v1.0/roleManagement/directory/roleDefinitions', '/v1.0/roleManagement/directory/roleDefinitions'],
    ['/v1.0/roleManagement/directory/roleDefinitions/{id}', '/v1.0/roleManagement/directory/roleDefinitions'],
    [
      "/v1.0/roleManagement/directory/roleAssignmentScheduleRequests/filterByCurrentUser(on='{on}')",
      '/v1.0/roleManagement/directory/roleAssignmentScheduleRequests',
    ],
    ['/v1.0/a/b/c/d/e', '/v1.0/a/b/c'],
    ['/v1.0/$metadata', '/v1.0'],
  ])('gives %s the prefix %s', (pattern, prefix) => {
    // Act
    const found = gatewayPrefix(pattern);

    // Assess
    expect(found).toBe(prefix);
  });
});
