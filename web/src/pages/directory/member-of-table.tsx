/** The groups a user is a direct member of (`memberOf`), paged on the server. */
import Header from '@cloudscape-design/components/header';
import { query } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { useServerPages } from '../../components/server-pages.ts';
import type { DirectoryObject } from '../../domain/directory.ts';
import { ObjectLink } from './object-link.tsx';
import { PagedTable } from './paged-table.tsx';

type Membership = DirectoryObject & { description?: string | null; isAssignableToRole?: boolean };

export function MemberOfTable({ userId }: { userId: string }) {
  const { api } = useApp();
  const pages = useServerPages<Membership>(api, `/v1.0/users/${encodeURIComponent(userId)}/memberOf${query({ $top: 25 })}`);
  return (
    <PagedTable
      pages={pages}
      label="Groups"
      header={
        <Header variant="h2" description="Groups this user is a direct member of.">
          Groups
        </Header>
      }
      emptyTitle="No groups"
      emptyText="This user is not a member of any group."
      columns={[
        { id: 'name', header: 'Name', isRowHeader: true, cell: (g) => <ObjectLink object={g} /> },
        { id: 'description', header: 'Description', cell: (g) => g.description ?? '—' },
        { id: 'roles', header: 'Role assignable', cell: (g) => (g.isAssignableToRole ? 'Yes' : 'No') },
      ]}
    />
  );
}
