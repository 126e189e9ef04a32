/**
 * Select member(s): users, role-assignable groups and service principals found by a server-side
 * `startswith` search (never a scan of the directory in the browser). Each kind is asked separately,
 * so a kind the API cannot search yet shows its own error while the others still answer.
 */
import type { Api, Collection } from '../../api/client.ts';
import { odataString, query } from '../../api/paths.ts';
import type { PrincipalType } from './data.ts';
import { searchFilter } from '../../domain/directory.ts';

export interface Candidate {
  id: string;
  displayName: string;
  /** Sign-in name, mail or application id: what tells two people of the same name apart. */
  detail: string;
  type: PrincipalType;
}

export const SEARCH_TOP = 10;

interface DirectoryObject {
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  appId?: string | null;
  isAssignableToRole?: boolean | null;
}

export function searchPaths(text: string): Record<PrincipalType, string> {
  const v = odataString(text);
  return {
    User: `/v1.0/users${query({
      $filter: searchFilter('users', text),
      $select: 'id,displayName,userPrincipalName,mail',
      $top: SEARCH_TOP,
    })}`,
    Group: `/v1.0/groups${query({ $filter: `startswith(displayName,${v})`, $select: 'id,displayName,mail,isAssignableToRole', $top: SEARCH_TOP })}`,
    'Service principal': `/v1.0/servicePrincipals${query({ $filter: searchFilter('servicePrincipals', text), $select: 'id,displayName,appId', $top: SEARCH_TOP })}`,
  };
}

export interface SearchResult {
  candidates: Candidate[];
  /** Per kind that failed, the API's own message. */
  errors: string[];
}

export async function searchMembers(api: Api, text: string): Promise<SearchResult> {
  const paths = searchPaths(text);
  const kinds = Object.keys(paths) as PrincipalType[];
  const answers = await Promise.allSettled(kinds.map((k) => api.get<Collection<DirectoryObject>>(paths[k])));
  const candidates: Candidate[] = [];
  const errors: string[] = [];
  answers.forEach((answer, i) => {
    const type = kinds[i]!;
    if (answer.status === 'rejected') {
      errors.push(`${type}s: ${(answer.reason as Error).message}`);
      return;
    }
    for (const o of answer.value.value) {
      // Only role-assignable groups can hold a directory role (Entra refuses the others).
      if (type === 'Group' && o.isAssignableToRole !== true) continue;
      candidates.push({ id: o.id, displayName: o.displayName ?? o.id, detail: o.userPrincipalName ?? o.mail ?? o.appId ?? '', type });
    }
  });
  return { candidates, errors };
}
