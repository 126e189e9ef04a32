/**
 * Requests for role activations (and extensions, renewals, group access) waiting for my decision:
 * requester, what and where, when and how long, their reason and ticket inline. Select one or many,
 * then Approve or Deny with one justification.
 */
import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useCollection } from '@cloudscape-design/collection-hooks';
import { useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { Empty, LoadError, useLoad } from '../../components/page-states.tsx';
import { describeDuration, Time } from '../../components/time.tsx';
import { decideMany, loadQueue, QUEUE_PAGE, type DecisionResult } from '../../domain/approver-queue.ts';
import { ACTION_LABEL, type RequestRow } from '../../domain/requests.ts';
import { follow, href } from '../../router.tsx';
import { DecisionModal, type Verdict } from './decision-modal.tsx';

export function requester(r: RequestRow): string {
  return r.principal?.displayName ?? r.createdBy?.user?.displayName ?? r.principalId;
}

export function scopeOf(r: RequestRow): string {
  if (r.kind === 'groups') return r.group?.displayName ?? r.groupId ?? '—';
  return !r.directoryScopeId || r.directoryScopeId === '/' ? 'Directory' : r.directoryScopeId;
}

export function ticket(r: RequestRow): string {
  const t = r.ticketInfo;
  return t?.ticketNumber ? `${t.ticketNumber}${t.ticketSystem ? ` (${t.ticketSystem})` : ''}` : '—';
}

export function PendingTable() {
  const { api } = useApp();
  const data = useLoad(() => loadQueue(api), 'queue');
  const [verdict, setVerdict] = useState<Verdict>();
  const [results, setResults] = useState<DecisionResult[]>();
  const collection = useCollection(data.data?.rows ?? [], {
    filtering: {
      empty: <Empty title="No requests waiting">Requests that need your approval appear here, and in your email.</Empty>,
      noMatch: <Empty title="No match" />,
    },
    pagination: { pageSize: 25 },
    sorting: { defaultState: { sortingColumn: { sortingField: 'createdDateTime' } } },
    selection: { trackBy: 'id', keepSelection: false },
  });
  const selected = collection.collectionProps.selectedItems ?? [];

  async function confirm(justification: string) {
    const answer = await decideMany(api, [...selected], verdict!, justification);
    setResults(answer);
    setVerdict(undefined);
    collection.actions.setSelectedItems([]);
    data.reload();
  }

  if (data.error) return <LoadError error={data.error} retry={data.reload} />;
  return (
    <SpaceBetween size="m">
      {results && <Results results={results} onDismiss={() => setResults(undefined)} />}
      <Table
        {...collection.collectionProps}
        items={collection.items}
        selectionType="multi"
        ariaLabels={{
          selectionGroupLabel: 'Requests to decide',
          allItemsSelectionLabel: () => 'Select every request on this page',
          itemSelectionLabel: (_, r) => `Select the request of ${requester(r)} for ${r.target}`,
        }}
        loading={data.loading && !data.data}
        loadingText="Loading requests waiting for you"
        trackBy="id"
        wrapLines
        header={
          <Header
            variant="h2"
            counter={data.data ? `(${data.data.rows.length}${data.data.more ? '+' : ''})` : undefined}
            description={
              data.data?.more
                ? `Showing the first ${QUEUE_PAGE} of each kind of request; decide these to see the rest.`
                : 'Oldest first: the first to time out.'
            }
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button iconName="refresh" ariaLabel="Refresh" onClick={data.reload} />
                <Button disabled={selected.length === 0} onClick={() => setVerdict('Deny')}>
                  Deny
                </Button>
                <Button variant="primary" disabled={selected.length === 0} onClick={() => setVerdict('Approve')}>
                  Approve
                </Button>
              </SpaceBetween>
            }
          >
            Requests for role activations
          </Header>
        }
        filter={
          <TextFilter
            filteringClearAriaLabel="Clear search"
            {...collection.filterProps}
            filteringPlaceholder="Search requests"
            filteringAriaLabel="Search requests"
          />
        }
        pagination={
          <Pagination
            {...collection.paginationProps}
            ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
          />
        }
        columnDefinitions={[
          { id: 'requester', header: 'Requester', cell: requester, isRowHeader: true },
          {
            id: 'target',
            header: 'Role or group',
            cell: (r) => (
              <Link href={href(`/requests/${r.id}`)} onFollow={follow}>
                {r.target}
              </Link>
            ),
          },
          { id: 'action', header: 'Request type', cell: (r) => ACTION_LABEL[r.action] ?? r.action },
          { id: 'scope', header: 'Scope', cell: scopeOf },
          {
            id: 'start',
            header: 'Start',
            cell: (r) =>
              r.scheduleInfo?.startDateTime && Date.parse(r.scheduleInfo.startDateTime) > Date.parse(r.createdDateTime) + 60_000 ? (
                <Time value={r.scheduleInfo.startDateTime} />
              ) : (
                'When approved'
              ),
          },
          {
            id: 'duration',
            header: 'Duration',
            cell: (r) => {
              const e = r.scheduleInfo?.expiration;
              return e?.duration ? describeDuration(e.duration) : e?.endDateTime ? <Time value={e.endDateTime} /> : 'Permanent';
            },
          },
          { id: 'reason', header: 'Reason', cell: (r) => r.justification || '—', minWidth: 280 },
          { id: 'ticket', header: 'Ticket', cell: ticket },
          { id: 'requested', header: 'Requested', cell: (r) => <Time value={r.createdDateTime} />, sortingField: 'createdDateTime' },
        ]}
      />
      {verdict && <DecisionModal verdict={verdict} rows={[...selected]} onConfirm={confirm} onDismiss={() => setVerdict(undefined)} />}
    </SpaceBetween>
  );
}

function Results({ results, onDismiss }: { results: DecisionResult[]; onDismiss: () => void }) {
  const failed = results.filter((r) => !r.ok);
  return (
    <Alert
      type={failed.length === 0 ? 'success' : failed.length === results.length ? 'error' : 'warning'}
      dismissible
      onDismiss={onDismiss}
      header={
        failed.length === 0
          ? `${results.length === 1 ? 'Your decision is' : `${results.length} decisions are`} recorded`
          : `${results.length - failed.length} of ${results.length} decisions recorded`
      }
    >
      <ul>
        {results.map((r) => (
          <li key={r.row.id}>
            {requester(r.row)} — {r.row.target}: {r.message}
          </li>
        ))}
      </ul>
    </Alert>
  );
}
