/**
 * Manage → Microsoft Entra roles: the role definitions, paged on the server, with a Privileged filter and
 * a name search (both sent to the API as $filter), and per visible role its eligible and active counts.
 * Every view state lives in the URL (?privileged=1&search=…).
 */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import Toggle from '@cloudscape-design/components/toggle';
import { useEffect, useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { Empty, LoadError } from '../../components/page-states.tsx';
import { follow, href, navigate, useLocation } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { AssignmentCount } from './assignment-count.tsx';
import { rolesPath, type RoleDefinition } from './data.ts';
import { useServerPages } from '../../components/server-pages.ts';

const SEARCH_DELAY_MS = 300;

export default function RolesPage(_: PageProps) {
  const { api, capabilities } = useApp();
  const location = useLocation();
  const privileged = location.search.get('privileged') === '1';
  const search = location.search.get('search') ?? '';
  const [typed, setTyped] = useState(search);
  const pages = useServerPages<RoleDefinition>(api, rolesPath({ privileged, search }));

  const setParams = (patch: Record<string, string | undefined>) => {
    const params = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(patch)) {
      if (!v) params.delete(k);
      else params.set(k, v);
    }
    const qs = params.toString();
    navigate(`/manage/roles${qs ? `?${qs}` : ''}`, { replace: true });
  };

  // The search goes to the server once typing pauses.
  useEffect(() => {
    if (typed === search) return;
    const timer = window.setTimeout(() => {
      // A role opened while typing: the next page may still be loading (this one stays mounted until it is), and must not be sent back here.
      if (!window.location.pathname.endsWith('/manage/roles')) return;
      setParams({ search: typed.trim() || undefined });
    }, SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [typed]);

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Who is eligible for and assigned to each Microsoft Entra role. Select a role to manage its assignments."
          actions={
            capabilities['roleAssignments.manage'] && (
              <Button variant="primary" href={href('/manage/add-assignments')} onFollow={follow}>
                Add assignments
              </Button>
            )
          }
        >
          Roles
        </Header>
      }
    >
      {pages.error ? (
        <LoadError error={pages.error} retry={pages.reload} />
      ) : (
        <Table
          items={pages.items}
          loading={pages.loading}
          loadingText="Loading roles"
          trackBy="id"
          ariaLabels={{ tableLabel: 'Roles' }}
          columnDefinitions={[
            {
              id: 'name',
              header: 'Role',
              isRowHeader: true,
              cell: (r) => (
                <Link href={href(`/manage/roles/${encodeURIComponent(r.id)}`)} onFollow={follow}>
                  {r.displayName}
                </Link>
              ),
            },
            { id: 'privileged', header: 'Privileged', cell: (r) => (r.isPrivileged ? 'Yes' : 'No') },
            { id: 'type', header: 'Type', cell: (r) => (r.isBuiltIn === false ? 'Custom' : 'Built-in') },
            { id: 'eligible', header: 'Eligible assignments', cell: (r) => <AssignmentCount roleId={r.id} level="eligibility" label="eligible assignments" /> },
            { id: 'active', header: 'Active assignments', cell: (r) => <AssignmentCount roleId={r.id} level="assignment" label="active assignments" /> },
            { id: 'description', header: 'Description', cell: (r) => <Box variant="small">{r.description ?? ''}</Box>, maxWidth: 420 },
          ]}
          header={<Header description="Counts are read per role shown; more than 999 shows as 999+.">Microsoft Entra roles</Header>}
          filter={
            <SpaceBetween direction="horizontal" size="l" alignItems="center">
              <TextFilter
                filteringText={typed}
                onChange={(e) => setTyped(e.detail.filteringText)}
                filteringPlaceholder="Search by role name"
                filteringAriaLabel="Search by role name"
              />
              <Toggle checked={privileged} onChange={(e) => setParams({ privileged: e.detail.checked ? '1' : undefined })}>
                Privileged roles only
              </Toggle>
            </SpaceBetween>
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
            <Empty title={search || privileged ? 'No match' : 'No roles'}>
              {search || privileged ? 'No role matches the search and filter.' : 'The directory has no role definitions.'}
            </Empty>
          }
        />
      )}
    </ContentLayout>
  );
}
