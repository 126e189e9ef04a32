import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../../shared/domain/errors.ts';
import { applySelect, collection, contextUrl, created, entity, nextLink, noContent, type RequestInfo } from '../../../shared/http/responses.ts';

const info: RequestInfo = { baseUrl: 'https://api.stint.test', rawPath: '/v1.0/users', query: { $top: '2', $filter: "displayName eq 'A B'" } };
const user = { id: 'usr_1', '@odata.type': '#microsoft.graph.user', displayName: 'A B', mail: null, jobTitle: 'x' };

describe('applySelect', () => {
  it('keeps the selected properties plus id and @odata.type when given $select', () => {
    // Act
    const selected = applySelect(user, ' displayName , mail,');

    // Assess
    expect(selected).toEqual({ id: 'usr_1', '@odata.type': '#microsoft.graph.user', displayName: 'A B', mail: null });
  });

  it('returns the item itself when there is no $select', () => {
    // Act
    const selected = applySelect(user, undefined);

    // Assess
    expect(selected).toBe(user);
  });

  it.each(['password', 'constructor', '__proto__', 'toString', 'displayName,hasOwnProperty'])('refuses $select=%s as an unknown property', (select) => {
    // Act
    const run = () => applySelect(user, select);

    // Assess
    expect(run).toThrow(BadRequestError);
    expect(run).toThrow(/\$select names unknown properties/);
  });
});

describe('collection', () => {
  it('adds @odata.context, value and a nextLink when there is a next page', () => {
    // Act
    const result = collection(info, 'users', { items: [user], nextToken: 'abc.def' }, 'displayName');

    // Assess
    expect(result).toEqual({
      status: 200,
      body: {
        '@odata.context': 'https://api.stint.test/v1.0/$metadata#users',
        value: [{ id: 'usr_1', '@odata.type': '#microsoft.graph.user', displayName: 'A B' }],
        '@odata.nextLink': "https://api.stint.test/v1.0/users?$top=2&$filter=displayName%20eq%20'A%20B'&$skiptoken=abc.def",
      },
    });
  });

  it('has no nextLink on the last page', () => {
    // Act
    const result = collection(info, 'users', { items: [] });

    // Assess
    expect(result.body).not.toHaveProperty('@odata.nextLink');
  });
});

describe('nextLink', () => {
  it('replaces an earlier $skiptoken and encodes the token when following a link', () => {
    // Act
    const link = nextLink({ ...info, query: { $skiptoken: 'old', $select: 'id' } }, 'a+b/c=');

    // Assess
    expect(link).toBe('https://api.stint.test/v1.0/users?$skiptoken=a%2Bb%2Fc%3D&$select=id');
  });
});

describe('entity, created and noContent', () => {
  it('shape single results as Graph does', () => {
    // Act
    const one = entity(info, 'users', user, 'mail');
    const made = created({ id: 'usr_2' }, 'https://api.stint.test/v1.0/users/usr_2');
    const none = noContent();

    // Assess
    expect(one.body).toEqual({
      '@odata.context': 'https://api.stint.test/v1.0/$metadata#users/$entity',
      id: 'usr_1',
      '@odata.type': '#microsoft.graph.user',
      mail: null,
    });
    expect(made).toEqual({ status: 201, body: { id: 'usr_2' }, headers: { location: 'https://api.stint.test/v1.0/users/usr_2' } });
    expect(none).toEqual({ status: 204 });
    expect(contextUrl(info, 'groups')).toBe('https://api.stint.test/v1.0/$metadata#groups');
  });
});
