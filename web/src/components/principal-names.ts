/** Names for principal ids the API returned bare (group PIM schedules carry no `principal`). */
import type { Api } from '../api/client.ts';
import type { Principal } from './principal-search.tsx';

interface Named {
  displayName: string;
  userPrincipalName?: string;
  mail?: string | null;
}

/** A user, else a group, else the id itself: one small read per distinct id on the page shown. */
export async function resolvePrincipals(api: Api, ids: string[]): Promise<Map<string, Principal>> {
  const found = await Promise.all(
    [...new Set(ids)].map(async (id): Promise<Principal> => {
      const path = encodeURIComponent(id);
      try {
        const u = await api.get<Named>(`/v1.0/users/${path}`);
        return { id, type: 'user', displayName: u.displayName, detail: u.userPrincipalName ?? u.mail ?? undefined };
      } catch {
        try {
          const g = await api.get<Named>(`/v1.0/groups/${path}`);
          return { id, type: 'group', displayName: g.displayName, detail: g.mail ?? undefined };
        } catch {
          return { id, type: 'user', displayName: id };
        }
      }
    }),
  );
  return new Map(found.map((p) => [p.id, p]));
}
