/** The directory lists' columns, per kind (Entra's column names). */
import Link from '@cloudscape-design/components/link';
import type { TableProps } from '@cloudscape-design/components/table';
import { Time } from '../../components/time.tsx';
import { objectPath, type DirectoryGroup, type DirectoryKind, type DirectoryServicePrincipal, type DirectoryUser } from '../../domain/directory.ts';
import { follow, href } from '../../router.tsx';
import { AccountEnabled, groupTypeLabel, membershipTypeLabel, yesNo } from './labels.tsx';

type Row = { id: string; displayName: string };

function nameColumn<T extends Row>(kind: DirectoryKind): TableProps.ColumnDefinition<T> {
  return {
    id: 'displayName',
    header: 'Display name',
    isRowHeader: true,
    cell: (r) => (
      <Link href={href(objectPath(kind, r.id))} onFollow={follow}>
        {r.displayName}
      </Link>
    ),
  };
}

const users: TableProps.ColumnDefinition<DirectoryUser>[] = [
  nameColumn('users'),
  { id: 'upn', header: 'User principal name', cell: (u) => u.userPrincipalName },
  { id: 'mail', header: 'Mail', cell: (u) => u.mail ?? '—' },
  { id: 'jobTitle', header: 'Job title', cell: (u) => u.jobTitle ?? '—' },
  { id: 'accountEnabled', header: 'Account enabled', cell: (u) => <AccountEnabled value={u.accountEnabled} /> },
  { id: 'created', header: 'Created', cell: (u) => <Time value={u.createdDateTime} /> },
];

const groups: TableProps.ColumnDefinition<DirectoryGroup>[] = [
  nameColumn('groups'),
  { id: 'description', header: 'Description', cell: (g) => g.description ?? '—', maxWidth: 320 },
  { id: 'type', header: 'Group type', cell: groupTypeLabel },
  { id: 'membership', header: 'Membership type', cell: membershipTypeLabel },
  { id: 'roles', header: 'Role assignable', cell: (g) => yesNo(g.isAssignableToRole) },
  { id: 'mail', header: 'Email', cell: (g) => g.mail ?? '—' },
  { id: 'created', header: 'Created', cell: (g) => <Time value={g.createdDateTime} /> },
];

const servicePrincipals: TableProps.ColumnDefinition<DirectoryServicePrincipal>[] = [
  nameColumn('servicePrincipals'),
  { id: 'appId', header: 'Application ID', cell: (s) => s.appId },
  { id: 'type', header: 'Type', cell: (s) => (s.servicePrincipalType === 'ManagedIdentity' ? 'Managed identity' : 'Application') },
  { id: 'accountEnabled', header: 'Account enabled', cell: (s) => <AccountEnabled value={s.accountEnabled} /> },
  { id: 'created', header: 'Created', cell: (s) => <Time value={s['@stint.createdDateTime']} /> },
];

export const COLUMNS = { users, groups, servicePrincipals } as unknown as Record<DirectoryKind, TableProps.ColumnDefinition<Row>[]>;
