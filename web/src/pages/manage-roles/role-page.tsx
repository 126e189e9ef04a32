/**
 * A role's assignments, as Entra shows them: Eligible / Active / Expired assignments (tab in the URL),
 * with Update, Remove, Extend and Renew per row, Export, Add assignments, and a link to Role settings.
 */
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Tabs from '@cloudscape-design/components/tabs';
import type { Collection } from '../../api/client.ts';
import { useApp } from '../../app-context.tsx';
import { adminRulesOf, type AdminRules } from '../../domain/admin-policy.ts';
import type { PolicyAssignment } from '../../domain/policy.ts';
import { LoadError, useLoad } from '../../components/page-states.tsx';
import { follow, href, navigate, useLocation } from '../../router.tsx';
import type { PageProps } from '../index.ts';
import { AssignmentsTable } from './assignments-table.tsx';
import { rolePath, rolePolicyPath, type AssignmentView, type Level, type RoleDefinition } from './data.ts';

export interface RoleWithRules {
  role: RoleDefinition;
  rules: Record<Level, AdminRules>;
}

/** The role and its admin rules; a policy the caller may not read leaves the checks to the API. */
export async function loadRoleWithRules(api: ReturnType<typeof useApp>['api'], roleId: string): Promise<RoleWithRules> {
  const [role, policies] = await Promise.all([
    api.get<RoleDefinition>(rolePath(roleId)),
    api.get<Collection<PolicyAssignment>>(rolePolicyPath(roleId)).catch(() => ({ value: [] as PolicyAssignment[] })),
  ]);
  const rules = policies.value[0]?.policy?.rules;
  return { role, rules: { eligibility: adminRulesOf(rules, 'eligibility'), assignment: adminRulesOf(rules, 'assignment') } };
}

const VIEWS: AssignmentView[] = ['eligible', 'active', 'expired'];

export default function RolePage({ params }: PageProps) {
  const { api, capabilities } = useApp();
  const location = useLocation();
  const roleId = params.roleId!;
  const view = VIEWS.find((v) => v === location.search.get('tab')) ?? 'eligible';
  const expiredLevel: Level = location.search.get('kind') === 'active' ? 'assignment' : 'eligibility';
  const loaded = useLoad(() => loadRoleWithRules(api, roleId), roleId);
  const canManage = capabilities['roleAssignments.manage'];
  const base = `/manage/roles/${encodeURIComponent(roleId)}`;

  const roleName = loaded.data?.role.displayName ?? roleId;
  return (
    <ContentLayout
      breadcrumbs={
        <BreadcrumbGroup
          items={[
            { text: 'Roles', href: href('/manage/roles') },
            { text: roleName, href: href(base) },
          ]}
          onFollow={follow}
          ariaLabel="Breadcrumbs"
        />
      }
      header={
        <Header
          variant="h1"
          description={loaded.data?.role.description ?? undefined}
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button href={href(`/manage/role-settings/${encodeURIComponent(roleId)}`)} onFollow={follow}>
                Role settings
              </Button>
              {canManage && (
                <Button variant="primary" href={href(`${base}/add-assignments`)} onFollow={follow}>
                  Add assignments
                </Button>
              )}
            </SpaceBetween>
          }
        >
          {loaded.data ? `${roleName} | Assignments` : 'Assignments'}
        </Header>
      }
    >
      {loaded.error ? (
        <LoadError error={loaded.error} retry={loaded.reload} />
      ) : !loaded.data ? (
        <StatusIndicator type="loading">Loading the role</StatusIndicator>
      ) : (
        <Tabs
          activeTabId={view}
          onChange={(e) => navigate(`${base}?tab=${e.detail.activeTabId}`, { replace: true })}
          ariaLabel="Assignments"
          tabs={VIEWS.map((v) => ({
            id: v,
            label: v === 'eligible' ? 'Eligible assignments' : v === 'active' ? 'Active assignments' : 'Expired assignments',
            content:
              v === view && loaded.data ? (
                <AssignmentsTable
                  key={`${v}:${v === 'expired' ? expiredLevel : ''}`}
                  roleId={roleId}
                  roleName={roleName}
                  view={v}
                  level={v === 'eligible' ? 'eligibility' : v === 'active' ? 'assignment' : expiredLevel}
                  onLevel={(l) => navigate(`${base}?tab=expired&kind=${l === 'assignment' ? 'active' : 'eligible'}`, { replace: true })}
                  rules={loaded.data.rules}
                  canManage={canManage}
                />
              ) : null,
          }))}
        />
      )}
    </ContentLayout>
  );
}
