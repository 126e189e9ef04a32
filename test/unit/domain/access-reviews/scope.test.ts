import { describe, expect, it } from 'vitest';
import { parseReviewerQuery, parseReviewScope } from '../../../../shared/domain/access-reviews/scope.ts';

const ROLE = '194ae4cb-b126-40b2-bd5b-6091b380977d';

describe('review scopes, as Graph writes them', () => {
  it('a principalResourceMembershipsScope over role definitions: eligible and active, of the principal types named', () => {
    expect(
      parseReviewScope({
        '@odata.type': '#microsoft.graph.principalResourceMembershipsScope',
        principalScopes: [{ query: '/users', queryType: 'MicrosoftGraph' }],
        resourceScopes: [{ query: `/roleManagement/directory/roleDefinitions/${ROLE}`, queryType: 'MicrosoftGraph' }],
      }),
    ).toEqual({ kind: 'roles', roles: [{ roleDefinitionId: ROLE }], eligible: true, active: true, principalTypes: ['user'] });
  });

  it('a role at one scope', () => {
    const scope = parseReviewScope({
      principalScopes: [],
      resourceScopes: [{ query: `/roleManagement/directory/roleDefinitions/${ROLE}?$filter=directoryScopeId eq '/administrativeUnits/au1'` }],
    });
    expect(scope).toMatchObject({
      roles: [{ roleDefinitionId: ROLE, directoryScopeId: '/administrativeUnits/au1' }],
      principalTypes: ['user', 'group', 'servicePrincipal'],
    });
  });

  it("Entra's eligible-users and active-users instance queries", () => {
    const eligible = parseReviewScope({
      query: `/roleManagement/directory/roleEligibilityScheduleInstances?$expand=principal&$filter=(isof(principal,'microsoft.graph.user') and roleDefinitionId eq '${ROLE}')`,
      queryType: 'MicrosoftGraph',
    });
    expect(eligible).toEqual({ kind: 'roles', roles: [{ roleDefinitionId: ROLE }], eligible: true, active: false, principalTypes: ['user'] });
    const active = parseReviewScope({
      query: `/roleManagement/directory/roleAssignmentScheduleInstances?$expand=principal&$filter=(assignmentType eq 'Assigned' and isof(principal,'microsoft.graph.servicePrincipal') and roleDefinitionId eq '${ROLE}')`,
    });
    expect(active).toEqual({ kind: 'roles', roles: [{ roleDefinitionId: ROLE }], eligible: false, active: true, principalTypes: ['servicePrincipal'] });
  });

  it("a group's members and owners", () => {
    expect(parseReviewScope({ query: '/groups/grp_1/transitiveMembers', queryType: 'MicrosoftGraph' })).toEqual({
      kind: 'group',
      groupId: 'grp_1',
      accessId: 'member',
    });
    expect(parseReviewScope({ query: '/groups/grp_1/owners' })).toEqual({ kind: 'group', groupId: 'grp_1', accessId: 'owner' });
  });

  it('anything else is refused with the list of what is supported', () => {
    expect(() => parseReviewScope({ query: '/devices' })).toThrow(/not supported.*Supported scopes/);
    expect(() =>
      parseReviewScope({
        query: `/roleManagement/directory/roleAssignmentScheduleInstances?$filter=(assignmentType eq 'Activated' and roleDefinitionId eq '${ROLE}')`,
      }),
    ).toThrow(/activations end by themselves/);
    expect(() => parseReviewScope({ query: '/roleManagement/directory/roleEligibilityScheduleInstances' })).toThrow(/names no roleDefinitionId/);
    expect(() => parseReviewScope({ resourceScopes: [] })).toThrow(/at least one resourceScopes/);
    expect(() => parseReviewScope({ query: '/groups/g/members', queryType: 'AzureAD' })).toThrow(/MicrosoftGraph/);
  });
});

describe('reviewers', () => {
  it('users and groups', () => {
    expect(parseReviewerQuery({ query: '/users/usr_1' }, 'reviewers[0]')).toEqual({ kind: 'user', id: 'usr_1' });
    expect(parseReviewerQuery({ query: '/v1.0/groups/grp_2/transitiveMembers' }, 'reviewers[0]')).toEqual({ kind: 'group', id: 'grp_2' });
  });

  it('managers are refused with what to do instead', () => {
    expect(() => parseReviewerQuery({ query: './manager', queryRoot: 'decisions' }, 'reviewers[0]')).toThrow(/not supported .*self-review/);
    expect(() => parseReviewerQuery({ query: '/me' }, 'reviewers[1]')).toThrow(/reviewers\[1\]/);
  });
});
