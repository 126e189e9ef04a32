import { describe, expect, it } from 'vitest';
import { matchesSearch, searchConditionOf, SEARCHABLE } from '../../../shared/domain/directory-search.ts';
import { parseFilter } from '../../../shared/domain/odata/filter.ts';

const USER = SEARCHABLE.user;
const terms = (text: string, searchable: readonly string[] = USER) => searchConditionOf(parseFilter(text), searchable)?.terms;

describe('searchConditionOf', () => {
  it("finds one startswith, or the people picker's or of three, as terms", () => {
    expect(terms("startswith(displayName,'Ad')")).toEqual([{ property: 'displayName', prefix: 'Ad' }]);
    expect(terms("startswith(displayName,'x') or startswith(userPrincipalName,'x') or startswith(mail,'x')")).toEqual([
      { property: 'displayName', prefix: 'x' },
      { property: 'userPrincipalName', prefix: 'x' },
      { property: 'mail', prefix: 'x' },
    ]);
  });

  it('takes the search from a top-level conjunct and leaves the rest to the caller', () => {
    const node = parseFilter("accountEnabled eq true and (startswith(displayName,'a') or startswith(mail,'a'))");
    const condition = searchConditionOf(node, USER)!;
    expect(condition.terms.map((t) => t.property)).toEqual(['displayName', 'mail']);
    expect(condition.node.type).toBe('or');
  });

  it('drops repeated terms (any case), so the limit counts distinct ones', () => {
    expect(terms("startswith(mail,'a') or startswith(mail,'A') or startswith(mail,'a')")).toEqual([{ property: 'mail', prefix: 'a' }]);
  });

  it.each([
    ["startswith(jobTitle,'a')", 'a property that is not searched'],
    ["startswith(displayName,'')", 'an empty prefix (the whole listing)'],
    ["startswith(displayName,'a') or mail eq 'b'", 'an or with something else'],
    ["not startswith(displayName,'a')", 'a negation'],
    ["endswith(displayName,'a')", 'another function'],
    ["startswith(manager/displayName,'a')", 'a path'],
    ["startswith(displayName,'a') or startswith(mail,'b') or startswith(userPrincipalName,'c') or startswith(displayName,'d')", 'more than three terms'],
  ])('finds no search in %s (%s)', (text) => {
    expect(terms(text)).toBeUndefined();
  });

  it('only searches what the type is searched by', () => {
    expect(terms("startswith(mail,'a')", SEARCHABLE.servicePrincipal)).toBeUndefined();
  });
});

describe('matchesSearch', () => {
  const condition = searchConditionOf(parseFilter("startswith(displayName,'ad') or startswith(mail,'AD')"), USER)!;

  it('matches any term, without regard to case', () => {
    expect(matchesSearch(condition, { displayName: 'ADELE', mail: null })).toBe(true);
    expect(matchesSearch(condition, { displayName: 'Zed', mail: 'adz@contoso.test' })).toBe(true);
    expect(matchesSearch(condition, { displayName: 'Zed', mail: 'z@contoso.test' })).toBe(false);
  });

  it('never reads inherited properties or non-strings', () => {
    const proto = searchConditionOf(parseFilter("startswith(displayName,'f')"), ['displayName'])!;
    expect(matchesSearch(proto, Object.create({ displayName: 'faked' }))).toBe(false);
    expect(matchesSearch(proto, { displayName: 42 })).toBe(false);
  });
});
