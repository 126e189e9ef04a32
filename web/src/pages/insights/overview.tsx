/**
 * The overview figures of Discovery and insights (Entra's PIM overview): activations in the last 7 days
 * by day, eligible vs active vs permanent assignments (privileged roles, every directory role, Global
 * Administrator), new assignments in the last 30 days, and the service principals holding privileged roles.
 */
import BarChart from '@cloudscape-design/components/bar-chart';
import Box from '@cloudscape-design/components/box';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { Time } from '../../components/time.tsx';
import { dayLabel, type AssignmentCounts, type InsightsOverview } from '../../domain/insights.ts';

interface CountsRow extends AssignmentCounts {
  name: string;
}

export function Overview({ overview }: { overview: InsightsOverview }) {
  const days = overview.activationsLast7Days.map((d) => ({ x: dayLabel(d.date), y: d.count }));
  const total = overview.activationsLast7Days.reduce((sum, d) => sum + d.count, 0);
  // A scale of at least 0–4, so that a quiet week does not draw its one activation as a wall.
  const top = Math.max(4, ...days.map((d) => d.y));
  const rows: CountsRow[] = [
    { name: 'Privileged roles', ...overview.privilegedRoleAssignments },
    { name: 'Global Administrator', ...overview.globalAdministrators },
    { name: 'All directory roles', ...overview.directoryRoleAssignments },
  ];
  return (
    <Container
      header={
        <Header
          variant="h2"
          description={
            <>
              Figures as of <Time value={overview.generatedDateTime} />.
            </>
          }
        >
          Overview
        </Header>
      }
    >
      <SpaceBetween size="l">
        <ColumnLayout columns={2} borders="vertical">
          <div>
            <Box variant="h3">Activations in the last 7 days</Box>
            <Box variant="p" color="text-body-secondary">
              {total === 1 ? '1 activation' : `${total} activations`} in total.
            </Box>
            <BarChart
              series={[{ title: 'Activations', type: 'bar', data: days }]}
              xDomain={days.map((d) => d.x)}
              yDomain={[0, top]}
              xScaleType="categorical"
              height={140}
              hideFilter
              hideLegend
              ariaLabel="Activations per day in the last 7 days"
              ariaDescription={days.map((d) => `${d.x}: ${d.y}`).join(', ')}
              xTitle="Day (UTC)"
              empty={<Box color="text-body-secondary">No activations</Box>}
            />
          </div>
          <KeyValuePairs
            columns={1}
            items={[
              { label: 'New eligible assignments in the last 30 days', value: overview.newAssignmentsLast30Days.eligible },
              { label: 'New active assignments in the last 30 days', value: overview.newAssignmentsLast30Days.active },
              { label: 'Service principals with privileged roles', value: overview.privilegedServicePrincipalCount },
            ]}
          />
        </ColumnLayout>
        <Table
          variant="embedded"
          items={rows}
          trackBy="name"
          ariaLabels={{ tableLabel: 'Role assignments' }}
          header={<Header variant="h3">Role assignments</Header>}
          columnDefinitions={[
            { id: 'name', header: 'Roles', isRowHeader: true, cell: (r) => r.name },
            { id: 'eligible', header: 'Eligible', cell: (r) => r.eligible },
            { id: 'active', header: 'Active', cell: (r) => r.active },
            { id: 'permanent', header: 'Permanent (active, no end)', cell: (r) => r.permanentActive },
            { id: 'activated', header: 'Activated now', cell: (r) => r.activated },
          ]}
        />
      </SpaceBetween>
    </Container>
  );
}
