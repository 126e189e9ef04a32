/** The Microsoft Entra roles a principal holds, eligible and active, from the schedule instances in force. */
import Header from '@cloudscape-design/components/header';
import Table from '@cloudscape-design/components/table';
import { odataString, query, ROLES } from '../../api/paths.ts';
import { useApp } from '../../app-context.tsx';
import { Empty, LoadError, useLoad } from '../../components/page-states.tsx';
import { Time } from '../../components/time.tsx';

interface Instance {
  id: string;
  directoryScopeId: string;
  startDateTime?: string | null;
  endDateTime: string | null;
  memberType: string;
  roleDefinition?: { displayName: string };
  roleDefinitionId: string;
}

interface Row extends Instance {
  state: 'Eligible' | 'Active';
}

/** Generous: a principal holds a handful of roles; more than this says so in the counter. */
const LIMIT = 500;

export function AssignedRoles({ principalId }: { principalId: string }) {
  const { api } = useApp();
  const data = useLoad(async () => {
    const q = query({ $filter: `principalId eq ${odataString(principalId)}`, $expand: 'roleDefinition' });
    const [eligible, active] = await Promise.all([
      api.all<Instance>(`${ROLES}/roleEligibilityScheduleInstances${q}`, LIMIT),
      api.all<Instance>(`${ROLES}/roleAssignmentScheduleInstances${q}`, LIMIT),
    ]);
    return [...eligible.map((i) => ({ ...i, state: 'Eligible' as const })), ...active.map((i) => ({ ...i, state: 'Active' as const }))];
  }, principalId);

  return (
    <Table<Row>
      items={data.data ?? []}
      loading={data.loading}
      loadingText="Loading assigned roles"
      trackBy={(r) => `${r.state}:${r.id}`}
      variant="container"
      ariaLabels={{ tableLabel: 'Assigned roles' }}
      header={
        <Header
          variant="h2"
          counter={data.data ? `(${data.data.length})` : undefined}
          description="Eligible and active Microsoft Entra role assignments in force now."
        >
          Assigned roles
        </Header>
      }
      empty={data.error ? <LoadError error={data.error} retry={data.reload} /> : <Empty title="No roles">No eligible or active role assignments.</Empty>}
      columnDefinitions={[
        { id: 'role', header: 'Role', isRowHeader: true, cell: (r) => r.roleDefinition?.displayName ?? r.roleDefinitionId },
        { id: 'state', header: 'State', cell: (r) => r.state },
        { id: 'scope', header: 'Scope', cell: (r) => (r.directoryScopeId === '/' ? 'Directory' : r.directoryScopeId) },
        { id: 'memberType', header: 'Membership', cell: (r) => r.memberType },
        { id: 'start', header: 'Start time', cell: (r) => <Time value={r.startDateTime ?? null} empty="—" /> },
        { id: 'end', header: 'End time', cell: (r) => <Time value={r.endDateTime} /> },
      ]}
    />
  );
}
