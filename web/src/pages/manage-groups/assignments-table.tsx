/** A group's eligible, active or expired assignments (members and owners), with the actions each row allows. */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useCollection } from '@cloudscape-design/collection-hooks';
import { Empty } from '../../components/page-states.tsx';
import { Time, useNow } from '../../components/time.tsx';
import type { RowAction } from './admin-action-modal.tsx';
import type { GroupAssignment } from './group-data.ts';

export type View = 'eligible' | 'active' | 'expired';

/** Extend is offered in the last 14 days before an end, as in Entra. */
const EXTEND_LEAD = 14 * 86_400_000;

const EMPTY: Record<View, [string, string]> = {
  eligible: ['No eligible assignments', 'Add assignments to make people eligible for membership or ownership.'],
  active: ['No active assignments', 'Active and activated members and owners appear here.'],
  expired: ['No expired assignments', 'Assignments that ended in the last 30 days appear here.'],
};

export function AssignmentsTable({
  view,
  title,
  items,
  loading,
  canManage,
  onAdd,
  onAction,
}: {
  view: View;
  title: string;
  items?: GroupAssignment[];
  loading: boolean;
  canManage: boolean;
  onAdd: () => void;
  onAction: (row: GroupAssignment, action: RowAction) => void;
}) {
  const now = useNow();
  const collection = useCollection(items ?? [], {
    filtering: {
      empty: <Empty title={EMPTY[view][0]}>{EMPTY[view][1]}</Empty>,
      noMatch: <Empty title="No match">No assignment matches the search.</Empty>,
      filteringFunction: (a, t) => `${a.principal.displayName} ${a.principal.detail ?? ''} ${a.accessId}`.toLowerCase().includes(t.toLowerCase()),
    },
    pagination: { pageSize: 50 },
    sorting: { defaultState: { sortingColumn: { sortingField: 'accessId' } } },
  });

  const actions = (a: GroupAssignment) => {
    const buttons: { action: RowAction; label: string }[] = [];
    const direct = a.memberType.toLowerCase() === 'direct';
    if (view === 'expired') {
      if (direct && a.state !== 'Activated') buttons.push({ action: 'adminRenew', label: 'Renew' });
    } else if (a.state === 'Activated') {
      return <Box variant="small">Activated by the member</Box>;
    } else if (direct) {
      buttons.push({ action: 'adminRemove', label: 'Remove' });
      if (a.endDateTime && Date.parse(a.endDateTime) - now <= EXTEND_LEAD) buttons.push({ action: 'adminExtend', label: 'Extend' });
    }
    if (!direct) return <Box variant="small">Inherited</Box>;
    return (
      <SpaceBetween direction="horizontal" size="xs">
        {buttons.map((b) => (
          <Button
            key={b.action}
            variant="inline-link"
            ariaLabel={`${b.label} ${a.principal.displayName} (${a.accessId})`}
            onClick={() => onAction(a, b.action)}
          >
            {b.label}
          </Button>
        ))}
      </SpaceBetween>
    );
  };

  const columns: TableProps.ColumnDefinition<GroupAssignment>[] = [
    {
      id: 'name',
      header: 'Name',
      isRowHeader: true,
      cell: (a) => (
        <span>
          {a.principal.displayName}
          {a.principal.detail && (
            <Box variant="small" display="block">
              {a.principal.detail}
            </Box>
          )}
        </span>
      ),
    },
    { id: 'role', header: 'Role', cell: (a) => (a.accessId === 'owner' ? 'Owner' : 'Member'), sortingField: 'accessId' },
    ...(view !== 'eligible' ? [{ id: 'state', header: 'State', cell: (a: GroupAssignment) => a.state }] : []),
    { id: 'start', header: 'Start time', cell: (a) => <Time value={a.startDateTime} empty="—" /> },
    { id: 'end', header: view === 'expired' ? 'Ended' : 'End time', cell: (a) => <Time value={a.endDateTime} />, sortingField: 'endDateTime' },
    ...(canManage ? [{ id: 'action', header: 'Action', cell: actions }] : []),
  ];

  return (
    <Table<GroupAssignment>
      {...collection.collectionProps}
      items={collection.items}
      columnDefinitions={columns}
      loading={loading && !items}
      loadingText="Loading assignments"
      trackBy={(a) => `${a.level}:${a.id}`}
      variant="embedded"
      ariaLabels={{ tableLabel: title }}
      header={
        <Header
          counter={items ? `(${items.length})` : undefined}
          actions={
            canManage && (
              <Button variant="primary" iconName="add-plus" onClick={onAdd}>
                Add assignments
              </Button>
            )
          }
        >
          {title}
        </Header>
      }
      filter={
        <TextFilter
          {...collection.filterProps}
          filteringPlaceholder="Search by name"
          filteringAriaLabel="Search assignments"
          filteringClearAriaLabel="Clear the search"
          countText={`${collection.filteredItemsCount ?? 0} matches`}
        />
      }
      pagination={
        <Pagination
          {...collection.paginationProps}
          ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
        />
      }
    />
  );
}
