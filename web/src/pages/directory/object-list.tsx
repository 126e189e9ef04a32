/**
 * One kind's list: paged on the server (`$top` + `@odata.nextLink`), searched on the server with
 * `startswith` as the person types (debounced; the search is kept in the URL so it can be shared).
 */
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useEffect, useState } from 'react';
import { query } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { useDebounced } from '../../components/debounce.ts';
import { Empty, LoadError } from '../../components/page-states.tsx';
import { useServerPages } from '../../components/server-pages.ts';
import { KIND_LABEL, searchFilter, type DirectoryKind } from '../../domain/directory.ts';
import { navigate, useLocation } from '../../router.tsx';
import { COLUMNS } from './columns.tsx';

const PAGE_SIZE = 25;

const SEARCH_HINT: Record<DirectoryKind, string> = {
  users: 'Search by name, user principal name or email (starts with)',
  groups: 'Search by name or email (starts with)',
  servicePrincipals: 'Search by name (starts with)',
};

function matches(count: number, more: boolean): string {
  return `${count}${more ? '+' : ''} ${count === 1 && !more ? 'match' : 'matches'}`;
}

export function ObjectList({ kind, onNew }: { kind: DirectoryKind; onNew: () => void }) {
  const { api } = useApp();
  const location = useLocation();
  const [text, setText] = useState(location.search.get('search') ?? '');
  const search = useDebounced(text);

  // The settled search goes in the URL (replacing, so Back leaves the page rather than undoing letters).
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    if ((params.get('search') ?? '') === search) return;
    if (search) params.set('search', search);
    else params.delete('search');
    navigate(`/manage/directory?${params.toString()}`, { replace: true });
  }, [search]);

  const path = `/v1.0/${kind}${query({ $filter: searchFilter(kind, search), $top: PAGE_SIZE })}`;
  const pages = useServerPages<{ id: string; displayName: string }>(api, path);
  const label = KIND_LABEL[kind];

  return (
    <Table
      items={pages.items}
      loading={pages.loading}
      loadingText={`Loading ${label.plural.toLowerCase()}`}
      trackBy="id"
      columnDefinitions={COLUMNS[kind]}
      variant="container"
      // Groups carry descriptions; names, addresses and dates read better on one line.
      wrapLines={kind === 'groups'}
      ariaLabels={{ tableLabel: label.plural }}
      header={
        <Header
          variant="h2"
          counter={pages.loading ? undefined : `(${(pages.pageIndex - 1) * PAGE_SIZE + pages.items.length}${pages.hasMore ? '+' : ''})`}
          actions={
            <Button variant="primary" onClick={onNew}>
              {label.newLabel}
            </Button>
          }
        >
          {label.plural}
        </Header>
      }
      filter={
        <TextFilter
          filteringText={text}
          onChange={(e) => setText(e.detail.filteringText)}
          filteringPlaceholder={SEARCH_HINT[kind]}
          filteringAriaLabel={`Search ${label.plural.toLowerCase()}`}
          filteringClearAriaLabel="Clear the search"
          countText={search && !pages.loading ? matches(pages.items.length, pages.hasMore) : undefined}
        />
      }
      pagination={
        <Pagination
          currentPageIndex={pages.pageIndex}
          pagesCount={pages.pagesCount}
          openEnd={pages.hasMore}
          disabled={pages.loading}
          onChange={(e) => pages.goTo(e.detail.currentPageIndex)}
          ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
        />
      }
      empty={
        pages.error ? (
          <LoadError error={pages.error} retry={pages.reload} />
        ) : search ? (
          <Empty title="No match">{`No ${label.plural.toLowerCase()} start with '${search}'.`}</Empty>
        ) : (
          <Empty title={`No ${label.plural.toLowerCase()}`}>
            <Button onClick={onNew}>{label.newLabel}</Button>
          </Empty>
        )
      }
    />
  );
}
