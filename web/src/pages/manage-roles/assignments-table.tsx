/**
 * One kind of a role's assignments (eligible, active, or expired eligible/active), paged on the server,
 * with Entra's columns and the actions an administrator has on each row, and Export of all pages to CSV.
 */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import { useState } from 'react';
import { useApp } from '../../app-context.tsx';
import type { AdminRules } from '../../domain/admin-policy.ts';
import { Empty, LoadError } from '../../components/page-states.tsx';
import { Time } from '../../components/time.tsx';
import { AdminActionModal, ACTION_LABEL, type RowAction } from './admin-action-modal.tsx';
import {
  assignmentsPath,
  COUNT_PAGE,
  endOf,
  principalName,
  principalType,
  scopeLabel,
  startOf,
  stateOf,
  type AssignmentView,
  type Level,
  type Schedule,
} from './data.ts';
import { ExportButton } from './export-button.tsx';
import { useServerPages } from '../../components/server-pages.ts';

const TITLE: Record<AssignmentView, string> = {
  eligible: 'Eligible assignments',
  active: 'Active assignments',
  expired: 'Expired assignments (last 30 days)',
};

function actionsFor(s: Schedule, view: AssignmentView): RowAction[] {
  if (s.memberType !== 'Direct') return [];
  if (view === 'expired') return ['adminRenew'];
  // An activation is the holder's own; it ends with its time or with the eligibility it came from.
  if (s.assignmentType === 'Activated') return [];
  return endOf(s) === null ? ['adminUpdate', 'adminRemove'] : ['adminUpdate', 'adminRemove', 'adminExtend'];
}

export function AssignmentsTable({
  roleId,
  roleName,
  view,
  level,
  onLevel,
  rules,
  canManage,
}: {
  roleId: string;
  roleName: string;
  view: AssignmentView;
  level: Level;
  onLevel?: (level: Level) => void;
  rules: Record<Level, AdminRules>;
  canManage: boolean;
}) {
  const { api } = useApp();
  // "Ended in the last 30 days" counts from when the tab opened: a path that changed on every render would reload forever.
  const [openedAt] = useState(() => Date.now());
  const firstPage = assignmentsPath(roleId, view, level, undefined, openedAt);
  const pages = useServerPages<Schedule>(api, firstPage);
  const [acting, setActing] = useState<{ schedule: Schedule; action: RowAction }>();
  const title = TITLE[view];

  const columns: TableProps.ColumnDefinition<Schedule>[] = [
    { id: 'name', header: 'Name', isRowHeader: true, cell: (s) => s.principal?.displayName ?? s.principalId },
    { id: 'principalName', header: 'Principal name', cell: (s) => principalName(s.principal) },
    { id: 'type', header: 'Type', cell: (s) => principalType(s.principal, s.principalId) },
    { id: 'scope', header: 'Scope', cell: (s) => scopeLabel(s.directoryScopeId) },
    { id: 'membership', header: 'Membership', cell: (s) => s.memberType },
    { id: 'start', header: 'Start time', cell: (s) => <Time value={startOf(s)} empty="—" /> },
    { id: 'end', header: 'End time', cell: (s) => <Time value={endOf(s)} /> },
    { id: 'state', header: 'State', cell: (s) => stateOf(s, view) },
  ];
  if (canManage)
    columns.push({
      id: 'action',
      header: 'Action',
      minWidth: 200,
      cell: (s) => {
        const actions = actionsFor(s, view);
        if (!actions.length) return <Box variant="small">{s.assignmentType === 'Activated' ? 'Activated by the holder' : '—'}</Box>;
        const who = s.principal?.displayName ?? s.principalId;
        return (
          <SpaceBetween direction="horizontal" size="xs">
            {actions.map((action) => (
              <Button key={action} variant="inline-link" ariaLabel={`${ACTION_LABEL[action]} ${who}`} onClick={() => setActing({ schedule: s, action })}>
                {ACTION_LABEL[action]}
              </Button>
            ))}
          </SpaceBetween>
        );
      },
    });

  if (pages.error) return <LoadError error={pages.error} retry={pages.reload} />;
  return (
    <>
      <Table
        items={pages.items}
        loading={pages.loading}
        loadingText={`Loading ${title.toLowerCase()}`}
        variant="embedded"
        wrapLines
        trackBy="id"
        columnDefinitions={columns}
        ariaLabels={{ tableLabel: title }}
        header={
          <Header
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                {view === 'expired' && onLevel && (
                  <SegmentedControl
                    label="Kind of expired assignment"
                    selectedId={level}
                    onChange={(e) => onLevel(e.detail.selectedId as Level)}
                    options={[
                      { id: 'eligibility', text: 'Eligible' },
                      { id: 'assignment', text: 'Active' },
                    ]}
                  />
                )}
                <ExportButton path={assignmentsPath(roleId, view, level, COUNT_PAGE, openedAt)} view={view} fileName={`${roleName} - ${title}.csv`} />
              </SpaceBetween>
            }
          >
            {title}
          </Header>
        }
        pagination={
          <Pagination
            currentPageIndex={pages.pageIndex}
            pagesCount={pages.pagesCount}
            openEnd={pages.hasMore}
            onChange={(e) => pages.goTo(e.detail.currentPageIndex)}
            ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
          />
        }
        empty={
          <Empty title={`No ${title.toLowerCase()}`}>
            {view === 'expired' ? 'Assignments of this role that ended in the last 30 days appear here.' : 'Use Add assignments to give someone this role.'}
          </Empty>
        }
      />
      {acting && (
        <AdminActionModal
          schedule={acting.schedule}
          level={level}
          action={acting.action}
          roleName={roleName}
          rules={rules[level]}
          onClose={() => setActing(undefined)}
          onDone={() => {
            setActing(undefined);
            pages.reload();
          }}
        />
      )}
    </>
  );
}
