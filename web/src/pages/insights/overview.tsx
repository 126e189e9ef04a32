/**
 * The overview figures of Discovery and insights (Entra's PIM overview): activations in the last 7 days
 * by day, the split of privileged role assignments, new assignments in the last 30 days, the Global
 * Administrators and the service principals holding privileged roles.
 */
import BarChart from '@cloudscape-design/components/bar-chart';
import Box from '@cloudscape-design/components/box';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import { Time } from '../../components/time.tsx';
import { dayLabel, type AssignmentCounts, type InsightsOverview } from '../../domain/insights.ts';

function Counts({ counts }: { counts: AssignmentCounts }) {
  return (
    <KeyValuePairs
      columns={2}
      items={[
        { label: 'Eligible', value: counts.eligible },
        { label: 'Active', value: counts.active },
        { label: 'Permanent', value: counts.permanentActive },
        { label: 'Activated now', value: counts.activated },
      ]}
    />
  );
}

export function Overview({ overview }: { overview: InsightsOverview }) {
  const days = overview.activationsLast7Days.map((d) => ({ x: dayLabel(d.date), y: d.count }));
  const total = overview.activationsLast7Days.reduce((sum, d) => sum + d.count, 0);
  const top = Math.max(4, ...days.map((d) => d.y));
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
      <ColumnLayout columns={4} variant="text-grid" minColumnWidth={200}>
        <div>
          <Box variant="h3">Activations in the last 7 days</Box>
          <Box variant="awsui-value-large" tagOverride="p">
            {total}
          </Box>
          <BarChart
            series={[{ title: 'Activations', type: 'bar', data: days }]}
            xDomain={days.map((d) => d.x)}
            yDomain={[0, top]}
            xScaleType="categorical"
            height={120}
            hideFilter
            hideLegend
            ariaLabel="Activations per day in the last 7 days"
            ariaDescription={days.map((d) => `${d.x}: ${d.y}`).join(', ')}
            xTitle="Day (UTC)"
            yTitle="Activations"
            empty={<Box color="text-body-secondary">No activations</Box>}
          />
        </div>
        <div>
          <Box variant="h3">Privileged role assignments</Box>
          <Counts counts={overview.privilegedRoleAssignments} />
        </div>
        <div>
          <Box variant="h3">New assignments in the last 30 days</Box>
          <KeyValuePairs
            columns={2}
            items={[
              { label: 'Eligible', value: overview.newAssignmentsLast30Days.eligible },
              { label: 'Active', value: overview.newAssignmentsLast30Days.active },
            ]}
          />
          <Box variant="h3" margin={{ top: 'm' }}>
            All directory role assignments
          </Box>
          <Counts counts={overview.directoryRoleAssignments} />
        </div>
        <div>
          <Box variant="h3">Global Administrators</Box>
          <Counts counts={overview.globalAdministrators} />
          <Box variant="h3" margin={{ top: 'm' }}>
            Service principals with privileged roles
          </Box>
          <Box variant="awsui-value-large" tagOverride="p">
            {overview.privilegedServicePrincipalCount}
          </Box>
        </div>
      </ColumnLayout>
    </Container>
  );
}
