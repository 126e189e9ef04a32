/** A request's status as a coloured indicator with Graph's status in words. */
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';

const TYPE: Record<string, StatusIndicatorProps.Type> = {
  PendingApproval: 'pending',
  Granted: 'in-progress',
  Scheduled: 'in-progress',
  PendingScheduleCreation: 'in-progress',
  PendingProvisioning: 'in-progress',
  Provisioned: 'success',
  Revoked: 'stopped',
  Canceled: 'stopped',
  Denied: 'error',
  Failed: 'error',
  TimedOut: 'warning',
};

const WORDS: Record<string, string> = {
  PendingApproval: 'Pending approval',
  PendingScheduleCreation: 'Pending',
  PendingProvisioning: 'Pending provisioning',
  TimedOut: 'Timed out',
  Canceled: 'Cancelled',
};

export function RequestStatus({ status }: { status: string }) {
  return <StatusIndicator type={TYPE[status] ?? 'info'}>{WORDS[status] ?? status}</StatusIndicator>;
}
