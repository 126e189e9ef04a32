/**
 * My roles: Microsoft Entra roles | Groups | AWS accounts, each with Eligible / Active / Expired assignments, the rules
 * of each role beside it, time left counting down, and the actions the rules allow (the others are
 * explained, not hidden without a word). Several eligible roles activate together with one reason.
 */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import TextFilter from '@cloudscape-design/components/text-filter';
import Pagination from '@cloudscape-design/components/pagination';
import { useCollection } from '@cloudscape-design/collection-hooks';
import { useEffect, useMemo, useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { takeResume } from '../../auth/resume.ts';
import { LoadError, useLoad, Empty } from '../../components/page-states.tsx';
import { Countdown, Time, useNow } from '../../components/time.tsx';
import { navigate, useLocation } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { ActivateModal, emptyForm, holdingKey, RESUME_KIND, type ActivateForm, type ActivateResume } from './activate-modal.tsx';
import { AwsNotConnected, isAwsNotConnected } from '../../components/aws-not-connected.tsx';
import { ProvisioningState, SessionsNote, useProvisioningPoll } from './aws-cells.tsx';
import { loadExtras, loadMyRoles, requirementsFor, type Holding, type Kind, type Level } from './data.ts';
import { Requirements } from './requirements.tsx';
import { SelfActionModal, type SelfAction } from './self-action-modal.tsx';

type View = 'eligible' | 'active' | 'expired';

const FIVE_MINUTES = 5 * 60_000;
const KINDS: { id: Kind; label: string }[] = [
  { id: 'roles', label: 'Microsoft Entra roles' },
  { id: 'groups', label: 'Groups' },
  { id: 'aws', label: 'AWS accounts' },
];
const EXTEND_LEAD = 14 * 86_400_000;

interface Pane {
  activate?: { holdings: Holding[]; form?: ActivateForm; autoSubmit?: boolean };
  self?: { holding: Holding; level: Level; action: SelfAction };
}

export default function MyRolesPage(_: PageProps) {
  const { api, me, notify } = useApp();
  const location = useLocation();
  const kind: Kind = KINDS.find((k) => k.id === location.search.get('tab'))?.id ?? 'roles';
  const view: View = (['eligible', 'active', 'expired'] as const).find((v) => v === location.search.get('view')) ?? 'eligible';
  const core = useLoad(() => loadMyRoles(api, kind), kind);
  // Rules and expired assignments follow the first screen instead of holding it up.
  const extras = useLoad(
    () => (core.data ? loadExtras(api, kind, core.data, me.id) : Promise.resolve(undefined)),
    `${kind}|${core.data ? 'ready' : 'waiting'}|${String(core.loading)}`,
  );
  const data = useMemo(() => {
    if (!core.data) return { ...core, data: undefined };
    const policies = extras.data?.policies;
    const enrich = (h: Holding) => ({ ...h, requirements: requirementsFor(h, policies) });
    return {
      ...core,
      data: { eligible: core.data.eligible.map(enrich), active: core.data.active.map(enrich), expired: extras.data?.expired, aws: core.data.aws },
    };
  }, [core, extras.data]);
  const [pane, setPane] = useState<Pane>({});
  // An AWS activation is usable once IAM Identity Center has made the account assignment: read again until then.
  const [activations, setActivations] = useState(0);
  const provisioning = Boolean(core.data?.active.some((h) => h.aws?.provisioningState === 'provisioning'));
  useProvisioningPoll(provisioning, core.reload, activations, core.data);

  const setParams = (patch: Record<string, string | undefined>) => {
    const params = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) params.delete(k);
      else params.set(k, v);
    }
    navigate(`/my-roles?${params.toString()}`, { replace: true });
  };

  // A shared link (?activate=…&scope=…) or a return from the MFA sign-in opens the pane as it was.
  useEffect(() => {
    if (!data.data) return;
    const resume = takeResume<ActivateResume>(RESUME_KIND);
    if (resume) {
      const holdings = data.data.eligible.filter((h) => resume.keys.includes(holdingKey(h)));
      if (holdings.length) setPane({ activate: { holdings, form: resume.form, autoSubmit: true } });
      return;
    }
    const roleId = location.search.get('activate');
    if (!roleId) return;
    const scope = location.search.get('scope') ?? (kind === 'roles' ? '/' : undefined);
    const holding = data.data.eligible.find((h) => h.roleId === roleId && (scope === undefined || h.scope === scope));
    setParams({ activate: undefined, scope: undefined, hours: undefined });
    if (!holding) {
      notify({
        type: 'warning',
        header: 'Not eligible',
        content: `The link asks to activate '${roleId}', but you have no eligible assignment for it${scope ? ` at ${scope}` : ''}.`,
      });
      return;
    }
    const hours = location.search.get('hours');
    setPane({ activate: { holdings: [holding], form: { ...emptyForm(holding.requirements?.maximumHours), ...(hours ? { hours } : {}) } } });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data.data]);

  const done = () => {
    setPane({});
    setActivations((n) => n + 1);
    core.reload();
  };

  return (
    <ContentLayout
      header={
        <Header variant="h1" description="Activate the roles you are eligible for, and see what you hold now.">
          My roles
        </Header>
      }
    >
      <Tabs
        activeTabId={kind}
        onChange={(e) => setParams({ tab: e.detail.activeTabId, view: undefined })}
        ariaLabel="Kind of access"
        tabs={KINDS.map(({ id: k, label }) => ({
          id: k,
          label,
          content:
            k !== kind ? null : isAwsNotConnected(data.error) ? (
              <AwsNotConnected />
            ) : data.error ? (
              <LoadError error={data.error} retry={data.reload} />
            ) : (
              <Tabs
                activeTabId={view}
                onChange={(e) => setParams({ view: e.detail.activeTabId })}
                ariaLabel="Assignments"
                tabs={[
                  {
                    id: 'eligible',
                    label: `Eligible assignments${data.data ? ` (${data.data.eligible.length})` : ''}`,
                    content: view === 'eligible' && (
                      <EligibleTable kind={kind} items={data.data?.eligible} active={data.data?.active ?? []} loading={data.loading} onPane={setPane} />
                    ),
                  },
                  {
                    id: 'active',
                    label: `Active assignments${data.data ? ` (${data.data.active.length})` : ''}`,
                    content: view === 'active' && <ActiveTable kind={kind} items={data.data?.active} loading={data.loading} onPane={setPane} />,
                  },
                  {
                    id: 'expired',
                    label: `Expired assignments${data.data?.expired ? ` (${data.data.expired.length})` : ''}`,
                    content: view === 'expired' && <ExpiredTable kind={kind} items={data.data?.expired} loading={!data.data?.expired} onPane={setPane} />,
                  },
                ]}
              />
            ),
        }))}
      />
      {pane.activate && (
        <ActivateModal
          // Re-read from the latest data: the rules may arrive while the pane is open.
          holdings={pane.activate.holdings.map((h) => data.data?.eligible.find((e) => holdingKey(e) === holdingKey(h)) ?? h)}
          aws={data.data?.aws}
          initial={pane.activate.form}
          autoSubmit={pane.activate.autoSubmit}
          onClose={() => setPane({})}
          onDone={done}
        />
      )}
      {pane.self && <SelfActionModal {...pane.self} onClose={() => setPane({})} onDone={done} />}
    </ContentLayout>
  );
}

