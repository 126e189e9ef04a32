/** The Directory pages' pure parts: the server-side search filter, the PATCH of only what changed, nicknames. */
import { describe, expect, it } from 'vitest';
import { changedFields, directoryObjectRef, kindOfODataType, nicknameOf, searchFilter } from '../../../web/src/domain/directory.ts';

describe('searchFilter', () => {
  it("searches each kind on what the API's startswith supports", () => {
    expect(searchFilter('users', 'al')).toBe("startswith(displayName,'al') or startswith(userPrincipalName,'al') or startswith(mail,'al')");
    expect(searchFilter('groups', 'fin')).toBe("startswith(displayName,'fin') or startswith(mail,'fin')");
    expect(searchFilter('servicePrincipals', 'dep')).toBe("startswith(displayName,'dep')");
  });

  it('quotes the OData way and asks for nothing when the search is blank', () => {
    expect(searchFilter('servicePrincipals', " O'Neil ")).toBe("startswith(displayName,'O''Neil')");
    expect(searchFilter('users', '   ')).toBeUndefined();
  });
});

describe('changedFields', () => {
  const before = { displayName: 'Alex', jobTitle: 'Analyst', department: null, accountEnabled: true, businessPhones: null };

  it('sends only what changed', () => {
    expect(changedFields(before, { displayName: 'Alex', jobTitle: 'Analyst ', department: '', accountEnabled: true })).toEqual({});
    expect(changedFields(before, { displayName: 'Alex B', jobTitle: 'Analyst', department: 'Finance', accountEnabled: false })).toEqual({
      displayName: 'Alex B',
      department: 'Finance',
      accountEnabled: false,
    });
  });

  it('clears an emptied property with null and sends list properties as lists', () => {
    expect(changedFields(before, { jobTitle: '' })).toEqual({ jobTitle: null });
    expect(changedFields(before, { businessPhones: '+1 555 0100' }, ['businessPhones'])).toEqual({ businessPhones: ['+1 555 0100'] });
    expect(changedFields({ businessPhones: '+1 555 0100' }, { businessPhones: '' }, ['businessPhones'])).toEqual({ businessPhones: [] });
  });
});

describe('references and names', () => {
  it('builds the references members@odata.bind and members/$ref take, and reads types back', () => {
    expect(directoryObjectRef('usr_1')).toBe('https://graph.microsoft.com/v1.0/directoryObjects/usr_1');
    expect(kindOfODataType('#microsoft.graph.servicePrincipal')).toBe('servicePrincipals');
    expect(kindOfODataType('#microsoft.graph.device')).toBeUndefined();
  });

  it('suggests a mail nickname the API accepts', () => {
    expect(nicknameOf('Tier 0 Operators (EMEA)')).toBe('Tier0OperatorsEMEA');
    expect(nicknameOf('Café Ops')).toBe('CafeOps');
  });
});

describe('changedFields with comma-separated lists', () => {
  it('sends tags as a list, only when they changed', () => {
    expect(changedFields({ tags: ['ci', 'prod'] }, { tags: 'ci,  prod' }, [], ['tags'])).toEqual({});
    expect(changedFields({ tags: ['ci'] }, { tags: 'ci, nightly,' }, [], ['tags'])).toEqual({ tags: ['ci', 'nightly'] });
    expect(changedFields({ tags: ['ci'] }, { tags: '' }, [], ['tags'])).toEqual({ tags: [] });
  });
});
