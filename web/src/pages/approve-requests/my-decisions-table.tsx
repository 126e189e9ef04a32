/**
 * My decisions: requests I was an approver of that have ended (Graph's filterByCurrentUser(on='approver')
 * lists them after the queue), paged on the server, each with what I decided when I was the one who did
 * (read from its approval, only for the page on screen).
 */
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { Empty, LoadError, useLoad } from '../../components/page-states.tsx';
import { RequestStatus } from '../../components/request-status.tsx';
import { Time } from '../../components/time.tsx';
import { loadHistoryPage, myDecision, type MyDecision } from '../../domain/approver-queue.ts';
import { ACTION_LABEL, type RequestKind, type RequestRow } from '../../domain/requests.ts';
import { follow, href, navigate, useLocation } from '../../router.tsx';
import { requester } from './pending-table.tsx';

type Row = RequestRow & { mine?: MyDecision };

interface Page {
  rows: Row[];
  next?: string;
}

export function MyDecisionsTable() {
  const { api, me } = useApp();
  const { search } = useLocation();
  const kind: RequestKind = search.get('kind') === 'groups' ? 'groups' : 'roles';
  // Pages already read, by index; the link to the next one comes from the last.
  const [pages, setPages] = useState<Page[]>([]);
  const [index, setIndex] = useState(0);
  const data = useLoad(async () => {
    const known = pages[index];
    if (known && known.rows.length) return known;
    const page = await loadHistoryPage(api, kind, index > 0 ? pages[index - 1]?.next : undefined);
    const rows = await Promise.all(page.rows.map(async (r) => ({ ...r, mine: await myDecision(api, r, me.id) })));
    const loaded = { rows, next: page.next };
    setPages((p) => Object.assign([...p], { [index]: loaded }));
    return loaded;
  }, `${kind}:${index}`);

  function switchKind(k: RequestKind) {
    setPages([]);
    setIndex(0);
    navigate(`/approve-requests?tab=decisions&kind=${k}`, { replace: true });
  }

  if (data.error) return <LoadError error={data.error} retry={data.reload} />;
  const hasNext = Boolean(pages[index]?.next);
  return (
    <Table<Row>
      items={data.data?.rows ?? []}
      loading={data.loading}
      loadingText="Loading your decisions"
      trackBy="id"
      wrapLines
      empty={<Empty title="No decisions yet">Requests you approved or denied appear here.</Empty>}
      header={
        <Header
          variant="h2"
          description="Requests you were asked to approve that have ended, oldest first."
          actions={
            <SegmentedControl
              selectedId={kind}
              onChange={(e) => switchKind(e.detail.selectedId as RequestKind)}
              label="Kind of request"
              options={[
                { id: 'roles', text: 'Microsoft Entra roles' },
                { id: 'groups', text: 'Groups' },
              ]}
            />
          }
        >
          My decisions
        </Header>
      }
      pagination={
        <Pagination
          currentPageIndex={index + 1}
          pagesCount={pages.length || 1}
          openEnd={hasNext}
          onChange={(e) => setIndex(e.detail.currentPageIndex - 1)}
          onNextPageClick={(e) => {
            if (!e.detail.requestedPageAvailable && hasNext) setIndex(index + 1);
          }}
          ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
        />
      }
      columnDefinitions={[
        { id: 'requester', header: 'Requester', cell: requester, isRowHeader: true },
        {
          id: 'target',
          header: kind === 'roles' ? 'Role' : 'Group',
          cell: (r) => (
            <Link href={href(`/requests/${r.id}`)} onFollow={follow}>
              {r.target}
            </Link>
          ),
        },
        { id: 'action', header: 'Request type', cell: (r) => ACTION_LABEL[r.action] ?? r.action },
        { id: 'reason', header: 'Reason', cell: (r) => r.justification || '—', maxWidth: 260 },
        {
          id: 'mine',
          header: 'Your decision',
          cell: (r) => r.mine?.result ?? (r.mine?.by ? `None: ${r.mine.by} decided first` : r.status === 'TimedOut' ? 'None: timed out' : 'None'),
        },
        { id: 'why', header: 'Your justification', cell: (r) => r.mine?.justification ?? '—', maxWidth: 240 },
        { id: 'when', header: 'Decided', cell: (r) => <Time value={r.mine?.at ?? r.completedDateTime} empty="—" /> },
        { id: 'status', header: 'Request status', cell: (r) => <RequestStatus status={r.status} />, minWidth: 160 },
      ]}
    />
  );
}
