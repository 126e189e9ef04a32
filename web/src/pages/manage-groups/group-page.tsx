/**
 * One group under PIM for groups: Assignments (Eligible / Active / Expired, member and owner, with Add
 * assignments and Remove / Extend / Renew per row) and Settings (Member / Owner, the same editor as role
 * settings). A role-assignable group shows the roles it grants its members. Every view state is in the URL.
 */
import Alert from '@cloudscape-design/components/alert';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import { useState } from 'react';
import { useApp } from '../../app-context.tsx';
import { LoadError, useLoad } from '../../components/page-states.tsx';
import { Time } from '../../components/time.tsx';
import type { SettingsTab } from '../../domain/role-settings.ts';
import { follow, href, navigate, useLocation } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { groupTarget } from '../role-settings/policy-data.ts';
import { PolicyEditor } from '../role-settings/policy-editor.tsx';
import { settingsTab } from '../role-settings/role-setting-page.tsx';
import { AddAssignmentsModal } from './add-assignments-modal.tsx';
import { AdminActionModal, type RowAction } from './admin-action-modal.tsx';
import { AssignmentsTable, type View } from './assignments-table.tsx';
import { loadGrantedRoles, loadGroupAssignments, type AccessId, type GroupAssignment, type GrantedRole } from './group-data.ts';
import type { GroupRow } from './groups-page.tsx';

const VIEWS: View[] = ['eligible', 'active', 'expired'];
const VIEW_LABEL: Record<View, string> = { eligible: 'Eligible assignments', active: 'Active assignments', expired: 'Expired assignments' };

export default function GroupPage({ params }: PageProps) {
  const { api, capabilities } = useApp();
  const location = useLocation();
  const groupId = params.groupId!;
  const path = `/manage/groups/${encodeURIComponent(groupId)}`;
  const tab = location.search.get('tab') === 'settings' ? 'settings' : 'assignments';
  const view = VIEWS.find((v) => v === location.search.get('view')) ?? 'eligible';
  const access: AccessId = location.search.get('access') === 'owner' ? 'owner' : 'member';
  const group = useLoad(() => api.get<GroupRow>(`/v1.0/groups/${encodeURIComponent(groupId)}`), groupId);
  const assignments = useLoad(() => loadGroupAssignments(api, groupId), groupId);
  const [pane, setPane] = useState<{ add?: boolean; row?: GroupAssignment; action?: RowAction }>({});
  const name = group.data?.displayName ?? groupId;

  const setParams = (patch: Record<string, string | undefined>) => {
    const p = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(patch)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    navigate(`${path}?${p.toString()}`, { replace: true });
  };
  const done = () => {
    setPane({});
    assignments.reload();
  };

  return (
    <ContentLayout
      breadcrumbs={
        <BreadcrumbGroup
          items={[
            { text: 'Groups', href: href('/manage/groups') },
            { text: name, href: href(path) },
          ]}
          onFollow={follow}
          ariaLabel="Breadcrumbs"
        />
      }
      header={
        <Header variant="h1" description={group.data?.description ?? undefined}>
          {name}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {group.error && <LoadError error={group.error} retry={group.reload} />}
        {group.data?.isAssignableToRole && <GrantedRoles groupId={groupId} />}
        {/* A group that cannot be read has nothing to show: its error alone, not empty tables. */}
        {!group.error && (
          <Tabs
            activeTabId={tab}
            onChange={(e) => setParams({ tab: e.detail.activeTabId === 'settings' ? 'settings' : undefined })}
            ariaLabel="Group"
            tabs={[
              {
                id: 'assignments',
                label: 'Assignments',
                content:
                  tab !== 'assignments' ? null : assignments.error ? (
                    <LoadError error={assignments.error} retry={assignments.reload} />
                  ) : (
                    <Tabs
                      activeTabId={view}
                      onChange={(e) => setParams({ view: e.detail.activeTabId === 'eligible' ? undefined : e.detail.activeTabId })}
                      ariaLabel="Assignments"
                      tabs={VIEWS.map((v) => ({
                        id: v,
                        label: `${VIEW_LABEL[v]}${assignments.data ? ` (${assignments.data[v].length})` : ''}`,
                        content: v === view && (
                          <AssignmentsTable
                            view={v}
                            title={VIEW_LABEL[v]}
                            items={assignments.data?.[v]}
                            loading={assignments.loading}
                            canManage={capabilities['groupAccess.manage'] || capabilities['groups.manage']}
                            onAdd={() => setPane({ add: true })}
                            onAction={(row, action) => setPane({ row, action })}
                          />
                        ),
                      }))}
                    />
                  ),
              },
              {
                id: 'settings',
                label: 'Settings',
                content: tab === 'settings' && (
                  <SpaceBetween size="m">
                    <SegmentedControl
                      label="Settings for"
                      selectedId={access}
                      onChange={(e) => setParams({ access: e.detail.selectedId === 'owner' ? 'owner' : undefined })}
                      options={[
                        { id: 'member', text: 'Member' },
                        { id: 'owner', text: 'Owner' },
                      ]}
                    />
                    <Container>
                      <PolicyEditor
                        target={groupTarget(groupId, access)}
                        title={`${access === 'owner' ? 'Owner' : 'Member'} settings`}
                        noun={`group's ${access === 'owner' ? 'ownership' : 'membership'}`}
                        tab={settingsTab(location.search)}
                        onTab={(t: SettingsTab) => setParams({ settings: t })}
                        canEdit={capabilities['policies.manage'] || capabilities['groupAccess.manage']}
                      />
                    </Container>
                  </SpaceBetween>
                ),
              },
            ]}
          />
        )}
      </SpaceBetween>
      {pane.add && (
        <AddAssignmentsModal
          groupId={groupId}
          groupName={name}
          roleAssignable={group.data?.isAssignableToRole === true}
          initialAccess={access}
          onClose={() => setPane({})}
          onDone={done}
        />
      )}
      {pane.row && pane.action && (
        <AdminActionModal groupId={groupId} groupName={name} row={pane.row} action={pane.action} onClose={() => setPane({})} onDone={done} />
      )}
    </ContentLayout>
  );
}

/** "This group grants the following roles": what becoming a member or owner hands on. */
function GrantedRoles({ groupId }: { groupId: string }) {
  const { api } = useApp();
  const roles = useLoad(() => loadGrantedRoles(api, groupId), groupId);
  if (roles.error) return <LoadError error={roles.error} retry={roles.reload} />;
  if (roles.data && roles.data.length === 0) {
    return <Alert type="info">This group can be assigned to roles, but holds none yet.</Alert>;
  }
  return (
    <Table<GrantedRole>
      header={
        <Header variant="h2" description="Members of this group hold these roles through it; an eligible or active membership hands them on.">
          This group grants the following roles
        </Header>
      }
      items={roles.data ?? []}
      loading={roles.loading && !roles.data}
      loadingText="Loading the group's roles"
      trackBy="id"
      variant="container"
      ariaLabels={{ tableLabel: 'Roles this group grants' }}
      columnDefinitions={[
        { id: 'role', header: 'Role', cell: (r) => r.roleName, isRowHeader: true },
        { id: 'scope', header: 'Scope', cell: (r) => (r.directoryScopeId === '/' ? 'Directory' : r.directoryScopeId) },
        { id: 'type', header: 'Assignment type', cell: (r) => r.type },
        { id: 'end', header: 'End time', cell: (r) => <Time value={r.endDateTime} /> },
      ]}
    />
  );
}
