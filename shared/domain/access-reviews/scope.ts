/**
 * What an access review covers, read from the Graph queries that describe it. Entra accepts any Graph
 * query; Stint understands the ones that name privileged access, and answers any other with a message
 * that lists them:
 *
 *   principalResourceMembershipsScope, resourceScopes `/roleManagement/directory/roleDefinitions/{id}`
 *     (optionally `?$filter=directoryScopeId eq '/…'`), principalScopes `/users`, `/groups`,
 *     `/servicePrincipals` (none: all three)             → eligible and active assignments of the roles
 *   `/roleManagement/directory/roleEligibilityScheduleInstances?$expand=principal&$filter=(isof(principal,'microsoft.graph.user') and roleDefinitionId eq '{id}')`
 *                                                       → eligible assignments only
 *   `/roleManagement/directory/roleAssignmentScheduleInstances?…(assignmentType eq 'Assigned' and … roleDefinitionId eq '{id}')`
 *                                                       → active (admin-assigned) assignments only
 *   `/groups/{id}/transitiveMembers` (or `/members`)    → the group's members: standing, and PIM for groups
 *                                                         eligible and active memberships
 *   `/groups/{id}/owners`                                → the group's PIM for groups owners
 *
 * Activations are not reviewed: they end by themselves; the eligibility behind them is what is reviewed.
 */
import { BadRequestError } from '../errors.ts';
import type { PrincipalType } from '../schedule.ts';

export interface QueryScope {
  '@odata.type'?: string;
  query?: string;
  queryType?: string;
  queryRoot?: string | null;
  principalScopes?: QueryScope[];
  resourceScopes?: QueryScope[];
}

export interface RoleTarget {
  roleDefinitionId: string;
  /** Only assignments at exactly this scope; absent: at every scope. */
  directoryScopeId?: string;
}

export type ReviewScope =
  | { kind: 'roles'; roles: RoleTarget[]; eligible: boolean; active: boolean; principalTypes: PrincipalType[] }
  | { kind: 'group'; groupId: string; accessId: 'member' | 'owner' };

const ALL_PRINCIPALS: PrincipalType[] = ['user', 'group', 'servicePrincipal'];
const ID = '[A-Za-z0-9_.-]{1,256}';

const SUPPORTED =
  "Supported scopes: a principalResourceMembershipsScope whose resourceScopes are '/roleManagement/directory/roleDefinitions/{id}'; " +
  "'/roleManagement/directory/roleEligibilityScheduleInstances?…roleDefinitionId eq …' or '/roleManagement/directory/roleAssignmentScheduleInstances?…roleDefinitionId eq …'; " +
  "'/groups/{id}/transitiveMembers'; '/groups/{id}/owners'.";

function unsupported(what: string): BadRequestError {
  return new BadRequestError(`The access review scope ${what} is not supported. ${SUPPORTED}`);
}

function decode(query: string): string {
  try {
    return decodeURIComponent(query.replace(/\+/g, ' '));
  } catch {
    return query;
  }
}

function filterOf(query: string): string {
  const m = /[?&]\$filter=([^&]*)/i.exec(query);
  return m ? decode(m[1]!) : '';
}

function quoted(filter: string, field: string): string | undefined {
  return new RegExp(`\\b${field}\\s+eq\\s+'([^']*)'`, 'i').exec(filter)?.[1];
}

function principalTypesIn(filter: string): PrincipalType[] {
  const types: PrincipalType[] = [];
  for (const m of filter.matchAll(/isof\(\s*principal\s*,\s*'microsoft\.graph\.(user|group|servicePrincipal)'\s*\)/gi)) {
    const found = ALL_PRINCIPALS.find((t) => t.toLowerCase() === m[1]!.toLowerCase());
    if (found && !types.includes(found)) types.push(found);
  }
  return types.length > 0 ? types : ALL_PRINCIPALS;
}

function roleTarget(roleDefinitionId: string | undefined, filter: string, query: string): RoleTarget {
  if (!roleDefinitionId) throw unsupported(`'${query}' (it names no roleDefinitionId)`);
  const directoryScopeId = quoted(filter, 'directoryScopeId');
  return directoryScopeId ? { roleDefinitionId, directoryScopeId } : { roleDefinitionId };
}

