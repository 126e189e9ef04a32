/** Access reviews: every review definition, newest first, paged on the server; New access review. */
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { query, REVIEWS } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { Empty, LoadError } from '../../components/page-states.tsx';
import { useServerPages } from '../../components/server-pages.ts';
import { Time } from '../../components/time.tsx';
import { follow, href, navigate } from '../../router.tsx';
import type { PageProps } from '../index.ts';

interface Definition {
  id: string;
  displayName: string;
  status: string;
  createdDateTime: string;
  createdBy: { displayName: string | null } | null;
  settings: { recurrence?: { pattern?: { type: string; interval: number } | null } | null };
}

const PAGE_SIZE = 50;

export function reviewStatus(status: string) {
  const type =
    status === 'InProgress' ? 'in-progress' : status === 'Completed' || status === 'Applied' ? 'success' : status === 'Stopped' ? 'stopped' : 'pending';
  return <StatusIndicator type={type}>{status.replace(/([a-z])([A-Z])/g, '$1 $2')}</StatusIndicator>;
}

export default function ReviewsPage(_: PageProps) {
  const { api, capabilities } = useApp();
  const pages = useServerPages<Definition>(api, `${REVIEWS}${query({ $top: PAGE_SIZE })}`);

  return (
    <ContentLayout
      header={
        <Header variant="h1" description="Have people confirm, again and again, that privileged access is still needed.">
          Access reviews
        </Header>
      }
    >
      <Table
        items={pages.items}
        loading={pages.loading}
        loadingText="Loading access reviews"
        trackBy="id"
        ariaLabels={{ tableLabel: 'Access reviews' }}
        header={
          <Header
            actions={
              capabilities['accessReviews.manage'] && (
                <Button variant="primary" onClick={() => navigate('/manage/access-reviews/new')}>
                  New access review
                </Button>
              )
            }
          >
            Reviews
          </Header>
        }
        empty={
          pages.error ? (
            <LoadError error={pages.error} retry={pages.reload} />
          ) : (
            <Empty title="No access reviews">Create one to review who holds privileged roles.</Empty>
          )
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
        columnDefinitions={[
          {
            id: 'name',
            header: 'Name',
            isRowHeader: true,
            cell: (d) => (
              <Link href={href(`/manage/access-reviews/${d.id}`)} onFollow={follow}>
                {d.displayName}
              </Link>
            ),
          },
          { id: 'status', header: 'Status', cell: (d) => reviewStatus(d.status) },
          { id: 'recurrence', header: 'Recurrence', cell: (d) => recurrenceText(d.settings.recurrence?.pattern) },
          { id: 'created', header: 'Created', cell: (d) => <Time value={d.createdDateTime} /> },
          { id: 'by', header: 'Created by', cell: (d) => d.createdBy?.displayName ?? '—' },
        ]}
      />
    </ContentLayout>
  );
}

export function recurrenceText(pattern: { type: string; interval: number } | null | undefined): string {
  if (!pattern) return 'One time';
  if (pattern.type === 'weekly') return pattern.interval === 1 ? 'Weekly' : `Every ${pattern.interval} weeks`;
  return { 1: 'Monthly', 3: 'Quarterly', 6: 'Semi-annually', 12: 'Annually' }[pattern.interval] ?? `Every ${pattern.interval} months`;
}
