/** Names for directory ids that came without one (approvers set through the API carry only an id). */
import { useApp } from '../app-context.tsx';
import { useLoad } from './page-states.tsx';

export interface NamedRef {
  kind: 'user' | 'group';
  id: string;
  description?: string | null;
}

export function PrincipalNames({ refs }: { refs: NamedRef[] }) {
  const { api } = useApp();
  const names = useLoad(
    () =>
      Promise.all(
        refs.map(async (r) => {
          if (r.description) return r.description;
          const path = `/v1.0/${r.kind === 'group' ? 'groups' : 'users'}/${encodeURIComponent(r.id)}?$select=displayName`;
          return api.get<{ displayName: string }>(path).then(
            (o) => o.displayName,
            () => r.id,
          );
        }),
      ),
    refs.map((r) => `${r.kind}:${r.id}:${r.description ?? ''}`).join('|'),
  );
  const shown = names.data ?? refs.map((r) => r.description || r.id);
  return <>{refs.map((r, i) => `${shown[i]}${r.kind === 'group' ? ' (group)' : ''}`).join(', ')}</>;
}
