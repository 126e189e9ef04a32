/**
 * Review access: the access reviews I am a reviewer of, one row per instance, the open ones first; each
 * links to its own page (the same path as the link in review emails).
 */
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useApp } from '../../app-context.tsx';
import { Empty, LoadError, useLoad } from '../../components/page-states.tsx';
import { Time } from '../../components/time.tsx';
import { loadMyReviews } from '../../domain/reviews.ts';
import { follow, href } from '../../router.tsx';
import type { PageProps } from '../index.ts';

export function ReviewStatus({ status }: { status: string }) {
  if (status === 'InProgress') return <StatusIndicator type="in-progress">Active</StatusIndicator>;
  if (status === 'NotStarted' || status === 'Initializing' || status === 'Starting') return <StatusIndicator type="pending">Not started</StatusIndicator>;
  return <StatusIndicator type="stopped">{status === 'Completed' ? 'Completed' : status}</StatusIndicator>;
}

export default function ReviewAccessPage(_: PageProps) {
  const { api } = useApp();
  const data = useLoad(() => loadMyReviews(api), 'reviews');
  return (
    <ContentLayout
      header={
        <Header variant="h1" description="Access reviews that ask you whether people still need their access.">
          Review access
        </Header>
      }
    >
      {data.error ? (
        <LoadError error={data.error} retry={data.reload} />
      ) : (
        <Table
          items={data.data?.rows ?? []}
          loading={data.loading && !data.data}
          loadingText="Loading your access reviews"
          trackBy={(r) => r.instance.id}
          variant="full-page"
          empty={<Empty title="No access reviews">Reviews that name you as a reviewer appear here.</Empty>}
          header={
            <Header variant="h2" counter={data.data ? `(${data.data.rows.length}${data.data.more ? '+' : ''})` : undefined}>
              My access reviews
            </Header>
          }
          columnDefinitions={[
            {
              id: 'name',
              header: 'Review name',
              isRowHeader: true,
              cell: (r) => (
                <Link href={href(`/reviews/${r.definition.id}/${r.instance.id}`)} onFollow={follow}>
                  {r.definition.displayName}
                </Link>
              ),
            },
            { id: 'description', header: 'Description', cell: (r) => r.definition.descriptionForReviewers || '—', maxWidth: 320 },
            { id: 'status', header: 'Status', cell: (r) => <ReviewStatus status={r.instance.status} /> },
            { id: 'start', header: 'Start', cell: (r) => <Time value={r.instance.startDateTime} /> },
            { id: 'end', header: 'Due', cell: (r) => <Time value={r.instance.endDateTime} /> },
          ]}
        />
      )}
    </ContentLayout>
  );
}
