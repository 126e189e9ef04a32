/** A role's requirements as short labels: what activating it will ask of you. */
import Badge from '@cloudscape-design/components/badge';
import Box from '@cloudscape-design/components/box';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { describeDuration } from '../../components/time.tsx';
import type { Requirements as R } from '../../domain/policy.ts';

export function Requirements({ value }: { value: R | undefined }) {
  if (!value) return <StatusIndicator type="loading">Loading rules</StatusIndicator>;
  const items: string[] = [];
  if (value.mfa) items.push('MFA');
  if (value.justification) items.push('Justification');
  if (value.ticket) items.push('Ticket');
  if (value.approval) items.push('Approval');
  items.push(`Max ${value.maximumDuration ? describeDuration(value.maximumDuration) : `${value.maximumHours} hours`}`);
  const badges = (
    <SpaceBetween direction="horizontal" size="xxs">
      {items.map((i) => (
        <Badge key={i} color={i === 'Approval' || i === 'MFA' ? 'blue' : 'grey'}>
          {i}
        </Badge>
      ))}
    </SpaceBetween>
  );
  if (!value.assumed) return badges;
  return (
    <SpaceBetween size="xxxs">
      {badges}
      <Box variant="small">Usual rules shown: the role's own settings are not readable to you; activating checks them.</Box>
    </SpaceBetween>
  );
}
