/**
 * Role settings: every directory role with a summary of its activation rules, a privileged filter and a
 * search (both in the URL). Selecting several roles offers "Edit settings for N roles": one change applied
 * to each, which Entra's portal cannot do.
 */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useCollection } from '@cloudscape-design/collection-hooks';
import { useState } from 'react';
import { ROLE_DEFINITIONS } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { Empty, LoadError, useLoad } from '../../components/page-states.tsx';
import { settingsFromRules, type Settings } from '../../domain/role-settings.ts';
import { follow, href, navigate, useLocation } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { loadRolePolicies } from './policy-data.ts';

interface RoleDefinition {
  id: string;
  displayName: string;
  description?: string;
  isPrivileged?: boolean;
  isBuiltIn?: boolean;
}

export interface RoleRow {
  id: string;
  displayName: string;
  description: string;
  isPrivileged: boolean;
  settings?: Settings;
}

export async function loadRoleRows(api: ReturnType<typeof useApp>['api']): Promise<RoleRow[]> {
  const [roles, policies] = await Promise.all([api.all<RoleDefinition>(`${ROLE_DEFINITIONS}`), loadRolePolicies(api)]);
  return roles.map((r) => {
    const policy = policies.get(r.id);
    return {
      id: r.id,
      displayName: r.displayName,
      description: r.description ?? '',
      isPrivileged: r.isPrivileged === true,
      settings: policy ? settingsFromRules(policy.rules) : undefined,
    };
  });
}

const check = (on: boolean | undefined, label: string) =>
  on ? <StatusIndicator type="success">{label}</StatusIndicator> : <Box color="text-status-inactive">No</Box>;

export default function RoleSettingsPage(_: PageProps) {
  const { api, capabilities } = useApp();
  const location = useLocation();
  const privilegedOnly = location.search.get('privileged') === '1';
  const text = location.search.get('q') ?? '';
  const data = useLoad(() => loadRoleRows(api), 'roles');
  const [selected, setSelected] = useState<RoleRow[]>([]);

  const setParams = (patch: Record<string, string | undefined>) => {
    const params = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(patch)) {
      if (v) params.set(k, v);
      else params.delete(k);
    }
    const qs = params.toString();
    navigate(`/manage/role-settings${qs ? `?${qs}` : ''}`, { replace: true });
  };

  const items = (data.data ?? []).filter((r) => !privilegedOnly || r.isPrivileged);
  const collection = useCollection(items, {
    filtering: {
      // The search lives in the URL: copy the address, get the same list.
      defaultFilteringText: text,
      filteringFunction: (r, t) => `${r.displayName} ${r.description}`.toLowerCase().includes(t.toLowerCase()),
      empty: <Empty title="No roles">The directory has no roles.</Empty>,
      noMatch: <Empty title="No match">No role matches the search.</Empty>,
    },
    pagination: { pageSize: 50 },
    sorting: { defaultState: { sortingColumn: { sortingField: 'displayName' } } },
  });

  const canEdit = capabilities['policies.manage'];

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="The rules each role asks of the people who activate it or are assigned to it. Select a role to see or edit all of its settings."
        >
          Role settings
        </Header>
      }
    >
      {data.error ? (
        <LoadError error={data.error} retry={data.reload} />
      ) : (
        <Table<RoleRow>
          {...collection.collectionProps}
          items={collection.items}
          loading={data.loading && !data.data}
          loadingText="Loading roles and their settings"
          trackBy="id"
          variant="full-page"
          stickyHeader
          selectionType={canEdit ? 'multi' : undefined}
          selectedItems={selected}
          onSelectionChange={(e) => setSelected(e.detail.selectedItems)}
          ariaLabels={{
            tableLabel: 'Role settings',
            selectionGroupLabel: 'Select roles',
            allItemsSelectionLabel: () => 'Select all roles on this page',
            itemSelectionLabel: (_, r) => `Select ${r.displayName}`,
          }}
          header={
            <Header
              variant="awsui-h1-sticky"
              headingTagOverride="h2"
              counter={data.data ? `(${items.length})` : undefined}
              actions={
                canEdit && (
                  <Button
                    variant="primary"
                    disabled={selected.length < 2}
                    onClick={() => navigate(`/manage/role-settings/bulk?roles=${selected.map((r) => encodeURIComponent(r.id)).join(',')}`)}
                  >
                    {selected.length >= 2 ? `Edit settings for ${selected.length} roles` : 'Edit settings for several roles'}
                  </Button>
                )
              }
            >
              Roles
            </Header>
          }
          filter={
            <SpaceBetween direction="horizontal" size="m" alignItems="center">
              <TextFilter
                {...collection.filterProps}
                onChange={(e) => {
                  collection.filterProps.onChange(e);
                  setParams({ q: e.detail.filteringText || undefined });
                }}
                filteringPlaceholder="Search by role name"
                filteringAriaLabel="Search roles"
                filteringClearAriaLabel="Clear the search"
                countText={`${collection.filteredItemsCount ?? 0} matches`}
              />
              <SegmentedControl
                label="Roles shown"
                selectedId={privilegedOnly ? 'privileged' : 'all'}
                onChange={(e) => setParams({ privileged: e.detail.selectedId === 'privileged' ? '1' : undefined })}
                options={[
                  { id: 'all', text: 'All roles' },
                  { id: 'privileged', text: 'Privileged roles' },
                ]}
              />
            </SpaceBetween>
          }
          pagination={
            <Pagination
              {...collection.paginationProps}
              ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
            />
          }
          columnDefinitions={[
            {
              id: 'role',
              header: 'Role',
              isRowHeader: true,
              sortingField: 'displayName',
              cell: (r) => (
                <span>
                  <Link href={href(`/manage/role-settings/${encodeURIComponent(r.id)}`)} onFollow={follow}>
                    {r.displayName}
                  </Link>
                  {r.isPrivileged && (
                    <Box variant="small" display="inline">
                      {' '}
                      · Privileged
                    </Box>
                  )}
                </span>
              ),
            },
            {
              id: 'duration',
              header: 'Activation maximum duration',
              cell: (r) => (r.settings ? `${r.settings.activationMaximumHours} h` : '—'),
            },
            {
              id: 'mfa',
              header: 'MFA',
              cell: (r) =>
                check(r.settings?.activationRequire !== 'none' && !!r.settings, r.settings?.activationRequire === 'mfa' ? 'Azure MFA' : 'Auth context'),
            },
            { id: 'justification', header: 'Justification', cell: (r) => check(r.settings?.activationJustification, 'Required') },
            { id: 'ticket', header: 'Ticket', cell: (r) => check(r.settings?.activationTicket, 'Required') },
            {
              id: 'approval',
              header: 'Approval',
              cell: (r) =>
                check(
                  r.settings?.approvalRequired,
                  r.settings?.approvers.length ? `${r.settings.approvers.length} approver${r.settings.approvers.length === 1 ? '' : 's'}` : 'Required',
                ),
            },
            {
              id: 'permanent',
              header: 'Permanent eligible',
              cell: (r) => (r.settings ? (r.settings.permanentEligible ? 'Allowed' : 'Not allowed') : '—'),
            },
          ]}
        />
      )}
    </ContentLayout>
  );
}
