/**
 * An alert's incidents, paged on the server (an alert such as "stale accounts" can list thousands). The
 * columns are the properties this alert's incidents carry; Fix is offered where the alert can be fixed.
 */
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import { useState } from 'react';
import { query } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { Empty, LoadError } from '../../components/page-states.tsx';
import { useServerPages } from '../../components/server-pages.ts';
import { Time } from '../../components/time.tsx';
import { assigneeText, incidentColumns, type Incident } from '../../domain/alerts.ts';
import { alertPath } from './alert-data.ts';
import { FixModal } from './fix-modal.tsx';

const PAGE = 50;

export function IncidentsTable({ alertId, alertName, canFix, onFixed }: { alertId: string; alertName: string; canFix: boolean; onFixed: () => void }) {
  const { api } = useApp();
  // After a scan or a fix the page gives this table a new key, so the list starts over at page 1.
  const pages = useServerPages<Incident>(api, `${alertPath(alertId)}/alertIncidents${query({ $top: PAGE })}`);
  const [fixing, setFixing] = useState<Incident>();

  const columns: TableProps.ColumnDefinition<Incident>[] = incidentColumns(alertId).map((c, n) => ({
    id: c.key,
    header: c.header,
    isRowHeader: n === 0,
    cell: (i: Incident) =>
      c.key === 'assigneeDisplayName' ? assigneeText(i) : 'time' in c ? <Time value={i[c.key] as string | null} empty="Never" /> : String(i[c.key] ?? '—'),
  }));
  if (canFix)
    columns.push({
      id: 'fix',
      header: 'Action',
      cell: (i) => (
        <Button variant="inline-link" ariaLabel={`Fix: ${assigneeText(i) || String(i.roleDisplayName ?? i.id)}`} onClick={() => setFixing(i)}>
          Fix
        </Button>
      ),
    });

  return (
    <>
      <Table
        items={pages.items}
        loading={pages.loading}
        loadingText="Loading incidents"
        trackBy="id"
        variant="container"
        wrapLines
        ariaLabels={{ tableLabel: 'Incidents' }}
        header={<Header variant="h2">Incidents</Header>}
        columnDefinitions={columns}
        empty={
          pages.error ? <LoadError error={pages.error} retry={pages.reload} /> : <Empty title="No incidents">The last scan found nothing for this alert.</Empty>
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
      />
      {fixing && (
        <FixModal
          alertId={alertId}
          alertName={alertName}
          incident={fixing}
          onClose={() => setFixing(undefined)}
          onDone={() => {
            setFixing(undefined);
            onFixed();
          }}
        />
      )}
    </>
  );
}
