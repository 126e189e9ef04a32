/**
 * Groups (PIM for groups): the directory's groups, paged and searched on the server (`$top`, the
 * `@odata.nextLink`, `startswith`), each opening its assignments and settings. Search and page are in the URL.
 */
import Badge from '@cloudscape-design/components/badge';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useEffect, useState } from 'react';
import type { Collection } from '../../api/client.ts';
import { odataString, query } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { Empty, LoadError, useLoad } from '../../components/page-states.tsx';
import { follow, href, navigate, useLocation } from '../../router.tsx';
import type { PageProps } from '../index.ts';

export interface GroupRow {
  id: string;
  displayName: string;
  description?: string | null;
  mail?: string | null;
  isAssignableToRole?: boolean;
  securityEnabled?: boolean;
  mailEnabled?: boolean;
}

const PAGE_SIZE = 50;

function firstPage(text: string): string {
  const t = text.trim();
  return `/v1.0/groups${query({ $filter: t ? `startswith(displayName,${odataString(t)})` : undefined, $top: PAGE_SIZE })}`;
}

export default function GroupsPage(_: PageProps) {
  const { api } = useApp();
  const location = useLocation();
  const search = location.search.get('q') ?? '';
  const [text, setText] = useState(search);
  // Pages already read: page n is fetched from the link page n-1 returned.
  const [links, setLinks] = useState<string[]>([firstPage(search)]);
  const [page, setPage] = useState(1);
  const data = useLoad(() => api.get<Collection<GroupRow>>(links[page - 1]!), links[page - 1]!);

  useEffect(() => {
    setLinks([firstPage(search)]);
    setPage(1);
  }, [search]);

  useEffect(() => {
    const next = data.data?.['@odata.nextLink'];
    if (next && links.length === page) setLinks((l) => [...l, next]);
  }, [data.data, links.length, page]);

  // Typing waits a moment before asking the server.
  useEffect(() => {
    if (text === search) return;
    const timer = window.setTimeout(() => navigate(`/manage/groups${text.trim() ? `?q=${encodeURIComponent(text.trim())}` : ''}`, { replace: true }), 300);
    return () => window.clearTimeout(timer);
  }, [text, search]);

  const items = data.data?.value ?? [];
  return (
    <ContentLayout
      header={
        <Header variant="h1" description="Make people eligible for membership or ownership of a group, and set what activating it requires.">
          Groups
        </Header>
      }
    >
      {data.error ? (
        <LoadError error={data.error} retry={data.reload} />
      ) : (
        <Table<GroupRow>
          items={items}
          loading={data.loading}
          loadingText="Loading groups"
          trackBy="id"
          variant="full-page"
          ariaLabels={{ tableLabel: 'Groups' }}
          header={
            <Header
              variant="awsui-h1-sticky"
              headingTagOverride="h2"
              description="Groups whose name starts with the search, read from the server a page at a time."
            >
              Groups
            </Header>
          }
          filter={
            <TextFilter
              filteringText={text}
              onChange={(e) => setText(e.detail.filteringText)}
              filteringPlaceholder="Search groups by the start of their name"
              filteringAriaLabel="Search groups"
              filteringClearAriaLabel="Clear the search"
            />
          }
          pagination={
            <Pagination
              currentPageIndex={page}
              pagesCount={links.length}
              openEnd={!!data.data?.['@odata.nextLink'] || links.length > page}
              onChange={(e) => setPage(e.detail.currentPageIndex)}
              ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
            />
          }
          empty={
            search ? <Empty title="No match">No group's name starts with “{search}”.</Empty> : <Empty title="No groups">The directory has no groups yet.</Empty>
          }
          columnDefinitions={[
            {
              id: 'name',
              header: 'Group',
              isRowHeader: true,
              cell: (g) => (
                <Link href={href(`/manage/groups/${encodeURIComponent(g.id)}`)} onFollow={follow}>
                  {g.displayName}
                </Link>
              ),
            },
            { id: 'description', header: 'Description', cell: (g) => g.description || '—' },
            { id: 'mail', header: 'Mail', cell: (g) => g.mail || '—' },
            {
              id: 'assignable',
              header: 'Role-assignable',
              cell: (g) => (g.isAssignableToRole ? <Badge color="blue">Role-assignable</Badge> : 'No'),
            },
          ]}
        />
      )}
    </ContentLayout>
  );
}
