/** What an action did to each selected assignment: succeeded, or failed with the API's reason. */
import Header from '@cloudscape-design/components/header';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { ACTION_LABEL, outcomeSummary, principalText, type ActionOutcome, type PrivilegedAssignment } from '../../domain/insights.ts';

export interface Outcomes {
  outcomes: ActionOutcome[];
  /** The assignments as they were when acted on (they may have left the list since). */
  acted: Map<string, PrivilegedAssignment>;
}

export function OutcomesTable({ result, title }: { result: Outcomes; title: string }) {
  return (
    <Table
      items={result.outcomes}
      trackBy="scheduleId"
      variant="container"
      wrapLines
      ariaLabels={{ tableLabel: title }}
      header={
        <Header variant="h2" description={outcomeSummary(result.outcomes)}>
          {title}
        </Header>
      }
      columnDefinitions={[
        {
          id: 'who',
          header: 'Name',
          isRowHeader: true,
          cell: (o) => {
            const a = result.acted.get(o.scheduleId);
            return a ? principalText(a) : o.scheduleId;
          },
        },
        { id: 'role', header: 'Role', cell: (o) => result.acted.get(o.scheduleId)?.roleDisplayName ?? '—' },
        { id: 'action', header: 'Action', cell: (o) => ACTION_LABEL[o.action] },
        {
          id: 'result',
          header: 'Result',
          cell: (o) =>
            o.status === 'succeeded' ? (
              <StatusIndicator type="success">{o.action === 'remove' ? 'Removed' : 'Now eligible'}</StatusIndicator>
            ) : (
              <StatusIndicator type="error">{o.error?.message ?? 'Failed'}</StatusIndicator>
            ),
        },
      ]}
    />
  );
}
