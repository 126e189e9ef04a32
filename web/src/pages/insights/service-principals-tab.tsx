/**
 * "Review service principals": applications holding privileged roles. They cannot activate, so their
 * access is standing by nature; each links to its directory page, where its roles are changed.
 */
import { INSIGHTS } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { useLoad } from '../../components/page-states.tsx';
import type { PrivilegedAssignment } from '../../domain/insights.ts';
import { AssignmentsTable } from './assignments-table.tsx';

export function ServicePrincipalsTab() {
  const { api } = useApp();
  const list = useLoad(async () => (await api.get<{ value: PrivilegedAssignment[] }>(`${INSIGHTS}/privilegedServicePrincipals`)).value, 'service-principals');
  return (
    <AssignmentsTable
      title="Review service principals"
      description="Service principals with privileged roles. Check that each still needs its role; remove it from those that do not."
      items={list.data}
      loading={list.loading}
      error={list.error}
      retry={list.reload}
      columns={['servicePrincipal', 'appId', 'role', 'standing', 'start', 'end']}
      selectable={false}
      selected={[]}
      onSelect={() => undefined}
      empty={['No service principals with privileged roles', 'No application holds a privileged role.']}
    />
  );
}
