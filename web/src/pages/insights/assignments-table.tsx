/**
 * The assignments behind one of the three actions, with a search and (for the actions) a selection of at
 * most what the API takes at once. The API answers these lists whole (they hold privileged assignments
 * only), so search and paging here are in the page.
 */
import { useCollection } from '@cloudscape-design/collection-hooks';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import type { ReactNode } from 'react';
import { Empty, LoadError } from '../../components/page-states.tsx';
import { Time } from '../../components/time.tsx';
import { principalText, STANDING_LABEL, type PrivilegedAssignment } from '../../domain/insights.ts';
import { follow, href } from '../../router.tsx';

export type Column = 'principal' | 'servicePrincipal' | 'appId' | 'role' | 'standing' | 'start' | 'end' | 'lastActivation' | 'lastSignIn';

const COLUMNS: Record<Column, TableProps.ColumnDefinition<PrivilegedAssignment>> = {
  principal: { id: 'principal', header: 'Name', isRowHeader: true, cell: (a) => principalText(a), sortingField: 'principalDisplayName' },
  servicePrincipal: {
    id: 'servicePrincipal',
    header: 'Service principal',
    isRowHeader: true,
    cell: (a) => (
      <Link href={href(`/manage/directory/servicePrincipals/${encodeURIComponent(a.principalId)}`)} onFollow={follow}>
        {a.principalDisplayName ?? a.principalId}
      </Link>
    ),
    sortingField: 'principalDisplayName',
  },
  appId: { id: 'appId', header: 'Application ID', cell: (a) => a.appId ?? '—' },
  role: { id: 'role', header: 'Role', cell: (a) => a.roleDisplayName, sortingField: 'roleDisplayName' },
  standing: { id: 'standing', header: 'Assignment', cell: (a) => STANDING_LABEL[a.standing] },
  start: { id: 'start', header: 'Start time', cell: (a) => <Time value={a.startDateTime} /> },
  end: { id: 'end', header: 'End time', cell: (a) => <Time value={a.endDateTime} /> },
  lastActivation: { id: 'lastActivation', header: 'Last activation', cell: (a) => <Time value={a.lastActivationDateTime} empty="None on record" /> },
  lastSignIn: { id: 'lastSignIn', header: 'Last sign-in', cell: (a) => <Time value={a.lastSignInDateTime} empty="Never" /> },
};

export function AssignmentsTable({
  title,
  description,
  items,
  loading,
  error,
  retry,
  columns,
  selectable,
  selected,
  onSelect,
  isItemDisabled,
  actions,
  empty,
}: {
  title: string;
  description: ReactNode;
  items: PrivilegedAssignment[] | undefined;
  loading: boolean;
  error?: Error;
  retry: () => void;
  columns: Column[];
  selectable: boolean;
  selected: PrivilegedAssignment[];
  onSelect: (items: PrivilegedAssignment[]) => void;
  isItemDisabled?: (a: PrivilegedAssignment) => boolean;
  actions?: ReactNode;
  empty: [string, string];
}) {
  const collection = useCollection(items ?? [], {
    filtering: {
      empty: <Empty title={empty[0]}>{empty[1]}</Empty>,
      noMatch: <Empty title="No match">No assignment matches the search.</Empty>,
      filteringFunction: (a, t) => `${principalText(a)} ${a.roleDisplayName} ${a.appId ?? ''}`.toLowerCase().includes(t.toLowerCase()),
    },
    pagination: { pageSize: 20 },
    sorting: {},
  });

  return (
    <Table
      {...collection.collectionProps}
      items={collection.items}
      loading={loading && !items}
      loadingText="Loading assignments"
      trackBy="id"
      variant="container"
      wrapLines
      selectionType={selectable ? 'multi' : undefined}
      selectedItems={selected}
      onSelectionChange={(e) => onSelect(e.detail.selectedItems)}
      isItemDisabled={isItemDisabled}
      ariaLabels={{
        tableLabel: title,
        selectionGroupLabel: 'Assignments to act on',
        allItemsSelectionLabel: () => 'Select all assignments on this page',
        itemSelectionLabel: (_, a) => `Select ${principalText(a)}, ${a.roleDisplayName}`,
      }}
      header={
        <Header
          variant="h2"
          counter={items ? (selectable && selected.length ? `(${selected.length}/${items.length})` : `(${items.length})`) : undefined}
          description={description}
          actions={actions}
        >
          {title}
        </Header>
      }
      columnDefinitions={columns.map((c) => COLUMNS[c])}
      empty={error ? <LoadError error={error} retry={retry} /> : collection.collectionProps.empty}
      filter={<TextFilter {...collection.filterProps} filteringPlaceholder="Search by name or role" filteringAriaLabel={`Search ${title.toLowerCase()}`} />}
      pagination={
        <Pagination
          {...collection.paginationProps}
          ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
        />
      }
    />
  );
}
