/** A table over a server-paged collection (members, memberships), with its paging and states. */
import Pagination from '@cloudscape-design/components/pagination';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import type { ReactNode } from 'react';
import { Empty, LoadError } from '../../components/page-states.tsx';
import type { ServerPages } from '../../components/server-pages.ts';

export function PagedTable<T extends { id: string }>({
  pages,
  columns,
  header,
  label,
  emptyTitle,
  emptyText,
}: {
  pages: ServerPages<T>;
  columns: TableProps.ColumnDefinition<T>[];
  header: ReactNode;
  label: string;
  emptyTitle: string;
  emptyText?: ReactNode;
}) {
  return (
    <Table
      items={pages.items}
      loading={pages.loading}
      loadingText={`Loading ${label.toLowerCase()}`}
      trackBy="id"
      variant="container"
      columnDefinitions={columns}
      ariaLabels={{ tableLabel: label }}
      header={header}
      pagination={
        <Pagination
          currentPageIndex={pages.pageIndex}
          pagesCount={pages.pagesCount}
          openEnd={pages.hasMore}
          disabled={pages.loading}
          onChange={(e) => pages.goTo(e.detail.currentPageIndex)}
          ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n} of ${label.toLowerCase()}` }}
        />
      }
      empty={pages.error ? <LoadError error={pages.error} retry={pages.reload} /> : <Empty title={emptyTitle}>{emptyText}</Empty>}
    />
  );
}