function fromQuery(raw: string): ReviewScope {
  const query = raw.trim();
  const path = query.split('?')[0]!.replace(/\/+$/, '');
  const group = new RegExp(`^/groups/(${ID})/(transitiveMembers|members|owners)$`, 'i').exec(path);
  if (group) return { kind: 'group', groupId: group[1]!, accessId: group[2]!.toLowerCase() === 'owners' ? 'owner' : 'member' };
  const instances = /^\/roleManagement\/directory\/(roleEligibilityScheduleInstances|roleAssignmentScheduleInstances)$/i.exec(path);
  if (instances) {
    const filter = filterOf(query);
    const eligible = instances[1]!.toLowerCase().startsWith('roleeligibility');
    if (!eligible) {
      const type = quoted(filter, 'assignmentType');
      if (type && type.toLowerCase() !== 'assigned')
        throw unsupported(`'${query}' (only assignmentType eq 'Assigned' is reviewed: activations end by themselves)`);
    }
    return {
      kind: 'roles',
      roles: [roleTarget(quoted(filter, 'roleDefinitionId'), filter, query)],
      eligible,
      active: !eligible,
      principalTypes: principalTypesIn(filter),
    };
  }
  throw unsupported(`'${query}'`);
}

function roleResource(scope: QueryScope): RoleTarget {
  const query = (scope.query ?? '').trim();
  const m = new RegExp(`^/roleManagement/(?:directory|aws)/roleDefinitions/(${ID})/?(\\?.*)?$`, 'i').exec(query);
  if (!m) throw unsupported(`resource '${query}'`);
  return roleTarget(m[1], filterOf(query), query);
}

function principalScopeType(scope: QueryScope): PrincipalType {
  const path = (scope.query ?? '').trim().split('?')[0]!.replace(/\/+$/, '').toLowerCase();
  const found = ({ '/users': 'user', '/groups': 'group', '/serviceprincipals': 'servicePrincipal' } as const)[path];
  if (!found) throw unsupported(`principal scope '${scope.query ?? ''}' (use '/users', '/groups' or '/servicePrincipals')`);
  return found;
}

export function parseReviewScope(scope: QueryScope): ReviewScope {
  if (scope.queryType && scope.queryType !== 'MicrosoftGraph') throw unsupported(`queryType '${scope.queryType}' (use 'MicrosoftGraph')`);
  if (scope['@odata.type']?.toLowerCase().endsWith('principalresourcemembershipsscope') || scope.resourceScopes) {
    const resources = scope.resourceScopes ?? [];
    if (resources.length === 0) throw new BadRequestError('A principalResourceMembershipsScope needs at least one resourceScopes entry naming a role.');
    if (resources.length > 20) throw new BadRequestError('A review may cover at most 20 roles.');
    const types = (scope.principalScopes ?? []).map(principalScopeType);
    return {
      kind: 'roles',
      roles: resources.map(roleResource),
      eligible: true,
      active: true,
      principalTypes: types.length > 0 ? [...new Set(types)] : ALL_PRINCIPALS,
    };
  }
  if (!scope.query) throw new BadRequestError(`The access review scope needs a query. ${SUPPORTED}`);
  return fromQuery(scope.query);
}

/** Reviewers, as Graph writes them: `/users/{id}`, `/groups/{id}/transitiveMembers`; none means self-review. */
export type ReviewerRef = { kind: 'user'; id: string } | { kind: 'group'; id: string };

export function parseReviewerQuery(reviewer: QueryScope, field: string): ReviewerRef {
  const query = (reviewer.query ?? '').trim();
  if (reviewer.queryType && reviewer.queryType !== 'MicrosoftGraph') throw new BadRequestError(`${field}: queryType must be 'MicrosoftGraph'.`);
  const user = new RegExp(`^/(?:v1\\.0/)?users/(${ID})$`, 'i').exec(query);
  if (user) return { kind: 'user', id: user[1]! };
  const group = new RegExp(`^/(?:v1\\.0/)?groups/(${ID})(?:/(?:transitiveMembers|members))?$`, 'i').exec(query);
  if (group) return { kind: 'group', id: group[1]! };
  if (/^\.\/manager$/i.test(query))
    throw new BadRequestError(
      `${field}: './manager' is not supported (the directory keeps no managers); name users or groups as reviewers, or none for self-review.`,
    );
  throw new BadRequestError(`${field}: '${query}' is not a reviewer Stint understands; use '/users/{id}' or '/groups/{id}/transitiveMembers'.`);
}
