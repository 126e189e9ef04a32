/**
 * My requests: every role, group and AWS role request I made, newest first, with its status (for AWS,
 * PendingProvisioning or Failed with the reason); Cancel on those still waiting. A new request shows here
 * at once (the list is read fresh on every visit).
 */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useCollection } from '@cloudscape-design/collection-hooks';
import { useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { AWS, mine, query } from '../../api/paths.ts';
import { AwsNotConnected, isAwsNotConnected } from '../../components/aws-not-connected.tsx';
import { Empty, LoadError, useLoad } from '../../components/page-states.tsx';
import { RequestStatus } from '../../components/request-status.tsx';
import { Time } from '../../components/time.tsx';
import { ACTION_LABEL, ALL_COLLECTIONS, CANCELLABLE, row, type GraphRequest, type RequestKind, type RequestRow } from '../../domain/requests.ts';
import { follow, href, navigate, useLocation } from '../../router.tsx';
import { awsScopeName, type AwsAccount } from '../my-roles/aws-data.ts';
import type { PageProps } from '../index.ts';

const PAGE = 100;
const KINDS: { id: RequestKind; text: string }[] = [
  { id: 'roles', text: 'Microsoft Entra roles' },
  { id: 'groups', text: 'Groups' },
  { id: 'aws', text: 'AWS accounts' },
];

export default function MyRequestsPage(_: PageProps) {
  const { api, notify } = useApp();
  const location = useLocation();
  const kind: RequestKind = KINDS.find((k) => k.id === location.search.get('kind'))?.id ?? 'roles';
  const setKind = (k: RequestKind) => navigate(k === 'roles' ? '/my-requests' : `/my-requests?kind=${k}`, { replace: true });
  const [cancelling, setCancelling] = useState<string>();
  const data = useLoad(async () => {
    // AWS scopes are named from the accounts the person may see: "dev (111122223333)", "OU NonProd".
    const [accounts, lists] = await Promise.all([
      kind === 'aws' ? api.all<AwsAccount>(`${AWS}/accounts${query({ $top: 999 })}`) : Promise.resolve([]),
      Promise.all(
        ALL_COLLECTIONS.filter((c) => c.kind === kind).map(async (c) => {
          const page = await api.get<{ value: GraphRequest[]; '@odata.nextLink'?: string }>(`${mine(c.path)}${query({ $expand: c.expand, $top: PAGE })}`);
          return { rows: page.value.map((r) => row(r, c.kind, c.level)), more: Boolean(page['@odata.nextLink']) };
        }),
      ),
    ]);
    return {
      rows: lists.flatMap((l) => l.rows).sort((a, b) => b.createdDateTime.localeCompare(a.createdDateTime)),
      more: lists.some((l) => l.more),
      accounts,
    };
  }, kind);

  const collection = useCollection(data.data?.rows ?? [], {
    filtering: { empty: <Empty title="No requests">Requests you make from My roles appear here.</Empty>, noMatch: <Empty title="No match" /> },
    pagination: { pageSize: 25 },
    sorting: {},
  });

  async function cancel(r: RequestRow) {
    setCancelling(r.id);
    try {
      const c = ALL_COLLECTIONS.find((c) => c.kind === r.kind && c.level === r.level)!;
      await api.post(`${c.path}/${encodeURIComponent(r.id)}/cancel`);
      notify({ type: 'success', header: `Request cancelled`, content: `${ACTION_LABEL[r.action] ?? r.action} ${r.target}` });
      data.reload();
    } catch (error) {
      notify({ type: 'error', header: 'Could not cancel', content: (error as Error).message });
    } finally {
      setCancelling(undefined);
    }
  }

  return (
    <ContentLayout
      header={
        <Header variant="h1" description="What you asked for, and where each request stands.">
          My requests
        </Header>
      }
    >
      {kind === 'aws' && isAwsNotConnected(data.error) ? (
        <SpaceBetween size="m">
          <KindControl kind={kind} onChange={setKind} />
          <AwsNotConnected />
        </SpaceBetween>
      ) : data.error ? (
        <LoadError error={data.error} retry={data.reload} />
      ) : (
        <Table
          {...collection.collectionProps}
          items={collection.items}
          loading={data.loading && !data.data}
          loadingText="Loading your requests"
          trackBy="id"
          header={
            <Header
              counter={data.data ? `(${data.data.rows.length}${data.data.more ? '+' : ''})` : undefined}
              actions={<KindControl kind={kind} onChange={setKind} />}
              description={data.data?.more ? `Showing the latest ${PAGE} of each kind.` : undefined}
            >
              Requests
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
            {
              id: 'target',
              header: kind === 'groups' ? 'Group' : 'Role',
              isRowHeader: true,
              cell: (r) => (
                <Link href={href(`/requests/${r.id}`)} onFollow={follow}>
                  {r.target}
                </Link>
              ),
            },
            ...(kind === 'aws'
              ? [{ id: 'scope', header: 'Scope', cell: (r: RequestRow) => awsScopeName(r.directoryScopeId ?? '', data.data?.accounts ?? []) }]
              : []),
            { id: 'action', header: 'Action', cell: (r) => ACTION_LABEL[r.action] ?? r.action },
            { id: 'type', header: 'Assignment type', cell: (r) => (r.level === 'eligibility' ? 'Eligible' : 'Active') },
            {
              id: 'status',
              header: 'Request status',
              cell: (r) => (
                <SpaceBetween size="xxxs">
                  <RequestStatus status={r.status} />
                  {r.awsAccess?.failureReason && <Box variant="small">{r.awsAccess.failureReason}</Box>}
                </SpaceBetween>
              ),
            },
            { id: 'reason', header: 'Reason', cell: (r) => r.justification ?? '—', maxWidth: 280 },
            { id: 'created', header: 'Requested', cell: (r) => <Time value={r.createdDateTime} />, sortingField: 'createdDateTime' },
            {
              id: 'actions',
              header: 'Action',
              cell: (r) =>
                CANCELLABLE.has(r.status) ? (
                  <Button variant="inline-link" loading={cancelling === r.id} ariaLabel={`Cancel the request for ${r.target}`} onClick={() => void cancel(r)}>
                    Cancel
                  </Button>
                ) : (
                  <Box variant="small">—</Box>
                ),
            },
          ]}
        />
      )}
    </ContentLayout>
  );
}

function KindControl({ kind, onChange }: { kind: RequestKind; onChange: (k: RequestKind) => void }) {
  return <SegmentedControl selectedId={kind} onChange={(e) => onChange(e.detail.selectedId as RequestKind)} label="Kind of request" options={KINDS} />;
}
