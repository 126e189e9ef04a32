/**
 * Server-side search of users and groups by the start of their name (Graph's `startswith`), for approver
 * and member pickers: one page of each, never a scan of the directory in the browser.
 */
import type { Api, Collection } from '../api/client.ts';
import { odataString, query } from '../api/paths.ts';

export interface Principal {
  kind: 'user' | 'group';
  id: string;
  displayName: string;
  /** The UPN or mail of a user; the description of a group. */
  detail?: string;
}

interface UserRow {
  id: string;
  displayName: string;
  userPrincipalName?: string;
  mail?: string | null;
}

interface GroupRow {
  id: string;
  displayName: string;
  description?: string | null;
  isAssignableToRole?: boolean;
}

const PAGE = 15;

export async function searchPrincipals(api: Api, text: string, kinds: ('user' | 'group')[] = ['user', 'group']): Promise<Principal[]> {
  const t = odataString(text.trim());
  const [users, groups] = await Promise.all([
    kinds.includes('user')
      ? api.get<Collection<UserRow>>(
          `/v1.0/users${query({ $filter: text.trim() ? `startswith(displayName,${t}) or startswith(userPrincipalName,${t}) or startswith(mail,${t})` : undefined, $top: PAGE })}`,
        )
      : undefined,
    kinds.includes('group')
      ? api.get<Collection<GroupRow>>(`/v1.0/groups${query({ $filter: text.trim() ? `startswith(displayName,${t})` : undefined, $top: PAGE })}`)
      : undefined,
  ]);
  return [
    ...(users?.value ?? []).map((u): Principal => ({ kind: 'user', id: u.id, displayName: u.displayName, detail: u.userPrincipalName ?? u.mail ?? undefined })),
    ...(groups?.value ?? []).map((g): Principal => ({ kind: 'group', id: g.id, displayName: g.displayName, detail: g.description ?? undefined })),
  ];
}

/** Names for ids the API returned bare (a user or a group); unknown ids keep the id as their name. */
export async function resolvePrincipals(api: Api, ids: string[]): Promise<Map<string, Principal>> {
  const unique = [...new Set(ids)];
  const found = await Promise.all(
    unique.map(async (id): Promise<Principal> => {
      try {
        const u = await api.get<UserRow>(`/v1.0/users/${encodeURIComponent(id)}`);
        return { kind: 'user', id, displayName: u.displayName, detail: u.userPrincipalName };
      } catch {
        try {
          const g = await api.get<GroupRow>(`/v1.0/groups/${encodeURIComponent(id)}`);
          return { kind: 'group', id, displayName: g.displayName };
        } catch {
          return { kind: 'user', id, displayName: id };
        }
      }
    }),
  );
  return new Map(found.map((p) => [p.id, p]));
}