function name(h: Holding): string {
  if (h.kind === 'aws') return `${h.roleName} in ${h.scopeName}`;
  return h.kind === 'groups' ? h.scopeName : h.roleName;
}

function baseColumns(kind: Kind): TableProps.ColumnDefinition<Holding>[] {
  return kind !== 'groups'
    ? [
        {
          id: 'role',
          header: 'Role',
          cell: (h) => (
            <span>
              {h.roleName}
              {h.isPrivileged ? (
                <Box variant="small" display="inline">
                  {' '}
                  · Privileged
                </Box>
              ) : null}
            </span>
          ),
          sortingField: 'roleName',
          isRowHeader: true,
        },
        { id: 'scope', header: 'Scope', cell: (h) => h.scopeName, sortingField: 'scopeName' },
        // AWS roles are given to users only, never through a group: the membership is always Direct.
        ...(kind === 'aws' ? [] : [{ id: 'membership', header: 'Membership', cell: (h: Holding) => h.memberType, sortingField: 'memberType' }]),
      ]
    : [
        { id: 'group', header: 'Group', cell: (h) => h.scopeName, sortingField: 'scopeName', isRowHeader: true },
        { id: 'role', header: 'Role', cell: (h) => h.roleName, sortingField: 'roleName' },
        { id: 'membership', header: 'Membership', cell: (h) => h.memberType, sortingField: 'memberType' },
      ];
}

