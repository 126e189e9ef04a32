/** Role setting details: one role's settings in Entra's three tabs, with Edit for those who may. */
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { ROLE_DEFINITIONS } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { LoadError, useLoad } from '../../components/page-states.tsx';
import type { SettingsTab } from '../../domain/role-settings.ts';
import { follow, href, navigate, useLocation } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { roleTarget } from './policy-data.ts';
import { PolicyEditor } from './policy-editor.tsx';

interface RoleDefinition {
  id: string;
  displayName: string;
  description?: string;
  isPrivileged?: boolean;
}

export function settingsTab(search: URLSearchParams): SettingsTab {
  return (['activation', 'assignment', 'notification'] as const).find((t) => t === search.get('settings')) ?? 'activation';
}

export default function RoleSettingPage({ params }: PageProps) {
  const { api, capabilities } = useApp();
  const location = useLocation();
  const roleId = params.roleId!;
  const role = useLoad(() => api.get<RoleDefinition>(`${ROLE_DEFINITIONS}/${encodeURIComponent(roleId)}`), roleId);
  const name = role.data?.displayName ?? roleId;
  const setTab = (t: SettingsTab) => navigate(`/manage/role-settings/${encodeURIComponent(roleId)}?settings=${t}`, { replace: true });

  return (
    <ContentLayout
      breadcrumbs={
        <BreadcrumbGroup
          items={[
            { text: 'Role settings', href: href('/manage/role-settings') },
            { text: name, href: href(`/manage/role-settings/${encodeURIComponent(roleId)}`) },
          ]}
          onFollow={follow}
          ariaLabel="Breadcrumbs"
        />
      }
      header={
        <Header variant="h1" description={role.data?.description}>
          Role setting details - {name}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {role.error && <LoadError error={role.error} retry={role.reload} />}
        <PolicyEditor target={roleTarget(roleId)} title={name} tab={settingsTab(location.search)} onTab={setTab} canEdit={capabilities['policies.manage']} />
      </SpaceBetween>
    </ContentLayout>
  );
}