function HoldingsTable({
  items,
  loading,
  columns,
  header,
  empty,
  selectable,
  selected,
  onSelect,
  actions,
}: {
  items: Holding[] | undefined;
  loading: boolean;
  columns: TableProps.ColumnDefinition<Holding>[];
  header: string;
  empty: React.ReactNode;
  selectable?: boolean;
  selected?: Holding[];
  onSelect?: (h: Holding[]) => void;
  actions?: React.ReactNode;
}) {
  const collection = useCollection(items ?? [], {
    filtering: {
      empty,
      noMatch: <Empty title="No match">No assignment matches the filter.</Empty>,
      filteringFunction: (h, text) => `${h.roleName} ${h.scopeName}`.toLowerCase().includes(text.toLowerCase()),
    },
    pagination: { pageSize: 25 },
    sorting: { defaultState: { sortingColumn: columns[0]!, isDescending: false } },
  });
  return (
    <Table
      {...collection.collectionProps}
      items={collection.items}
      columnDefinitions={columns}
      loading={loading && !items}
      loadingText="Loading your assignments"
      variant="embedded"
      wrapLines
      trackBy={(h) => `${holdingKey(h)}:${h.id}`}
      selectionType={selectable ? 'multi' : undefined}
      selectedItems={selected}
      onSelectionChange={(e) => onSelect?.(e.detail.selectedItems)}
      ariaLabels={{
        selectionGroupLabel: 'Select assignments',
        allItemsSelectionLabel: () => 'Select all',
        itemSelectionLabel: (_, h) => `Select ${name(h)}`,
        tableLabel: header,
      }}
      header={
        <Header counter={items ? `(${items.length})` : undefined} actions={actions}>
          {header}
        </Header>
      }
      filter={
        <TextFilter
          filteringClearAriaLabel="Clear search"
          {...collection.filterProps}
          filteringPlaceholder="Search by role or scope"
          filteringAriaLabel="Search assignments"
          countText={`${collection.filteredItemsCount ?? 0} matches`}
        />
      }
      pagination={
        <Pagination
          {...collection.paginationProps}
          ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
        />
      }
    />
  );
}

function EligibleTable({
  kind,
  items,
  active,
  loading,
  onPane,
}: {
  kind: Kind;
  items?: Holding[];
  active: Holding[];
  loading: boolean;
  onPane: (p: Pane) => void;
}) {
  const now = useNow();
  const [selected, setSelected] = useState<Holding[]>([]);
  const isActive = (h: Holding) => active.some((a) => a.roleId === h.roleId && a.scope === h.scope);
  const columns: TableProps.ColumnDefinition<Holding>[] = [
    ...baseColumns(kind),
    { id: 'requirements', header: 'Requirements', cell: (h) => <Requirements value={h.requirements} /> },
    { id: 'end', header: 'End time', cell: (h) => <Time value={h.endDateTime} />, sortingField: 'endDateTime' },
    {
      id: 'action',
      header: 'Action',
      minWidth: 110,
      cell: (h) => (
        <SpaceBetween direction="horizontal" size="xs">
          {isActive(h) ? (
            <StatusIndicator type="success">Active</StatusIndicator>
          ) : (
            <Button variant="inline-link" ariaLabel={`Activate ${name(h)}`} onClick={() => onPane({ activate: { holdings: [h] } })}>
              Activate
            </Button>
          )}
          {h.memberType === 'Direct' && h.endDateTime && Date.parse(h.endDateTime) - now <= EXTEND_LEAD && (
            <Button
              variant="inline-link"
              ariaLabel={`Extend eligibility for ${name(h)}`}
              onClick={() => onPane({ self: { holding: h, level: 'eligibility', action: 'selfExtend' } })}
            >
              Extend
            </Button>
          )}
        </SpaceBetween>
      ),
    },
  ];
  const selectable = (items ?? []).filter((h) => !isActive(h));
  return (
    <HoldingsTable
      items={items}
      loading={loading}
      columns={columns}
      header="Eligible assignments"
      selectable
      selected={selected}
      onSelect={(s) => setSelected(s.filter((h) => selectable.includes(h)))}
      actions={
        <Button variant="primary" disabled={selected.length === 0} onClick={() => onPane({ activate: { holdings: selected } })}>
          {selected.length > 1 ? `Activate ${selected.length} roles` : 'Activate'}
        </Button>
      }
      empty={
        <Empty title="No eligible assignments">
          {kind !== 'groups' ? 'An administrator can make you eligible for a role.' : 'An administrator or a group owner can make you eligible for a group.'}
        </Empty>
      }
    />
  );
}

function ActiveTable({ kind, items, loading, onPane }: { kind: Kind; items?: Holding[]; loading: boolean; onPane: (p: Pane) => void }) {
  const now = useNow(15_000);
  const columns: TableProps.ColumnDefinition<Holding>[] = [
    ...baseColumns(kind),
    { id: 'state', header: 'State', cell: (h) => (h.assignmentType === 'Activated' ? 'Activated' : 'Assigned'), sortingField: 'assignmentType' },
    { id: 'start', header: 'Start time', cell: (h) => <Time value={h.startDateTime} empty="—" />, sortingField: 'startDateTime' },
    { id: 'end', header: 'End time', cell: (h) => <Time value={h.endDateTime} />, sortingField: 'endDateTime' },
    { id: 'left', header: 'Time left', cell: (h) => <Countdown end={h.endDateTime} /> },
    ...(kind === 'aws' ? [{ id: 'provisioning', header: 'Provisioning', cell: (h: Holding) => <ProvisioningState value={h.aws} /> }] : []),
    {
      id: 'action',
      header: 'Action',
      cell: (h) => {
        if (h.memberType !== 'Direct') return <Box variant="small">Through a group: ends with that membership</Box>;
        const buttons: React.ReactNode[] = [];
        if (h.assignmentType === 'Activated') {
          const age = now - Date.parse(h.startDateTime ?? '');
          buttons.push(
            age >= FIVE_MINUTES ? (
              <Button
                key="d"
                variant="inline-link"
                ariaLabel={`Deactivate ${name(h)}`}
                onClick={() => onPane({ self: { holding: h, level: 'assignment', action: 'selfDeactivate' } })}
              >
                Deactivate
              </Button>
            ) : (
              <Box key="d" variant="small">
                Deactivate from 5 minutes after the start
              </Box>
            ),
          );
        } else if (h.endDateTime && Date.parse(h.endDateTime) - now <= EXTEND_LEAD) {
          buttons.push(
            <Button
              key="e"
              variant="inline-link"
              ariaLabel={`Extend ${name(h)}`}
              onClick={() => onPane({ self: { holding: h, level: 'assignment', action: 'selfExtend' } })}
            >
              Extend
            </Button>,
          );
        }
        return (
          <SpaceBetween direction="horizontal" size="xs">
            {buttons}
          </SpaceBetween>
        );
      },
    },
  ];
  return (
    <HoldingsTable
      items={items}
      loading={loading}
      columns={columns}
      header="Active assignments"
      empty={<Empty title="No active assignments">Activate an eligible role to see it here.</Empty>}
    />
  );
}

function ExpiredTable({ kind, items, loading, onPane }: { kind: Kind; items?: Holding[]; loading: boolean; onPane: (p: Pane) => void }) {
  const columns: TableProps.ColumnDefinition<Holding>[] = [
    ...baseColumns(kind),
    { id: 'type', header: 'Assignment type', cell: (h) => h.assignmentType },
    { id: 'end', header: 'Ended', cell: (h) => <Time value={h.aws?.revokedDateTime ?? h.endDateTime} />, sortingField: 'endDateTime' },
    ...(kind === 'aws' ? [{ id: 'sessions', header: 'AWS sessions', cell: (h: Holding) => <SessionsNote value={h.aws} /> }] : []),
    {
      id: 'action',
      header: 'Action',
      cell: (h) =>
        h.memberType === 'Direct' && h.assignmentType !== 'Activated' ? (
          <Button
            variant="inline-link"
            ariaLabel={`Renew ${name(h)}`}
            onClick={() => onPane({ self: { holding: h, level: h.assignmentType === 'Eligible' ? 'eligibility' : 'assignment', action: 'selfRenew' } })}
          >
            Renew
          </Button>
        ) : (
          <Box variant="small">{h.assignmentType === 'Activated' ? 'Activate again from Eligible assignments' : 'Through a group'}</Box>
        ),
    },
  ];
  return (
    <HoldingsTable
      items={items}
      loading={loading}
      columns={columns}
      header="Expired assignments (last 30 days)"
      empty={<Empty title="No expired assignments">Assignments that ended in the last 30 days appear here.</Empty>}
    />
  );
}
